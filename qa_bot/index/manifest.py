"""The index folder's manifest: where the live build is, whether it is current and intact.

Kept free of FAISS and scipy so that "is there anything to do?" costs milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from qa_bot.clean import CLEANING_VERSION
from qa_bot.config import Settings
from qa_bot.index.query_encoder import exported_for
from qa_bot.ingest.corpus import PARSING_VERSION
from qa_bot.ingest.entities import ANNOTATION
from qa_bot.ingest.listing import file_sha256, list_documents
from qa_bot.safe_json import JsonFileError, load_json, unsealed
from qa_bot.text import LEXICAL_VERSION

log = logging.getLogger(__name__)

# 2: documents.jsonl holds each document's indexed text; 3: the manifest is sealed (checksum)
FORMAT_VERSION = 3
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
REQUIRED_FILES = frozenset(
    {
        "documents.jsonl",
        "passages.jsonl",
        "sentences.jsonl",
        "passages.npy",
        "sentences.npy",
        "passages.faiss",
        "sentences.faiss",
    }
)


class IndexError_(RuntimeError):
    """The index on disk cannot be used (missing, stale, corrupted); says why."""


# Of index_params, those that make every stored vector invalid (a full rebuild); a change
# of the others reads every document again and embeds only the texts read differently.
VECTOR_PARAMS = ("format_version", "model")


def index_params(settings: Settings, model_id: str) -> dict[str, Any]:
    """How the index was made: if any of it changed, every document is read again."""
    return {
        "format_version": FORMAT_VERSION,
        "model": model_id,
        "chunking": {
            "unit": "paragraph",
            "max_passage_chars": settings.max_passage_chars,
            "max_sentence_chars": settings.max_sentence_chars,
        },
        "lexical": LEXICAL_VERSION,
        "cleaning": CLEANING_VERSION,
        "parsing": PARSING_VERSION,
    }


def read_limits(settings: Settings) -> dict[str, float]:
    """The limits that decide whether a file can be read: a file skipped under other limits
    is tried again."""
    return {
        "max_document_mb": settings.max_document_mb,
        "max_document_chars": settings.max_document_chars,
        "max_read_seconds": settings.max_read_seconds,
    }


NOT_READ_AGAIN = "not read again until the file changes (qa-bot build --force reads it now)"


def skipped_before(
    manifest: dict[str, Any] | None, settings: Settings
) -> dict[str, tuple[str, str]]:
    """The files the last build could not read: file -> (its hash then, why). A file of the
    same hash is not read again under the same limits: a document that hit the time limit
    would cost that limit on every build after any edit."""
    if manifest is None or manifest.get("read_limits") != read_limits(settings):
        return {}
    reasons = manifest.get("skip_reasons", {})
    return {
        rel: (sha, reasons[rel])
        for rel, sha in manifest.get("unusable", {}).items()
        if isinstance(reasons.get(rel), str)
    }


def up_to_date_summary(counts: dict[str, Any]) -> str:
    """The one-line report of a build that had nothing to do."""
    return (
        f"index is up to date: {counts.get('documents')} documents, {counts.get('passages')} "
        f"passages, {counts.get('sentences')} sentences; re-embedded 0 passages"
    )


def current_folder(root: Path) -> Path | None:
    """The live build folder named by CURRENT, or None when there is no index."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    except ValueError:  # bad bytes: as unreadable as a missing pointer
        log.warning("%s is not readable text; treating the index as missing", root / CURRENT)
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    return root / name


def read_manifest(root: Path) -> dict[str, Any] | None:
    """The live manifest, or None when there is none or it is damaged (``load_manifest``)."""
    folder = current_folder(root)
    if folder is None:
        return None
    try:
        return load_manifest(folder)
    except IndexError_ as err:
        log.warning("%s", err)
        return None


