"""Safe exposure: no uploads, slowed failed logins, no open listening without a password."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa_bot.config import Settings, SettingsError
from qa_bot.serve import guard
from qa_bot.serve.guard import Guard, check_exposure, is_loopback


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _login(request: Request) -> JSONResponse:
    form = await request.form()
    if form.get("password") == "right":
        return JSONResponse({"success": True})
    return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)


async def _upload(request: Request) -> JSONResponse:
    return JSONResponse(["stored"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock):
    routes = [Route("/login", _login, methods=["POST"]),
              Route("/gradio_api/upload", _upload, methods=["POST"])]  # fmt: skip
    return Starlette(routes=routes, middleware=[Middleware(Guard, clock=clock)])


def _try(app, password: str, client: str = "10.0.0.1"):
    with TestClient(app, client=(client, 5000)) as http:
        return http.post("/login", data={"username": "u", "password": password})


def test_each_failed_login_doubles_the_clients_wait(app, clock, caplog):
    caplog.set_level(logging.WARNING, logger="qa_bot.serve.guard")
    assert _try(app, "wrong").status_code == 400
    refused = _try(app, "right")  # inside the wait: refused without checking the password
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    clock.now += 1
    assert _try(app, "wrong").status_code == 400
    assert _try(app, "wrong").headers["retry-after"] == "2"
    clock.now += 2
    assert _try(app, "wrong").status_code == 400
    assert _try(app, "wrong").headers["retry-after"] == "4"
    assert "failed login from 10.0.0.1 (3 in a row)" in caplog.text


def test_a_burst_of_simultaneous_wrong_passwords_gets_one_checked(clock):
    import asyncio

    import httpx

    checked = []

    async def slow_login(request: Request) -> JSONResponse:
        checked.append(1)
        await asyncio.sleep(0.05)  # the password check takes a while: the burst arrives in it
        return JSONResponse({"detail": "Incorrect credentials."}, status_code=400)

    app = Starlette(routes=[Route("/login", slow_login, methods=["POST"])],
                    middleware=[Middleware(Guard, clock=clock)])  # fmt: skip

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("10.0.0.9", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            replies = await asyncio.gather(
                *(http.post("/login", data={"password": f"guess{i}"}) for i in range(40))
            )
        return [r.status_code for r in replies]

    codes = asyncio.run(burst())
    assert len(checked) == 1 and sorted(codes) == [400] + [429] * 39
    clock.now += 1
    assert _try(app, "wrong", "10.0.0.9").status_code == 400  # the next window allows one more


def test_back_off_is_per_client_and_a_success_clears_it(app, clock):
    assert _try(app, "wrong").status_code == 400
    assert _try(app, "right", client="10.0.0.2").status_code == 200  # another client
    clock.now += 1
    assert _try(app, "right").status_code == 200
    assert _try(app, "wrong").status_code == 400  # a fresh start: waits 1 s again
    assert _try(app, "wrong").headers["retry-after"] == "1"


def test_the_wait_is_capped_and_the_record_is_bounded(clock, monkeypatch):
    monkeypatch.setattr(guard, "MAX_CLIENTS", 3)
    g = Guard(app=None, clock=clock)  # type: ignore[arg-type]
    for _ in range(20):
        g.record("a", ok=False)
    assert g.wait_for("a") == guard.LONGEST_WAIT_S
    for client in "bcde":
        g.record(client, ok=False)
    assert g.wait_for("a") == 0.0 and g.wait_for("e") == guard.FIRST_WAIT_S


def test_uploads_are_refused_before_they_are_read(app):
    with TestClient(app) as http:
        reply = http.post("/gradio_api/upload", files={"files": ("big.bin", b"x" * 2_000_000)})
    assert reply.status_code == 403 and "uploads are disabled" in reply.json()["detail"]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "no-such-host.invalid"])
def test_addresses_beyond_this_machine(host):
    assert not is_loopback(host)


def test_open_listening_without_a_password_is_refused_unless_allowed(caplog):
    with pytest.raises(SettingsError, match="QA_BOT_AUTH=user:password"):
        check_exposure(Settings(host="0.0.0.0"))
    check_exposure(Settings(host="0.0.0.0", auth="u:p"))
    check_exposure(Settings(host="127.0.0.1"))
    caplog.set_level(logging.WARNING, logger="qa_bot.serve.guard")
    check_exposure(Settings.from_env({"QA_BOT_HOST": "0.0.0.0", "QA_BOT_ALLOW_OPEN_NETWORK": "1"}))
    assert "WARNING: listening on 0.0.0.0" in caplog.text


def test_allow_open_network_must_be_a_yes_or_no():
    assert Settings.from_env({"QA_BOT_ALLOW_OPEN_NETWORK": "true"}).allow_open_network
    assert not Settings.from_env({"QA_BOT_ALLOW_OPEN_NETWORK": "0"}).allow_open_network
    with pytest.raises(SettingsError, match="must be 1 or 0"):
        Settings.from_env({"QA_BOT_ALLOW_OPEN_NETWORK": "maybe"})


def test_cli_serve_on_an_open_address_exits_2_before_loading_anything(capsys):
    from qa_bot.cli import main

    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "without a password" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_naming_it_not_a_traceback(tmp_path):
    import os
    import socket
    import subprocess
    import sys

    from qa_bot.serve.server import check_port
    from tests.conftest import ROOT

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SettingsError, match=f"cannot listen on 127.0.0.1:{port}"):
            check_port("127.0.0.1", port)
        env = {**os.environ, "QA_BOT_CORPUS": str(tmp_path / "corpus"),
               "QA_BOT_INDEX": str(tmp_path / "index"), "HF_HUB_OFFLINE": "1"}  # fmt: skip
        done = subprocess.run([sys.executable, "-m", "qa_bot", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0], done.stderr
    assert "--port or QA_BOT_PORT" in lines[0]
    check_port("127.0.0.1", port)  # free again: no error


def test_a_request_body_that_never_finishes_arriving_gets_408():
    import asyncio

    reached = []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def trickle():
        await asyncio.sleep(30)  # a slow client: the rest of the body never comes in time
        return {"type": "http.request", "body": b"x", "more_body": False}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/gradio_api/call/ask", "headers": []}
    asyncio.run(Guard(app, body_seconds=0.2)(scope, trickle, send))
    assert sent[0]["status"] == 408 and not reached
