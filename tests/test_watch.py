"""Watching that costs nothing at rest: a served corpus is followed by the OS's change
notifications, so an idle server lists nothing, an edit is answered long before the polling
interval, a build made by another process is still taken, and polling remains the fallback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from qa_bot import bot as bot_module
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.serve.live import Watcher
from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus

GOOD = "# Harbour\n\nThe harbour master counted 31 fishing boats in March.\n"
DEADLINE_S = 60.0  # generous: a busy machine must not fail these


def _bot(tmp_path: Path) -> QABot:
    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": GOOD})
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "index"), FakeEmbedder(),
                FakeCrossEncoder())  # fmt: skip
    bot.refresh()
    return bot


def _until(bot: QABot, text: str) -> float:
    """Seconds until the first quote for the boats question holds ``text``."""
    started = time.monotonic()
    while True:
        answer = bot.ask("How many fishing boats were counted?", min_confidence=0)
        if answer.quotes and text in answer.quotes[0].text:
            return time.monotonic() - started
        assert time.monotonic() - started < DEADLINE_S, answer.quotes
        time.sleep(0.05)


@pytest.fixture
def listings(monkeypatch) -> list[float]:
    """When each full listing of the corpus was made (the cost polling pays every second)."""
    made: list[float] = []
    real = bot_module.corpus_signature
    monkeypatch.setattr(bot_module, "corpus_signature",
                        lambda settings: made.append(time.monotonic()) or real(settings))  # fmt: skip
    return made


def test_an_idle_watched_corpus_is_never_listed_and_an_edit_is_seen_at_once(tmp_path, listings):
    bot = _bot(tmp_path)
    watcher = Watcher(bot, interval=0.2).start()  # would list 5 times a second if polling
    try:
        time.sleep(0.5)  # the first look
        at_rest = len(listings)
        time.sleep(2.0)
        assert watcher.notified
        assert len(listings) == at_rest  # 2 s at rest: no listing at all
        (bot.settings.corpus / "harbour.md").write_text(GOOD.replace("31", "47"))
        _until(bot, "47 fishing boats")
    finally:
        watcher.stop()


def test_an_edit_is_answered_long_before_the_polling_interval(tmp_path):
    bot = _bot(tmp_path)
    watcher = Watcher(bot, interval=120.0).start()  # polling would wait two minutes
    try:
        time.sleep(0.5)
        (bot.settings.corpus / "new.md").write_text("# Pier\n\nGulls nest on the pier.\n")
        (bot.settings.corpus / "harbour.md").write_text(GOOD.replace("31", "52"))
        assert _until(bot, "52 fishing boats") < 30.0
    finally:
        watcher.stop()


def test_a_build_made_by_another_process_is_taken_without_a_file_event(tmp_path):
    bot = _bot(tmp_path)
    watcher = Watcher(bot, interval=0.2).start()
    try:
        time.sleep(0.5)
        other = bot.settings.with_(corpus=tmp_path / "other")
        write_corpus(other.corpus, {"harbour.md": GOOD.replace("31", "64")})
        build_index(other, FakeEmbedder())  # writes the shared index folder, not the corpus
        started = time.monotonic()
        while bot.index.folder.name != (tmp_path / "index" / "CURRENT").read_text().strip():
            assert time.monotonic() - started < DEADLINE_S
            time.sleep(0.05)
    finally:
        watcher.stop()


def test_polling_is_the_fallback_and_still_follows_edits(tmp_path, listings):
    bot = _bot(tmp_path)
    watcher = Watcher(bot, interval=0.1, polling=True).start()
    try:
        (bot.settings.corpus / "harbour.md").write_text(GOOD.replace("31", "75"))
        _until(bot, "75 fishing boats")
        before = len(listings)
        time.sleep(1.0)
        assert not watcher.notified and len(listings) - before >= 3  # a listing per interval
    finally:
        watcher.stop()


def test_while_an_edit_is_indexed_its_document_answers_as_of_the_last_build(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": GOOD + "\nThe pier has 12 lamps.\n"})
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "index"), FakeEmbedder(),
                FakeCrossEncoder())  # fmt: skip
    bot.refresh()
    (corpus / "harbour.md").write_text(GOOD + "\nThe pier has 14 lamps.\n")  # not yet indexed
    kept = bot.ask("How many fishing boats were counted?", min_confidence=0)
    assert kept.found and "31 fishing boats" in kept.quotes[0].text
    assert any(n.startswith("As of ") and "harbour.md has changed since" in n for n in kept.notes)
    assert bot.index.built_at.replace("T", " ")[:19] in kept.notes[-1]
    gone = bot.ask("How many lamps does the pier have?", min_confidence=0)
    assert not any("12 lamps" in q.text for q in gone.quotes)  # removed text: never shown
    bot.refresh()
    fresh = bot.ask("How many fishing boats were counted?", min_confidence=0)
    assert not any(n.startswith("As of ") for n in fresh.notes)  # current again: no note
