"""A connection must send its request headers in time (slowloris).

Uvicorn, which Gradio serves with, times out only idle keep-alive connections: a client that
sends one header byte every few seconds keeps its connection, and a worker's file
descriptor, for as long as it likes. ``TimedH11Protocol`` is uvicorn's HTTP/1.1 protocol
with one timer more: from the moment a connection opens, or a response completes, the next
request's headers must be complete within ``HEADER_SECONDS``; otherwise the connection is
closed. Request bodies are bounded in time by the guard (``qa_bot/serve/guard.py``).
Gradio builds uvicorn's configuration itself, so ``time_out_slow_clients`` names this class
as uvicorn's "auto" protocol (h11 is what "auto" means without httptools, as here).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

HEADER_SECONDS = 10.0


class TimedH11Protocol(H11Protocol):
    """Uvicorn's h11 protocol, closing a connection whose headers come too slowly."""

    _late: asyncio.TimerHandle | None = None
    _waiting_after: Any = None  # the request cycle the timer was armed after

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self._late is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a request's headers are complete

    def handle_websocket_upgrade(self, event: Any) -> None:
        self._disarm()  # the connection is handed to the WebSocket protocol
        super().handle_websocket_upgrade(event)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets the same time

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        self._late = self.loop.call_later(HEADER_SECONDS, self._too_slow)

    def _disarm(self) -> None:
        if self._late is not None:
            self._late.cancel()
            self._late = None

    def _too_slow(self) -> None:
        self._late = None
        log.warning("closed a connection from %s: no complete request headers within %g s",
                    self.client, HEADER_SECONDS)  # fmt: skip
        self.transport.close()


def time_out_slow_clients() -> None:
    """Make uvicorn's "auto" HTTP protocol the timed one (before the server starts)."""
    from uvicorn import config

    config.HTTP_PROTOCOLS["auto"] = f"{__name__}:TimedH11Protocol"
