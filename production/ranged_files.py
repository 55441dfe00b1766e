"""File responses that honour HTTP Range requests, so browsers can seek in audio and video.

One range per request (what media elements ask for); a multi-range request gets the whole
file, which RFC 9110 allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

_SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(file: IO[bytes], length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            data = file.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data
    finally:
        file.close()


def _requested(header: str, size: int) -> tuple[int, int] | None | str:
    """(start, end) inclusive; None for "send it all"; "unsatisfiable" for a 416."""
    match = _SINGLE_RANGE.match(header.strip())
    if match is None or not (match[1] or match[2]):
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:  # "bytes=-N": the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        return "unsatisfiable"
    return start, end


def ranged_file_response(
    request: HttpRequest,
    file: IO[bytes],
    *,
    size: int,
    filename: str,
    content_type: str,
    as_attachment: bool,
) -> HttpResponse:
    wanted = _requested(request.headers.get("Range", ""), size)
    if wanted is None:
        response: HttpResponse = FileResponse(
            file, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    elif wanted == "unsatisfiable":
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted
        file.seek(start)
        response = StreamingHttpResponse(
            _chunks(file, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["Accept-Ranges"] = "bytes"
    return response
