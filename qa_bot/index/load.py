"""The index as loaded for answering: the Index, read and verified from its build folder."""

from __future__ import annotations

import bisect
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot.index import vectors as vec
from qa_bot.index.lexical import BM25
from qa_bot.index.manifest import (
    FORMAT_VERSION,
    IndexError_,
    current_folder,
    load_manifest,
    verify_files,
)
from qa_bot.index.spelling import Speller
from qa_bot.ingest.speakers import role_acronym
from qa_bot.text import words
from qa_bot.types import Passage, Sentence

# A date line is short ("Version 2.0, January 2004"); a longer first line is text of its own.
DATELINE_WORDS = 12
_PREPOSITION = re.compile(
    r"\s(?:as|for|on|in|at|to|by|with|from|during|under|about|regarding|concerning)\s", re.I
)

log = logging.getLogger(__name__)


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
    _speaker_lines: dict[str, tuple[tuple[str, str], ...]] | None = field(default=None, repr=False)
    _recording: frozenset[str] | None = field(default=None, repr=False)

    @property
    def speller(self) -> Speller:
        """Corrects question words towards this collection's words (built on first use)."""
        if self._speller is None:
            self._speller = Speller(
                [p.embedding_text() for p in self.passages]
                + [p.speaker or "" for p in self.passages]
                + [role_acronym(s) for s in self.speakers]  # "PGA" is the collection's too
            )
        return self._speller

    @property
    def recording_speakers(self) -> frozenset[str]:
        """The documents that record who said what (a transcript, a meeting summary): those
        with a speaker's passage (found on first use)."""
        if self._recording is None:
            self._recording = frozenset(p.document for p in self.passages if p.speaker)
        return self._recording

    def speaker_line(self, speaker: str | None) -> tuple[tuple[str, str], ...] | None:
        """The entities (label, text) the line introducing ``speaker`` names ("Mr. Colin
        Ward, Engagement Lead of Marinus Analytics in UK and Europe": a person, an
        organisation, places), read from the sentence that opens with it; None when no
        sentence does (a transcript's "SPEAKER:" label)."""
        if self._speaker_lines is None:
            lines: dict[str, tuple[tuple[str, str], ...]] = {}
            for s in self.sentences:
                if s.speaker and s.speaker not in lines and s.text.startswith(s.speaker):
                    lines[s.speaker] = tuple(
                        (label, s.text[start:end])
                        for label, start, end, *_ in s.entities
                        if end <= len(s.speaker)
                    )
            self._speaker_lines = lines
        return self._speaker_lines.get(speaker) if speaker else None

    def dateline_subject(self, sentence: Sentence) -> str:
        """What a document's date line dates: the head of its title ("Summary of the
        hearing"), when ``sentence`` is the short line right under the title ("30 June
        2025, United Nations Headquarters, New York"); else ""."""
        passage = self.passages[sentence.passage_id]
        first = passage.id == 0 or self.passages[passage.id - 1].document != passage.document
        if not first or passage.section or len(passage.sentence_ids) != 1:
            return ""
        if len(words(sentence.text)) > DATELINE_WORDS:
            return ""
        return title_head(passage.title)

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


def title_head(title: str) -> str:
    """A title up to its second preposition: the thing it names and what that is of or for
    ("Summary of the informal interactive multi-stakeholder hearing", not "... for the
    high-level meeting": the hearing's date line does not date the meeting)."""
    of = re.search(r"\s(?:of)\s", title)
    after = _PREPOSITION.search(title, of.end() if of else 0)
    if of is None and after is not None:
        after = _PREPOSITION.search(title, after.end())
    return title[: after.start()] if after else title


def load_index(root: Path) -> Index:
    """Load and verify the live index; raises IndexError_ saying what is wrong."""
    folder = current_folder(root)
    if folder is None:
        raise IndexError_(f"no index in {root}")
    manifest = load_manifest(folder)
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
    misplaced = _misplaced(manifest["documents"], passages, sentences)
    if misplaced:
        raise IndexError_(f"the manifest in {folder} does not match its files: {misplaced}")
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


def _misplaced(
    documents: dict[str, Any], passages: list[Passage], sentences: list[Sentence]
) -> str | None:
    """A document whose manifest ranges hold another document's passages or sentences."""
    for name, doc in documents.items():
        for key, rows in (("passages", passages), ("sentences", sentences)):
            first, n = doc[key]
            if any(r.document != name for r in rows[first : first + n]):
                return f"{key} {first}-{first + n} are not all {name}'s"
    return None


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line
