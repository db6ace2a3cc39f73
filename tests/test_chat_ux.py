"""The chat as a person uses it, in Chromium at 1280 px and 420 px, light and dark: the
keyboard path through a source (focus into the panel, Escape and Close back to the chip),
search that folds accents and hyphens with its box in view, no overlay on a quote, the
panel saying a possibly relevant passage is not an answer, the theme kept in links, the
help message, the confidence label, and the sources list with a question held to one
document."""

from __future__ import annotations

import shutil

import pytest

from qa_bot.config import Settings
from tests.conftest import ROOT
from tests.test_e2e import (  # noqa: F401
    BROWSER_ARGS,
    CHROMIUM,
    _ask,
    browser_page,
    free_port,
    server,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
]
VIEWS = [(1280, "light"), (1280, "dark"), (420, "light"), (420, "dark")]
HEIGHT = 800
DOCUMENT = "?doc=gpa-trafficking-hearing-2025-06-30.md&start=4587&end=4693"
ACTIVE = """() => { const a = document.activeElement;
  return a ? (a.id || (a.classList.contains('cite') ? 'chip:' + a.getAttribute('href') : a.tagName)) : ''; }"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


def _open(browser, url: str, width: int, theme: str, path: str = ""):
    page = browser_page(browser, viewport={"width": width, "height": HEIGHT})
    joiner = "&" if "?" in path else "?"
    page.goto(f"{url}{path}{joiner}__theme={theme}")
    page.wait_for_selector("#evidence" if path else "#question textarea")
    assert page.evaluate("document.body.classList.contains('dark')") == (theme == "dark")
    return page


def _chip(href: str) -> str:
    return "chip:" + href.split("&__theme")[0]


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_the_keyboard_goes_into_the_panel_and_back_to_its_chip(server, browser, width, theme):  # noqa: F811
    page = _open(browser, server, width, theme)
    _ask(page, "What root causes of trafficking were identified?")
    chip = page.locator("#chat a.cite").first
    chip.focus()
    opener = _chip(chip.get_attribute("href"))
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.id === 'panel-heading'", timeout=30_000)
    assert "Source 1 of" in page.inner_text("#panel-heading")
    order = []
    for _ in range(3):  # Previous is off at the first source
        page.keyboard.press("Tab")
        order.append(page.evaluate(ACTIVE))
    assert order == ["panel-next", "panel-link", "panel-close"]
    page.keyboard.press("Escape")
    page.wait_for_selector("#panel", state="detached", timeout=10_000)
    page.wait_for_function("a => document.activeElement?.classList.contains('cite')", arg=None)
    assert _chip(page.evaluate("document.activeElement.getAttribute('href')")) == opener
    # Close, by the keyboard, gives focus back the same way.
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement?.id === 'panel-heading'", timeout=30_000)
    page.focus("#panel-close")
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel", state="detached", timeout=10_000)
    page.wait_for_function("document.activeElement?.classList.contains('cite')")
    page.close()


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_search_folds_accents_and_hyphens_and_its_box_stays_in_view(server, browser, width, theme):  # noqa: F811
    page = _open(browser, server, width, theme, DOCUMENT)
    page.wait_for_selector("#evidence mark#quote", timeout=60_000)
    box = page.locator("#doc-search textarea").first
    for term, shown in (("siobhan", "Siobhán"), ("vice president", "Vice-President")):
        box.fill("")
        for letter in term:  # typing: the page follows each letter
            box.press(letter if letter != " " else "Space")
            top = box.bounding_box()["y"]
            assert 0 <= top <= HEIGHT - 20, (term, letter, top)
        page.wait_for_function(  # the last letter's search has marked its hits
            "s => document.querySelector('#evidence mark.hit.current')?.innerText === s", arg=shown
        )
        assert " of " in page.inner_text("#search-count")
        assert page.locator("#evidence mark#quote").count() == 1  # the cited span stays
        count = page.locator("#search-count").bounding_box()
        assert 0 <= count["y"] <= HEIGHT - 10  # and the count beside the box
    page.close()


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_nothing_covers_a_quote_and_the_first_bubble_and_status_show(server, browser, width, theme):  # noqa: F811
    page = _open(browser, server, width, theme)
    _ask(page, "What root causes of trafficking were identified?")
    assert not page.locator('#chat button[aria-label="Scroll down"]').is_visible()
    page.locator("#chat .bubble-wrap").evaluate("b => b.scrollTop = 120")  # a scrolled chat
    page.wait_for_timeout(300)
    covered = page.evaluate("""() => {
      const out = [], chat = document.querySelector('#chat').getBoundingClientRect();
      for (const q of document.querySelectorAll('#chat blockquote')) {
        const r = q.getBoundingClientRect();
        for (const y of [r.top + 4, (r.top + r.bottom) / 2, r.bottom - 4]) {
          for (const x of [r.left + 8, (r.left + r.right) / 2, r.right - 8]) {
            if (y < chat.top + 4 || y > chat.bottom - 4 || y > innerHeight) continue;
            const e = document.elementFromPoint(x, y);
            if (e && !q.contains(e)) out.push(e.tagName + '.' + e.className);
          }
        }
      }
      return out;
    }""")
    assert covered == []
    page.locator("#chat .bubble-wrap").evaluate("b => b.scrollTop = 0")
    page.wait_for_timeout(200)
    bubble = page.locator("#chat .user-row .message").first.bounding_box()
    trash = page.locator('#chat button[aria-label="Clear"]').bounding_box()
    assert bubble["y"] >= trash["y"] + trash["height"] - 1  # below the trash icon
    page.locator("#chat a.cite").first.click()
    page.wait_for_selector("#panel-body mark#panel-quote", timeout=30_000)
    status = page.locator("#status").bounding_box()
    assert status["y"] + status["height"] <= HEIGHT + 1  # the status line stays in view
    if width > 800:
        panel = page.locator("#panel").bounding_box()
        assert panel["y"] + panel["height"] <= HEIGHT + 1  # the panel fits the window
    page.close()


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_a_possibly_relevant_source_says_it_is_not_an_answer(server, browser, width, theme):  # noqa: F811
    page = _open(browser, server, width, theme)
    page.fill("#question textarea", "What is Ghada Waly's nationality?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat a.cite.related", timeout=60_000)
    page.locator("#chat a.cite.related").first.click()
    page.wait_for_selector("#panel-heading", timeout=30_000)
    head = page.inner_text("#panel-head")
    assert "Possibly relevant passage 1 of" in head and "Source 1" not in head
    assert "Not an answer: no nationality is given" in head
    page.close()


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_links_opened_in_a_new_tab_keep_the_theme(server, browser, width, theme):  # noqa: F811
    page = _open(browser, server, width, theme)
    _ask(page, "Who moderated the panel?")
    chip = page.locator("#chat a.cite").first
    with page.context.expect_page() as opened:
        chip.click(modifiers=["Control"])
    tab = opened.value
    tab.wait_for_selector("#evidence mark#quote", timeout=60_000)
    assert f"__theme={theme}" in tab.url
    assert tab.evaluate("document.body.classList.contains('dark')") == (theme == "dark")
    # and the chat's context: the question the quote answered
    assert "Cited for: “Who moderated the panel?”" in tab.inner_text("#evidence")
    tab.close()
    chip.click()
    page.wait_for_selector("#panel-link")
    page.focus("#panel-link")
    assert f"__theme={theme}" in page.get_attribute("#panel-link", "href")
    page.close()


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_a_greeting_gets_help_and_answers_say_how_sure_they_are(server, browser, width, theme):  # noqa: F811
    page = _open(browser, server, width, theme)
    title = page.title()
    assert "Trafficking in Persons" in title  # the collection's title, not the product's
    page.fill("#question textarea", "hello")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#chat .bot-row, #chat [data-testid=bot]')?.innerText"
        ".includes('I answer questions about')"
    )
    helped = page.locator("#chat [data-testid=bot]").last.inner_text()
    assert title in helped and "Try, for example" in helped
    assert "don't answer" not in helped
    _ask(page, "Who moderated the panel?")
    label = page.locator("#chat .certainty").last
    assert label.inner_text().strip().endswith("answer") or "check the source" in label.inner_text()
    named = page.locator("#chat [data-testid=bot]").last.get_attribute("aria-label")
    assert named.startswith("Answer: ") and "<" not in named and "&#" not in named
    assert "Schantz" in named  # the quote, as plain text, for a screen reader
    page.close()


@pytest.fixture(scope="module")
def collection(real_bot, tmp_path_factory):
    """A server over four documents (the multi-document test corpus)."""
    from qa_bot.bot import QABot
    from qa_bot.serve.server import launch_kwargs
    from qa_bot.serve.ui import build_app

    settings = Settings(corpus=ROOT / "tests" / "data" / "multidoc" / "corpus",
                        index=tmp_path_factory.mktemp("multidoc-index"), port=free_port())  # fmt: skip
    bot = QABot(settings)
    demo = build_app(bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{settings.port}/"
    demo.close()


@pytest.mark.parametrize(("width", "theme"), VIEWS)
def test_the_sources_list_and_a_question_held_to_one_document(collection, browser, width, theme):
    page = _open(browser, collection, width, theme)
    if width <= 800:  # a phone opens on the chat; the sources are a tap away
        page.wait_for_function("!document.getElementById('sources').classList.contains('open')")
        page.click('#sources button[aria-label="Toggle Sidebar"]')
    page.wait_for_selector("#source-list li")
    listed = page.inner_text("#source-list")
    for fact in ("Apache License", "debian-constitution.txt", "Markdown", "Text", "passages"):
        assert fact in listed, fact
    ticks = page.locator("#doc-filter input[type=checkbox]")
    assert ticks.count() >= 5  # "select all" and the four documents, all ticked
    assert all(ticks.nth(i).is_checked() for i in range(ticks.count()))
    for name in ("Summary of the informal", "debian constitution", "Debian Social Contract"):
        page.locator("#doc-filter label", has_text=name).first.locator("input").uncheck()
    if width <= 800:
        page.click('#sources button[aria-label="Toggle Sidebar"]')
    page.fill("#question textarea", "Who moderated the panel?")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#chat [data-testid=bot]')?.innerText.includes('Searched 1 of 4')",
        timeout=60_000,
    )
    shown = page.locator("#chat [data-testid=bot]").last.inner_text()
    assert "Schantz" not in shown and "apache-license-2.0.txt" in shown  # the one searched
    page.close()
