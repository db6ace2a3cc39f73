"""Is the index still the corpus? Cheap fingerprints of the corpus folder, file hashes
for checking quotes, the index's status for people, and failed builds in plain words.

A watcher compares fingerprints once a second: names, sizes, modification and change times
and inodes (nothing read or hashed while nothing changed). Quotes and the evidence view are
shown only while their file's hash is the indexed one.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa_bot.clean import shown_name
from qa_bot.config import Settings
from qa_bot.index.manifest import current_folder
from qa_bot.ingest.corpus import DocumentError, decode
from qa_bot.ingest.formats import TEXT_SUFFIXES
from qa_bot.ingest.listing import file_sha256, list_documents
from qa_bot.ingest.safe_read import read_inside

# After a failed build the watcher tries again after this many seconds, doubling up to
# RETRY_MAX_S: a full disk or a read-only folder that is fixed is noticed without an edit.
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 300.0


@dataclass(frozen=True)
class Status:
    """What the index is doing, for status lines: ready, building (with progress) or
    failed (the last good index still answers)."""

    state: str
    detail: str = ""

    def line(self) -> str:
        if self.state == "ready":
            return f"up to date with the documents{f' ({self.detail})' if self.detail else ''}"
        if self.state == "building":
            return f"updating the index: {self.detail}"
        return f"last build failed: {self.detail}"


def corpus_signature(settings: Settings) -> tuple:
    """Names, sizes, modification and change times and inodes of the corpus files, and the
    index folder's live build: changes when a document or another process's build does.

    The change time and inode catch an edit that keeps size and modification time
    (``cp -p``, ``rsync -t``, tar): those set ``st_mtime`` back, but never ``st_ctime``."""
    entries = []
    for rel in list_documents(settings.corpus):
        try:
            st = (settings.corpus / rel).stat()
        except OSError:
            continue
        entries.append((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    live = current_folder(settings.index)
    return tuple(entries), live.name if live else None


_CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the index folder is on a read-only file system",
}


def plain_cause(err: BaseException) -> str:
    """A failed build's reason in plain words first ("the disk is full: ..."), then the
    error itself, so a status line says what to fix."""
    cause = _CAUSES.get(err.errno) if isinstance(err, OSError) and err.errno else None
    return f"{cause}: {err}" if cause else str(err)


@lru_cache(maxsize=1024)
def _hash(root: Path, rel: str, stamp: tuple[int, int, int, int]) -> str | None:
    try:
        return file_sha256(root, rel)
    except OSError:
        return None


def file_hash(root: Path, rel: str) -> str | None:
    """The SHA-256 of corpus file ``rel`` read inside ``root`` (cached until its size,
    times or inode change), None if it is gone or leads outside."""
    try:
        st = (root / rel).stat()
    except OSError:
        return None
    return _hash(root, rel, (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))


def as_of_notes(documents: list[str], built_at: str) -> list[str]:
    """What an answer quoting documents edited since the answering build says of its time."""
    when = built_at.replace("T", " ").replace("+00:00", " UTC")
    return [
        f"As of {when}, when the index was last built: {shown_name(d)} has changed since "
        "(the quoted text is still in it); the index is being brought up to date."
        for d in documents
    ]


STILL_IN_MAX_BYTES = 20 << 20  # a bigger text file is not read on a question's path


def still_in_file(root: Path, rel: str, text: str) -> bool:
    """Is ``text`` (one-spaced, as quotes are) still in the current file ``rel``, at any
    offset? Read for Markdown and plain text only, whose reading costs a decode; any other
    format (a PDF's extraction) is taken as changed. Cached until the file changes."""
    if not rel.lower().endswith(TEXT_SUFFIXES):
        return False
    digest = file_hash(root, rel)
    return digest is not None and text in _current_text(root, rel, digest)


@lru_cache(maxsize=64)
def _current_text(root: Path, rel: str, digest: str) -> str:
    try:
        raw = read_inside(root, rel, max_bytes=STILL_IN_MAX_BYTES)
        return " ".join(decode(raw, rel).split())
    except (OSError, DocumentError):
        return ""


def skipped_note(problems: tuple[str, ...]) -> str:
    """The files a build skipped, named with their reason, for the status line: the first
    in full ("scan.pdf: no text layer; skipped"), the rest counted."""
    if not problems:
        return ""
    more = len(problems) - 1
    return problems[0] + (
        f" (and {more} more file{'s' if more > 1 else ''} skipped)" if more else ""
    )
