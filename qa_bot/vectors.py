"""FAISS inner-product indexes over normalised vectors; the index type follows corpus size."""

from __future__ import annotations

import logging

import faiss
import numpy as np

log = logging.getLogger(__name__)

# Chosen from benchmarks/scale.py (see README "Performance"): exact search stays
# under a few milliseconds up to this many vectors; past it HNSW keeps p50 low with
# recall@10 above 0.95.
FLAT_MAX = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
IVF_NPROBE = 16


def choose_index_type(n_vectors: int, requested: str = "auto") -> str:
    """The FAISS index type to build: exact while it is fast enough, HNSW beyond."""
    if requested != "auto":
        return requested
    return "flat" if n_vectors <= FLAT_MAX else "hnsw"


def build(vectors: np.ndarray, kind: str) -> faiss.Index:
    """An inner-product index of the given kind holding ``vectors`` (n x dim, float32)."""
    n, dim = vectors.shape
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif kind == "ivf":
        nlist = max(1, min(4096, int(4 * np.sqrt(max(n, 1)))))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        train = vectors if n <= nlist * 64 else vectors[:: max(1, n // (nlist * 64))]
        index.train(np.ascontiguousarray(train))
        index.nprobe = IVF_NPROBE
    else:
        raise ValueError(f"unknown index type {kind!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def search(index: faiss.Index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, ids) for one query vector; ids of -1 are dropped."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    scores, ids = index.search(query.reshape(1, -1).astype(np.float32), k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


def write(index: faiss.Index, path: str) -> None:
    faiss.write_index(index, path)


def read(path: str) -> faiss.Index:
    return faiss.read_index(path)
