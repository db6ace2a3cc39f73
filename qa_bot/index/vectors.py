"""FAISS inner-product indexes over normalised vectors; the index type follows corpus size."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from qa_bot.safe_json import load_json

log = logging.getLogger(__name__)

# What ``auto`` builds, and each type's parameters: refitted from measurements on real
# embeddings by ``python -m benchmarks.search_real --write-params`` (README "Performance").
PARAMS = Path(__file__).with_name("search.json")


@functools.cache
def params() -> dict[str, Any]:
    """The fitted search parameters (``search.json`` beside this file)."""
    return load_json(PARAMS)


def choose_index_type(n_vectors: int, requested: str = "auto") -> str:
    """The FAISS index type to build: exact while it is fast enough, the fitted type beyond."""
    if requested != "auto":
        return requested
    fitted = params()
    return "flat" if n_vectors <= fitted["flat_max"] else fitted["above"]


def build(vectors: np.ndarray, kind: str) -> faiss.Index:
    """An inner-product index of the given kind holding ``vectors`` (n x dim, float32)."""
    n, dim = vectors.shape
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        hnsw = params()["hnsw"]
        index = faiss.IndexHNSWFlat(dim, hnsw["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = hnsw["efConstruction"]
        index.hnsw.efSearch = hnsw["efSearch"]
    elif kind == "ivf":
        ivf = params()["ivf"]
        return build_ivf(vectors, ivf_lists(n, ivf["nlist_per_sqrt"]), ivf["nprobe"])
    else:
        raise ValueError(f"unknown index type {kind!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def ivf_lists(n_vectors: int, per_sqrt: float) -> int:
    """The number of IVF lists for ``n_vectors``: ``per_sqrt`` per square root of them."""
    return max(1, min(65_536, int(per_sqrt * np.sqrt(max(n_vectors, 1)))))


def build_ivf(vectors: np.ndarray, nlist: int, nprobe: int = 1) -> faiss.Index:
    """An IVF index of ``nlist`` lists over ``vectors``, trained on at most 40 per list."""
    n, dim = vectors.shape
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    train = vectors if n <= nlist * 40 else vectors[:: max(1, n // (nlist * 40))]
    index.train(np.ascontiguousarray(train, dtype=np.float32))
    index.nprobe = nprobe
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
