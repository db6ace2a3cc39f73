"""Writing a build folder and swapping it in atomically; pruning old builds.

Layout of the index folder (``embeddings/`` by default)::

    CURRENT                 name of the live build folder (replaced atomically)
    build-<time>-<id>/
        manifest.json       model, dimension, chunking, documents' hashes, files' checksums
        documents.jsonl     each document's indexed text (quotes are cut from and checked
                            against it), its file's hash and where its pages start
        passages.jsonl      one Passage per line (text, offsets, section, speaker)
        sentences.jsonl     one Sentence per line
        passages.npy        passage vectors (float32, L2-normalised)
        sentences.npy       sentence vectors
        passages.faiss      FAISS inner-product index over passage vectors
        sentences.faiss     FAISS inner-product index over sentence vectors
        bm25-passages.npz / .vocab.json, bm25-sentences.npz / .vocab.json

Nothing is pickled: JSON, JSONL, .npy read with ``allow_pickle=False``, scipy's layout of
sparse .npz (read without pickle) and FAISS's native format.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot.config import Settings
from qa_bot.index import vectors as vec
from qa_bot.index.embedding import Embedder
from qa_bot.index.lexical import BM25
from qa_bot.index.manifest import (
    CURRENT,
    MANIFEST,
    current_folder,
    index_params,
    read_limits,
    sha256,
)
from qa_bot.ingest.corpus import (
    renumber,
)
from qa_bot.ingest.entities import ANNOTATION
from qa_bot.safe_json import sealed_json
from qa_bot.types import Passage, Sentence

log = logging.getLogger(__name__)


@dataclass
class DocRows:
    document: str
    title: str
    sha256: str
    text: str
    pages: tuple[int, ...]
    passages: tuple[Passage, ...]  # local ids
    sentences: tuple[Sentence, ...]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray


def write_build(
    root: Path,
    rows: list[DocRows],
    settings: Settings,
    embedder: Embedder,
    kept: list[str],
    unusable: dict[str, str],
    reasons: dict[str, str] | None = None,
) -> None:
    """Write a complete build folder, then point CURRENT at it in one atomic rename."""
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    documents: dict[str, Any] = {}
    for r in rows:
        p, s = renumber(r.passages, r.sentences, len(passages), len(sentences))
        documents[r.document] = {
            "sha256": r.sha256,
            "title": r.title,
            "passages": [len(passages), len(p)],
            "sentences": [len(sentences), len(s)],
        }
        passages.extend(p)
        sentences.extend(s)
    p_vec = np.concatenate([r.passage_vectors for r in rows]).astype(np.float32)
    s_vec = np.concatenate([r.sentence_vectors for r in rows]).astype(np.float32)
    kind = vec.choose_index_type(len(passages), settings.index_type)
    name = f"build-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    tmp = root / f".tmp-{name}"
    tmp.mkdir(parents=True)
    try:
        _write_jsonl(tmp / "documents.jsonl", [
            {"document": r.document, "sha256": r.sha256, "pages": list(r.pages), "text": r.text}
            for r in rows
        ])  # fmt: skip
        _write_jsonl(tmp / "passages.jsonl", [p.to_dict() for p in passages])
        _write_jsonl(tmp / "sentences.jsonl", [s.to_dict() for s in sentences])
        np.save(tmp / "passages.npy", p_vec, allow_pickle=False)
        np.save(tmp / "sentences.npy", s_vec, allow_pickle=False)
        vec.write(vec.build(p_vec, kind), str(tmp / "passages.faiss"))
        vec.write(vec.build(s_vec, vec.choose_index_type(len(sentences), settings.index_type)),
                  str(tmp / "sentences.faiss"))  # fmt: skip
        BM25.build([p.embedding_text() for p in passages]).save(tmp / "bm25-passages")
        BM25.build([s.text for s in sentences]).save(tmp / "bm25-sentences")
        files = {
            f.name: {"bytes": f.stat().st_size, "sha256": sha256(f)} for f in sorted(tmp.iterdir())
        }
        manifest = {
            **index_params(settings, embedder.model_id),
            "dim": int(p_vec.shape[1]),
            "index_type": kind,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "counts": {
                "documents": len(rows),
                "passages": len(passages),
                "sentences": len(sentences),
            },
            "documents": documents,
            "max_document_mb": settings.max_document_mb,
            "annotation": ANNOTATION,
            "kept_stale": sorted(kept),
            "unusable": dict(sorted(unusable.items())),
            "skip_reasons": dict(sorted((reasons or {}).items())),
            "read_limits": read_limits(settings),
            "files": files,
        }
        (tmp / MANIFEST).write_text(sealed_json(manifest), encoding="utf-8")
        _fsync_dir(tmp)
        final = root / name
        os.rename(tmp, final)
        previous = current_folder(root)
        if (root / CURRENT).is_dir() and not (root / CURRENT).is_symlink():
            log.warning(
                "%s is a folder, not the pointer to the live build; moved aside", root / CURRENT
            )
            os.rename(root / CURRENT, root / f".{CURRENT}-not-a-pointer-{uuid.uuid4().hex[:6]}")
        pointer = root / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, root / CURRENT)
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(root, keep={name, previous.name if previous else ""})


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _fsync_dir(path: Path) -> None:
    for f in path.iterdir():
        if f.is_file():
            with f.open("rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(root: Path, keep: set[str]) -> None:
    """Drop old build folders; the one just replaced stays for readers still using it."""
    for child in root.iterdir():
        if (
            child.is_dir()
            and child.name.startswith(("build-", ".tmp-build-"))
            and child.name not in keep
        ):
            shutil.rmtree(child, ignore_errors=True)
