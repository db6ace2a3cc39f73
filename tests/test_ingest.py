"""Safe ingestion and a bot that follows its corpus: links out of the folder, size limits,
broken index state, failed builds, nothing stale, live swaps."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index import write as write_module
from qa_bot.index.build import build_index
from qa_bot.index.manifest import MANIFEST, current_folder, stale_reason
from qa_bot.ingest.corpus import parse_document
from qa_bot.serve.evidence import evidence_html
from tests.conftest import TINY, FakeCrossEncoder, write_corpus

SECRET = "root:x:0:0:TOP-SECRET-PASSWORD-LINE"


def _bot(settings: Settings, fake) -> QABot:
    return QABot(settings, fake, FakeCrossEncoder())


def _everything_shown(bot: QABot, question: str) -> str:
    """All document text an answer shows: quotes, related passages, their contexts."""
    answer = bot.ask(question, min_confidence=0)
    return json.dumps([q.to_dict() for q in (*answer.quotes, *answer.related)])


def test_a_link_out_of_the_corpus_is_skipped_reported_and_never_shown(tmp_path, fake):
    outside = tmp_path / "outside.txt"
    outside.write_text(f"{SECRET}\n\nThe password file holds accounts.\n")
    corpus = write_corpus(tmp_path / "corpus", TINY)
    (corpus / "passwd.md").symlink_to(outside)
    (corpus / "notes" / "inside.md").symlink_to(corpus / "alpha.md")  # inside: fine
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    report = build_index(settings, fake)
    assert "passwd.md: a link to a file outside the corpus folder; skipped" in report.problems
    bot = _bot(settings, fake)
    assert "notes/inside.md" in {p.document for p in bot.index.passages}
    assert "passwd.md" not in bot.index.texts
    for question in ("What is in the password file?", "TOP-SECRET-PASSWORD-LINE root"):
        assert "TOP-SECRET" not in _everything_shown(bot, question)
    for document in [*bot.index.texts, "passwd.md"]:
        assert "TOP-SECRET" not in evidence_html(bot.index, document)
    assert stale_reason(settings.index, settings, fake.model_id) is None  # stays skipped


def test_a_document_over_the_size_limit_is_skipped_and_the_rest_indexed(tmp_path, fake):
    corpus = write_corpus(tmp_path / "corpus", {**TINY, "big.txt": "Big file. " * 20_000})
    settings = Settings(corpus=corpus, index=tmp_path / "index", max_document_mb=0.1)
    report = build_index(settings, fake)
    assert report.documents == 2
    assert any("big.txt: 0.2 MB, over the 0.1 MB limit" in p for p in report.problems)
    assert stale_reason(settings.index, settings, fake.model_id) is None
    bigger = settings.with_(max_document_mb=1.0)  # raising the limit takes the file in
    assert stale_reason(settings.index, bigger, fake.model_id) == "the document size limit changed"
    assert build_index(bigger, fake).documents == 3


def test_one_huge_sentence_is_cut_into_verbatim_pieces(tmp_path, fake):
    clause = "the council weighed the river plan, the budget and the schedule; "
    text = "# Minutes\n\n" + "Members noted that " + clause * 400 + "and adjourned.\n"
    doc = parse_document("m.md", text, max_sentence_chars=600)
    assert len(doc.sentences) > 40
    for sentence in doc.sentences:
        assert len(text[sentence.start : sentence.end]) <= 600
        assert " ".join(text[sentence.start : sentence.end].split()) == sentence.text
    assert doc.sentences[0].text.endswith(";")  # cut after a clause, not mid-word
    corpus = write_corpus(tmp_path / "corpus", {"m.md": text})
    bot = _bot(Settings(corpus=corpus, index=tmp_path / "index", max_sentence_chars=600), fake)
    answer = bot.ask("What did the council weigh?", min_confidence=0)
    # A quote is a sentence and at most one neighbour on each side.
    assert answer.quotes and max(len(q.text) for q in answer.quotes) <= 3 * 600


@pytest.mark.parametrize("manifest", ["null", "[]", '"text"', "3", '{"documents": []}',
                                      '{"documents": {"alpha.md": 7}}'])  # fmt: skip
def test_a_manifest_that_is_not_a_manifest_is_rebuilt(tiny_settings, fake, manifest):
    build_index(tiny_settings, fake)
    (current_folder(tiny_settings.index) / MANIFEST).write_text(manifest)
    reason = stale_reason(tiny_settings.index, tiny_settings, fake.model_id)
    assert reason == "the index manifest is missing, unreadable or not a manifest"
    bot = _bot(tiny_settings, fake)
    assert "filters" in bot.ask("What did Jane Doe call for?", min_confidence=0).quotes[0].text
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) is None


def _fail_writes(monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_module, "write_build", no_space)


def test_a_failed_build_keeps_the_last_good_index_answering(tiny_settings, fake, monkeypatch):
    bot = _bot(tiny_settings, fake)
    before = bot.index.folder
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned to the river.\n")
    _fail_writes(monkeypatch)
    bot.refresh()
    assert bot.index.folder == before
    assert bot.status.state == "failed" and "No space left" in bot.status.line()
    assert "filters" in bot.ask("What did Jane Doe call for?", min_confidence=0).quotes[0].text
    fresh = _bot(tiny_settings, fake)  # a new process (ask, serve) over the same folders
    assert fresh.ask("What did Jane Doe call for?", min_confidence=0).found
    monkeypatch.undo()
    bot.refresh()
    assert bot.status.state == "ready"
    assert "Otters" in bot.ask("What returned to the river?", min_confidence=0).quotes[0].text


def test_cli_build_that_cannot_write_says_so_and_keeps_the_index(
    tiny_settings, fake, monkeypatch, capsys
):
    from qa_bot import cli
    from qa_bot.index import embedding

    build_index(tiny_settings, fake)
    before = current_folder(tiny_settings.index)
    monkeypatch.setattr(embedding, "SentenceTransformerEmbedder", lambda model: fake)
    _fail_writes(monkeypatch)
    args = ["--corpus", str(tiny_settings.corpus), "--index", str(tiny_settings.index)]
    assert cli.main([*args, "build", "--force"]) == 1
    err = capsys.readouterr().err
    assert "the build failed" in err and "No space left" in err and "unchanged" in err
    assert current_folder(tiny_settings.index) == before


def test_an_edited_document_is_never_quoted_from_its_old_version(tiny_settings, fake):
    bot = _bot(tiny_settings, fake)
    question = "How much did fish numbers fall?"
    assert "40%" in bot.ask(question, min_confidence=0).quotes[0].text
    alpha = tiny_settings.corpus / "alpha.md"
    alpha.write_text(alpha.read_text().replace("fell by 40%", "fell by 55%"))
    shown = _everything_shown(bot, question)
    assert "40%" not in shown  # neither quote, related passage nor context
    assert bot.ask("Who thanked the council?", min_confidence=0).quotes[0].document == (
        "notes/beta.txt"
    )  # other documents still answer
    bot.refresh()
    assert "55%" in bot.ask(question, min_confidence=0).quotes[0].text


def test_follow_notices_changes_cheaply_and_swaps_in_the_new_index(tiny_settings, fake):
    bot = _bot(tiny_settings, fake)
    assert bot.follow() is True  # the first look notes the corpus
    calls = fake.calls
    assert bot.follow() is False and fake.calls == calls  # nothing changed: nothing done
    held = bot.index  # a request in flight keeps this one
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned to the river.\n")
    assert bot.follow() is True
    assert bot.index is not held and "gamma.md" in bot.index.texts
    assert "gamma.md" not in held.texts and held.passages  # the old one is intact
    os.remove(tiny_settings.corpus / "gamma.md")
    assert bot.follow() is True and "gamma.md" not in bot.index.texts


def test_a_build_by_another_process_is_picked_up(tiny_settings, fake):
    bot = _bot(tiny_settings, fake)
    bot.follow()
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned to the river.\n")
    other = _bot(tiny_settings, fake)  # another process: qa-bot build, another replica
    other.refresh()
    built = fake.encoded
    assert bot.follow() is True
    assert fake.encoded == built  # nothing embedded again: the other build is used
    assert bot.index.folder == current_folder(tiny_settings.index)
    assert "Otters" in bot.ask("What returned to the river?", min_confidence=0).quotes[0].text


def test_status_reports_progress_while_building(tiny_settings, fake):
    bot = _bot(tiny_settings, fake)
    seen: list[str] = []
    original = fake.encode

    def spy(texts, batch_size=32):
        seen.append(bot.status.line())
        return original(texts, batch_size)

    fake.encode = spy  # type: ignore[method-assign]
    bot.index  # noqa: B018  (the first build)
    assert seen and seen[0] == "updating the index: 2/2 documents"
    assert bot.status.line() == "up to date with the documents"


def test_settings_for_the_limits_are_validated():
    from qa_bot.config import SettingsError

    for bad in ({"max_document_mb": 0}, {"max_sentence_chars": 10}, {"watch_interval": -1}):
        with pytest.raises(SettingsError):
            Settings(**bad)
    assert Settings.from_env({"QA_BOT_MAX_DOCUMENT_MB": "5.5"}).max_document_mb == 5.5


def test_the_embeddings_folder_documents_the_index_format():
    readme = Path(__file__).resolve().parents[1] / "embeddings" / "README.md"
    text = readme.read_text()
    for name in ("CURRENT", "manifest.json", "documents.jsonl", "passages.faiss"):
        assert name in text


def test_a_linked_file_reaches_neither_the_page_nor_config(tmp_path, fake):
    import httpx

    from qa_bot.serve.server import launch_kwargs
    from qa_bot.serve.ui import _follow_view, build_app
    from tests.test_e2e import free_port

    outside = tmp_path / "outside.txt"
    outside.write_text(f"{SECRET}\n")
    corpus = write_corpus(tmp_path / "corpus", TINY)
    (corpus / "passwd.md").symlink_to(outside)
    settings = Settings(corpus=corpus, index=tmp_path / "index", port=free_port())
    bot = _bot(settings, fake)
    demo = build_app(bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    try:
        config = httpx.get(f"http://127.0.0.1:{settings.port}/config", timeout=30).text
        page = httpx.get(f"http://127.0.0.1:{settings.port}/", timeout=30).text
    finally:
        demo.close()
    assert "TOP-SECRET" not in config + page
    _, _, page, listing, *_ = _follow_view(bot, "", None, [], [])
    assert "TOP-SECRET" not in listing
    assert "TOP-SECRET" not in page


def test_a_server_with_a_stale_index_answers_at_once_and_rebuilds_behind(tiny_settings, fake):
    build_index(tiny_settings, fake)
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned to the river.\n")
    bot = _bot(tiny_settings, fake)
    encoded = fake.encoded
    index = bot.open_as_is()
    assert fake.encoded == encoded and "gamma.md" not in index.texts  # no build before serving
    assert bot.status.state == "building"
    assert bot.ask("What did Jane Doe call for?", min_confidence=0).found
    assert bot.follow() is True  # the watcher's first look
    assert "gamma.md" in bot.index.texts and bot.status.line() == "up to date with the documents"
    fresh = _bot(tiny_settings, fake)
    fresh.open_as_is()
    fresh.follow()
    assert (
        fresh.status.line() == "up to date with the documents"
    )  # nothing to build: ready, not "building"
