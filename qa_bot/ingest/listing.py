"""Which files of the corpus folder are its documents: every supported file below it, never
one a link takes outside it, hidden files aside."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa_bot.clean import shown_name
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
    ``ln -s /etc/passwd corpus/passwd.md`` publishes nothing. Hidden files are skipped. A
    name that is not UTF-8 (``caf\\xe9.md`` in Latin-1) is refused and named, since no
    citation, JSON line or link could carry it; the rest of the corpus builds. A file or
    folder removed while the listing runs is simply not listed.
    """
    if not root.is_dir():
        return CorpusScan(())
    base = root.resolve()
    names, refused = [], []
    for p in _files_below(root):
        rel = p.relative_to(root)
        if p.suffix.lower() not in SUFFIXES or _hidden(rel) or not p.is_file():
            continue
        name = rel.as_posix()
        if not _inside(p, base):
            refused.append(
                f"{shown_name(name)}: a link to a file outside the corpus folder; skipped"
            )
        elif not _utf8(name):
            refused.append(
                f"{shown_name(name)}: the file's name is not valid UTF-8; rename it to index it; "
                "skipped"
            )
        else:
            names.append(name)
    return CorpusScan(tuple(sorted(names)), tuple(sorted(refused)))


def _files_below(root: Path) -> Iterator[Path]:
    """Every file (or link) below ``root``, without following links to folders; a folder
    that vanishes or cannot be read while it is walked is passed over, not an error."""
    for folder, _subfolders, files in os.walk(root, onerror=lambda err: None):
        for name in files:
            yield Path(folder) / name


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # surrogateescape'd bytes
        return False
    return True


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
