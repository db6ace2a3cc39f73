"""Which files of the corpus folder are its documents: every supported file below it, never
one a link takes outside it, hidden files aside."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from qa_bot.ingest.formats import SUFFIXES
from qa_bot.ingest.safe_read import read_inside


@dataclass(frozen=True)
class CorpusScan:
    """The documents under a corpus folder, and the files refused on the way."""

    names: tuple[str, ...]
    refused: tuple[str, ...] = ()


def scan_corpus(root: Path) -> CorpusScan:
    """Relative POSIX paths of the documents below ``root`` (sorted), never outside it.

    A symlink whose target lies outside the folder is refused (and named), so that
    ``ln -s /etc/passwd corpus/passwd.md`` publishes nothing. Hidden files are skipped.
    """
    if not root.is_dir():
        return CorpusScan(())
    base = root.resolve()
    names, refused = [], []
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if p.suffix.lower() not in SUFFIXES or _hidden(rel) or not p.is_file():
            continue
        if not _inside(p, base):
            refused.append(f"{rel.as_posix()}: a link to a file outside the corpus folder; skipped")
            continue
        names.append(rel.as_posix())
    return CorpusScan(tuple(sorted(names)), tuple(sorted(refused)))


def list_documents(root: Path) -> list[str]:
    """Paths (relative to ``root``, POSIX style) of the documents below it, sorted."""
    return list(scan_corpus(root).names)


def _inside(path: Path, base: Path) -> bool:
    try:
        return path.resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def file_sha256(root: Path, rel: str) -> str:
    """The SHA-256 of the corpus file ``rel``, read without leaving ``root``."""
    return hashlib.sha256(read_inside(root, rel)).hexdigest()
