"""The persisted index: build, incremental rebuild, atomic swap, verified load.

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

import bisect
import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa_bot import vectors as vec
from qa_bot.config import Settings
from qa_bot.corpus import (
    Document,
    DocumentError,
    file_sha256,
    load_document,
    renumber,
    scan_corpus,
)
from qa_bot.embedding import Embedder
from qa_bot.entities import ANNOTATION, annotate
from qa_bot.formats import SUFFIXES
from qa_bot.lexical import BM25
from qa_bot.manifest import (
    CURRENT,
    FORMAT_VERSION,
    MANIFEST,
    IndexError_,
    current_folder,
    index_params,
    sha256,
    up_to_date_summary,
    verify_files,
    well_formed,
)
from qa_bot.query_encoder import exported_for
from qa_bot.spelling import Speller
from qa_bot.types import Passage, Sentence

log = logging.getLogger(__name__)


class CorpusError(RuntimeError):
    """The corpus as a whole cannot be indexed (missing folder, no documents)."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI and the logs."""

    documents: int
    passages: int
    sentences: int
    embedded_passages: int
    embedded_sentences: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept_stale: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    full: bool = False
    noop: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        if self.noop:
            return up_to_date_summary(
                {
                    "documents": self.documents,
                    "passages": self.passages,
                    "sentences": self.sentences,
                }
            )
        parts = [
            f"indexed {self.documents} documents, {self.passages} passages, "
            f"{self.sentences} sentences in {self.seconds:.1f}s",
            f"re-embedded {self.embedded_passages} passages and "
            f"{self.embedded_sentences} sentences" + (" (full rebuild)" if self.full else ""),
        ]
        for label, names in (
            ("added", self.added),
            ("changed", self.changed),
            ("removed", self.removed),
        ):
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "; ".join(parts)


@dataclass
class Index:
    """A loaded, verified index, ready for retrieval."""

    folder: Path
    manifest: dict[str, Any]
    passages: list[Passage]
    sentences: list[Sentence]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray
    passage_index: Any
    sentence_index: Any
    passage_bm25: BM25
    sentence_bm25: BM25
    speakers: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # document -> indexed text
    pages: dict[str, tuple[int, ...]] = field(default_factory=dict)  # page starts (PDF)
    _speller: Speller | None = field(default=None, repr=False)

    @property
    def speller(self) -> Speller:
        """Corrects question words towards this collection's words (built on first use)."""
        if self._speller is None:
            self._speller = Speller(
                [p.embedding_text() for p in self.passages]
                + [p.speaker or "" for p in self.passages]
            )
        return self._speller

    @property
    def built_at(self) -> str:
        return str(self.manifest.get("built_at", ""))

    def sha256_of(self, document: str) -> str | None:
        """The hash of the file version this index was built from."""
        meta = self.manifest.get("documents", {}).get(document)
        return meta.get("sha256") if meta else None

    def passages_of(self, document: str) -> list[Passage]:
        """A document's passages, in order (the manifest records where they lie)."""
        meta = self.manifest.get("documents", {}).get(document)
        return self.passages[slice(meta["passages"][0], sum(meta["passages"]))] if meta else []

    def sentences_of(self, document: str) -> list[Sentence]:
        """A document's sentences, in order."""
        meta = self.manifest.get("documents", {}).get(document)
        return self.sentences[slice(meta["sentences"][0], sum(meta["sentences"]))] if meta else []

    def page_of(self, document: str, offset: int) -> int | None:
        """The 1-based page holding ``offset`` of a paged document, else None."""
        starts = self.pages.get(document)
        if not starts:
            return None
        return max(1, bisect.bisect_right(starts, offset))


# ---------------------------------------------------------------- loading


