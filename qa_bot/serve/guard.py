"""What stands between the network and the chat server.

- **No uploads.** The app has no upload feature, but Gradio serves an upload route that
  stores whatever it is sent in a temporary folder. Requests to it are refused before their
  body is read.
- **Slowed logins.** With ``QA_BOT_AUTH`` set, each failed login makes that client wait
  before its next attempt (1 s, then 2, 4, … up to 60 s); an attempt inside the wait is
  refused with 429 and a ``Retry-After`` header, without checking the password. One
  attempt per client is checked at a time: a burst of simultaneous guesses gets one checked
  and the rest refused. Failures are logged. A success clears the client's record.
- **Bounded request bodies.** A request body over ``QA_BOT_MAX_REQUEST_KB`` gets 413 and
  is never held whole in memory (the body is read up to the limit, then dropped); one still
  arriving after 30 s gets 408, so a slow client cannot hold a worker.
- **No client picks its own key.** ``X-Forwarded-For`` is trusted only from the addresses
  in ``QA_BOT_TRUSTED_PROXIES`` (none by default), so a header cannot choose whose
  back-off a login attempt counts against.
- **No open listening by accident.** Listening beyond loopback without ``QA_BOT_AUTH`` is
  refused unless ``QA_BOT_ALLOW_OPEN_NETWORK=1`` says it is meant (and then warned about).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from qa_bot.config import Settings, SettingsError

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATHS = ("/upload", "/process_recording")
FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 60.0
MAX_CLIENTS = 4096  # failure records kept; the oldest go first, so memory stays bounded
BODY_SECONDS = 30.0  # a request body still arriving after this is dropped (slow clients)


def is_loopback(host: str) -> bool:
    """Does ``host`` only ever reach this machine? Names are resolved; an unresolvable
    name counts as open."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def check_exposure(settings: Settings) -> None:
    """Refuse to listen beyond loopback without a password unless explicitly allowed."""
    if settings.auth or is_loopback(settings.host):
        return
    problem = (
        f"listening on {settings.host} lets anyone who can reach this machine use the app "
        "without a password"
    )
    if not settings.allow_open_network:
        raise SettingsError(
            f"{problem}; set QA_BOT_AUTH=user:password, or QA_BOT_ALLOW_OPEN_NETWORK=1 "
            "if that is what you want"
        )
    log.warning("WARNING: %s (QA_BOT_ALLOW_OPEN_NETWORK is set)", problem)


@dataclass
class _Failures:
    count: int
    until: float
    checking: bool = False  # a login of this client is being checked now


class Guard:
    """ASGI middleware: refuses uploads, slows repeated failed logins per client."""

    def __init__(
        self,
        app: ASGIApp,
        clock: Callable[[], float] = time.monotonic,
        max_body: int = 1 << 20,
        body_seconds: float = BODY_SECONDS,
    ) -> None:
        self.app = app
        self.clock = clock
        self.max_body = max_body
        self.body_seconds = body_seconds
        self._failures: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _unknown_event(scope):
            return await _reply(send, 404, "no such event: it never existed, or its result "
                                           "was already read")  # fmt: skip
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "").rstrip("/")
        if path.endswith(UPLOAD_PATHS):
            return await _reply(send, 403, "uploads are disabled: this app has no upload feature")
        try:
            body = await asyncio.wait_for(self._bounded_body(scope, receive), self.body_seconds)
        except TimeoutError:
            log.warning("a request body took over %g s to arrive; refused", self.body_seconds)
            return await _reply(send, 408, f"the request body took over {self.body_seconds:g} s")
        if body is None:
            return await _reply(send, 413, f"request body over {self.max_body} bytes")
        try:
            body = _without_lone_surrogates(body)
        except RecursionError:
            return await _reply(send, 400, "request body is JSON nested too deeply")
        receive = _replay(body, receive)
        if scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        if not path.endswith("/login"):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown",))[0]
        wait = self.claim(client)
        if wait > 0:
            log.warning("login attempt from %s refused: %.0f s of back-off left", client, wait)
            return await _reply(send, 429, "too many failed logins; try again later", wait)
        status: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:  # the claim ends with the outcome, whatever happened
            self.record(client, ok=bool(status) and status[0] < 400)

    async def _bounded_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The request body, or None once it passes ``max_body`` (read no further)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > self.max_body:
                        return None
                except ValueError:
                    return None
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts)

    def wait_for(self, client: str) -> float:
        """Seconds this client must still wait before its next login attempt."""
        with self._lock:
            record = self._failures.get(client)
            return max(0.0, record.until - self.clock()) if record else 0.0

    def claim(self, client: str) -> float:
        """0 when this client may try a password now, which makes every other attempt of
        its wait until this one's outcome is recorded (one guess at a time, however many
        arrive at once); else the seconds it must still wait."""
        with self._lock:
            record = self._failures.get(client)
            if record is not None and record.checking:
                return FIRST_WAIT_S
            wait = max(0.0, record.until - self.clock()) if record else 0.0
            if wait == 0:
                self._failures.pop(client, None)
                self._failures[client] = record or _Failures(0, 0.0)
                self._failures[client].checking = True
                self._trim()
            return wait

    def record(self, client: str, ok: bool) -> None:
        """Note a login's outcome: success forgets the client, failure doubles its wait."""
        with self._lock:
            if ok:
                self._failures.pop(client, None)
                return
            record = self._failures.pop(client, None) or _Failures(0, 0.0)
            record.count += 1
            record.checking = False
            wait = min(LONGEST_WAIT_S, FIRST_WAIT_S * 2 ** (record.count - 1))
            record.until = self.clock() + wait
            self._failures[client] = record
            self._trim()
        log.warning(
            "failed login from %s (%d in a row); next attempt allowed in %.0f s",
            client, record.count, wait,
        )  # fmt: skip

    def _trim(self) -> None:
        while len(self._failures) > MAX_CLIENTS:
            self._failures.popitem(last=False)


_EVENT_PATH = re.compile(r"/call/[^/]+/([^/]+)/?$")


def _unknown_event(scope: Scope) -> bool:
    """Is this a GET for the result of an event the app's queue does not hold? Gradio
    answers one by dropping the connection and logging two tracebacks. Reads the queue
    Gradio keeps (any other app: never unknown)."""
    found = _EVENT_PATH.search(scope.get("path", "")) if scope.get("method") == "GET" else None
    queue = getattr(getattr(scope.get("app"), "get_blocks", lambda: None)(), "_queue", None)
    if found is None or queue is None:
        return False
    event = found.group(1)
    try:
        pending = queue.pending_event_ids_session.values()
        return event not in queue.event_ids_to_events and not any(event in ids for ids in pending)
    except (AttributeError, TypeError):  # another Gradio's queue: let it answer
        return False


def _without_lone_surrogates(body: bytes) -> bytes:
    """A JSON body whose ``\\ud800``-style escapes (lone surrogates, which no UTF-8 text can
    hold) are replaced by U+FFFD: the framework's own error replies echo the input and
    failed to encode them (a 500 and a traceback). Other bodies pass unchanged."""
    if b"\\ud" not in body.lower():
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body  # not JSON: the app answers it as it would
    return json.dumps(_replace_surrogates(data), ensure_ascii=False).encode("utf-8")


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then the real stream."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def _reply(send: Send, status: int, detail: str, retry_after: float = 0.0) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after:
        headers.append((b"retry-after", str(int(retry_after + 0.999)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
