"""The real server (gradio_client, 50 concurrent users) and a real browser (Chromium)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa_bot.format import citation_url
from qa_bot.serve.server import launch_kwargs
from qa_bot.serve.ui import build_app

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
CHROMIUM = "/usr/bin/chromium"
# Waits without their own deadline allow this long: a busy machine is slow, not broken (the
# a11y test once spent over 30 s typing into the search box while a build ran beside it).
PAGE_TIMEOUT_MS = 120_000


def browser_page(opener, **kwargs):  # type: ignore[no-untyped-def]
    """A new page of a browser or a context, with the generous default timeout."""
    page = opener.new_page(**kwargs)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


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


def test_the_documents_endpoint_holds_the_question_and_names_unknown_documents(client):
    data = client.predict("Who moderated the panel?", ["GPA-trafficking-hearing-2025-06-30"],
                          [], api_name="/ask_in")  # fmt: skip
    assert data["documents"] == ["gpa-trafficking-hearing-2025-06-30.md"] and data["found"]
    with pytest.raises(Exception, match=r"no document 'minutes\.pdf'.*gpa-trafficking-hearing"):
        client.predict("Who moderated the panel?", ["minutes.pdf"], [], api_name="/ask_in")


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

    # One client submitting 50 jobs at once: 50 requests in flight together, without 50
    # handshakes racing a busy machine's clock (the deadline is generous; speed is benched).
    client = Client(server, verbose=False, max_workers=50, httpx_kwargs={"timeout": 600})

    def check(data: dict, expected: str) -> bool:
        first = data["quotes"][0]
        return expected in first["text"] or expected in (first["speaker"] or "")

    started = time.perf_counter()
    jobs = [(client.submit(q, api_name="/ask"), expected) for q, expected in questions]
    results = [check(job.result(timeout=600), expected) for job, expected in jobs]
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
        page = browser_page(browser, viewport={"width": 1200, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server)
        # An example chip asks at once; the chat's trash icon clears it and its history:
        # "What did she call for?" then no longer means Ms. Kirkendall (it would before),
        # and with no one to mean, the bot asks whom "she" means instead of guessing.
        chip = "What did Ms. Kirkendall call on Member States to do?"
        page.locator("#chat").get_by_text(chip).click()
        page.wait_for_selector("#chat blockquote", timeout=60_000)
        assert "Catherine Kirkendall" in page.inner_text("#chat")
        page.locator("#chat button[aria-label='Clear']").click()
        page.wait_for_function("!document.querySelector('#chat blockquote')", timeout=30_000)
        page.fill("#question textarea", "What did she call for?")
        page.keyboard.press("Enter")
        page.locator("#chat").get_by_text("Who do you mean by").first.wait_for(timeout=60_000)
        assert "Kirkendall" not in page.inner_text("#chat")
        page.click("button:has-text('New chat')")
        # Cleared: the last reply had no block quote, so wait for its words to go (typing
        # before the clear lands had the clear empty the box under a busy suite).
        page.wait_for_function(
            "!document.querySelector('#chat').innerText.includes('Who do you mean by')",
            timeout=30_000,
        )
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

        # The evidence view and the status line are filled when the page opens.
        page.get_by_role("tab", name="Evidence").click()
        page.wait_for_function(
            "document.querySelector('#evidence').innerText.includes('Closing remarks')",
            timeout=30_000,
        )
        assert "up to date" in page.inner_text("#status")
        if os.environ.get("QA_BOT_SCREENSHOT_DIR"):
            page.screenshot(path=os.path.join(os.environ["QA_BOT_SCREENSHOT_DIR"], "chat.png"))
        browser.close()


ARTIFACTS = Path(__file__).parent / "artifacts"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def _overlaps(page, selectors: list[str]) -> list[tuple[str, str]]:
    """Pairs of the given elements whose boxes intersect, and any cut by the viewport."""
    boxes = {s: page.locator(s).first.bounding_box() for s in selectors}
    width = page.viewport_size["width"]
    bad = [(s, "viewport") for s, b in boxes.items() if b and b["x"] + b["width"] > width + 1]
    items = [(s, b) for s, b in boxes.items() if b]
    for i, (a, p) in enumerate(items):
        for b, q in items[i + 1 :]:
            if (p["x"] < q["x"] + q["width"] - 1 and q["x"] < p["x"] + p["width"] - 1
                    and p["y"] < q["y"] + q["height"] - 1 and q["y"] < p["y"] + p["height"] - 1):  # fmt: skip
                bad.append((a, b))
    return bad


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed")
def test_a_citation_opens_the_evidence_view_at_the_highlighted_quote(server, client):
    from playwright.sync_api import sync_playwright

    question = "What share of detected trafficking victims are children?"
    answer = client.predict(question, [], api_name="/ask")
    expected = answer["quotes"][0]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for width in (1280, 420):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = browser_page(context)
            page.goto(server)
            page.wait_for_selector("#copy:disabled")  # nothing to copy in an empty chat
            page.fill("#question textarea", question)
            page.keyboard.press("Enter")
            page.wait_for_selector("#chat blockquote", timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / f"answer-{width}.png"))
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            page.click("#copy")
            page.wait_for_function("document.getElementById('copy').textContent === 'Copied'")
            copied = page.evaluate("navigator.clipboard.readText()")
            label = "(Confident answer)" if answer["certainty"] == "confident" else "(Uncertain"
            assert copied.startswith(f"Q: {question}\n\n{label}")  # as sure as the chat says
            assert f"\n[1] “{expected['text']}” — " in copied
            link = f"    source: {server}?doc={expected['document']}&start={expected['start']}"
            assert link in copied
            assert _overlaps(page, ["#question", "#chat", "#status"]) == []
            share = 0.7 if width < 800 else 0.5  # on a phone the box keeps the whole row
            chat = page.locator("#chat").bounding_box()["width"]  # beside the Sources on a desk
            assert page.locator("#question").bounding_box()["width"] > share * chat
            # A click with a modifier (or "open in new tab") still follows the deep link.
            with context.expect_page() as opened:
                page.locator("#chat a.cite").first.click(modifiers=["Control"])
            evidence = opened.value
            evidence.wait_for_selector("#evidence mark#quote", timeout=60_000)
            marked = evidence.inner_text("#evidence mark#quote")
            assert " ".join(marked.split()) == expected["text"]
            assert evidence.locator("#evidence mark#quote").is_visible()  # scrolled to it
            assert not evidence.locator("#chat").is_visible()  # the evidence view, not the chat
            where = evidence.inner_text("#evidence .evidence-where")
            assert expected["section"] in where and f"characters {expected['start']}" in where
            in_view = (
                "() => { const r = document.getElementById('quote').getBoundingClientRect();"
                " return r.top >= 0 && r.top < innerHeight; }"
            )
            evidence.wait_for_function(in_view, timeout=10_000)  # the page scrolled to it
            pinned = evidence.locator("#evidence .evidence-where").bounding_box()
            assert 0 <= pinned["y"] < 900 - pinned["height"]  # section and speaker stay in view
            evidence.screenshot(path=str(ARTIFACTS / f"evidence-{width}.png"))
            # The search bar stays over the scrolled text (sticky), never over the quote or
            # the pinned section header below it.
            for pinned_or_quote in ("#evidence mark#quote", "#evidence .evidence-where"):
                assert _overlaps(evidence, ["#search-bar", pinned_or_quote]) == []
            context.close()
        # A deep link typed or shared opens the same view.
        page = browser_page(browser)
        page.goto(server + citation_url(expected["document"], expected["start"], expected["end"]))
        page.wait_for_selector("#evidence mark#quote", timeout=60_000)
        assert " ".join(page.inner_text("#evidence mark#quote").split()) == expected["text"]
        # A link whose span ends before it starts says so, and highlights nothing.
        reversed_link = citation_url(expected["document"], expected["end"], expected["start"])
        flipped = browser_page(browser)
        flipped.goto(server + reversed_link)
        flipped.wait_for_selector("#evidence .evidence-missing", timeout=60_000)
        assert "ends before it starts" in flipped.inner_text("#evidence .evidence-missing")
        assert flipped.locator("#evidence mark#quote").count() == 0
        flipped.close()
        # Search within the document marks hits as the reader types, keeps the cited
        # highlight and its header, goes to the first hit and steps with a count.
        page.locator("#doc-search textarea, #doc-search input").press_sequentially("traffick")
        page.wait_for_function(  # the whole word's search (not a prefix's, still typing)
            "/^1 of \\d+$/.test(document.getElementById('search-count').textContent) && "
            "[...document.querySelectorAll('#evidence mark.hit')].every("
            "(m) => m.textContent.toLowerCase() === 'traffick')",
            timeout=30_000,
        )
        total = page.locator("#evidence mark.hit").count()
        assert total > 5 and page.inner_text("#search-count") == f"1 of {total}"
        assert page.locator("#evidence mark#quote").count() == 1
        assert expected["section"] in page.inner_text("#evidence .evidence-where")
        in_view = IN_VIEW.replace("const b = document.querySelector(box).getBoundingClientRect();",
                                  "const b = {top: 0, bottom: innerHeight};")  # fmt: skip
        page.wait_for_function(in_view, arg=["body", "#evidence mark.hit.current"])
        page.click("#search-next")
        assert page.inner_text("#search-count") == f"2 of {total}"
        page.click("#search-prev")
        page.click("#search-prev")  # wraps around to the last
        assert page.inner_text("#search-count") == f"{total} of {total}"
        page.wait_for_function(in_view, arg=["body", "#evidence mark.hit.current"])
        page.locator("#doc-search textarea, #doc-search input").fill("zzqqxx")
        page.locator("#doc-search textarea, #doc-search input").press("End")
        page.locator("#doc-search textarea, #doc-search input").press_sequentially("y")
        page.wait_for_function("document.getElementById('search-count').textContent "
                               "=== 'no matches'")  # fmt: skip
        assert page.locator("#evidence mark.hit").count() == 0
        browser.close()


IN_VIEW = """([box, mark]) => {
  const b = document.querySelector(box).getBoundingClientRect();
  const m = document.querySelector(mark).getBoundingClientRect();
  return m.top >= Math.max(b.top, 0) && m.bottom <= Math.min(b.bottom, innerHeight);
}"""


def _ask(page, question: str, chip: str = "#chat a.cite") -> None:
    """Ask, and wait until the question is in the chat and a chip of the kind expected
    shows. A key press the page drops while a load event is still settling is pressed
    again (seen in a full run: the question never reached the chat)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    asked = (
        "q => [...document.querySelectorAll('#chat .user-row')].some(r => r.innerText.includes(q))"
    )
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(asked, arg=question, timeout=15_000)
    except PlaywrightTimeout:
        if page.input_value("#question textarea") != question:
            raise
        page.locator("#question textarea").press("Enter")
        page.wait_for_function(asked, arg=question, timeout=30_000)
    page.wait_for_function("chip => document.querySelectorAll(chip).length", arg=chip,
                           timeout=90_000)  # fmt: skip
    page.wait_for_timeout(400)


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed")
def test_a_citation_chip_opens_the_panel_beside_the_chat_at_the_quote(server, client):
    """Chips are tappable and named; a click opens the cited document beside the chat (a
    sheet over it on a phone), scrolled to the highlighted quote under a header naming its
    section; previous/next step through the answer's citations; Close returns."""
    from playwright.sync_api import sync_playwright

    question = "What root causes of trafficking were identified?"
    quotes = client.predict(question, [], api_name="/ask")["quotes"]
    assert len(quotes) >= 2
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for width in (1280, 420):
            page = browser_page(browser, viewport={"width": width, "height": 900})
            page.goto(server)
            page.wait_for_selector("#question textarea")
            box = page.locator("#question textarea").bounding_box()
            assert box["y"] + box["height"] <= 900  # the empty chat shows the question box
            _ask(page, question)
            # The question and the start of the first quote are in view after the answer.
            for selector in ("#chat .user-row", "#chat blockquote"):
                top = page.locator(selector).last.bounding_box()["y"]
                assert 0 <= top < 900 - 40, (selector, top)
            chips = page.locator("#chat a.cite")
            assert chips.count() == len(quotes)
            for i in range(chips.count()):
                size = chips.nth(i).bounding_box()
                assert size["width"] >= 24 and size["height"] >= 24  # WCAG 2.2 target size
            named = re.compile(rf"^source 1\s*: {re.escape(quotes[0]['title'][:20])}")
            first = page.get_by_role("link", name=named)
            assert first.count() == 1  # named for screen readers by its source
            meta = page.locator("#chat .cite-meta").first.bounding_box()["height"]
            line = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                                 "'#chat .cite-meta')).lineHeight)")  # fmt: skip
            assert meta <= 2 * line + 1  # at most two lines of metadata per quote
            pages = len(page.context.pages)
            chips.first.focus()
            page.keyboard.press("Enter")  # keyboard-reachable
            page.wait_for_selector("#panel-body mark#panel-quote", timeout=30_000)
            assert len(page.context.pages) == pages  # no second copy of the app
            marked = " ".join(page.inner_text("#panel-body mark#panel-quote").split())
            assert marked == quotes[0]["text"]
            page.wait_for_function(IN_VIEW, arg=["#panel-body", "#panel-quote"], timeout=10_000)
            head = page.inner_text("#panel-head")
            assert "Source 1 of" in head and quotes[0]["section"] in head
            panel, chat = (
                page.locator("#panel").bounding_box(),
                page.locator("#chat").bounding_box(),
            )
            if width > 800:  # beside the chat, which stays in view
                assert panel["x"] >= chat["x"] + chat["width"] - 1 and page.is_visible("#chat")
            else:  # a sheet over the chat
                assert panel["width"] >= width - 1 and panel["y"] < chat["y"] + chat["height"]
            assert page.is_disabled("#panel-prev")
            page.click("#panel-next")
            page.wait_for_function(
                "document.querySelector('#panel-head').innerText.includes('Source 2 of')"
            )
            page.wait_for_selector("#panel-body mark#panel-quote")
            marked = " ".join(page.inner_text("#panel-body mark#panel-quote").split())
            assert marked == quotes[1]["text"]
            page.wait_for_function(IN_VIEW, arg=["#panel-body", "#panel-quote"], timeout=10_000)
            page.screenshot(path=str(ARTIFACTS / f"panel-{width}.png"))
            page.click("#panel-close")
            page.wait_for_selector("#panel", state="hidden", timeout=10_000)
            assert page.locator("#chat blockquote").first.is_visible()
            page.close()
        browser.close()


