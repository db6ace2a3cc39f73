"""The evidence panel beside the chat: what a chip click sends, what the panel shows."""

from __future__ import annotations

import gradio as gr
import pytest

from qa_bot.bot import QABot
from qa_bot.format import citation_url
from qa_bot.serve.panel import (
    MAX_CITATIONS,
    PANEL_QUOTE_ID,
    Citation,
    from_state,
    moved,
    read_kind,
    read_message,
    show_citation,
    to_state,
    why_of,
)


def _links(bot: QABot, *questions: str) -> list[str]:
    quotes = [bot.ask(q, min_confidence=0).quotes[0] for q in questions]
    return [citation_url(q.document, q.start, q.end) for q in quotes]


def test_a_chip_click_opens_its_quote_highlighted_under_a_header(bot):
    links = _links(bot, "How much did fish numbers fall?", "What rose?")
    cites, at = read_message({"links": links, "at": 1})
    assert len(cites) == 2 and at == 1
    panel, head, link, body, earlier, later, state = show_citation(bot, cites, at)
    assert panel.visible and "Source 2 of 2" in head and "Open in a new tab" in link
    assert 'id="panel-heading" tabindex="-1"' in head and "Not an answer" not in head
    assert f'<mark id="{PANEL_QUOTE_ID}">' in body and 'id="quote"' not in body
    assert earlier.interactive and not later.interactive  # the last citation: no next
    assert from_state(state) == (cites, 1)
    # Previous/next stay within the answer's citations.
    assert moved(1, 1, 2) == 1 and moved(1, -1, 2) == 0 and moved(0, -1, 2) == 0


def test_the_header_names_the_speaker_of_the_quote(bot):
    question = "What did the Mayor John Roe promise?"
    assert bot.ask(question, min_confidence=0).quotes[0].speaker
    head = show_citation(bot, *read_message({"links": _links(bot, question), "at": 0}))[1]
    assert "John Roe" in head and "Mayor of Springfield" in head and "Beta Notes" in head


@pytest.mark.parametrize(
    "message",
    [
        None,
        "not a dict",
        {"links": "?doc=a.md&start=0&end=5", "at": 0},
        {"links": ["?doc=a.md&start=0&end=5"], "at": 3},
        {"links": ["?doc=a.md&start=0&end=5"], "at": "0"},
        {"links": ["?doc=a.md&start=x&end=5"], "at": 0},
        {"links": ["?start=0&end=5"], "at": 0},
        {"links": [7], "at": 0},
        {"links": ["?doc=a.md&start=0&end=5"] * (MAX_CITATIONS + 1), "at": 0},
        {"links": ["?doc=" + "a" * 3000 + "&start=0&end=5"], "at": 0},
    ],
)
def test_a_malformed_message_leaves_the_panel_as_it_is(bot, message):
    assert read_message(message) == ((), 0)
    assert show_citation(bot, (), 0) == (gr.skip(),) * 7  # nothing on the page changes
    assert read_kind(message) is None
    assert from_state({}) == ((), 0)


def test_a_citation_of_a_document_no_longer_indexed_says_so(bot):
    cites = (Citation("gone.md", 0, 10),)
    _, head, _, body, *_ = show_citation(bot, cites, 0)
    assert "gone&#46;md" in head and "not in the index" in body
    assert from_state(to_state(cites, 0)) == (cites, 0)


def test_a_possibly_relevant_passage_says_in_the_header_it_is_not_an_answer(bot):
    links = _links(bot, "How much did fish numbers fall?")
    message = {"links": links, "at": 0, "related": True, "why": "it gives no <b>year</b>"}
    why = read_kind(message)
    _, head, _, _, _, _, state = show_citation(bot, *read_message(message), why)
    assert "Possibly relevant passage 1 of 1" in head and "Source 1" not in head
    assert "Not an answer: it gives no &#60;b&#62;year&#60;&#47;b&#62;" in head  # escaped
    assert why_of(state) == why  # Previous/Next keep saying so
    assert read_kind({"links": links, "at": 0, "related": True}) == ""
    unsure = show_citation(bot, *read_message(message), "")[1]
    assert "Not an answer</p>" in unsure
