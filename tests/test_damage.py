"""Every persisted byte is covered: one byte flipped at the start, the middle or the end of
any file of a build folder (manifest, JSONL, vectors, FAISS, BM25, the pointer to the live
build) or of the question encoder's export is found on the next question, which is answered
right from an index rebuilt from the corpus (or, for the encoder, by the model itself);
no traceback, and no answer from a damaged file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.index.manifest import CURRENT, current_folder, load_manifest, verify_files
from qa_bot.index.query_encoder import FOLDER as ENCODER
from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus

DOCUMENTS = {
    "harbour.md": "# Harbour\n\nThe harbour master counted 31 fishing boats in March.\n",
    "notes/pier.txt": "Pier Notes\n\nThe pier keeper lit 12 lamps at dusk.\n",
}
ASKED = {  # one question about every document, and what its right first quote holds
    "How many fishing boats did the harbour master count?": "31 fishing boats",
    "How many lamps did the pier keeper light?": "12 lamps",
}
WHERE = ("start", "middle", "end")
FILES = [
    "manifest.json", "documents.jsonl", "passages.jsonl", "sentences.jsonl", "passages.npy",
    "sentences.npy", "passages.faiss", "sentences.faiss", "bm25-passages.npz",
    "bm25-passages.vocab.json", "bm25-sentences.npz", "bm25-sentences.vocab.json", CURRENT,
]  # fmt: skip


def _flip(path: Path, where: str) -> None:
    data = bytearray(path.read_bytes())
    at = {"start": 0, "middle": len(data) // 2, "end": len(data) - 1}[where]
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("damage")
    settings = Settings(corpus=write_corpus(root / "corpus", DOCUMENTS), index=root / "index")
    build_index(settings, FakeEmbedder())
    return settings


def test_every_file_a_build_writes_is_one_this_test_damages(built):
    written = {p.name for p in current_folder(built.index).iterdir()} | {CURRENT}
    assert written == set(FILES)  # a new kind of file must join the flips below


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("name", FILES)
def test_a_flipped_byte_in_any_index_file_is_damage_and_answers_stay_right(
    built, tmp_path, name, where
):
    index = tmp_path / "index"
    shutil.copytree(built.index, index, ignore=shutil.ignore_patterns(".lock"))
    damaged_folder = current_folder(index)
    _flip(index / CURRENT if name == CURRENT else damaged_folder / name, where)
    bot = QABot(built.with_(index=index), FakeEmbedder(), FakeCrossEncoder())
    for question, expected in ASKED.items():
        answer = bot.ask(question, min_confidence=0)
        assert answer.quotes and expected in answer.quotes[0].text, (question, answer.message)
    live = bot.index.folder
    if name != CURRENT:
        assert live != damaged_folder  # answered from a rebuilt folder, not the damaged one
    verify_files(live, load_manifest(live)["files"])  # and that folder is whole


@pytest.mark.integration
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("name", ["model.onnx", "tokenizer.json", "encoder.json"])
def test_a_flipped_byte_in_the_question_encoder_falls_back_and_answers_right(
    real_bot, tmp_path, name, where
):
    index = tmp_path / "index"
    shutil.copytree(real_bot.settings.index, index, ignore=shutil.ignore_patterns("eval"))
    _flip(index / ENCODER / name, where)
    damaged = (index / ENCODER / name).read_bytes()
    bot = QABot(real_bot.settings.with_(index=index), real_bot.embedder, real_bot.reranker)
    answer = bot.ask("What share of detected trafficking victims are children?")
    assert answer.found and "over one-third" in answer.quotes[0].text
    if name == "encoder.json":  # its seal fails: exported again before the first answer
        assert (index / ENCODER / name).read_bytes() != damaged
    else:  # the record's checksum of the file fails: the model itself answers meanwhile
        assert bot.encoding.name == "sentence-transformers" and bot.encoding.note
    bot.refresh()  # the next look exports it again (if need be) and takes it
    assert bot.encoding.name == "onnx"
    assert bot.ask("Who moderated the panel?").found
