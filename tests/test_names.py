"""Any file name, any churn: a name that is not UTF-8 or that hides text is named safely and
never stops a build; a folder that vanishes while the corpus is listed is simply gone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from qa_bot.bot import QABot
from qa_bot.clean import shown_name
from qa_bot.config import Settings
from qa_bot.format import answer_to_text
from qa_bot.index.build import build_index
from qa_bot.index.manifest import stale_reason
from qa_bot.ingest import listing
from qa_bot.ingest.listing import scan_corpus
from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus

GOOD = "# Harbour\n\nThe harbour master counted 31 fishing boats in March.\n"
LATIN1 = os.fsdecode(b"caf\xe9.md")  # a name in Latin-1 bytes, as the file system gives it


def _settings(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": GOOD})
    return Settings(corpus=corpus, index=tmp_path / "embeddings")


def test_names_show_hidden_and_undecodable_characters_escaped():
    assert shown_name(LATIN1) == "caf\\xe9.md"
    assert shown_name("rtl\u202egnp.md") == "rtl\\u202egnp.md"  # not shown as "rtlpng.md"
    assert shown_name("two\nlines.md") == "two\\u000alines.md"
    assert shown_name("Siobhán/notes – 2025.md") == "Siobhán/notes – 2025.md"


def test_a_name_that_is_not_utf8_is_skipped_by_name_and_the_rest_builds(tmp_path):
    settings = _settings(tmp_path)
    (settings.corpus / LATIN1).write_text("# Cafe\n\nThe cafe opens at nine.\n")
    report = build_index(settings, FakeEmbedder())
    assert report.documents == 1
    assert any(
        p.startswith("caf\\xe9.md: the file's name is not valid UTF-8") for p in report.problems
    )
    assert stale_reason(settings.index, settings, FakeEmbedder().model_id) is None
    again = build_index(settings, FakeEmbedder())
    assert again.noop  # the skipped name does not make every look "changed"
    bot = QABot(settings, FakeEmbedder(), FakeCrossEncoder())
    assert "31 fishing boats" in bot.ask("How many fishing boats were counted?").quotes[0].text


def test_a_name_with_a_bidi_override_is_indexed_and_printed_escaped(tmp_path):
    settings = _settings(tmp_path)
    (tmp_path / "corpus" / "harbour.md").rename(tmp_path / "corpus" / "rtl\u202egnp.md")
    report = build_index(settings, FakeEmbedder())
    assert report.documents == 1
    assert "added: rtl\\u202egnp.md" in report.summary() and "\u202e" not in report.summary()
    bot = QABot(settings, FakeEmbedder(), FakeCrossEncoder())
    answer = bot.ask("How many fishing boats were counted?")
    assert answer.quotes[0].document == "rtl\u202egnp.md"  # kept as the file system has it
    shown = answer_to_text(answer)
    assert "rtl\\u202egnp.md" in shown and "\u202e" not in shown


def test_a_folder_that_vanishes_while_listed_is_passed_over(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    write_corpus(settings.corpus, {"gone/old.md": GOOD, "kept/new.md": GOOD})
    real_scandir = os.scandir

    def vanishing(path):
        if isinstance(path, str | os.PathLike) and Path(path).name == "gone":
            shutil.rmtree(path)  # removed between being listed and being read
        return real_scandir(path)

    monkeypatch.setattr(listing.os, "scandir", vanishing)
    assert scan_corpus(settings.corpus).names == ("harbour.md", "kept/new.md")
    monkeypatch.undo()
    assert build_index(settings, FakeEmbedder()).documents == 2


def test_a_file_removed_while_the_build_reads_it_is_removed_not_a_problem(tmp_path, monkeypatch):
    from qa_bot.index import build as build_module

    settings = _settings(tmp_path)
    build_index(settings, FakeEmbedder())
    write_corpus(settings.corpus, {"brief.md": "# Brief\n\nThe ferry leaves at noon.\n"})
    real = build_module.read_document

    def vanishing(s, rel):
        (settings.corpus / rel).unlink()  # removed between its hash and its reading
        return real(s, rel)

    monkeypatch.setattr(build_module, "read_document", vanishing)
    report = build_index(settings, FakeEmbedder())
    assert report.problems == () and report.documents == 1
    monkeypatch.undo()
    assert stale_reason(settings.index, settings, FakeEmbedder().model_id) is None
