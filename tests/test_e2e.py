"""The real server (gradio_client, 50 concurrent users) and a real browser (Chromium)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from qa_bot.ui import build_app, launch_kwargs

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(real_bot):
    settings = real_bot.settings.with_(port=free_port())
    demo = build_app(real_bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{settings.port}/"
    demo.close()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)


def test_named_ask_endpoint_returns_answer_json(client):
    data = client.predict("Who leads the US Office of Hagar International?", api_name="/ask")
    assert data["found"] is True
    assert data["quotes"][0]["speaker"].startswith("Ms. Catherine Kirkendall")
    assert data["quotes"][0]["document"] == "gpa-trafficking-hearing-2025-06-30.md"


def test_endpoint_refuses_what_the_documents_do_not_say(client):
    data = client.predict("What is the capital of France?", [], api_name="/ask")
    assert data["found"] is False and data["quotes"] == []
    assert "don't answer" in data["message"]


def test_endpoint_follow_up_with_history(client):
    data = client.predict(
        "What did he say about technology?", ["What did Mr. Liljert reflect on?"], api_name="/ask"
    )
    assert "better use of technology" in data["quotes"][0]["text"]


def test_fifty_concurrent_users_are_all_answered(server):
    from gradio_client import Client

    questions = [
        ("What share of detected trafficking victims are children?", "one-third"),
        ("Who is the Permanent Representative of Cyprus?", "Maria Michail"),
    ] * 25

    def one(item):
        question, expected = item
        data = Client(server, verbose=False).predict(question, api_name="/ask")
        first = data["quotes"][0]
        return expected in first["text"] or expected in (first["speaker"] or "")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, questions))
    elapsed = time.perf_counter() - started
    print(f"\n50 concurrent /ask requests answered in {elapsed:.1f}s")
    assert results == [True] * 50


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed")
def test_browser_chat_shows_quote_citation_and_keeps_injection_inert(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server)
        # An example chip asks at once; the chat's trash icon clears it and its history.
        page.locator("#chat").get_by_text("Who leads the US Office of Hagar International?").click()
        page.wait_for_selector("#chat blockquote", timeout=60_000)
        assert "Catherine Kirkendall" in page.inner_text("#chat")
        page.locator("#chat button[aria-label='Clear']").click()
        page.wait_for_function("!document.querySelector('#chat blockquote')", timeout=30_000)
        page.fill("#question textarea", "Which panellist is a survivor of trafficking?")
        page.keyboard.press("Enter")
        page.wait_for_selector("#chat blockquote", timeout=60_000)
        chat = page.inner_text("#chat")
        assert "Evelyn Chumbow" in chat
        assert "Panel Discussion" in chat and "[1]" in chat
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

        page.fill("#question textarea", '<img src=x onerror="alert(7)"> hello')
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.querySelector('#chat').innerText.includes('onerror')", timeout=60_000
        )
        page.wait_for_timeout(500)
        assert '<img src=x onerror="alert(7)">' in page.inner_text("#chat")
        assert page.locator("#chat img[src='x']").count() == 0
        assert dialogs == []
        page.screenshot(path=str(tmp_path / "injection.png"), full_page=True)

        # The Document view and the status line are filled when the page opens.
        page.get_by_role("tab", name="Document").click()
        page.wait_for_function(
            "document.querySelector('#document').innerText.includes('Closing remarks')",
            timeout=30_000,
        )
        assert "index current" in page.inner_text("#status")
        if os.environ.get("QA_BOT_SCREENSHOT_DIR"):
            page.screenshot(path=os.path.join(os.environ["QA_BOT_SCREENSHOT_DIR"], "chat.png"))
        browser.close()


def _ask_raw(server: str, body: bytes) -> str:
    """POST a hand-made JSON body to /ask and return the event stream's text."""
    import httpx

    started = httpx.post(f"{server}gradio_api/call/ask", content=body,
                         headers={"content-type": "application/json"}, timeout=60)  # fmt: skip
    started.raise_for_status()
    event = started.json()["event_id"]
    return httpx.get(f"{server}gradio_api/call/ask/{event}", timeout=60).text


def test_http_questions_with_lone_surrogates_or_escapes_get_an_answer(server):
    # JSON's \ud800 escape is how a lone surrogate arrives over HTTP.
    body = rb'{"data": ["Who moderated the panel?\ud800\u001b[2J", "Who is \udcff?"]}'
    stream = _ask_raw(server, body)
    assert stream.startswith("event: complete"), stream
    assert "Delphine Schantz" in stream and "\\u001b" not in stream and "\\ud800" not in stream


def test_uploads_are_refused(server):
    import httpx

    reply = httpx.post(f"{server}gradio_api/upload",
                       files={"files": ("big.bin", b"x" * 5_000_000)}, timeout=60)  # fmt: skip
    assert reply.status_code == 403


def test_repeated_bad_logins_are_slowed_on_a_real_server(real_bot, monkeypatch):
    import httpx

    from qa_bot import guard

    monkeypatch.setattr(guard, "FIRST_WAIT_S", 0.5)
    settings = real_bot.settings.with_(port=free_port(), auth="reader:right-password")
    demo = build_app(real_bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{settings.port}/login"
    try:
        with httpx.Client(timeout=30) as http:
            wrong = {"username": "reader", "password": "guess"}
            statuses = [http.post(url, data=wrong).status_code for _ in range(30)]
            assert statuses[0] == 400 and statuses[1:] == [429] * 29  # 30 tries, 1 checked
            time.sleep(0.6)
            assert http.post(url, data=wrong).status_code == 400
            refused = http.post(url, data={"username": "reader", "password": "right-password"})
            assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
            time.sleep(1.1)
            good = {"username": "reader", "password": "right-password"}
            assert http.post(url, data=good).status_code == 200
    finally:
        demo.close()


def test_the_readme_http_example_prints_the_answer(server):
    from tests.test_readme import readme_blocks

    (block,) = [b for b in readme_blocks("python") if "gradio_client" in b]
    block = block.replace("http://127.0.0.1:7860/", server)
    done = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    assert "Catherine Kirkendall" in done.stdout


def test_per_session_records_are_bounded_so_memory_stays_flat(real_bot):
    from qa_bot.bot import QABot

    bot = QABot(real_bot.settings.with_(max_sessions=5), real_bot.embedder, real_bot.reranker)
    settings = bot.settings.with_(port=free_port())
    demo = build_app(bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    try:
        server = f"http://127.0.0.1:{settings.port}/"
        for _ in range(12):  # each REST call is a session of its own
            assert _ask_raw(server, b'{"data": ["Who moderated the panel?", []]}').startswith(
                "event: complete"
            )
        queue = demo._queue
        assert len(demo.server_app.state_holder.session_data) <= 5
        assert len(queue.pending_event_ids_session) <= 5
        assert len(queue.pending_messages_per_session) <= 5
    finally:
        demo.close()
