"""Shared fixtures: a deterministic fake embedder, tiny corpora, the real model once."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from qa_bot.answer.checks.registry import BY_ID, run
from qa_bot.answer.explain import standalone
from qa_bot.answer.facts import Gathered
from qa_bot.answer.query import analyse
from qa_bot.config import Settings
from qa_bot.text import terms
from qa_bot.types import Encode

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "corpus" / "gpa-trafficking-hearing-2025-06-30.md"
DATA = Path(__file__).parent / "data"


def reason_of(
    checks: str,
    question: str,
    text: str,
    speaker: str | None = None,
    encode: Encode | None = None,
    part_floor: float = 0.0,
) -> str:
    """What the checks ``checks`` ("id" or "id,id"; "" : every wording check) say ``text``
    lacks as an answer to ``question``, each check run alone on the text taken as one
    sentence and its own passage, its entities found by the NER (its speaker, if given,
    the collection's one speaker). With several ids, each
    must say the same; with none, the first reason of any check but the kind and the
    numbers given (which other tests cover), as a question no check reads would give."""
    query = analyse(question, [], [speaker] if speaker else [])
    facts = Gathered(None, query, encode, part_floor).of(standalone(text, speaker))
    if not checks:
        fired = [f for f in run(query, facts).fired if f.id not in ("kind", "given")]
        return fired[0].reason if fired else ""
    reasons = {BY_ID[check].lacks(query, facts) for check in checks.split(",")}
    assert len(reasons) == 1, f"the checks {checks} disagree: {reasons}"
    return reasons.pop()


class FakeEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: deterministic, no model."""

    def __init__(self, model_id: str = "fake-embedder-v1", dim: int = 64) -> None:
        self.model_id = model_id
        self._dim = dim
        self.calls = 0
        self.encoded = 0

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                h = int(hashlib.md5(term.encode()).hexdigest(), 16)
                out[row, h % self._dim] += 1.0 if (h >> 8) % 2 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


class FakeCrossEncoder:
    """Share of the question's terms found in the text, as a logit: deterministic, no model."""

    model_id = "fake-cross-encoder-v1"

    def __init__(self) -> None:
        self.calls = 0
        self.pairs = 0

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.pairs += len(texts)
        asked = set(terms(question))
        out = [12.0 * len(asked & set(terms(t))) / max(1, len(asked)) - 6.0 for t in texts]
        return np.array(out, dtype=np.float32)


TINY = {
    "alpha.md": """# Alpha Report

## Background

The river council met in Springfield on 3 May 2024. It approved a plan to clean the river.

Ms. Jane Doe, Director of the Water Agency, warned that pollution doubled since 2019. She called
for new filters in every factory.

## Findings

### 1. Fish

Fish numbers fell by 40% over ten years.

# 2. Birds

Bird counts rose after the wetlands were restored.
""",
    "notes/beta.txt": """Beta Notes

Mr. John Roe, Mayor of Springfield, thanked the council. He promised funding for the river
plan and a public report.
""",
}


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def fake() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def fake_reranker() -> FakeCrossEncoder:
    return FakeCrossEncoder()


@pytest.fixture
def tiny_settings(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", TINY)
    return Settings(corpus=corpus, index=tmp_path / "embeddings")


@pytest.fixture
def bot(tiny_settings: Settings, fake: FakeEmbedder):
    """A bot over the tiny inline corpus with the fake embedder and cross-encoder."""
    from qa_bot.bot import QABot

    return QABot(tiny_settings, fake, FakeCrossEncoder())


@pytest.fixture(scope="session")
def real_bot(tmp_path_factory: pytest.TempPathFactory):
    """The real packaged model over the shipped corpus, built once per session."""
    from qa_bot.bot import QABot

    index = tmp_path_factory.mktemp("real-index")
    bot = QABot(Settings(corpus=ROOT / "corpus", index=index))
    assert bot.index.passages  # built (and the question encoder exported) once, up front
    return bot
