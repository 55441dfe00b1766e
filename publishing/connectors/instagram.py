"""Instagram Graph API content publishing: a media container from a public media URL (an image,
or a video as a Reel), wait while Instagram processes it, then publish the container."""

from __future__ import annotations

import time

import requests

from jobs.models import OutputKind
from publishing import conf, tokens
from publishing.http import PublishError, json_or_empty, retry_after_seconds, send, session
from publishing.media_links import media_url
from publishing.models import Publication

PLATFORM = "Instagram"
# Graph API error codes: 190 an invalid or expired token; 4, 17, 32, 613 rate limits;
# 9007 with subcode 2207027: the media is not ready to publish yet.
AUTH_CODES = {190}
RATE_CODES = {4, 17, 32, 613}
NOT_READY = (9007, 2207027)


def _error(response: requests.Response) -> dict:
    error = json_or_empty(response).get("error")
    return error if isinstance(error, dict) else {}


def reason(response: requests.Response) -> str:
    """Graph errors: {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}."""
    error = _error(response)
    if not error:
        return f"HTTP {response.status_code}"
    return f"{error.get('message', 'no message')} (code {error.get('code')})"


def classify(response: requests.Response) -> PublishError | None:
    """Graph answers most failures with HTTP 400; the error code says what kind it is."""
    error = _error(response)
    code, subcode = error.get("code"), error.get("error_subcode")
    if code in AUTH_CODES:
        return PublishError(
            f"Instagram refused the access token ({reason(response)}).", auth=True, status=400
        )
    if code in RATE_CODES or response.status_code == 429:
        return PublishError(
            f"Instagram is limiting requests ({reason(response)}); trying again later.",
            transient=True,
            retry_after=retry_after_seconds(response),
            status=response.status_code,
        )
    if (code, subcode) == NOT_READY or error.get("is_transient"):
        return PublishError(f"Instagram is not ready yet ({reason(response)}).", transient=True)
    return None


def _call(http: requests.Session, method: str, url: str, **kwargs) -> dict:  # noqa: ANN003
    answer = send(http, method, url, platform=PLATFORM, explain=reason, classify=classify, **kwargs)
    return json_or_empty(answer)


def publish(publication: Publication, *, save, force_refresh: bool = False) -> tuple[str, str]:  # noqa: ANN001
    connection = publication.connection
    token = tokens.access_token(connection, force=force_refresh)
    graph = conf.instagram_graph_url()
    user_id = connection.account["ig_user_id"]
    http = session()
    progress = dict(publication.progress)

    if not progress.get("media_id"):
        if not progress.get("container_id"):
            fields = {"caption": publication.caption, "access_token": token}
            link = media_url(publication.pk, publication.output_id)
            if publication.output.kind == OutputKind.VIDEO:
                fields.update(media_type="REELS", video_url=link)
            else:
                fields["image_url"] = link
            container = _call(http, "POST", f"{graph}/{user_id}/media", data=fields)
            if not container.get("id"):
                raise PublishError("Instagram created no media container (no id).")
            progress["container_id"] = str(container["id"])
            save(progress)
        _wait_until_processed(http, graph, progress, token, save)
        published = _call(
            http,
            "POST",
            f"{graph}/{user_id}/media_publish",
            data={"creation_id": progress["container_id"], "access_token": token},
        )
        if not published.get("id"):
            raise PublishError("Instagram published nothing (no media id).")
        progress["media_id"] = str(published["id"])
        save(progress)
    return progress["media_id"], _permalink(http, graph, progress["media_id"], token)


def _wait_until_processed(
    http: requests.Session,
    graph: str,
    progress: dict,
    token: str,
    save,  # noqa: ANN001
) -> None:
    container_id = progress["container_id"]
    for look in range(conf.instagram_poll_limit()):
        state = _call(
            http,
            "GET",
            f"{graph}/{container_id}",
            params={"fields": "status_code,status", "access_token": token},
        )
        code = state.get("status_code")
        if code in ("FINISHED", "PUBLISHED"):
            return
        if code == "ERROR":
            # A new attempt makes a new container from the media again.
            progress.pop("container_id")
            save(progress)
            raise PublishError(
                f"Instagram could not process the media: {state.get('status') or 'no detail'}."
            )
        if code == "EXPIRED":
            progress.pop("container_id")
            save(progress)
            raise PublishError(
                "Instagram's media container expired before it was published; trying again.",
                transient=True,
            )
        if look + 1 < conf.instagram_poll_limit():
            time.sleep(conf.instagram_poll_seconds())
    raise PublishError(
        "Instagram is still processing the media; looking again later.", transient=True
    )


def _permalink(http: requests.Session, graph: str, media_id: str, token: str) -> str:
    """The post's public address; the post exists even if this look-up fails."""
    try:
        media = _call(
            http,
            "GET",
            f"{graph}/{media_id}",
            params={"fields": "permalink", "access_token": token},
        )
    except PublishError:
        return ""
    return str(media.get("permalink") or "")
