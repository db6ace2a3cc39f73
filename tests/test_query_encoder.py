"""Questions without PyTorch: the ONNX export of the embedding model, and its fallbacks."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from qa_bot.bot import QABot
from qa_bot.index.manifest import stale_reason
from qa_bot.index.query_encoder import FOLDER, EncoderExportError, OnnxQueryEncoder
from tests.conftest import ROOT, FakeCrossEncoder


def test_an_embedder_that_cannot_export_never_makes_the_index_stale(tiny_settings, fake):
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    assert bot.index.passages
    s = tiny_settings
    assert stale_reason(s.index, s, fake.model_id) is None
    assert "question encoder" in stale_reason(s.index, s, fake.model_id, exportable=True)
    assert bot.question_encoder is fake  # nothing exported: questions use the embedder


@pytest.mark.integration
def test_exported_encoder_gives_the_models_vectors_for_every_sentence(real_bot):
    encoder = OnnxQueryEncoder.load(real_bot.settings.index / FOLDER, real_bot.embedder.model_id)
    texts = [s.text for s in real_bot.index.sentences]
    assert len(texts) == 80
    cosines = np.sum(encoder.encode(texts) * real_bot.embedder.encode(texts), axis=1)
    assert cosines.min() >= 0.999, cosines.min()
    assert real_bot.question_encoder.model_id == real_bot.embedder.model_id


@pytest.mark.integration
def test_cli_answer_never_imports_torch(real_bot):
    probe = (
        "import sys\n"
        "from qa_bot.cli import main\n"
        "code = main(['ask', 'What share of detected trafficking victims are children?'])\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "QA_BOT_INDEX": str(real_bot.settings.index), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )  # fmt: skip
    assert "over one-third of detected trafficking victims" in out.stdout
    assert "HEAVY []" in out.stdout


@pytest.mark.integration
def test_an_export_for_another_model_is_refused(real_bot):
    with pytest.raises(EncoderExportError, match="not 'another-model'"):
        OnnxQueryEncoder.load(real_bot.settings.index / FOLDER, "another-model")


@pytest.mark.integration
def test_a_truncated_export_is_exported_again_before_answering(real_bot, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(real_bot.settings.index, index, ignore=shutil.ignore_patterns("eval"))
    model = index / FOLDER / "model.onnx"
    size = model.stat().st_size
    model.write_bytes(model.read_bytes()[: 1 << 20])  # truncated: its recorded size differs
    bot = QABot(real_bot.settings.with_(index=index), real_bot.embedder, real_bot.reranker)
    first = bot.ask("What share of detected trafficking victims are children?")
    assert "over one-third" in first.quotes[0].text
    assert model.stat().st_size == size  # exported again, not a silent fall-back
    assert bot.question_encoder is not real_bot.embedder


def test_a_damaged_export_falls_back_to_the_model_and_says_so_once(real_bot, tmp_path, caplog):
    index = tmp_path / "index"
    shutil.copytree(real_bot.settings.index, index, ignore=shutil.ignore_patterns("eval"))
    tokenizer = index / FOLDER / "tokenizer.json"
    data = tokenizer.read_bytes()
    tokenizer.write_bytes(data.replace(b'"[UNK]"', b'"[XXX]"', 1))  # same size, other bytes
    bot = QABot(real_bot.settings.with_(index=index), real_bot.embedder, real_bot.reranker)
    with caplog.at_level(logging.WARNING, logger="qa_bot.index.question_encoding"):
        first = bot.ask("What share of detected trafficking victims are children?")
        bot.ask("Who moderated the panel?")
    assert "over one-third" in first.quotes[0].text
    warnings = [r for r in caplog.records if "sentence-transformers" in r.getMessage()]
    assert len(warnings) == 1 and "not the file exported" in warnings[0].getMessage()
    assert bot.question_encoder is real_bot.embedder
    assert not (index / FOLDER).exists()  # the next build exports it again


@pytest.mark.integration
def test_a_running_bot_on_the_fallback_takes_the_export_back_once_it_is_written(real_bot, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(real_bot.settings.index, index, ignore=shutil.ignore_patterns("eval"))
    tokenizer = index / FOLDER / "tokenizer.json"
    tokenizer.write_bytes(tokenizer.read_bytes().replace(b'"[UNK]"', b'"[XXX]"', 1))
    bot = QABot(real_bot.settings.with_(index=index), real_bot.embedder, real_bot.reranker)
    bot.follow()  # the watcher's first look
    bot.ask("Who moderated the panel?")
    assert bot.encoding.name == "sentence-transformers"
    assert "not the file exported" in bot.encoding.note
    assert bot.due()  # nothing in the corpus changed, yet a look is due
    assert bot.follow()  # the server's next look: a build exports the encoder again
    assert bot.encoding.name == "onnx" and bot.encoding.note == ""
    answer = bot.ask("What share of detected trafficking victims are children?")
    assert "over one-third" in answer.quotes[0].text
    bot.refresh()  # healed for good: no further change
    assert isinstance(bot.question_encoder, OnnxQueryEncoder)


def test_an_export_record_nested_too_deeply_is_no_export(tmp_path):
    """A damaged encoder.json ("[[[[...") is no record of an export: the build exports
    the encoder again instead of crashing on the parser's recursion."""
    from qa_bot.index.query_encoder import FOLDER, META, exported_for

    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / META).write_text("[" * 5000 + "]" * 5000)
    assert exported_for(tmp_path) is None
