"""An embedder that takes the vectors a built index holds for the same texts, and encodes
only the others: the haystack's smaller steps are subsets of its largest, so they are built
from its vectors (the same model and text give the same vector) in minutes, not hours."""

from __future__ import annotations

import numpy as np

from qa_bot.index.embedding import Embedder
from qa_bot.index.load import Index
from qa_bot.index.reuse import known_vectors


class Reusing:
    """``embedder``, answering from ``index``'s passage and sentence vectors where it can."""

    def __init__(self, embedder: Embedder, index: Index) -> None:
        self.inner = embedder
        self.model_id = embedder.model_id
        self.known: dict[str, np.ndarray] = known_vectors(index, None)  # every document's
        self.encoded = 0  # texts the index did not hold

    def dim(self) -> int:
        return self.inner.dim()

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.known]
        if new:
            self.known.update(zip(new, self.inner.encode(new, batch_size), strict=True))
            self.encoded += len(new)
        return np.stack([self.known[t] for t in texts]).astype(np.float32)

    def export_query_encoder(self, root) -> None:  # type: ignore[no-untyped-def]
        export = getattr(self.inner, "export_query_encoder", None)
        if export is not None:
            export(root)
