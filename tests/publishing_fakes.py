"""Local servers that speak the publishing platforms' protocols, for the publishing tests.

Each keeps every request, checks credentials the way the platform does, and answers with the
platform's JSON, including its failure answers. A test scripts failures with `fail_next(...)`:
the next matching request gets that answer instead of the normal one.

- FakeWordPress: POST /wp-json/wp/v2/media (raw bytes, Content-Disposition filename) and
  /wp-json/wp/v2/posts, HTTP Basic with an application password; errors as
  {"code", "message", "data": {"status"}}.
- FakeYouTube: Google's token endpoint (POST /token, grant_type=refresh_token) and the Data API's
  resumable upload (POST /upload/youtube/v3/videos?uploadType=resumable answers a Location; PUT
  there takes the bytes, a PUT with "Content-Range: bytes */N" asks how much arrived and answers
  308 with Range). Errors as {"error": {"code", "message", "errors": [{"reason"}]}}.
- FakeInstagram: Graph API /v21.0/{ig-user-id}/media, /{container-id}?fields=status_code,
  /{ig-user-id}/media_publish, /{media-id}?fields=permalink and /refresh_access_token, with
  access_token as a parameter. Errors as {"error": {"message", "type", "code", "error_subcode",
  "fbtrace_id"}}, mostly on HTTP 400 as Graph does.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakePlatform:
    """Base: a threaded HTTP server on 127.0.0.1 that routes to `handle` and records requests."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.scripted: deque[tuple[str, str, Answer]] = deque()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = Seen(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with fake.lock:
                    fake.requests.append(seen)
                    answer = fake._scripted(seen) or fake.handle(seen)
                payload = b"" if answer.body is None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if payload:
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = _serve  # noqa: N815 - the http.server API

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakePlatform:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, method: str, path_part: str, answer: Answer) -> None:
        """The next `method` request whose path contains `path_part` gets `answer`."""
        self.scripted.append((method, path_part, answer))

    def _scripted(self, seen: Seen) -> Answer | None:
        for item in list(self.scripted):
            method, part, answer = item
            if method == seen.method and part in seen.path:
                self.scripted.remove(item)
                return answer
        return None

    def calls(self, method: str, path_part: str) -> list[Seen]:
        return [s for s in self.requests if s.method == method and path_part in s.path]

    def handle(self, seen: Seen) -> Answer:
        raise NotImplementedError


# --- WordPress ----------------------------------------------------------------------------------


def wp_error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"code": code, "message": message, "data": {"status": status}})


class FakeWordPress(FakePlatform):
    def __init__(self, username: str = "editor", password: str = "abcd EFGH ijkl MNOP qrst UVWX"):
        super().__init__()
        self.username, self.password = username, password
        self.media: dict[int, dict] = {}
        self.posts: dict[int, dict] = {}
        self.next_id = 100

    def _authorised(self, seen: Seen) -> bool:
        header = seen.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return user == self.username and password == self.password

    def handle(self, seen: Seen) -> Answer:
        if not self._authorised(seen):
            return wp_error(
                401,
                "incorrect_password",
                "The provided password is an invalid application password.",
            )
        self.next_id += 1
        if seen.method == "POST" and seen.path == "/wp-json/wp/v2/media":
            disposition = seen.headers.get("content-disposition", "")
            if "filename=" not in disposition or not seen.body:
                return wp_error(400, "rest_upload_no_data", "No data supplied.")
            filename = disposition.split("filename=", 1)[1].strip('"')
            item = {
                "id": self.next_id,
                "type": "attachment",
                "media_type": "image",
                "mime_type": seen.headers.get("content-type"),
                "source_url": f"{self.url}/wp-content/uploads/2026/12/{filename}",
                "bytes": len(seen.body),
            }
            self.media[item["id"]] = {**item, "data": seen.body}
            return Answer(201, item)
        if seen.method == "POST" and seen.path == "/wp-json/wp/v2/posts":
            body = seen.json()
            featured = body.get("featured_media", 0)
            if featured and featured not in self.media:
                return wp_error(400, "rest_invalid_featured_media", "Invalid featured media ID.")
            post = {
                "id": self.next_id,
                "status": body.get("status", "draft"),
                "link": f"{self.url}/?p={self.next_id}",
                "title": {"raw": body.get("title", ""), "rendered": body.get("title", "")},
                "content": {"raw": body.get("content", ""), "rendered": body.get("content", "")},
                "featured_media": featured,
            }
            self.posts[post["id"]] = post
            return Answer(201, post)
        return wp_error(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )


