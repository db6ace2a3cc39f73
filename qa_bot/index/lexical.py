"""BM25 over stemmed terms, stored as a sparse matrix of precomputed term weights.

The matrix is kept as plain compressed-column arrays (numpy only, no scipy: importing
scipy.sparse cost a cold ``qa-bot ask`` about 60 ms) in scipy's own ``.npz`` layout, so
either can read the files."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa_bot.safe_json import load_json
from qa_bot.text import terms


class BM25:
    """Okapi BM25 with weights precomputed at build time, so a query is a column sum."""

    def __init__(self, columns: Columns, vocab: dict[str, int], idf: np.ndarray) -> None:
        self.columns = columns
        self.vocab = vocab
        self.idf = idf

    @property
    def size(self) -> int:
        return self.columns.rows

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
        data = (idf[col_idx] * tf * (k1 + 1) / (tf + norm)).astype(np.float32)
        return cls(Columns.from_triples(row_idx, col_idx, data, n, len(vocab)), vocab, idf)

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every document for the query terms (zeros where none match)."""
        cols = [self.vocab[t] for t in dict.fromkeys(query_terms) if t in self.vocab]
        return self.columns.sum_of(cols)

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
        self.columns.save(npz)
        terms_in_order = sorted(self.vocab, key=self.vocab.__getitem__)
        vocab.write_text(
            json.dumps({"terms": terms_in_order, "idf": [round(float(x), 6) for x in self.idf]}),
            encoding="utf-8",
        )
        return [npz, vocab]

    @classmethod
    def load(cls, path: Path) -> BM25:
        columns = Columns.load(path.with_suffix(".npz"))
        data = load_json(path.with_suffix(".vocab.json"))
        vocab = {t: i for i, t in enumerate(data["terms"])}
        return cls(columns, vocab, np.array(data["idf"], dtype=np.float32))


@dataclass(frozen=True)
class Columns:
    """A float32 sparse matrix in compressed-column form: column ``j``'s rows are
    ``indices[indptr[j]:indptr[j+1]]`` with values ``data[...]`` at the same places."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    rows: int
    cols: int

    @classmethod
    def from_triples(
        cls, rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n_rows: int, n_cols: int
    ) -> Columns:
        order = np.lexsort((rows, cols))
        indptr = np.zeros(n_cols + 1, dtype=np.int32)
        np.cumsum(np.bincount(cols, minlength=n_cols), out=indptr[1:])
        return cls(data[order].astype(np.float32), rows[order].astype(np.int32), indptr,
                   n_rows, n_cols)  # fmt: skip

    def sum_of(self, cols: list[int]) -> np.ndarray:
        """The sum of the given columns: one value per row."""
        if not cols:
            return np.zeros(self.rows, dtype=np.float32)
        spans = [slice(self.indptr[j], self.indptr[j + 1]) for j in cols]
        rows = np.concatenate([self.indices[s] for s in spans])
        values = np.concatenate([self.data[s] for s in spans])
        return np.bincount(rows, weights=values, minlength=self.rows).astype(np.float32)

    def save(self, path: Path) -> None:
        """scipy.sparse.save_npz's layout (uncompressed), without pickle."""
        np.savez(path, indices=self.indices, indptr=self.indptr, format=np.array(b"csc"),
                 shape=np.array([self.rows, self.cols]), data=self.data)  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> Columns:
        with np.load(path, allow_pickle=False) as npz:
            if npz["format"].item() != b"csc":
                raise ValueError(f"{path} is not a compressed-column matrix")
            rows, cols = (int(x) for x in npz["shape"])
            return cls(npz["data"].astype(np.float32), npz["indices"], npz["indptr"], rows, cols)
