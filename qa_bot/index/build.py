"""Building the index: read what changed, find entities, embed, write (``write``), swap.

Only documents whose hash changed are read and embedded; an edited document re-embeds only
its changed paragraphs and sentences. One build at a time per index folder.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from qa_bot.clean import shown_name
from qa_bot.config import Settings
from qa_bot.index import write
from qa_bot.index.embedding import Embedder
from qa_bot.index.manifest import (
    NOT_READ_AGAIN,
    read_limits,
    skipped_before,
    up_to_date_summary,
)
from qa_bot.index.query_encoder import exported_for
from qa_bot.index.reuse import known_readings, known_vectors, load_for_reuse, reused
from qa_bot.index.write import DocRows
from qa_bot.ingest.corpus import Document, DocumentError, load_document
from qa_bot.ingest.entities import ANNOTATION, read_sentences
from qa_bot.ingest.formats import SUFFIXES
from qa_bot.ingest.listing import file_sha256, scan_corpus
from qa_bot.types import Sentence

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
                parts.append(f"{label}: {', '.join(map(shown_name, names))}")
        return "; ".join(parts)


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
    process; ``qa_bot.index.ray_build`` does both on Ray); everything else is the same."""
    started = time.perf_counter()
    say = progress or (lambda message: log.info("%s", message))
    corpus, root = settings.corpus, settings.index
    if not corpus.is_dir():
        raise CorpusError(
            f"corpus folder {corpus.resolve()} does not exist: put documents in it "
            f"({', '.join(SUFFIXES)}), or point QA_BOT_CORPUS (and QA_BOT_INDEX) at your "
            "collection (relative paths count from the current directory)"
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
        old, vector_source = (None, None) if force else load_for_reuse(root, settings, embedder)
        old_docs = old.manifest["documents"] if old else {}
        rows: list[DocRows] = []
        problems: list[str] = list(scan.refused)
        added, changed, kept_stale = [], [], []
        unusable: dict[str, str] = {}  # file -> hash of the version that could not be read
        reasons: dict[str, str] = {}  # file -> why it could not be read
        tried = skipped_before(old.manifest if old else None, settings)
        vanished: set[str] = set()  # listed, then removed before it could be read

        def unreadable(rel: str, sha: str, why: str) -> None:
            """Note a file that cannot be read; its last good version, if any, stays."""
            unusable[rel], reasons[rel] = sha, why
            if old is not None and rel in old_docs:
                kept_stale.append(rel)
                rows.append(reused(old, rel))
                problems.append(f"{shown_name(rel)}: keeping the previously indexed version")

        to_embed: list[Document] = []
        done = 0
        pending: dict[str, str] = {}  # documents to read: file -> hash
        for rel in names:
            try:
                sha = file_sha256(corpus, rel)
            except FileNotFoundError:  # removed since the listing: as if never listed
                vanished.add(rel)
                continue
            except OSError as err:  # unreadable since the listing
                problems.append(f"{shown_name(rel)}: cannot be read ({err.strerror}); skipped")
                continue
            if old and rel in old_docs and old_docs[rel]["sha256"] == sha:
                rows.append(reused(old, rel))
            elif rel in tried and tried[rel][0] == sha:  # skipped before, and still the same
                problems.append(f"{tried[rel][1]}; {NOT_READ_AGAIN}")
                unreadable(rel, *tried[rel])
            else:
                pending[rel] = sha
                continue
            done += 1
            if on_document is not None:
                on_document(done, len(names))
        read = (engine or LOCAL).read if pending else None
        for rel, result in zip(pending, read(settings, list(pending)) if read else [], strict=True):
            done += 1
            if on_document is not None:
                on_document(done, len(names))
            if isinstance(result, DocumentError) and not (corpus / rel).is_file():
                vanished.add(rel)  # removed while it was read
                continue
            if isinstance(result, DocumentError):
                problems.append(str(result))
                log.warning("%s", result)
                unreadable(rel, pending[rel], str(result))
                continue
            (changed if rel in old_docs else added).append(rel)
            to_embed.append(result)
        removed = sorted(set(old_docs) - (set(names) - vanished)) if old else []
        reannotate = old is not None and old.manifest.get("annotation") != ANNOTATION
        if (
            old
            and not to_embed
            and not removed
            and not reannotate
            and unusable == old.manifest.get("unusable", {})
            and old.manifest.get("read_limits") == read_limits(settings)
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
        source, docs = (old, changed) if old else (vector_source, None)
        known = known_vectors(source, docs)
        to_embed = _annotated(to_embed, say, known_readings(source, docs))
        if reannotate:
            rows = [_reannotated(r) for r in rows]
        rows.extend(_embed(to_embed, (engine or LOCAL).embedder(embedder), say, known))
        embedded_p = sum(p.embedding_text() not in known for d in to_embed for p in d.passages)
        embedded_s = sum(s.text not in known for d in to_embed for s in d.sentences)
        rows.sort(key=lambda r: r.document)
        write.write_build(root, rows, settings, embedder, kept_stale, unusable, reasons)
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
            full=vector_source is None,  # nothing lent: neither documents nor vectors
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


def _annotated(
    docs: list[Document], say: Callable[[str], None], known: dict[str, tuple] | None = None
) -> list[Document]:
    """The documents with the entities of every sentence (qa_bot/ingest/entities.py);
    a sentence in ``known`` (read before, the same text) keeps its reading."""
    if not docs:
        return docs
    started = time.perf_counter()
    known = dict(known or {})
    new = list(dict.fromkeys(s.text for d in docs for s in d.sentences if s.text not in known))
    known.update(zip(new, read_sentences(new), strict=True))
    out = [replace(d, sentences=tuple(_read(s, known[s.text]) for s in d.sentences)) for d in docs]
    say(f"found the entities of {len(new)} sentences in {time.perf_counter() - started:.1f}s")
    return out


def _reannotated(rows: DocRows) -> DocRows:
    found = read_sentences(s.text for s in rows.sentences)
    sentences = tuple(_read(s, r) for s, r in zip(rows.sentences, found, strict=True))
    return replace(rows, sentences=sentences)


def _read(sentence: Sentence, reading: tuple[tuple, str]) -> Sentence:
    entities, tense = reading
    return replace(sentence, entities=entities, tense=tense)


def _embed(
    docs: list[Document],
    embedder: Embedder,
    say: Callable[[str], None],
    known: dict[str, np.ndarray] | None = None,
) -> list[DocRows]:
    """Embed all new documents' passages and sentences in large batches.

    One encode call per chunk of texts (not per document) keeps batches full, so
    building runs near the model's raw throughput. Texts in ``known`` (unchanged
    paragraphs of an edited document) take their stored vectors instead.
    """
    if not docs:
        return []
    for i, doc in enumerate(docs, 1):
        say(f"[{i}/{len(docs)}] {shown_name(doc.path)}: {len(doc.passages)} passages, "
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
        rows.append(DocRows(d.path, d.title, d.sha256, d.text, d.pages, d.passages, d.sentences,
                             p_vec[p_at : p_at + np_], s_vec[s_at : s_at + ns]))  # fmt: skip
        p_at, s_at = p_at + np_, s_at + ns
    return rows
