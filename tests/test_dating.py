"""A section's date line dates the items under it (release notes, changelogs)."""

from __future__ import annotations

import pytest

from qa_bot.answer.dating import date_of_line
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.ingest.entities import annotate
from qa_bot.types import Sentence
from tests.conftest import FakeCrossEncoder, write_corpus

NOTES = """Widget history
==============

What's New in Widget 2.0?
=========================

*Release date: 3-Mar-2021*

- Dark theme added to the editor.

- The exporter now writes spreadsheets as CSV.

What's New in Widget 1.0?
=========================

*Release date: 15-Aug-2020*

- First public release.

- Plugins load from the user folder.

- The installer asks for a folder.

- The updater checks once a day.

- The logger rotates its files.

Known problems
==============

- The printer dialog freezes on large pages.
"""


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("*Release date: 15-Aug-2000*", "15-Aug-2000"),
        ("Updated 3 May 2001", "3 May 2001"),
        ("15 May 2001", "15 May 2001"),
        ("Released on 22-Jul-2001.", "22-Jul-2001"),
        ("In 2001 the fork began again.", None),  # a sentence with a date, not a date line
        ("The hearing was held on 30 June 2025.", None),
    ],
)
def test_a_date_line_is_a_date_with_at_most_a_short_label(text, date):
    (entities,) = annotate([text])
    found = date_of_line(Sentence(0, 0, "notes.txt", 0, len(text), text, "", None, entities))
    assert (text[found[0] : found[1]] if found else None) == date


@pytest.fixture
def notes_bot(tmp_path, fake) -> QABot:
    corpus = write_corpus(tmp_path / "corpus", {"notes.txt": NOTES})
    return QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())


def test_an_item_is_answered_with_its_sections_date_line_quoted_above_it(notes_bot):
    asked = notes_bot.ask("When was the dark theme added to the editor?", min_confidence=0.01)
    assert asked.found, asked.lacks
    quote = asked.quotes[0]
    assert quote.text == "*Release date: 3-Mar-2021* - Dark theme added to the editor."
    assert quote.text[quote.answer_start : quote.answer_end] == "3-Mar-2021"
    assert notes_bot.is_verbatim(quote) and quote.section == "What's New in Widget 2.0?"
    # The evidence view shows both passages, so the quote is found inside its context.
    assert quote.text in " ".join(quote.context.split())
    # An item further down is quoted from the date line down to it.
    later = notes_bot.ask("When did the exporter start writing CSV?", min_confidence=0.01)
    assert later.found and later.quotes[0].text.startswith("*Release date: 3-Mar-2021*")
    assert later.quotes[0].text.endswith("writes spreadsheets as CSV.")
    assert notes_bot.is_verbatim(later.quotes[0])


def test_an_item_without_a_date_line_near_it_still_gives_no_date(notes_bot):
    # Too far below its date line: the quote would carry every item before it.
    far = notes_bot.ask("When did the logger start rotating its files?", min_confidence=0.01)
    assert not far.found and far.lacks == "no date is given"
    # Another section's date line dates nothing here.
    other = notes_bot.ask("When did the printer dialog start freezing?", min_confidence=0.01)
    assert not other.found and other.lacks == "no date is given"
