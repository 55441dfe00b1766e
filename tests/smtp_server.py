"""A real SMTP server on a free 127.0.0.1 port (aiosmtpd), keeping the messages it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSMTPServer:
    def __init__(self) -> None:
        self._handler = _Keep()
        self.port = free_port()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> LocalSMTPServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[Message]:
        return list(self._handler.messages)

    def wait_for(self, count: int, deadline_seconds: float = 10) -> list[Message]:
        """The messages once `count` have arrived; fails when the deadline passes first."""
        end = time.monotonic() + deadline_seconds
        while len(self._handler.messages) < count and time.monotonic() < end:
            time.sleep(0.02)
        assert len(self._handler.messages) >= count, (
            f"expected {count} messages, got {len(self._handler.messages)}"
        )
        return self.messages


def text_of(message: Message) -> str:
    """The plain-text part of a message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""