def load_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a build folder, checked: readable JSON, the shape a build writes, its
    checksum (this format's manifests are sealed) and ranges that tile the counts. A
    manifest of an older format is returned unchecked: its format alone makes it stale.
    Raises IndexError_ saying what is wrong; damage is never taken for data."""
    try:
        manifest = load_json(folder / MANIFEST)
        if isinstance(manifest, dict) and manifest.get("format_version") == FORMAT_VERSION:
            manifest = unsealed(manifest, str(folder / MANIFEST))
    except JsonFileError as err:
        raise IndexError_(f"the index manifest is damaged: {err}") from None
    if not well_formed(manifest):
        raise IndexError_(f"manifest in {folder} is not a manifest (wrong types or fields)")
    problem = manifest.get("format_version") == FORMAT_VERSION and _untiled(manifest)
    if problem:
        raise IndexError_(f"manifest in {folder} is inconsistent: {problem}")
    return manifest


def _untiled(manifest: dict[str, Any]) -> str | None:
    """Why the documents' passage and sentence ranges do not cover the counts exactly, one
    after the other, or None when they do."""
    docs, counts = manifest["documents"], manifest.get("counts", {})
    if len(docs) != counts.get("documents"):
        return f"{len(docs)} documents listed, {counts.get('documents')} counted"
    for key in ("passages", "sentences"):
        end = 0
        for first, n in sorted(d[key] for d in docs.values()):
            if first != end:
                return f"{key} {end}-{first} belong to no document, or to two"
            end += n
        if end != counts.get(key):
            return f"the documents' {key} add up to {end}, not the {counts.get(key)} counted"
    return None


def well_formed(manifest: Any) -> bool:
    """Is this a manifest at all: an object whose parts have the types a build writes?"""
    if not isinstance(manifest, dict):
        return False
    shapes = {"documents": dict, "unusable": dict, "skip_reasons": dict, "files": dict,
              "counts": dict}  # fmt: skip
    if any(not isinstance(manifest.get(k, t()), t) for k, t in shapes.items()):
        return False
    counts = manifest.get("counts", {})
    if any(not _count(v) for v in counts.values()):
        return False
    return all(
        isinstance(d, dict)
        and isinstance(d.get("sha256"), str)
        and all(_range(d.get(k)) for k in ("passages", "sentences"))
        for d in manifest.get("documents", {}).values()
    ) and all(
        isinstance(v, str)
        for key in ("unusable", "skip_reasons")
        for v in manifest.get(key, {}).values()
    )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _range(value: Any) -> bool:
    """[first id, how many]: what a build writes for a document's passages and sentences."""
    return isinstance(value, list) and len(value) == 2 and all(_count(v) for v in value)


def verify_files(folder: Path, files: dict[str, Any]) -> None:
    """Raise IndexError_ unless every listed file exists with its size and checksum."""
    missing = REQUIRED_FILES - set(files)
    if missing:
        raise IndexError_(f"manifest in {folder} does not list {', '.join(sorted(missing))}")
    for name, meta in files.items():
        path = folder / name
        if not path.is_file():
            raise IndexError_(f"index file {path} is missing")
        if path.stat().st_size != meta.get("bytes"):
            raise IndexError_(f"index file {path} has the wrong size (truncated?)")
        if sha256(path) != meta.get("sha256"):
            raise IndexError_(f"index file {path} does not match its checksum (corrupted)")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stale_reason(
    root: Path,
    settings: Settings,
    model_id: str,
    verify: bool = False,
    exportable: bool = False,
) -> str | None:
    """Why the index no longer matches the corpus and settings, or None if it does.

    Reads the manifest and hashes the corpus files (and, with ``verify``, the
    index files); loads no model and no index. ``exportable``: the model can be exported
    for torch-free questions, so a missing export is a reason to build.
    """
    manifest = read_manifest(root)
    if manifest is None:
        if current_folder(root) is None:
            return "no index yet"
        return "the index manifest is missing, unreadable or not a manifest"
    if exportable and exported_for(root) != model_id:
        return "the question encoder has not been exported for this model yet"
    for key, value in index_params(settings, model_id).items():
        if manifest.get(key) != value:
            return f"{key} changed ({manifest.get(key)!r} -> {value!r})"
    if manifest.get("annotation") != ANNOTATION:
        return "the sentences' entities were found with another pipeline (or not at all)"
    if manifest.get("max_document_mb") != settings.max_document_mb:
        return "the document size limit changed"
    docs = manifest.get("documents", {})
    unusable = manifest.get("unusable", {})  # bad files, as they were when last tried
    present = set(list_documents(settings.corpus))
    if present != set(docs) | set(unusable):
        return "documents were added or removed"
    for rel in sorted(present):
        expected = unusable.get(rel) or docs[rel]["sha256"]
        try:
            if file_sha256(settings.corpus, rel) != expected:
                return f"{rel} changed"
        except OSError:
            return f"{rel} changed (it cannot be read now)"
    if verify:
        try:
            verify_files(current_folder(root), manifest.get("files", {}))  # type: ignore[arg-type]
        except IndexError_ as err:
            return str(err)
    return None
