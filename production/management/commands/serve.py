"""`manage.py serve`: the whole system in one command, served as in production.

Starts an embedded Redis when REDIS_URL is unset, the step workers, the reconciler and the web
server (gunicorn, static files through WhiteNoise, DEBUG off unless DEBUG is set), restarts any
of them that dies (production.supervisor), prints where to go and how to sign in once the web
server answers HTTP, and on Ctrl-C stops the children first and Redis last.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import schedule
from production.embedded_redis import start_unless_configured
from production.local_secret import ensure_local_secret_key
from production.supervisor import Supervisor

# The banner's check talks to our own server, never through a configured proxy.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Command(BaseCommand):
    help = "Start Redis (embedded if needed), step workers, the reconciler and the web server."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--workers", type=int, default=settings.WORKER_COUNT)
        parser.add_argument("--addr", default=os.environ.get("SERVE_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--web-workers", type=int, default=settings.WEB_WORKERS)
        parser.add_argument("--web-threads", type=int, default=settings.WEB_THREADS)
        parser.add_argument(
            "--runserver",
            action="store_false",
            dest="gunicorn",
            help="Serve with Django's development server instead of gunicorn.",
        )

    def handle(self, *args, workers: int, addr: str, gunicorn: bool, **options) -> None:  # noqa: ANN002, ANN003
        # The console is a log: each line shows when it happens, even through a pipe.
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(line_buffering=True)
        supervisor = Supervisor(report=lambda line: self.stderr.write(line))
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            if stopping:
                # A second Ctrl-C: steps in flight are not waited for (the reconciler will
                # find them again).
                supervisor.kill()
            stopping = True

        # Before anything starts, so an early Ctrl-C is as quiet as a late one.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        host, port = split_addr(addr)
        if not port_is_free(host, port):
            raise CommandError(f"{host}:{port} is already in use; choose another with --addr.")
        if not os.environ.get("SECRET_KEY"):
            ensure_local_secret_key(settings.LOCAL_SECRET_KEY_FILE)
        redis = start_unless_configured(settings.VAR_DIR / "redis")
        if not os.environ.get("REDIS_URL"):
            self.stdout.write(f"Embedded Redis on {settings.REDIS_URL}")
        # Alerts and the daily summary run as a recurring RQ tick; arm it unless it waits.
        schedule.ensure()
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        env = child_env(host)
        try:
            for index in range(workers):
                supervisor.add(f"worker-{index + 1}", worker_command(python, manage), env)
            supervisor.add(
                "reconciler",
                [python, manage, "reconcile", "--every", str(settings.RECONCILE_INTERVAL_SECONDS)],
                env,
            )
            if gunicorn:
                web = [
                    python, "-m", "gunicorn", "production.wsgi", "--bind", f"{host}:{port}",
                    "--worker-class", "gthread",
                    "--workers", str(options["web_workers"]),
                    # Open live streams each hold a thread while they wait (dashboards.live_stream).
                    "--threads", str(options["web_threads"] + settings.LIVE_STREAMS_PER_PROCESS),
                    "--graceful-timeout", "10",
                    "--config", "python:production.gunicorn_hooks",
                    *gunicorn_extras(),
                ]  # fmt: skip
            else:
                web = [python, manage, "runserver", f"{host}:{port}", "--noreload"]
            # PostgreSQL: web requests share a pool per process (no effect on SQLite).
            web_env = {"DATABASE_POOL_SIZE": str(options["web_threads"]), **env}
            supervisor.add("web", web, web_env)
            banner_shown = False
            while not stopping:
                supervisor.tick()
                if not banner_shown and answers_http(host, port):
                    self.print_banner(
                        host, port, workers, debug=env["DEBUG"] == "1", https=env["HTTPS"] == "1"
                    )
                    banner_shown = True
                time.sleep(0.2)
        finally:
            self.stdout.write("Stopping…")
            # Workers release their scheduler locks in Redis, so Redis stops last.
            supervisor.stop()
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=30)
            self.stdout.write("Stopped.")

    def print_banner(self, host: str, port: int, workers: int, *, debug: bool, https: bool) -> None:
        from production.demo import DEMO_LOGINS

        base = f"http://{browser_host(host)}:{port}"
        lines = [
            "",
            "Production engine is running.",
            f"  Dashboard   {base}/",
            f"  Reviews     {base}/reviews/",
            f"  Admin       {base}/admin/",
            f"  API         {base}/api/v1/  (docs: {base}/api/docs/)",
            f"  Workers     {workers} (queues: {', '.join(settings.QUEUE_NAMES)})",
            f"  DEBUG       {'on' if debug else 'off (DEBUG=1 shows Django error pages)'}",
            f"  HTTPS       {'on' if https else 'off (HTTPS=1 behind TLS: HSTS, secure cookies)'}",
            "",
            "Demo logins (password for all: demo12345):",
        ]
        lines += [f"  {username:<18} {role}" for username, role in DEMO_LOGINS]
        lines += ["", "Press Ctrl-C to stop everything.", ""]
        self.stdout.write("\n".join(lines))


def worker_command(python: str, manage: str) -> list[str]:
    """A step worker: many steps at once in threads (see jobs.step_worker)."""
    return [python, manage, "stepworker", f"--threads={settings.STEP_WORKER_THREADS}"]


def gunicorn_extras() -> list[str]:
    """No control socket: its default path is shared by every gunicorn of the user, and the
    launcher manages the server itself (the setting exists from gunicorn 27 on)."""
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in known else []


def child_env(host: str) -> dict[str, str]:
    """The children's environment: like production (DEBUG off) unless DEBUG is set."""
    env = dict(os.environ)
    env["DEBUG"] = "1" if "DEBUG" in os.environ and settings.DEBUG else "0"
    # Plain HTTP on this machine unless told it sits behind TLS (HTTPS=1).
    env.setdefault("HTTPS", "0")
    if "ALLOWED_HOSTS" not in os.environ and host not in {"0.0.0.0", "::"}:
        env["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*settings.ALLOWED_HOSTS, host]))
    return env


def split_addr(addr: str) -> tuple[str, int]:
    """ "host:port" or a bare port (on 127.0.0.1)."""
    host, _, port = addr.rpartition(":")
    try:
        return host.strip("[]") or "127.0.0.1", int(port)
    except ValueError:
        raise CommandError(f"--addr must be host:port or a port, not {addr!r}") from None


def browser_host(host: str) -> str:
    """Where a browser on this machine reaches the server."""
    return {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def answers_http(host: str, port: int) -> bool:
    """Whether the web server answers an HTTP request yet (any status)."""
    url = f"http://{browser_host(host)}:{port}/accounts/login/"
    try:
        with DIRECT.open(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False
