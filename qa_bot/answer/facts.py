"""A candidate sentence's facts, gathered once per question: its typed entities and their
clauses, its countries, shares and stated changes, whether it holds the kind of thing
asked, the date line that dates it, the numbers its passage states.

The features (``features.py``), the checks (``checks/``) and the composed answer
(``compose.py``) all read a candidate through its ``Facts``; each fact is worked out on
first use and kept. ``Gathered`` holds the facts of one question's candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from qa_bot.answer import lexicon as lx
from qa_bot.answer.changes import Change, stated_changes
from qa_bot.answer.dating import (
    dating_line,
    days_of_month,
    lengths_of_time,
    points_in_time,
    years,
)
from qa_bot.answer.numbers import stated_numbers
from qa_bot.answer.query import Query
from qa_bot.answer.typed import countries, percentages, shares, typed_entities
from qa_bot.index.load import Index
from qa_bot.types import Encode, Passage, Sentence

# An ordinal states a count ("the twenty-fourth Bond film"); the NER often mislabels or
# misses it ("its one-hundred millionth iPod" is a date to it). "First" says too little.
_ORDINAL = re.compile(
    rf"\b(?:{lx.either(lx.ORDINALS, lx.LATER_ORDINALS)}|\w+teenth|\w+tieth"
    rf"|\w+-{lx.alt(('first',), lx.ORDINALS)}|{lx.either(lx.LARGE_ORDINALS)}|\d+{lx.alt(lx.ORDINAL_SUFFIXES)})\b",
    re.I,
)
_FIGURES = re.compile(r"(?<![\w.,/-])\d[\d,.]*(?![\w/-]|[.,]\d)")
_FRACTION = re.compile(rf"\b{lx.alt(lx.FRACTIONS)}$|\d+/\d+$", re.I)
# A year-like number after these is a date ("in 2010"), not a count.
_AFTER_PREPOSITION = re.compile(
    rf"\b{lx.alt(lx.LEAD_PREPOSITIONS, ('till', 'before', 'after', 'through'))}\s*$", re.I
)


def holds_asked_kind(
    query: Query, sentence: Sentence, speaker_line: tuple[tuple[str, str], ...] | None = None
) -> bool:
    """Does the sentence hold a thing of the asked kind? An entity of that kind, with:

    - for a person or an organisation, the speaker counts, but when ``speaker_line`` (the
      entities of the line introducing them) is known, only if it names one the question
      does not: "Mr. Colin Ward, Engagement Lead of Marinus Analytics" names no other
      organisation than the one "Which organisation funds Marinus Analytics?" asks about;
    - for a date, a length of time is none ("over the past 15 years" is not when she took
      office), and a year the NER missed is one ("(r. 1521-1567)");
    - for a count, also an ordinal, a date when time units are counted, or a bare number the
      NER took for a year. (When any date counted, "How many member states voted for
      resolution 79/286?" was answered by "convened on 30 June 2025".) A share counts only a
      part ("how many of"): "the 25% rise in victim detection" does not say how many.
    """
    typed = typed_entities(query, sentence)
    if (
        (-1, -1) in typed
        and speaker_line is not None
        and not any(
            label in query.labels and not given(query, text) for label, text in speaker_line
        )
    ):
        del typed[(-1, -1)]
    if query.answer_type == "count" and not query.form("counts_share"):
        said = percentages(sentence)
        typed = {k: v for k, v in typed.items() if k not in said}
    if query.answer_type == "age":  # "over one-third" (a number to the NER) is no age,
        # nor is a year ("arrested in 1959" does not say how old he was)
        typed = {
            k: v
            for k, v in typed.items()
            if not _FRACTION.search(sentence.text[k[0] : k[1]])
            and not _only_years(sentence.text[k[0] : k[1]])
        }
    if query.answer_type == "date":  # "over the past 15 years" is no date
        typed = points_in_time(sentence, typed)
    if query.answer_type == "duration":  # "merged in 2003" is no length ("since 2003" is)
        typed = lengths_of_time(sentence, typed)
    if typed:
        return True
    if query.answer_type == "date":  # years the NER misses: "(r. 1521-1567)", "(907-960)"
        return any(y not in query.numbers for y in years(sentence.text))
    if query.answer_type != "count":
        return False
    days = days_of_month(sentence.text)
    for found in _ORDINAL.finditer(sentence.text):
        if not any(start <= found.start() < end for start, end in days):
            return True
    dates = [
        (start, end)
        for label, start, end, *_ in sentence.entities
        if label in ("DATE", "TIME") and not query.names(sentence.text[start:end])
    ]
    if dates and query.form("counts_time"):
        return True
    # Numbers in figures the NER left without a label ("has 900 parking spaces").
    spans = [(start, end) for _, start, end, *_ in sentence.entities]
    bare = [
        found.span()
        for found in _FIGURES.finditer(sentence.text)
        if not any(a <= found.start() < b for a, b in spans) and not query.names(found.group())
    ]
    return any(_counts_something(sentence.text, start, end) for start, end in [*dates, *bare])


def _only_years(text: str) -> bool:
    """Is every number in ``text`` a year ("1959", "June 1959"; not "19 in 1959")?"""
    numbers = re.findall(r"\d+", text)
    return bool(numbers) and len(years(text)) == len(numbers)


def _counts_something(text: str, start: int, end: int) -> bool:
    """A bare number the NER took for a year, counting the noun after it: "counted 1099
    fishing boats" (not "in 2010 as a milestone", not "Spectre (2015)", not "the 2024
    UNODC Global Report", a year naming a report)."""
    bare = re.fullmatch(r"\d[\d,.]*", text[start:end]) is not None
    counting = re.match(r" [a-z]", text[end : end + 2]) is not None
    return bare and counting and not _AFTER_PREPOSITION.search(text[:start])


_TITLE_WORDS = frozenset(lx.NAME_TITLES + lx.OTHER_TITLES + ("the",))


def given(query: Query, name: str) -> bool:
    """Does the question itself give this name (all its words, titles aside)?"""
    return set(name_words(query.text)).issuperset(name_words(name) or [""])


def name_words(text: str) -> list[str]:
    """The words of a name, without titles or initials ("H.E. Mr. Jonibek Hikmat")."""
    text = re.sub(r"['’]s\b", "", text.lower())  # "Jane Doe's report" gives "Jane Doe"
    return [w for w in re.findall(r"[\w'-]+", text) if len(w) > 1 and w not in _TITLE_WORDS]


@dataclass(frozen=True)
class Gathered:
    """One question's candidates and how their facts are read: the index, the analysed
    question and the question encoder (a share's part is compared by meaning)."""

    index: Index | None  # None: sentences read on their own (``explain``, tests)
    query: Query
    encode: Encode | None = None
    part_floor: float = 0.0
    # The passages that may answer (a speaker's statements: ``scope.statements``), or None.
    within: frozenset[int] | None = None
    # Sentences the conversation has shown already ("What else did she say?").
    shown: frozenset[int] = frozenset()
    _facts: dict[int, Facts] = field(default_factory=dict, compare=False, repr=False)

    def __call__(self, sid: int) -> Facts:
        """The facts of sentence ``sid``, gathered once."""
        found = self._facts.get(sid)
        if found is None and self.index is not None:
            found = self._facts[sid] = Facts(self, self.index.sentences[sid])
        if found is None:
            raise IndexError(f"no sentence {sid}: these candidates have no index")
        return found

    def of(self, sentence: Sentence) -> Facts:
        """The facts of a sentence that may not be in the index (``explain``)."""
        index = self.index
        if (
            index is not None
            and 0 <= sentence.id < len(index.sentences)
            and (index.sentences[sentence.id] == sentence)
        ):
            return self(sentence.id)
        return Facts(self, sentence)


@dataclass(frozen=True)
class Facts:
    """What one candidate sentence states, as the question's checks and features read it."""

    gathered: Gathered
    sentence: Sentence

    @property
    def query(self) -> Query:
        return self.gathered.query

    @cached_property
    def passage(self) -> Passage | None:
        """The sentence's passage (None for a sentence given on its own: ``explain``)."""
        index = self.gathered.index
        pid = self.sentence.passage_id
        if index is None or not 0 <= pid < len(index.passages):
            return None
        if self.sentence.id in index.passages[pid].sentence_ids:
            return index.passages[pid]
        return None

    @cached_property
    def passage_text(self) -> str:
        return self.passage.text if self.passage else self.sentence.text

    @cached_property
    def where(self) -> str:
        """The passage with its section heading and document title: where a number or a
        name the question gives may be stated."""
        if self.passage is None:
            return self.sentence.text
        return f"{self.passage.text} {self.passage.section} {self.passage.title}"

    @cached_property
    def stated_numbers(self) -> frozenset[str]:
        return frozenset(stated_numbers(self.where))

    @cached_property
    def typed(self) -> dict[tuple[int, int], str]:
        """Entities of the asked kind, with their clauses (``typed.typed_entities``)."""
        return typed_entities(self.query, self.sentence)

    @cached_property
    def dateline_subject(self) -> str:
        """What the sentence dates, when it is a document's date line (else "")."""
        index = self.gathered.index
        if self.passage is None or index is None:
            return ""
        return index.dateline_subject(self.sentence)

    @cached_property
    def typed_in_context(self) -> dict[tuple[int, int], str]:
        """``typed`` with a date line's subject in every clause (what the features read)."""
        subject = self.dateline_subject
        return {k: f"{subject}: {v}" for k, v in self.typed.items()} if subject else self.typed

    @cached_property
    def clauses(self) -> list[str]:
        """The clauses of the sentence's own typed entities (its speaker line left out)."""
        return [clause for (start, _), clause in self.typed.items() if start >= 0]

    @cached_property
    def countries(self) -> dict[tuple[int, int], str]:
        return countries(self.query, self.sentence)

    @cached_property
    def shares(self) -> list[tuple[int, int]]:
        return shares(self.sentence)

    @cached_property
    def changes(self) -> list[Change]:
        """The changes stated at the sentence's shares."""
        return stated_changes(self.sentence, self.shares)

    @cached_property
    def speaker_line(self) -> tuple[tuple[str, str], ...] | None:
        """The entities of the line introducing the sentence's speaker (None: unknown)."""
        index = self.gathered.index
        return index.speaker_line(self.sentence.speaker) if index is not None else None

    @cached_property
    def holds(self) -> bool:
        """Does the sentence hold the asked kind (``holds_asked_kind``)?"""
        return holds_asked_kind(self.query, self.sentence, self.speaker_line)

    @cached_property
    def date_line(self) -> int | None:
        """The id of the date line that dates the sentence, when the question asks a date
        the sentence does not hold itself (release notes: ``dating.dating_line``)."""
        index = self.gathered.index
        if self.holds or self.query.answer_type != "date" or self.passage is None or index is None:
            return None
        return dating_line(index, self.sentence)

    @property
    def holds_or_dated(self) -> bool:
        """Holds the asked kind, itself or through its section's date line."""
        return self.holds or self.date_line is not None
