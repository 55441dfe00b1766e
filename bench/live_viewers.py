"""The live bench's viewers: 200 open pages, in a process of their own.

They run on one event loop, apart from the bench process that makes the changes: sharing its
interpreter lock, a viewer's clock waited on the bench's own database work, and the figures
showed the bench rather than the server. The parent drives the phases over a pipe.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection

DEBOUNCE_SECONDS = 0.06  # static/js/live.js's DEBOUNCE_MS


@dataclass
class Figures:
    """Per change: commit to the page showing it, and how it got there."""

    notices: list[float] = field(default_factory=list)  # commit to "change" notice received
    shown: list[float] = field(default_factory=list)  # commit to the new fragment on the page
    pushed: int = 0  # fragments (or a list's patches) that came in the stream
    pushed_bytes: int = 0
    fetched: int = 0  # fragments the page fetched after a notice
    errors: int = 0

    def fetch_done(self, burst: list[tuple[float, float]], fetched: float | None) -> None:
        self.fetched += 1
        for committed, received in burst:
            self.notices.append(received)
            if fetched is None:
                self.errors += 1
            else:
                self.shown.append(fetched - committed)


class Viewer:
    """One open page: its stream, and the fragment fetches the page makes on notices.

    As static/js/live.js does: a "fragment" event replaces the page's fragment at once, as a
    "patch" event replaces the list's pieces that changed; on a
    "change" event (a stream of notices only) the first notice of a burst starts a 60 ms wait,
    then one fetch shows every notice that came meanwhile, and notices during a fetch lead to
    one more fetch. Every viewer runs on one event loop in one thread: 200 pages as 400
    threads made the client itself a CPU and lock load on the machine it measures.
    """

    def __init__(self, port: int, paths: tuple[str, str], cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.stream_path, self.page_path = paths  # the page's stream, and its fragment
        self.figures: Figures | None = None
        self.connected = threading.Event()
        self.refused = 0
        self.reasons: Counter[str] = Counter()
        self.pending: list[tuple[float, float]] = []
        self.woken = asyncio.Event()

    async def follow(self) -> None:
        while True:
            try:
                await self._follow()
            except OSError as exc:
                self.refused += 1
                self.reasons[type(exc).__name__] += 1
                await asyncio.sleep(0.5)

    async def _follow(self) -> None:
        # A fragment is one line of JSON, longer than asyncio's default line limit.
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 24)
        try:
            writer.write(
                f"GET {self.stream_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: sessionid={self.cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            status = await reader.readline()
            if b" 200 " not in status:
                self.refused += 1
                self.reasons[status.decode(errors="replace").strip()[:40] or "closed"] += 1
                await asyncio.sleep(1.0)
                return
            while await reader.readline() not in (b"\r\n", b""):
                pass  # headers
            self.connected.set()
            name = b""
            while True:
                line = await reader.readline()
                if not line:
                    return  # the stream's deadline: reconnect, as EventSource does
                if line.startswith(b"event: "):
                    name = line[7:].strip()
                elif line.startswith(b"data: ") and name == b"change":
                    committed = json.loads(line[6:])["at"]
                    self.pending.append((committed, time.time() - committed))
                    self.woken.set()
                elif line.startswith(b"data: ") and name in (b"fragment", b"patch"):
                    shown = time.time()
                    figures = self.figures
                    if figures is not None:
                        figures.pushed += 1
                        figures.pushed_bytes += len(line)
                        figures.shown.extend(shown - at for at in json.loads(line[6:])["at"])
        finally:
            writer.close()

    async def fetch_loop(self) -> None:
        page: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while True:
            await self.woken.wait()
            await asyncio.sleep(DEBOUNCE_SECONDS)
            self.woken.clear()
            burst, self.pending = self.pending, []
            figures = self.figures
            page, fetched = await self._fetch(page)
            if figures is not None:
                figures.fetch_done(burst, fetched)

    async def _fetch(
        self, page: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
    ) -> tuple[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None, float | None]:
        """The kept-alive connection and when the fragment arrived (None on failure)."""
        request = (
            f"GET {self.page_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: sessionid={self.cookie}\r\nHX-Request: true\r\n\r\n"
        ).encode()
        # A kept-alive connection the server has since closed fails at once; a browser sends
        # the request again on a new one, and so does this client (once).
        for _ in range(2):
            try:
                if page is None:
                    page = await asyncio.open_connection("127.0.0.1", self.port)
                reader, writer = page
                writer.write(request)
                status = await reader.readline()
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if not status:
                    raise ConnectionResetError("closed")
                await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError):
                if page is not None:
                    page[1].close()
                page = None
                continue
            return page, time.time() if b" 200 " in status else None
        return page, None


class Viewers:
    """The viewers' event loop, in a thread of its own beside the pipe to the bench."""

    def __init__(self, viewers: list[Viewer]) -> None:
        self.viewers = viewers
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Viewers:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()
        return self

    async def _start(self) -> None:
        self.tasks = [
            asyncio.create_task(work())
            for viewer in self.viewers
            for work in (viewer.follow, viewer.fetch_loop)
        ]

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def serve(pipe: Connection, port: int, pages: list[tuple[str, str]], cookie: str) -> None:
    """The viewer process: "connected", a phase's name ("idle", "busy") to count into, or
    "stop", answered on the pipe."""
    viewers = [Viewer(port, paths, cookie) for paths in pages]
    phases: dict[str, Figures] = {}
    with Viewers(viewers):
        while True:
            command = pipe.recv()
            if command == "connected":
                for viewer in viewers:
                    viewer.connected.wait(timeout=30)
                pipe.send(sum(1 for v in viewers if v.connected.is_set()))
            elif command == "stop":
                break
            else:
                phases[command] = Figures()
                for viewer in viewers:
                    viewer.figures = phases[command]
                pipe.send(None)
    reasons = sum((v.reasons for v in viewers), Counter())
    pipe.send(
        {
            "phases": {name: asdict(figures) for name, figures in phases.items()},
            "refused": sum(v.refused for v in viewers),
            "reasons": dict(reasons.most_common(3)),
        }
    )
