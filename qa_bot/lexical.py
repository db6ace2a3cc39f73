"""BM25 over stemmed terms, stored as a sparse matrix of precomputed term weights."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from qa_bot.text import terms


class BM25:
    """Okapi BM25 with weights precomputed at build time, so a query is a column sum."""

    def __init__(self, weights: sp.csc_matrix, vocab: dict[str, int], idf: np.ndarray) -> None:
        self.weights = weights
        self.vocab = vocab
        self.idf = idf

    @property
    def size(self) -> int:
        return self.weights.shape[0]

    @classmethod
    def build(cls, texts: list[str], k1: float = 1.2, b: float = 0.75) -> BM25:
        docs = [terms(t) for t in texts]
        vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        for row, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for term in doc:
                col = vocab.setdefault(term, len(vocab))
                counts[col] = counts.get(col, 0) + 1
            rows.extend([row] * len(counts))
            cols.extend(counts.keys())
            tfs.extend(counts.values())
        n = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0
        tf = np.array(tfs, dtype=np.float32)
        df = np.bincount(np.array(cols, dtype=np.int64), minlength=len(vocab)).astype(np.float32)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        row_idx = np.array(rows, dtype=np.int64)
        col_idx = np.array(cols, dtype=np.int64)
        norm = k1 * (1 - b + b * lengths[row_idx] / avg) if n else np.zeros(0)
        data = idf[col_idx] * tf * (k1 + 1) / (tf + norm)
        weights = sp.csc_matrix((data, (row_idx, col_idx)), shape=(n, len(vocab)), dtype=np.float32)
        return cls(weights, vocab, idf)

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every document for the query terms (zeros where none match)."""
        cols = [self.vocab[t] for t in dict.fromkeys(query_terms) if t in self.vocab]
        if not cols:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.weights[:, cols].sum(axis=1)).ravel()

    def term_idf(self, term: str) -> float | None:
        """The term's idf, or None when no document contains it."""
        col = self.vocab.get(term)
        return None if col is None else float(self.idf[col])

    def unseen_idf(self) -> float:
        """The idf a term would have if it occurred in one document."""
        n = self.size
        return math.log1p((n - 1 + 0.5) / 1.5)

    def save(self, path: Path) -> list[Path]:
        """Write ``path``.npz (weights) and ``path``.vocab.json; returns the files."""
        npz = path.with_suffix(".npz")
        vocab = path.with_suffix(".vocab.json")
        sp.save_npz(npz, self.weights.tocsc(), compressed=False)
        terms_in_order = sorted(self.vocab, key=self.vocab.__getitem__)
        vocab.write_text(
            json.dumps({"terms": terms_in_order, "idf": [round(float(x), 6) for x in self.idf]}),
            encoding="utf-8",
        )
        return [npz, vocab]

    @classmethod
    def load(cls, path: Path) -> BM25:
        weights = sp.load_npz(path.with_suffix(".npz")).tocsc()
        data = json.loads(path.with_suffix(".vocab.json").read_text(encoding="utf-8"))
        vocab = {t: i for i, t in enumerate(data["terms"])}
        return cls(weights, vocab, np.array(data["idf"], dtype=np.float32))
