"""FAISS inner-product indexes over normalised vectors; the index type follows corpus size."""

from __future__ import annotations

import logging

import faiss
import numpy as np

log = logging.getLogger(__name__)

# Chosen from benchmarks/scale.py (README "Performance"; 2 cores, 384 dims): exact
# flat search costs ~2.6 ms at 10k, ~21 ms at 100k and ~200 ms at 1M vectors, so it
# stays the default up to 50k (about 10 ms). Beyond, IVF measured p50 1.5 ms with
# recall@10 1.000 at 1M and builds in 32 s; HNSW (M=16) answered in 0.5 ms but
# reached only 0.59 recall@10 at 1M and took 196 s to build, so it is opt-in.
FLAT_MAX = 50_000
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 64
IVF_NPROBE = 16


def choose_index_type(n_vectors: int, requested: str = "auto") -> str:
    """The FAISS index type to build: exact while it is fast enough, IVF beyond."""
    if requested != "auto":
        return requested
    return "flat" if n_vectors <= FLAT_MAX else "ivf"


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
        nlist = max(1, min(4096, int(2 * np.sqrt(max(n, 1)))))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        train = vectors if n <= nlist * 40 else vectors[:: max(1, n // (nlist * 40))]
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
    """Write ``index`` in FAISS's native format. Serialised in memory and written by Python,
    so a full disk is an ``OSError`` (ENOSPC) like any other write, not a C++ assertion."""
    data = faiss.serialize_index(index)
    with open(path, "wb") as handle:
        handle.write(memoryview(data))


def read(path: str) -> faiss.Index:
    return faiss.read_index(path)
