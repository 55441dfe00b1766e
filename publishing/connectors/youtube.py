"""YouTube Data API v3 resumable upload: open a session with the video's metadata (POST), send the
bytes to the session URL (PUT). A retry asks the session how much arrived and sends the rest."""

from __future__ import annotations

import requests

from publishing import conf, tokens
from publishing.http import PublishError, failure, json_or_empty, send, session
from publishing.limits import read_bytes
from publishing.models import Publication

PLATFORM = "YouTube"
WATCH_URL = "https://www.youtube.com/watch?v={id}"
# 403 reasons that mean "later", not "never".
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded"}


def reason(response: requests.Response) -> str:
    """Google answers {"error": {"code", "message", "errors": [{"reason", "message"}]}}."""
    error = json_or_empty(response).get("error")
    if not isinstance(error, dict):
        return f"HTTP {response.status_code}"
    reasons = [e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)]
    detail = f" ({', '.join(r for r in reasons if r)})" if any(reasons) else ""
    return f"{error.get('message') or 'no message'}{detail}"


def publish(publication: Publication, *, save, force_refresh: bool = False) -> tuple[str, str]:  # noqa: ANN001
    token = tokens.access_token(publication.connection, force=force_refresh)
    data = read_bytes(publication.output)
    total = len(data)
    mime = publication.output.mime_type or "video/mp4"
    http = session()
    http.headers["Authorization"] = f"Bearer {token}"
    progress = dict(publication.progress)

    offset = 0
    if progress.get("upload_url"):
        offset, finished = _resume_point(http, progress["upload_url"], total)
        if finished is not None:
            return _result(finished)
        if offset < 0:  # the session expired: start a new one
            progress.pop("upload_url")
            offset = 0
    if not progress.get("upload_url"):
        opened = _request(
            http,
            "POST",
            f"{conf.youtube_api_url()}/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json={
                "snippet": {
                    "title": publication.title,
                    "description": publication.caption,
                    "categoryId": "22",
                },
                "status": {
                    "privacyStatus": publication.visibility,
                    "selfDeclaredMadeForKids": False,
                },
            },
            headers={
                "Content-Type": "application/json; charset=UTF-8",
                "X-Upload-Content-Length": str(total),
                "X-Upload-Content-Type": mime,
            },
        )
        location = opened.headers.get("Location")
        if not location:
            raise PublishError("YouTube opened no upload session (no Location header).")
        progress["upload_url"] = location
        save(progress)
    headers = {"Content-Type": mime}
    if offset:
        headers["Content-Range"] = f"bytes {offset}-{total - 1}/{total}"
    answer = _request(http, "PUT", progress["upload_url"], data=data[offset:], headers=headers)
    return _result(answer)


def _request(http: requests.Session, method: str, url: str, **kwargs) -> requests.Response:  # noqa: ANN003
    """One call; a 403 for quota or rate is retried later rather than given up."""
    kwargs.setdefault("timeout", max(conf.timeout(), 300.0) if method == "PUT" else conf.timeout())
    try:
        return send(http, method, url, platform=PLATFORM, explain=reason, **kwargs)
    except PublishError as exc:
        if exc.status == 403 and exc.transient is False and _quota_message(exc):
            exc.transient = True
        raise


def _quota_message(exc: PublishError) -> bool:
    return any(name in exc.message for name in QUOTA_REASONS)


def _resume_point(
    http: requests.Session, upload_url: str, total: int
) -> tuple[int, requests.Response | None]:
    """(next byte to send, the finished answer if the upload already completed); -1 when the
    session is gone."""
    try:
        response = http.put(
            upload_url,
            headers={"Content-Range": f"bytes */{total}", "Content-Length": "0"},
            timeout=conf.timeout(),
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise PublishError(
            f"YouTube could not be reached ({type(exc).__name__}).", transient=True
        ) from None
    if response.status_code in (200, 201):
        return total, response
    if response.status_code == 308:
        sent = response.headers.get("Range", "")  # "bytes=0-12345"
        return (int(sent.rsplit("-", 1)[1]) + 1 if "-" in sent else 0), None
    if response.status_code in (404, 410):
        return -1, None
    raise failure(response, platform=PLATFORM, explain=reason)


def _result(answer: requests.Response) -> tuple[str, str]:
    video = json_or_empty(answer)
    if not video.get("id"):
        raise PublishError("YouTube finished the upload but returned no video id.")
    return str(video["id"]), WATCH_URL.format(id=video["id"])