# --- YouTube ------------------------------------------------------------------------------------


def google_error(status: int, reason: str, message: str) -> Answer:
    return Answer(
        status,
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": "youtube.video", "reason": reason}],
            }
        },
    )


class FakeYouTube(FakePlatform):
    def __init__(self, access_token: str = "ya29.first-token", refresh_token: str = "1//refresh"):
        super().__init__()
        self.valid_tokens = {access_token}
        self.refresh_token = refresh_token
        self.sessions: dict[str, dict] = {}
        self.videos: dict[str, dict] = {}
        self.issued = 0
        # Take only this many bytes of the next PUT, then drop the connection's answer (a cut).
        self.cut_after: int | None = None

    def _authorised(self, seen: Seen) -> bool:
        header = seen.headers.get("authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.valid_tokens

    def handle(self, seen: Seen) -> Answer:
        if seen.path == "/token":
            form = seen.form
            if (
                form.get("grant_type") != "refresh_token"
                or form.get("refresh_token") != self.refresh_token
            ):
                return Answer(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            if not form.get("client_id") or not form.get("client_secret"):
                return Answer(401, {"error": "invalid_client", "error_description": "Unauthorized"})
            self.issued += 1
            token = f"ya29.refreshed-{self.issued}"
            self.valid_tokens = {token}
            return Answer(
                200,
                {
                    "access_token": token,
                    "expires_in": 3599,
                    "scope": "https://www.googleapis.com/auth/youtube.upload",
                    "token_type": "Bearer",
                },
            )
        if not self._authorised(seen):
            return google_error(401, "authError", "Invalid Credentials")
        if seen.method == "POST" and seen.path == "/upload/youtube/v3/videos":
            if seen.query.get("uploadType") != "resumable":
                return google_error(400, "invalidUploadType", "Only resumable uploads here.")
            meta = seen.json()
            total = int(seen.headers.get("x-upload-content-length") or 0)
            upload_id = f"up{len(self.sessions) + 1}"
            self.sessions[upload_id] = {
                "meta": meta,
                "total": total,
                "data": b"",
                "parts": seen.query.get("part"),
            }
            location = (
                f"{self.url}/upload/youtube/v3/videos?uploadType=resumable&upload_id={upload_id}"
            )
            return Answer(200, None, {"Location": location})
        if seen.method == "PUT" and seen.path == "/upload/youtube/v3/videos":
            session = self.sessions.get(seen.query.get("upload_id", ""))
            if session is None:
                return google_error(404, "notFound", "Upload session not found.")
            content_range = seen.headers.get("content-range", "")
            if content_range.startswith("bytes */"):
                return self._status(session)
            start = int(content_range.split(" ")[1].split("-")[0]) if content_range else 0
            if start != len(session["data"]):
                return google_error(400, "badContent", "Range does not continue the upload.")
            data = seen.body
            if self.cut_after is not None:
                data, self.cut_after = data[: self.cut_after], None
                session["data"] += data
                return google_error(503, "backendError", "Backend Error")
            session["data"] += data
            return self._status(session)
        return google_error(404, "notFound", "Not Found")

    def _status(self, session: dict) -> Answer:
        received = len(session["data"])
        if received < session["total"]:
            headers = {"Range": f"bytes=0-{received - 1}"} if received else {}
            return Answer(308, None, headers)
        video_id = session.setdefault("video_id", f"vid{len(self.videos) + 1}AbC")
        snippet = session["meta"]["snippet"]
        video = {
            "kind": "youtube#video",
            "id": video_id,
            "snippet": {
                "title": snippet["title"],
                "description": snippet.get("description", ""),
                "categoryId": snippet.get("categoryId"),
            },
            "status": {
                "uploadStatus": "uploaded",
                "privacyStatus": session["meta"]["status"]["privacyStatus"],
            },
        }
        self.videos[video_id] = {**video, "data": session["data"]}
        return Answer(200, video)


# --- Instagram ----------------------------------------------------------------------------------


def graph_error(status: int, code: int, message: str, subcode: int | None = None) -> Answer:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode:
        error["error_subcode"] = subcode
    return Answer(status, {"error": error})


class FakeInstagram(FakePlatform):
    def __init__(self, user_id: str = "17841400000000001", access_token: str = "IGQVJfirst"):
        super().__init__()
        self.user_id = user_id
        self.valid_tokens = {access_token}
        self.containers: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        # How many status looks a new container stays IN_PROGRESS before FINISHED.
        self.processing_looks = 1
        self.refreshed = 0

    def _params(self, seen: Seen) -> dict[str, str]:
        return {**seen.query, **(seen.form if seen.method == "POST" else {})}

    def handle(self, seen: Seen) -> Answer:
        params = self._params(seen)
        if seen.path == "/refresh_access_token":
            if (
                params.get("grant_type") != "ig_refresh_token"
                or params.get("access_token") not in self.valid_tokens
            ):
                return graph_error(
                    400, 190, "Error validating access token: Session has expired.", 463
                )
            self.refreshed += 1
            token = f"IGQVJrefreshed{self.refreshed}"
            self.valid_tokens = {token}
            return Answer(
                200, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}
            )
        if params.get("access_token") not in self.valid_tokens:
            return graph_error(
                400,
                190,
                "Error validating access token: Session has expired on Saturday, 05-Dec-26.",
                463,
            )
        path = seen.path.removeprefix("/v21.0")
        if seen.method == "POST" and path == f"/{self.user_id}/media":
            if not params.get("image_url") and not (
                params.get("media_type") == "REELS" and params.get("video_url")
            ):
                return graph_error(400, 100, "The parameter image_url is required.")
            container_id = f"1790{len(self.containers) + 1:04d}"
            self.containers[container_id] = {"params": params, "looks": 0}
            return Answer(200, {"id": container_id})
        if seen.method == "POST" and path == f"/{self.user_id}/media_publish":
            container = self.containers.get(params.get("creation_id", ""))
            if container is None:
                return graph_error(400, 100, "Unsupported post request.")
            if container["looks"] < self.processing_looks:
                return graph_error(400, 9007, "Media ID is not available", 2207027)
            media_id = f"1800{len(self.media) + 1:04d}"
            self.media[media_id] = {
                "container": params["creation_id"],
                "permalink": f"https://www.instagram.com/p/Fake{media_id}/",
            }
            container["published"] = True
            return Answer(200, {"id": media_id})
        if seen.method == "GET" and path.lstrip("/") in self.containers:
            container = self.containers[path.lstrip("/")]
            container["looks"] += 1
            if container.get("published"):
                code = "PUBLISHED"
            elif container.get("error"):
                code = "ERROR"
            else:
                code = "FINISHED" if container["looks"] > self.processing_looks else "IN_PROGRESS"
            body = {"status_code": code, "id": path.lstrip("/")}
            if code == "ERROR":
                body["status"] = container["error"]
            return Answer(200, body)
        if seen.method == "GET" and path.lstrip("/") in self.media:
            return Answer(
                200,
                {"permalink": self.media[path.lstrip("/")]["permalink"], "id": path.lstrip("/")},
            )
        return graph_error(400, 100, "Unsupported get request.")
