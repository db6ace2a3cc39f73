"""Hostile text: invalid Unicode and terminal escapes never reach the model, the terminal or
the page, and quotes stay verbatim with respect to the indexed text."""

from __future__ import annotations

import json

from qa_bot.bot import QABot
from qa_bot.clean import clean_document, clean_input, json_text
from qa_bot.format import answer_to_markdown, answer_to_text
from qa_bot.ingest.corpus import decode
from tests.conftest import write_corpus

ESCAPES = ("\x1b", "\x07", "\x9b", "\x90", "\ud800")

HOSTILE = (
    "# Harbour Report\n\n"
    "The harbour board\x1b]0;pwned title\x07 met in Porto on 4 June 2024.\x1b[2J It voted to "
    "dredge the eastern channel.\n\n"
    "Ms. Ana Silva, Chair of the Board, said\x9b31m that\x0cthe dredging starts in autumn.\n"
)


def test_document_cleaning_blanks_escapes_and_keeps_every_offset():
    text = clean_document(HOSTILE)
    assert len(text) == len(HOSTILE)
    assert not any(ch in text for ch in ESCAPES)
    assert "pwned" not in text  # the whole sequence goes, not just its ESC
    at = HOSTILE.index("It voted")
    assert text[at : at + 8] == "It voted"
    assert text[HOSTILE.index("\x0c")] == "\n"  # a form feed is a line break


def test_question_cleaning_replaces_surrogates_and_drops_escapes():
    assert clean_input("Who\ud800 chairs\udcff the board?") == "Who\ufffd chairs\ufffd the board?"
    assert clean_input("Who\x1b[2J chairs\x1b]0;x\x07 it?\r") == "Who chairs it? "


def test_json_output_escapes_what_json_leaves_raw():
    line = json_text(json.dumps({"q": "a\x9b2Jb\ud800"}, ensure_ascii=False))
    assert "\x9b" not in line and "\ud800" not in line
    assert json.loads(line)["q"] == "a\x9b2Jb\ufffd"


def test_a_hostile_corpus_is_quoted_verbatim_and_shows_no_escapes(tmp_path, fake, fake_reranker):
    from qa_bot.config import Settings

    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": HOSTILE})
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, fake_reranker)
    result = bot.ask("Where did the harbour board meet?", min_confidence=0.0)
    assert result.quotes, "the cleaned document is still answerable"
    indexed = decode((corpus / "harbour.md").read_bytes(), "harbour.md")
    for quote in result.quotes:
        assert bot.is_verbatim(quote)
        assert " ".join(indexed[quote.start : quote.end].split()) == quote.text
    shown = answer_to_text(result) + answer_to_markdown(result)
    shown += "".join(p.text + (p.speaker or "") for p in bot.index.passages)
    assert not any(ch in shown for ch in ESCAPES)
    assert "Ms. Ana Silva" in {p.speaker.split(",")[0] for p in bot.index.passages if p.speaker}


def test_surrogates_and_escapes_in_a_question_or_history_get_an_answer(tiny_settings, fake):
    from tests.conftest import FakeCrossEncoder

    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    result = bot.ask(
        "What did she call\udcff for?\x1b[2J", history=["Who is Jane Doe\ud800?"], min_confidence=0
    )
    assert "filters" in result.quotes[0].text
    assert not any(ch in result.question for ch in ESCAPES)
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # printable as UTF-8
    assert not bot.ask("\x1b[2J\x07").found  # nothing left: the empty-question message