ADVERSARIAL = (
    "# Links & Marks\n\n"
    "The zebra registry lives at zebra.example.org/path_with_underscores and "
    "http://evil.example/x?a=1&b=2 says *not bold*, __not bold__, a \\backslash\\, "
    "<b>not a tag</b>, &amp; an entity, [link](http://evil) and `code` in file_name(1).md.\n"
)


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed")
def test_document_characters_render_exactly_and_never_as_links(tmp_path):
    from playwright.sync_api import sync_playwright

    from qa_bot.bot import QABot
    from qa_bot.config import Settings
    from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus

    corpus = write_corpus(tmp_path / "corpus", {"odd_name(1).md": ADVERSARIAL})
    settings = Settings(corpus=corpus, index=tmp_path / "index", port=free_port())
    bot = QABot(settings, FakeEmbedder(), FakeCrossEncoder())
    demo = build_app(bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    sentence = ADVERSARIAL.split("\n\n")[1].strip()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser_page(browser, viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{settings.port}/")
            page.fill("#question textarea", "Where does the zebra registry live?")
            page.keyboard.press("Enter")
            page.wait_for_selector("#chat blockquote", timeout=60_000)
            assert page.inner_text("#chat blockquote").strip().startswith(sentence)
            page.locator("#chat details summary").first.click()  # file and offsets are here
            assert "odd_name(1).md" in page.inner_text("#chat details")
            links = page.eval_on_selector_all("#chat a", "els => els.map(e => e.href)")
            assert all("?doc=" in href for href in links)  # only our citation links
            assert page.locator("#chat blockquote b, #chat blockquote em").count() == 0
            page.get_by_role("tab", name="Evidence").click()
            page.wait_for_function(
                "document.querySelector('#evidence').innerText.includes('zebra')", timeout=30_000
            )
            assert sentence in page.inner_text("#evidence")
            assert page.locator("#evidence a[href^='http']").count() == 0
            assert "Links & Marks" in page.inner_text("#evidence")
            browser.close()
    finally:
        demo.close()


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

    from qa_bot.serve import guard

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
    assert "'documents': ['gpa-trafficking-hearing-2025-06-30.md']" in done.stdout  # /ask_in


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
