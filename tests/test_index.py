"""Index lifecycle: builds, no-ops, incremental changes, corruption, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa_bot.bot import QABot
from qa_bot.index import build
from qa_bot.index.build import CorpusError, build_index
from qa_bot.index.load import load_index
from qa_bot.index.manifest import current_folder, stale_reason
from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus


def test_first_build_embeds_everything_and_persists_readable_files(tiny_settings, fake):
    report = build_index(tiny_settings, fake)
    assert report.full and not report.noop
    assert report.documents == 2
    assert report.embedded_passages == report.passages > 0
    folder = current_folder(tiny_settings.index)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == "fake-embedder-v1"
    assert manifest["dim"] == 64
    assert manifest["chunking"]["max_passage_chars"] == tiny_settings.max_passage_chars
    assert set(manifest["documents"]) == {"alpha.md", "notes/beta.txt"}
    assert all(len(meta["sha256"]) == 64 for meta in manifest["files"].values())
    assert not list(folder.glob("*.pkl"))
    vectors = np.load(folder / "passages.npy", allow_pickle=False)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    first = json.loads((folder / "passages.jsonl").read_text().splitlines()[0])
    assert {"text", "start", "end", "section", "speaker", "document"} <= set(first)


def test_unchanged_corpus_is_a_no_op_that_embeds_nothing(tiny_settings, fake):
    build_index(tiny_settings, fake)
    before = current_folder(tiny_settings.index)
    fake.encoded = 0
    report = build_index(tiny_settings, fake)
    assert report.noop
    assert fake.encoded == 0
    assert current_folder(tiny_settings.index) == before
    assert "re-embedded 0 passages" in report.summary()
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) is None


def test_adding_a_document_embeds_only_that_document(tiny_settings, fake):
    build_index(tiny_settings, fake)
    write_corpus(tiny_settings.corpus, {"gamma.md": "# Gamma\n\nOne new fact. And another.\n"})
    fake.encoded = 0
    report = build_index(tiny_settings, fake)
    assert report.added == ("gamma.md",)
    assert (report.embedded_passages, report.embedded_sentences) == (1, 2)
    assert fake.encoded == 3
    index = load_index(tiny_settings.index)
    assert index.manifest["counts"]["documents"] == 3
    gamma = [p for p in index.passages if p.document == "gamma.md"]
    assert gamma[0].text == "One new fact. And another."


def test_changing_a_paragraph_re_embeds_only_it_and_keeps_ids_consistent(tiny_settings, fake):
    build_index(tiny_settings, fake)
    before = load_index(tiny_settings.index)
    path = tiny_settings.corpus / "alpha.md"
    path.write_text(path.read_text().replace("40%", "45%"))
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) == "alpha.md changed"
    fake.encoded = 0
    report = build_index(tiny_settings, fake)
    assert report.changed == ("alpha.md",)
    # alpha's one edited paragraph (one sentence); its other paragraphs and beta reused
    assert (report.embedded_passages, report.embedded_sentences, fake.encoded) == (1, 1, 2)
    index = load_index(tiny_settings.index)
    birds = next(p.id for p in index.passages if p.text.startswith("Bird counts"))
    old_birds = next(p.id for p in before.passages if p.text.startswith("Bird counts"))
    assert (index.passage_vectors[birds] == before.passage_vectors[old_birds]).all()
    for p in index.passages:
        assert all(index.sentences[s].passage_id == p.id for s in p.sentence_ids)
    assert any("45%" in s.text for s in index.sentences)


def test_deleting_a_document_drops_it_without_re_embedding(tiny_settings, fake):
    build_index(tiny_settings, fake)
    (tiny_settings.corpus / "notes" / "beta.txt").unlink()
    fake.encoded = 0
    report = build_index(tiny_settings, fake)
    assert report.removed == ("notes/beta.txt",)
    assert fake.encoded == 0
    assert {p.document for p in load_index(tiny_settings.index).passages} == {"alpha.md"}


def test_a_model_change_rebuilds_everything(tiny_settings, fake):
    first = build_index(tiny_settings, fake)
    other = FakeEmbedder(model_id="another-model")
    report = build_index(tiny_settings, other)
    assert report.full and report.embedded_passages == first.passages


def test_a_new_way_of_reading_reads_every_document_again_but_embeds_only_new_texts(
    tiny_settings, fake, monkeypatch
):
    build_index(tiny_settings, fake)
    # A new parser version that reads the documents the same: nothing is embedded again.
    monkeypatch.setattr("qa_bot.index.manifest.PARSING_VERSION", -1)
    read = []
    real = build.read_sentences
    monkeypatch.setattr(build, "read_sentences", lambda texts: real(read.extend(texts) or texts))
    reread = build_index(tiny_settings, fake)
    assert not reread.full and not reread.noop
    assert reread.embedded_passages == reread.embedded_sentences == 0
    assert read == []  # nor are the sentences' entities read again
    assert load_index(tiny_settings.index).manifest["parsing"] == -1
    # Passages cut shorter are new texts; the sentences are the same and keep their vectors.
    rechunked = build_index(tiny_settings.with_(max_passage_chars=120), fake)
    assert not rechunked.full and rechunked.embedded_passages > 0
    assert rechunked.embedded_sentences == 0
    fresh = tiny_settings.with_(index=tiny_settings.index.parent / "fresh", max_passage_chars=120)
    build_index(fresh, fake)
    a, b = load_index(tiny_settings.index), load_index(fresh.index)
    assert [p.text for p in a.passages] == [p.text for p in b.passages]
    np.testing.assert_allclose(a.passage_vectors, b.passage_vectors, atol=1e-6)
    np.testing.assert_allclose(a.sentence_vectors, b.sentence_vectors, atol=1e-6)


@pytest.mark.parametrize("victim", ["passages.faiss", "passages.npy", "sentences.jsonl"])
def test_corrupted_index_file_is_detected_and_rebuilt(tiny_settings, fake, victim, caplog):
    build_index(tiny_settings, fake)
    path = current_folder(tiny_settings.index) / victim
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    assert bot.index.manifest["counts"]["documents"] == 2
    assert "rebuilding" in caplog.text
    assert bot.last_build is not None and bot.last_build.full


def test_truncated_or_missing_index_file_is_rebuilt(tiny_settings, fake):
    build_index(tiny_settings, fake)
    folder = current_folder(tiny_settings.index)
    (folder / "sentences.npy").write_bytes(b"\x93NUMPY")
    (folder / "passages.jsonl").unlink()
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    assert len(bot.index.passages) == 5


def test_missing_current_pointer_target_means_no_index(tiny_settings, fake):
    build_index(tiny_settings, fake)
    (tiny_settings.index / "CURRENT").write_text("../../etc\n")
    assert current_folder(tiny_settings.index) is None


def test_bad_files_are_reported_and_the_rest_still_indexes(tmp_path, fake):
    corpus = write_corpus(
        tmp_path / "corpus",
        {
            "good.md": "# Good\n\nThis document is fine.\n",
            "latin1.md": "caf\xe9".encode("latin-1"),
            "empty.txt": "",
            "blob.md": b"\x00\x01\x02binary",
        },
    )
    settings = tiny_settings_for(corpus, tmp_path)
    report = build_index(settings, fake)
    assert report.documents == 1
    text = "\n".join(report.problems)
    assert "latin1.md: not valid UTF-8 (byte 0xe9 at offset 3)" in text
    assert "empty.txt: empty file" in text
    assert "blob.md: looks like a binary file" in text


def test_a_previously_indexed_document_that_breaks_is_kept(tiny_settings, fake):
    build_index(tiny_settings, fake)
    (tiny_settings.corpus / "alpha.md").write_bytes(b"\xff\xfe broken")
    report = build_index(tiny_settings, fake)
    assert report.kept_stale == ("alpha.md",)
    assert any("keeping the previously indexed version" in p for p in report.problems)
    assert any(p.document == "alpha.md" for p in load_index(tiny_settings.index).passages)
    again = build_index(tiny_settings, fake)
    assert again.noop
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) is None
    (tiny_settings.corpus / "alpha.md").write_text("# Alpha\n\nFixed at last.\n")
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) == "alpha.md changed"
    fixed = build_index(tiny_settings, fake)
    assert fixed.changed == ("alpha.md",) and fixed.kept_stale == ()
    assert any(s.text == "Fixed at last." for s in load_index(tiny_settings.index).sentences)


def test_a_bad_file_left_in_the_corpus_does_not_make_every_build_work(tiny_settings, fake):
    build_index(tiny_settings, fake)
    (tiny_settings.corpus / "bad.md").write_bytes(b"\xff\xfe")
    first = build_index(tiny_settings, fake)
    assert not first.noop and first.embedded_passages == 0
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) is None
    assert build_index(tiny_settings, fake).noop
    (tiny_settings.corpus / "bad.md").write_text("# Bad\n\nNow readable.\n")
    assert stale_reason(tiny_settings.index, tiny_settings, fake.model_id) == "bad.md changed"
    assert build_index(tiny_settings, fake).added == ("bad.md",)


def test_empty_or_missing_corpus_is_a_clear_error_and_loses_nothing(tiny_settings, fake, tmp_path):
    build_index(tiny_settings, fake)
    kept = current_folder(tiny_settings.index)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match=r"has no documents \(\.md, \.txt, \.pdf"):
        build_index(tiny_settings.with_(corpus=empty), fake)
    with pytest.raises(CorpusError, match="does not exist"):
        build_index(tiny_settings.with_(corpus=tmp_path / "nope"), fake)
    assert current_folder(tiny_settings.index) == kept
    bot = QABot(tiny_settings.with_(corpus=tmp_path / "nope"), fake, FakeCrossEncoder())
    assert len(bot.index.passages) == 5  # answers from the existing index


def test_only_bad_documents_is_an_error_not_an_empty_index(tmp_path, fake):
    corpus = write_corpus(tmp_path / "corpus", {"x.md": b"\xff\xfe\xfd"})
    with pytest.raises(CorpusError, match="none of the 1 documents"):
        build_index(tiny_settings_for(corpus, tmp_path), fake)


def test_builds_leave_only_the_live_and_previous_folders(tiny_settings, fake):
    for i in range(4):
        write_corpus(tiny_settings.corpus, {f"n{i}.md": f"# N\n\nFact number {i}.\n"})
        build_index(tiny_settings, fake)
    folders = [p for p in tiny_settings.index.iterdir() if p.is_dir()]
    assert len(folders) == 2
    assert not list(tiny_settings.index.glob(".tmp-*"))


def tiny_settings_for(corpus, tmp_path):
    from qa_bot.config import Settings

    return Settings(corpus=corpus, index=tmp_path / "embeddings")


def test_a_build_that_crashes_midway_leaves_the_live_index_untouched(
    tiny_settings, fake, monkeypatch
):
    build_index(tiny_settings, fake)
    live = current_folder(tiny_settings.index)
    write_corpus(tiny_settings.corpus, {"late.md": "# Late\n\nA late addition.\n"})

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("qa_bot.index.vectors.write", crash)
    with pytest.raises(OSError, match="disk full"):
        build_index(tiny_settings, fake)
    assert current_folder(tiny_settings.index) == live
    assert not list(tiny_settings.index.glob(".tmp-*"))
    assert load_index(tiny_settings.index).manifest["counts"]["documents"] == 2
