"""A real SMTP server for tests (aiosmtpd on a free port) that keeps what it received."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class Postbus:
    """An SMTP handler that keeps what it received; `weiger` first answers 451 that often."""

    def __init__(self, weiger: int = 0) -> None:
        self.ontvangen: list[tuple[list[str], Message]] = []
        self.weiger = weiger

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        if self.weiger > 0:
            self.weiger -= 1
            return "451 4.3.0 Probeer het later opnieuw"
        self.ontvangen.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[Postbus, int]]:
    """Run an SMTP server on a free local port: its handler and its port."""
    handler = Postbus()
    with socket.socket() as probe:  # a free port (the controller checks it can connect)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


__all__ = ["Postbus", "smtp_server"]
