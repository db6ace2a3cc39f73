"""The collection's documents as a reader sees them (title, format, sections, passages, last
change, and the files skipped with their reason), and the documents a question is held to,
named as a person would name them: by file, path, stem or title."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from qa_bot.clean import shown_name
from qa_bot.index.load import Index

FORMATS = {"md": "Markdown", "txt": "Text", "pdf": "PDF", "html": "HTML", "htm": "HTML",
           "docx": "DOCX"}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One indexed document: its path in the corpus (the name answers cite), title, format,
    how many sections and passages it has and when its file last changed (ISO, UTC)."""

    document: str
    title: str
    format: str
    sections: int
    passages: int
    updated: str


@dataclass(frozen=True)
class Skipped:
    """A corpus file the index could not use, and why."""

    document: str
    reason: str


class UnknownDocumentError(ValueError):
    """A document asked for by name that is none of the collection's."""

    def __init__(self, names: list[str], known: list[str]) -> None:
        listed = "; ".join(shown_name(k) for k in known) or "none (the index is empty)"
        asked = ", ".join(repr(n) for n in names)
        said = f"no document {asked} in the collection" if names else "no document was named"
        super().__init__(f"{said}; the documents: {listed}")
        self.names = names


def indexed(index: Index) -> list[tuple[str, str]]:
    """(document, title) of each document that has passages, in index order, read from the
    manifest: cheap enough for every question held to some documents."""
    return [(document, meta.get("title") or document)
            for document, meta in index.manifest.get("documents", {}).items()
            if meta["passages"][1]]  # fmt: skip


def sources(index: Index, corpus: Path | None = None) -> list[Source]:
    """The indexed documents in the order the index holds them. ``updated`` is the file's
    last modification when ``corpus`` holds it, else the build time."""
    out = []
    for document, title in indexed(index):
        passages = index.passages_of(document)
        suffix = document.lower().rsplit(".", 1)[-1] if "." in document else ""
        out.append(Source(
            document=document,
            title=title,
            format=FORMATS.get(suffix, suffix.upper() or "Text"),
            sections=len({p.section for p in passages if p.section}),
            passages=len(passages),
            updated=_modified(corpus, document) or index.built_at,
        ))  # fmt: skip
    return out


def skipped(index: Index) -> list[Skipped]:
    """The files the build that answers could not read, with the reason it gave."""
    reasons = index.manifest.get("skip_reasons", {})
    return [Skipped(name, str(reasons.get(name, "could not be read")))
            for name in sorted(index.manifest.get("unusable", {}))]  # fmt: skip


def _modified(corpus: Path | None, document: str) -> str:
    if corpus is None:
        return ""
    try:
        seconds = os.stat(corpus / document).st_mtime
    except (OSError, ValueError):
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def chosen(index: Index, names: Iterable[str] | None) -> frozenset[str] | None:
    """The documents ``names`` mean: each a document's path, file name or stem, or its
    title (any case). None (all documents) for None; ``UnknownDocumentError`` listing the
    documents for a name that means none of them, or for no name at all."""
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    names = [n for n in names if isinstance(n, str)]
    titles = dict(indexed(index))
    known = list(titles)
    if not names:
        raise UnknownDocumentError([], known)
    found, unknown = set(), []
    for name in names:
        meant = _meant(name, titles)
        found |= meant
        if not meant:
            unknown.append(name)
    if unknown:
        raise UnknownDocumentError(unknown, known)
    return frozenset(found)


def _meant(name: str, titles: dict[str, str]) -> set[str]:
    """The documents one name means (``titles``: document -> title): an exact path first,
    then any of path, file name, stem or title equal to it ignoring case and spaces."""
    if name in titles:
        return {name}
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return set()
    out = set()
    for document, title in titles.items():
        file = document.rsplit("/", 1)[-1]
        keys = {document, file, file.rsplit(".", 1)[0], " ".join(title.split())}
        if wanted in {k.casefold() for k in keys if k}:
            out.add(document)
    return out


def searched_note(index: Index, documents: frozenset[str]) -> str:
    """ "Searched 1 of 3 documents: report.md." for a question held to some documents."""
    total = len(indexed(index))
    named = ", ".join(shown_name(d) for d in sorted(documents))
    return f"Searched {len(documents)} of {total} document{'' if total == 1 else 's'}: {named}."
