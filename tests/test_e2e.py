"""The real server (gradio_client, 50 concurrent users) and a real browser (Chromium)."""

from __future__ import annotations

import os
import shutil
import socket
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
        if os.environ.get("QA_BOT_SCREENSHOT_DIR"):
            page.screenshot(path=os.path.join(os.environ["QA_BOT_SCREENSHOT_DIR"], "chat.png"))
        browser.close()
