"""Serving the chat app: safe launch options, the guard, the watcher, a warm first answer,
bounded memory (malloc arenas), and who may set X-Forwarded-For."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from starlette.middleware import Middleware

from qa_bot.bot import QABot
from qa_bot.config import Settings, SettingsError
from qa_bot.serve.guard import Guard, check_exposure
from qa_bot.serve.live import Watcher
from qa_bot.serve.page import CSS, THEME
from qa_bot.serve.slow_clients import time_out_slow_clients
from qa_bot.serve.ui import MAX_UPLOAD, build_app

log = logging.getLogger(__name__)


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Safe launch options: localhost by default, no share link, no file serving, no
    uploads, failed logins slowed (qa_bot/serve/guard.py)."""
    kwargs: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "show_error": False,
        "mcp_server": False,
        "ssr_mode": False,
        "footer_links": [],
        "max_file_size": MAX_UPLOAD,
        "theme": THEME,
        "css": CSS,
        "state_session_capacity": settings.max_sessions,
        "app_kwargs": {"middleware": [Middleware(Guard, max_body=settings.max_request_kb * 1024)]},
        # Gradio's start-up probe of its own address gives up at the first 3 s timeout and
        # then refuses to start ("localhost is not accessible"): on a busy machine a server
        # that would have answered did not start. The warm-up question (warm_server) checks
        # the server through its API instead, with a patient timeout.
        "_frontend": False,
    }
    if settings.auth:
        user, password = settings.auth.split(":", 1)
        kwargs["auth"] = (user, password)
    return kwargs


def trust_proxies(settings: Settings) -> None:
    """Make uvicorn believe X-Forwarded-For from QA_BOT_TRUSTED_PROXIES only. Its own
    default trusts loopback, which let any local client pick its login back-off key."""
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies


def serve(
    settings: Settings | None = None,
    ready: Callable[[str], None] | None = None,
    bot: QABot | None = None,
) -> None:
    """Build the index if the corpus changed, then serve the chat UI until interrupted.

    ``ready`` is called with the URL once the server has answered its warm-up question;
    ``bot`` (default: one over ``settings``) lets a benchmark serve other models.
    """
    settings = bot.settings if bot else settings or Settings.from_env()
    check_exposure(settings)
    check_port(settings.host, settings.port)  # before the index is loaded or built
    limit_malloc_arenas()
    bot = bot or QABot(settings)
    if settings.watch_interval:
        bot.open_as_is()  # listen at once; the watcher brings a stale index up to date
    demo = build_app(bot)
    if bot.last_build:
        log.info("index refreshed at start: %s", bot.last_build.summary())
    trust_proxies(settings)
    time_out_slow_clients()
    try:
        demo.launch(**launch_kwargs(settings), prevent_thread_lock=True)
    except OSError as err:  # taken since the check
        raise SettingsError(_port_taken(settings.host, settings.port, err)) from None
    local = f"http://127.0.0.1:{settings.port}/"
    warm_server(local)
    watcher = (
        Watcher(bot, settings.watch_interval, polling=settings.watch_polling).start()
        if settings.watch_interval
        else None
    )
    (ready or (lambda url: log.info("serving %s", url)))(local)
    try:
        demo.block_thread()
    finally:
        if watcher is not None:
            watcher.stop()


def check_port(host: str, port: int) -> None:
    """Raise SettingsError, in one line, when ``port`` on ``host`` cannot be listened on (in
    use by another server, or not this machine's address)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, port))
        except OSError as err:
            raise SettingsError(_port_taken(host, port, err)) from None


def _port_taken(host: str, port: int, err: OSError) -> str:
    return (
        f"cannot listen on {host}:{port} ({err.strerror or err}): is another server using "
        "it? Stop it, or choose another port with --port or QA_BOT_PORT"
    )


MALLOC_ARENAS = 2


def limit_malloc_arenas() -> None:
    """Cap glibc's per-thread malloc arenas (M_ARENA_MAX) before the server's threads start.

    Each of the server's worker threads otherwise gets an arena of its own, which the
    models' varying buffers fragment: resident memory kept creeping up with every batch of
    concurrent answers. Two arenas hold it flat at no measured cost in answers per second.
    Elsewhere than glibc this does nothing.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "mallopt"):
            libc.mallopt(-8, MALLOC_ARENAS)  # M_ARENA_MAX
    except OSError:
        pass


def warm_server(url: str) -> None:
    """Answer one question through the server's own HTTP API, so the first user does not
    pay for what its first request sets up (worker threads, routes, the models' buffers)."""
    import httpx

    try:
        started = httpx.post(
            f"{url}gradio_api/call/ask", json={"data": ["warm-up question", []]}, timeout=60
        )
        event = started.json()["event_id"]
        with httpx.stream("GET", f"{url}gradio_api/call/ask/{event}", timeout=60) as reply:
            for _ in reply.iter_lines():
                pass
    except (httpx.HTTPError, KeyError, ValueError) as err:
        log.info("server warm-up skipped: %s", err)