def load_index(root: Path) -> Index:
    """Load and verify the live index; raises IndexError_ saying what is wrong."""
    folder = current_folder(root)
    if folder is None:
        raise IndexError_(f"no index in {root}")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise IndexError_(f"manifest in {folder} is missing or unreadable ({err})") from None
    if not well_formed(manifest):
        raise IndexError_(f"manifest in {folder} is not a manifest (wrong types or fields)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexError_(f"index format {manifest.get('format_version')} is not {FORMAT_VERSION}")
    verify_files(folder, manifest.get("files", {}))
    try:
        passages = [
            Passage.from_dict(json.loads(line)) for line in _lines(folder / "passages.jsonl")
        ]
        sentences = [
            Sentence.from_dict(json.loads(line)) for line in _lines(folder / "sentences.jsonl")
        ]
        stored = [json.loads(line) for line in _lines(folder / "documents.jsonl")]
        texts = {d["document"]: d["text"] for d in stored}
        pages = {d["document"]: tuple(d["pages"]) for d in stored if d["pages"]}
        p_vec = np.load(folder / "passages.npy", allow_pickle=False)
        s_vec = np.load(folder / "sentences.npy", allow_pickle=False)
        p_index = vec.read(str(folder / "passages.faiss"))
        s_index = vec.read(str(folder / "sentences.faiss"))
        p_bm25 = BM25.load(folder / "bm25-passages")
        s_bm25 = BM25.load(folder / "bm25-sentences")
    except Exception as err:
        raise IndexError_(f"index files in {folder} cannot be read ({err})") from None
    counts = (len(passages), p_vec.shape[0], p_index.ntotal, p_bm25.size)
    s_counts = (len(sentences), s_vec.shape[0], s_index.ntotal, s_bm25.size)
    if len(set(counts)) != 1 or len(set(s_counts)) != 1:
        raise IndexError_(f"index files in {folder} disagree on their sizes: {counts} {s_counts}")
    if set(texts) != set(manifest.get("documents", {})):
        raise IndexError_(f"documents.jsonl in {folder} does not match the manifest")
    if p_vec.shape[1] != manifest.get("dim"):
        raise IndexError_(
            f"vectors have dimension {p_vec.shape[1]}, manifest says {manifest.get('dim')}"
        )
    speakers = sorted({p.speaker for p in passages if p.speaker})
    return Index(
        folder,
        manifest,
        passages,
        sentences,
        p_vec,
        s_vec,
        p_index,
        s_index,
        p_bm25,
        s_bm25,
        speakers,
        texts,
        pages,
    )


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line


# ---------------------------------------------------------------- building


@contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    """One build at a time per index folder (other processes wait)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class _DocRows:
    document: str
    title: str
    sha256: str
    text: str
    pages: tuple[int, ...]
    passages: tuple[Passage, ...]  # local ids
    sentences: tuple[Sentence, ...]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray


def build_index(
    settings: Settings,
    embedder: Embedder,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
    on_document: Callable[[int, int], None] | None = None,
    engine: Engine | None = None,
) -> BuildReport:
    """Bring the index in line with the corpus, re-embedding only what changed.

    ``progress`` gets messages; ``on_document(done, total)`` is called as each document
    is read (a progress bar's feed). ``engine`` reads and embeds (default: here, in this
    process; ``qa_bot.ray_build`` does both on Ray); everything else is the same."""
    started = time.perf_counter()
    say = progress or (lambda message: log.info("%s", message))
    corpus, root = settings.corpus, settings.index
    if not corpus.is_dir():
        raise CorpusError(
            f"corpus folder {corpus} does not exist; put documents in it ({', '.join(SUFFIXES)})"
        )
    scan = scan_corpus(corpus)
    names = list(scan.names)
    for refused in scan.refused:
        log.warning("%s", refused)
    if not names:
        raise CorpusError(
            f"corpus folder {corpus} has no documents ({', '.join(SUFFIXES)})"
            + (f"; {'; '.join(scan.refused)}" if scan.refused else "")
        )
    with _build_lock(root):
        old = None if force else _load_for_reuse(root, settings, embedder)
        old_docs = old.manifest["documents"] if old else {}
        rows: list[_DocRows] = []
        problems: list[str] = list(scan.refused)
        added, changed, kept_stale = [], [], []
        unusable: dict[str, str] = {}  # file -> hash of the version that could not be read
        to_embed: list[Document] = []
        done = 0
        pending: dict[str, str] = {}  # documents to read: file -> hash
        for rel in names:
            try:
                sha = file_sha256(corpus, rel)
            except OSError as err:  # gone or unreadable since the listing
                problems.append(f"{rel}: cannot be read ({err.strerror}); skipped")
                continue
            if old and rel in old_docs and old_docs[rel]["sha256"] == sha:
                rows.append(_reuse(old, rel))
                done += 1
                if on_document is not None:
                    on_document(done, len(names))
            else:
                pending[rel] = sha
        read = (engine or LOCAL).read if pending else None
        for rel, result in zip(pending, read(settings, list(pending)) if read else [], strict=True):
            done += 1
            if on_document is not None:
                on_document(done, len(names))
            if isinstance(result, DocumentError):
                problems.append(str(result))
                log.warning("%s", result)
                unusable[rel] = pending[rel]
                if old and rel in old_docs:
                    kept_stale.append(rel)
                    rows.append(_reuse(old, rel))
                    problems.append(f"{rel}: keeping the previously indexed version")
                continue
            (changed if rel in old_docs else added).append(rel)
            to_embed.append(result)
        removed = sorted(set(old_docs) - set(names)) if old else []
        reannotate = old is not None and old.manifest.get("annotation") != ANNOTATION
        if (
            old
            and not to_embed
            and not removed
            and not reannotate
            and unusable == old.manifest.get("unusable", {})
        ):
            _ensure_query_encoder(root, embedder)
            m = old.manifest["counts"]
            return BuildReport(
                m["documents"], m["passages"], m["sentences"], 0, 0,
                problems=tuple(problems), noop=True, seconds=time.perf_counter() - started,
            )  # fmt: skip
        if not rows and not to_embed:
            raise CorpusError(
                f"none of the {len(names)} documents in {corpus} could be indexed: "
                + "; ".join(problems)
            )
        known = _known_vectors(old, changed)
        to_embed = _annotated(to_embed, say)
        if reannotate:
            rows = [_reannotated(r) for r in rows]
        rows.extend(_embed(to_embed, (engine or LOCAL).embedder(embedder), say, known))
        embedded_p = sum(p.embedding_text() not in known for d in to_embed for p in d.passages)
        embedded_s = sum(s.text not in known for d in to_embed for s in d.sentences)
        rows.sort(key=lambda r: r.document)
        _write(root, rows, settings, embedder, kept_stale, unusable)
        _ensure_query_encoder(root, embedder)
        report = BuildReport(
            documents=len(rows),
            passages=sum(len(r.passages) for r in rows),
            sentences=sum(len(r.sentences) for r in rows),
            embedded_passages=embedded_p,
            embedded_sentences=embedded_s,
            added=tuple(added),
            changed=tuple(changed),
            removed=tuple(removed),
            kept_stale=tuple(kept_stale),
            problems=tuple(problems),
            full=old is None,
            seconds=time.perf_counter() - started,
        )
        log.info("%s", report.summary())
        return report


EMBED_CHUNK = 1024


class Engine(Protocol):
    """Where a build reads documents and embeds texts."""

    def read(self, settings: Settings, rels: list[str]) -> list[Document | DocumentError]:
        """Each file read and parsed, in order; a file that cannot be used, as its error."""
        ...

    def embedder(self, embedder: Embedder) -> Embedder:
        """What embeds the new texts (the local build: the given embedder itself)."""
        ...


def read_document(settings: Settings, rel: str) -> Document | DocumentError:
    """One corpus file, parsed with the settings' limits, or the reason it cannot be."""
    try:
        return load_document(
            settings.corpus, rel, settings.max_passage_chars, settings.max_document_mb,
            settings.max_sentence_chars, settings.max_document_chars, settings.max_read_seconds,
        )  # fmt: skip
    except DocumentError as err:
        return err


class LocalEngine:
    """Reads in this process, one file after the other; embeds with the given model."""

    def read(self, settings: Settings, rels: list[str]) -> list[Document | DocumentError]:
        return [read_document(settings, rel) for rel in rels]

    def embedder(self, embedder: Embedder) -> Embedder:
        return embedder


LOCAL = LocalEngine()


def _ensure_query_encoder(root: Path, embedder: Embedder) -> None:
    """Export the model for torch-free questions once (an embedder that cannot, skips)."""
    export = getattr(embedder, "export_query_encoder", None)
    if export is not None and exported_for(root) != embedder.model_id:
        export(root)


def _annotated(docs: list[Document], say: Callable[[str], None]) -> list[Document]:
    """The documents with the entities of every sentence (qa_bot/entities.py)."""
    if not docs:
        return docs
    started = time.perf_counter()
    found = iter(annotate(s.text for d in docs for s in d.sentences))
    out = [
        replace(d, sentences=tuple(replace(s, entities=next(found)) for s in d.sentences))
        for d in docs
    ]
    say(f"found the entities of {sum(len(d.sentences) for d in docs)} sentences "
        f"in {time.perf_counter() - started:.1f}s")  # fmt: skip
    return out


def _reannotated(rows: _DocRows) -> _DocRows:
    found = annotate(s.text for s in rows.sentences)
    sentences = tuple(replace(s, entities=e) for s, e in zip(rows.sentences, found, strict=True))
    return replace(rows, sentences=sentences)


def _known_vectors(old: Index | None, changed: list[str]) -> dict[str, np.ndarray]:
    """Vectors of the texts that changed documents had before the change, by text: an
    edit of one paragraph re-embeds that paragraph and its sentences, not the document."""
    if old is None or not changed:
        return {}
    known = {
        p.embedding_text(): old.passage_vectors[p.id] for d in changed for p in old.passages_of(d)
    }
    known.update((s.text, old.sentence_vectors[s.id]) for d in changed for s in old.sentences_of(d))
    return known


def _embed(
    docs: list[Document],
    embedder: Embedder,
    say: Callable[[str], None],
    known: dict[str, np.ndarray] | None = None,
) -> list[_DocRows]:
    """Embed all new documents' passages and sentences in large batches.

    One encode call per chunk of texts (not per document) keeps batches full, so
    building runs near the model's raw throughput. Texts in ``known`` (unchanged
    paragraphs of an edited document) take their stored vectors instead.
    """
    if not docs:
        return []
    for i, doc in enumerate(docs, 1):
        say(f"[{i}/{len(docs)}] {doc.path}: {len(doc.passages)} passages, "
            f"{len(doc.sentences)} sentences")  # fmt: skip
    known = known or {}
    texts = [p.embedding_text() for d in docs for p in d.passages]
    n_passages = len(texts)
    texts += [s.text for d in docs for s in d.sentences]
    new = list(dict.fromkeys(t for t in texts if t not in known))
    parts = []
    chunk = getattr(embedder, "chunk", EMBED_CHUNK)  # a distributed embedder takes all at once
    for start in range(0, len(new), chunk):
        parts.append(embedder.encode(new[start : start + chunk]))
        if len(new) > chunk:
            say(f"embedded {min(start + chunk, len(new))}/{len(new)} texts")
    if new:
        known = {**known, **dict(zip(new, np.concatenate(parts), strict=True))}
    vectors = np.stack([known[t] for t in texts]).astype(np.float32)
    p_vec, s_vec = vectors[:n_passages], vectors[n_passages:]
    rows, p_at, s_at = [], 0, 0
    for d in docs:
        np_, ns = len(d.passages), len(d.sentences)
        rows.append(_DocRows(d.path, d.title, d.sha256, d.text, d.pages, d.passages, d.sentences,
                             p_vec[p_at : p_at + np_], s_vec[s_at : s_at + ns]))  # fmt: skip
        p_at, s_at = p_at + np_, s_at + ns
    return rows


def _load_for_reuse(root: Path, settings: Settings, embedder: Embedder) -> Index | None:
    """The existing index if its vectors can be reused, else None (full rebuild)."""
    if current_folder(root) is None:
        return None
    try:
        old = load_index(root)
    except IndexError_ as err:
        log.warning("rebuilding the index from scratch: %s", err)
        return None
    for key, value in index_params(settings, embedder.model_id).items():
        if old.manifest.get(key) != value:
            log.info("rebuilding the index from scratch: %s changed", key)
            return None
    return old


def _reuse(old: Index, rel: str) -> _DocRows:
    meta = old.manifest["documents"][rel]
    p0, pn = meta["passages"]
    s0, sn = meta["sentences"]
    passages, sentences = renumber(
        tuple(old.passages[p0 : p0 + pn]), tuple(old.sentences[s0 : s0 + sn]), -p0, -s0
    )
    return _DocRows(
        rel, meta["title"], meta["sha256"], old.texts[rel], old.pages.get(rel, ()),
        tuple(passages), tuple(sentences),
        np.asarray(old.passage_vectors[p0 : p0 + pn]), np.asarray(old.sentence_vectors[s0 : s0 + sn]),
    )  # fmt: skip


def _write(
    root: Path,
    rows: list[_DocRows],
    settings: Settings,
    embedder: Embedder,
    kept: list[str],
    unusable: dict[str, str],
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
            "files": files,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
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
