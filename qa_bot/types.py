"""The data that flows between modules: passages, sentences, quotes, answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from qa_bot.text import SECTION_SEP

# A text encoder (the question encoder): texts in, one vector per text out.
Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage, with its offsets into the original file."""

    id: int
    passage_id: int
    document: str
    start: int
    end: int
    text: str
    section: str
    speaker: str | None
    # Named entities found at build time (qa_bot/ingest/entities.py): (label, start, end, clause
    # start, clause end), offsets into ``text``.
    entities: tuple[tuple[str, int, int, int, int], ...] = ()
    # The tense of its main verb, read at build time: "past", "present", "future" or "".
    tense: str = ""

    def to_dict(self) -> dict[str, Any]:
        # Field by field, not asdict: its deep copy was a fifth of a 100K-passage build.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["entities"] = [list(entity) for entity in self.entities]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        raw = data.get("entities") or ()
        entities = tuple((str(a), int(b), int(c), int(d), int(e)) for a, b, c, d, e in raw)
        return cls(**{**data, "entities": entities})


@dataclass(frozen=True)
class Passage:
    """A paragraph (or part of a long one): the unit of retrieval."""

    id: int
    document: str
    title: str
    section: str
    start: int
    end: int
    text: str
    speaker: str | None
    sentence_ids: tuple[int, ...] = ()

    @property
    def section_leaf(self) -> str:
        return self.section.split(SECTION_SEP)[-1] if self.section else ""

    def embedding_text(self) -> str:
        """Text embedded for dense retrieval: the section title gives context."""
        leaf = self.section_leaf or self.title
        return f"{leaf}. {self.text}" if leaf else self.text

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["sentence_ids"] = list(self.sentence_ids)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(**{**data, "sentence_ids": tuple(data["sentence_ids"])})


@dataclass(frozen=True)
class Quote:
    """Verbatim corpus text that answers a question, with its provenance."""

    text: str
    document: str
    start: int
    end: int
    section: str
    speaker: str | None
    score: float
    context: str
    title: str = ""
    context_start: int = 0
    page: int | None = None  # 1-based page of the quote's start (paged formats: PDF)
    # Where in ``text`` the phrase that answers stands (the entity of the kind asked for,
    # a place, a date, an amount...), when the question asks for one; offsets into ``text``.
    answer_start: int | None = None
    answer_end: int | None = None
    # Every phrase that answers, when the question asks for several ("which countries"):
    # (start, end) offsets into ``text``; the first is answer_start/answer_end.
    answer_spans: tuple[tuple[int, int], ...] = ()

    @property
    def answer_phrase(self) -> str:
        """The phrase inside the quote that answers, or "" when none is marked."""
        if self.answer_start is None or self.answer_end is None:
            return ""
        return self.text[self.answer_start : self.answer_end]

    @property
    def answer_phrases(self) -> tuple[str, ...]:
        """Every phrase marked as answering, in order."""
        spans = self.answer_spans or (
            ((self.answer_start, self.answer_end),) if self.answer_phrase else ()
        )
        return tuple(self.text[a:b] for a, b in spans)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["answer_phrase"] = self.answer_phrase
        data["answer_phrases"] = list(self.answer_phrases)
        data["answer_spans"] = [list(span) for span in self.answer_spans]
        return data


# The three honest outcomes of a question.
ANSWERED = "answer"  # the first quote answers (confidence at or above the fitted threshold)
POSSIBLY_RELEVANT = "possibly_relevant"  # close text, shown apart, never as an answer
NOT_FOUND = "not_found"  # the documents don't say
# How sure an answer is, in two bands (SelectionModel.confident_threshold, fitted).
CONFIDENT = "confident"  # answers this sure were right at least learned.targets' share
UNCERTAIN = "uncertain"  # likely, but check the source


@dataclass(frozen=True)
class Answer:
    """The reply to one question: quotes when found, related passages when not."""

    question: str
    found: bool
    quotes: tuple[Quote, ...] = ()
    related: tuple[Quote, ...] = ()
    message: str = ""
    confidence: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    lacks: str = ""  # for a possibly relevant passage: what it does not say, in plain words
    # The ids of the checks that refused the best sentence (answer/checks/registry.py).
    checks: tuple[str, ...] = ()
    # The documents searched, when the question was held to some of them; () for all.
    documents: tuple[str, ...] = ()
    certainty: str = ""  # CONFIDENT or UNCERTAIN for an answer; "" when none is given

    @property
    def outcome(self) -> str:
        """ANSWERED, POSSIBLY_RELEVANT (related passages shown apart) or NOT_FOUND."""
        if self.found:
            return ANSWERED
        return POSSIBLY_RELEVANT if self.related else NOT_FOUND

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "found": self.found,
            "outcome": self.outcome,
            "message": self.message,
            "lacks": self.lacks,
            "checks": list(self.checks),
            "documents": list(self.documents),
            "confidence": round(self.confidence, 4),
            "certainty": self.certainty,
            "notes": list(self.notes),
            "quotes": [q.to_dict() for q in self.quotes],
            "related": [q.to_dict() for q in self.related],
        }
