"""WordPress REST API: the featured image to /wp/v2/media, then the post to /wp/v2/posts, signed
in with an application password (HTTP Basic)."""

from __future__ import annotations

import os

import nh3
import requests
from requests.auth import HTTPBasicAuth

from dashboards.markdown import render_markdown
from jobs.models import OutputKind
from publishing import vault
from publishing.http import PublishError, json_or_empty, send, session
from publishing.limits import read_bytes
from publishing.models import Publication

PLATFORM = "WordPress"


def reason(response: requests.Response) -> str:
    """WordPress answers errors as {"code", "message", "data": {"status"}}."""
    body = json_or_empty(response)
    if body.get("message"):
        return f"{body['message']} ({body.get('code', response.status_code)})"
    return f"HTTP {response.status_code}"


def api_base(site_url: str) -> str:
    return site_url.rstrip("/") + "/wp-json/wp/v2"


def post_html(publication: Publication) -> str:
    output = publication.output
    if output.kind == OutputKind.HTML:
        return nh3.clean(output.text)
    return render_markdown(output.text)


def publish(publication: Publication, *, save, force_refresh: bool = False) -> tuple[str, str]:  # noqa: ANN001
    connection = publication.connection
    secrets = vault.unseal(connection.sealed_secrets)
    auth = HTTPBasicAuth(connection.account["username"], secrets["application_password"])
    base = api_base(connection.account["site_url"])
    http = session()
    progress = dict(publication.progress)
    try:
        if publication.image_id and "media_id" not in progress:
            image = publication.image
            filename = os.path.basename(image.file.name) or f"image-{image.pk}.png"
            answer = send(
                http,
                "POST",
                f"{base}/media",
                platform=PLATFORM,
                explain=reason,
                auth=auth,
                data=read_bytes(image),
                headers={
                    "Content-Type": image.mime_type or "image/png",
                    "Content-Disposition": f'attachment; filename="{filename}"',
                },
            )
            progress["media_id"] = json_or_empty(answer).get("id")
            if not progress["media_id"]:
                raise PublishError("WordPress accepted the image but returned no media id.")
            save(progress)
        body = {
            "title": publication.title,
            "content": post_html(publication),
            "status": publication.visibility,
        }
        if progress.get("media_id"):
            body["featured_media"] = progress["media_id"]
        answer = send(
            http, "POST", f"{base}/posts", platform=PLATFORM, explain=reason, auth=auth, json=body
        )
    except PublishError as exc:
        if exc.auth:
            exc.message = (
                f"{exc.message.rstrip('.')}. Check the user name and application password of "
                f"“{connection.name}”."
            )
        raise
    post = json_or_empty(answer)
    if not post.get("id"):
        raise PublishError("WordPress accepted the post but returned no id.")
    return str(post["id"]), str(post.get("link") or "")
