"""Question analysis: clean the text, find its type, named speakers and follow-up context."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.answer.numbers import asked_code_names, asked_numbers
from qa_bot.clean import clean_input
from qa_bot.index.spelling import Speller
from qa_bot.ingest.speakers import name_keys, speaker_role
from qa_bot.text import FRAMING, question_terms, stem, terms, words

_PRONOUNS = frozenset(
    """
    he she him his her hers they them their theirs it its this that these those
    """.split()
)
_CONTINUATIONS = (
    "and ",
    "what about",
    "how about",
    "what else",
    "anything else",
    "also ",
    "more on",
)
# A question's kind from its opening words; a leading preposition is allowed ("In what
# year ...", "On what date ...", "For how long ...").
# "What number", "what total number", "what is the current number of" (a count however it
# is qualified).
_NUMBER_OF = (
    r"(?:what (?:(?:total|approximate|exact|overall|estimated) )?number"
    r"|what (?:is|was|are|were) the (?:(?:total|approximate|exact|overall|estimated|current"
    r"|present) )?number of)"
)
_LEAD = r"^\s*(?:(?:on|in|at|by|for|from|since|until|during|to|of|as of \w+,?)\s+)?"
_WHO = re.compile(
    _LEAD + r"(?:who|whom|whose|which (?:panell?ist|speaker|person|official|representative"
    r"|ambassador|director|survivor|participant|man|woman|character|actor|author|artist))\b",
    re.I,
)
_QUANTITY = re.compile(
    _LEAD + r"(?:how (?:many|much|often)"
    r"|what (?:percentage|percent|share|proportion|fraction|amount)"
    rf"|{_NUMBER_OF})\b",
    re.I,
)
_WHEN = re.compile(
    _LEAD + r"(?:when|what (?:date|year|day|month|decade|century|time)"
    r"|which (?:date|year|day|month|decade|century))\b",
    re.I,
)


# What a question asks for, from its opening words, as entity labels (OntoNotes, as spaCy's
# NER gives them at build time). Only where the answer is a named thing: bare "where"
# ("online"), plural "which companies" ("technology companies") and "who should" ("Member
# States") are answered by common nouns, so they ask for no type.
ANSWER_TYPES = {
    "person": ("PERSON",),
    "organisation": ("ORG", "NORP", "FAC"),
    "place": ("GPE", "LOC", "FAC"),
    "date": ("DATE", "TIME"),
    "duration": ("DATE", "TIME"),
    "age": ("DATE", "CARDINAL"),  # "nine years old" is a date to the NER, "at 14" a number
    "money": ("MONEY",),
    "share": ("PERCENT",),
    "count": ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"),
    "change": ("PERCENT", "CARDINAL", "QUANTITY", "MONEY"),  # by how much something grew
}
# A university or college is asked for by name: "which university does she teach at" is not
# answered by her organisation's name (held out, 1 near miss turned away; the 3 SQuAD
# questions of the form stay answered).
_ORGS = (
    r"(?:organi[sz]ation|company|agency|institution|body|ngo|fund|foundation|firm|entity"
    r"|university|college)"
)
_PLACES = (
    r"(?:city|country|place|region|location|town|venue|(?:member )?state|continent|capital"
    r"|nation)"
)
_DATES = r"(?:year|date|day|month|decade|century)"
# "What was the date of the hearing?", "the closing date for ...?" (not "the day like?").
_DATE_OF = r"(?=\s+(?:of|for|when|on|that|in|at)\b|\s*\?)"
# "How much did X pay / cost / donate ...?" asks an amount of money; "how much" alone also
# asks amounts of energy or water ("How much solar energy is captured ...?").
_SPENT = (
    r"how much\b(?! of\b| more\b| less\b)[^?]*\b(?:pay|pays|paid|cost|costs|spend|spends|spent"
    r"|earn|earns|earned|donate|donates|donated|raise|raises|raised|charge|charges|charged"
    r"|invest|invests|invested|fund|funds|funded|gross|grossed|contribute|contributes"
    r"|contributed|sell for|sold for|owe|owes|owed)\b"
)
# What a sum of money is called ("what is the annual budget / the fee for ...").
_PRICES = (
    r"(?:budget|cost|price|salary|revenue|fees?|fares?|rent|wages?|tuition|royalt(?:y|ies)|tolls?)"
)
_SHARES = r"(?:percentage|percent|share|proportion|fraction)"
# The words of a change, by its direction (qa_bot/answer/changes.py reads changes).
_UP = (
    "rise rises rose risen rising increase increases increased increasing growth grow grows"
    " grew grown growing gain gains gained jump jumped climb climbed surge surged"
).split()
_DOWN = (
    "fall falls fell fallen falling decrease decreases decreased decreasing decline declines"
    " declined declining drop drops dropped dropping reduction reductions reduce reduced cut"
    " cuts shrink shrank shrunk dip dipped"
).split()
DIRECTION = {**dict.fromkeys(_UP, "rise"), **dict.fromkeys(_DOWN, "fall")}
CHANGE_WORDS = "|".join(sorted(DIRECTION, key=len, reverse=True))  # a regex alternation
AUX = r"(?:did|has|have|had|was|were|is|are|does|do|will)"
# "How much did X grow?" asks the size of a change: a share ("a 35% increase") or a number
# as often as an amount of money.
_HOW_MUCH_CHANGED = _LEAD + rf"(?:by )?how much {AUX}\b.*\b(?:{CHANGE_WORDS})\b"
_TYPED = [
    ("person", _LEAD + r"(?:who|whom|whose)\b(?!\s+(?:should|must|can|could|would|will|may)\b)"),
    (
        "person",
        _LEAD + r"which (?:panell?ist|speaker|person|official|representative|ambassador"
        r"|director|survivor|participant|man|woman|moderator|chair)\b",
    ),
    ("organisation", _LEAD + r"(?:which|what) " + _ORGS + r"\b(?!s)"),
    ("place", _LEAD + r"(?:which|what) " + _PLACES + r"\b(?!s)"),
    (
        "place",
        r"^\s*where\b.*\b(?P<cue>held|hosted|located|based|born|convened|situated"
        r"|headquartered|take place|took place|meet|met|opened)\b",
    ),
    ("age", _LEAD + r"how old\b|^\s*at what age\b"),
    ("duration", _LEAD + r"how long\b|^\s*how many (?:years|months|weeks|days|hours|decades)\b"),
    (
        "date",
        _LEAD + rf"(?:when|what (?:{_DATES}|time)|which {_DATES})\b",
    ),
    ("change", _HOW_MUCH_CHANGED),
    (
        "money",
        _LEAD + r"(?:how much (?:money|funding|did|does|do|will|would|is|was|were|are)"
        r"|what (?:amount|budget|sum|cost|price|funding)|how much)\b",
    ),
    (
        "money",
        rf"^\s*what (?:is|was|are|were|will be) the (?:\w+ )?(?P<cue>{_PRICES}|amount|funding)\b",
    ),
    ("date", rf"^\s*what (?:is|was|are|were|will be) the (?:\w+ )?(?P<cue>{_DATES}){_DATE_OF}"),
    ("share", _LEAD + rf"what {_SHARES}\b"),
    (
        "count",
        _LEAD + rf"(?:how many|{_NUMBER_OF})\b",
    ),
]
_WHO_IS_NAME = re.compile(r"^\s*(?i:who (?:is|was|are|were)) (?:(?i:mr|ms|mrs|dr|h\.e)\.? )?[A-Z]")
_TYPED_RE = [(name, re.compile(pattern, re.I)) for name, pattern in _TYPED]


@dataclass(frozen=True)
class Query:
    """A question made ready for retrieval."""

    text: str
    retrieval_text: str
    terms: tuple[str, ...]
    optional_terms: tuple[str, ...]
    context_terms: tuple[str, ...]
    speakers: tuple[str, ...]
    kind: str  # "who", "quantity", "when" or "other"
    followup: bool
    notes: tuple[str, ...] = ()
    answer_type: str = ""  # a key of ANSWER_TYPES, or "" when no named thing is asked for
    asked: str = ""  # the question as the user typed it (cleaned), when spelling changed it
    strict: bool = False  # only a sentence holding the asked kind can answer (see strict_type)
    # The question's words that name the kind asked ("percentage", "which country"): an
    # answer's clause need not repeat them ("one-third of victims" answers "what share").
    cue_terms: tuple[str, ...] = ()
    # Numbers the question states ("in 2024", "version 2.0"): part of the fact asked.
    numbers: tuple[str, ...] = ()
    # Names from code, as the user typed them ("numpy.ma.multiply"): likewise.
    code_names: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels that can answer the question (none: no type asked)."""
        return ANSWER_TYPES.get(self.answer_type, ())


def clean(question: str, limit: int) -> tuple[str, list[str]]:
    """Plain, bounded text: invalid Unicode replaced, terminal escapes and control
    characters dropped (qa_bot/clean.py), whitespace folded, length capped."""
    notes = []
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in clean_input(question)
    )
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
        notes.append(f"The question was shortened to its first {len(text)} characters.")
    return text, notes


def analyse(
    question: str,
    history: list[str],
    speakers: list[str],
    limit: int = 1000,
    speller: Speller | None = None,
) -> Query:
    """Clean the question, match words the collection never uses to ones it does
    (``speller``), and resolve what it leans on from the chat history."""
    text, notes = clean(question, limit)
    asked = ""
    if speller is not None and text:
        corrected, changes = speller.correct(text, type_cue_terms(text))
        if changes and corrected:
            asked, text = text, corrected
            notes.append(f"Searched for: {corrected}")
    kind = _kind(text)
    named = _named_speakers(text, speakers) or _role_speakers(text, speakers)
    followup = bool(history) and _leans_on_context(text)
    context_terms: tuple[str, ...] = ()
    retrieval_text = text
    if followup:
        previous = next((h for h in reversed(history) if clean(h, limit)[0]), "")
        previous = clean(previous, limit)[0]
        if previous:
            retrieval_text = f"{text} {previous}"
            context_terms = tuple(terms(previous))
            if not named:
                named = _named_speakers(previous, speakers) or _named_in_history(history, speakers)
    return Query(
        text=text,
        retrieval_text=retrieval_text,
        terms=tuple(_content_terms(text, named, kind)),
        optional_terms=_framing_terms(text),
        context_terms=context_terms,
        speakers=tuple(named),
        kind=kind,
        followup=followup,
        notes=tuple(notes),
        answer_type=answer_type(text),
        asked=asked,
        strict=strict_type(text),
        cue_terms=type_cue_terms(text),
        numbers=asked_numbers(text),
        code_names=asked_code_names(asked or text),
    )


def _content_terms(text: str, named: list[str], kind: str) -> list[str]:
    """Question terms minus what only identifies a named speaker (scored apart).

    Names always go; roles go too unless the question asks who holds them
    ("What did the President of the General Assembly say about X?" is about X).
    """
    names = {t for s in named for key in name_keys(s) for t in terms(key)}
    if kind != "who":
        names |= {t for s in named for t in terms(speaker_role(s))}
    return [t for t in question_terms(text) if t not in names]


def _framing_terms(text: str) -> tuple[str, ...]:
    """Framing words ("panellists", "mentioned"): credit when an answer has them, never required."""
    return tuple(dict.fromkeys(stem(w) for w in words(text) if w in FRAMING))


def answer_type(text: str) -> str:
    """What kind of named thing the question asks for (a key of ANSWER_TYPES), or "".

    "Who is Catherine Kirkendall?" asks who a named person is (a role, an affiliation),
    not for a person, so it asks for no type."""
    found = _typed_match(text)
    return found[0] if found else ""


def _typed_match(text: str) -> tuple[str, re.Match[str]] | None:
    """The first answer type whose question form ``text`` has, with where it matched."""
    if _WHO_IS_NAME.match(text):
        return None
    for name, pattern in _TYPED_RE:
        found = pattern.search(text)
        if found:
            return name, found
    return None


def type_cue_terms(text: str) -> tuple[str, ...]:
    """The terms of the words that say which kind is asked ("What percentage", "In which
    city", "how long", "where ... held"): what ``answer_type`` matched."""
    found = _typed_match(text)
    if found is None:
        return ()
    match = found[1]
    return tuple(question_terms(match.groupdict().get("cue") or match.group(0)))


# Question forms whose answer is always a named thing of the asked kind: a sentence without
# one cannot answer them. Bare "when" ("when do my licenses end?") and bare "who" ("who
# elects the Leader?") are answered by clauses and roles; "how much ... grown" by a share;
# but when something was held, adopted or founded, or when someone did something, is a date.
_STRICT = re.compile(
    _LEAD + rf"(?:(?:which|what) (?:{_PLACES}|{_DATES}|{_SHARES}|{_ORGS})\b(?!s)"
    r"|how (?:long|old)\b|at what age\b|how many\b|"
    rf"{_NUMBER_OF}\b|how much (?:money|funding)\b|{_SPENT}"
    rf"|what (?:is|was|are|were|will be) the (?:\w+ )?(?:{_PRICES}\b|{_DATES}{_DATE_OF})"
    r"|where\b.*\b(?:held|hosted|located|based|born|convened|situated|headquartered)"
    r"|when (?:did|was|were)\b"
    r"|when\b[^,]*\b(?:held|hosted|convened|adopted|ratified|signed|founded|established"
    r"|born|launched|published|released|elected|appointed|died)\b[^,]*$)",
    re.I,
)


def strict_type(text: str) -> bool:
    """Does the question's form demand a named thing of its answer type (``_STRICT``)?"""
    kind = answer_type(text)
    return kind == "change" or (bool(kind) and bool(_STRICT.search(text)))


def _kind(text: str) -> str:
    if _WHO.match(text):
        return "who"
    if _QUANTITY.match(text):
        return "quantity"
    if _WHEN.match(text):
        return "when"
    return "other"


def _leans_on_context(text: str) -> bool:
    lowered = text.lower()
    if lowered.startswith(_CONTINUATIONS):
        return True
    tokens = words(text)
    return any(t in _PRONOUNS for t in tokens) or len(terms(text)) <= 1


def _named_speakers(text: str, speakers: list[str]) -> list[str]:
    tokens = " " + " ".join(words(text)) + " "
    return [
        speaker
        for speaker, phrases in _name_phrases(tuple(speakers)).items()
        if any(phrase in tokens for phrase in phrases)
    ]


@lru_cache(maxsize=8)
def _name_phrases(speakers: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each speaker's names as space-delimited word phrases (per index, not per question)."""
    return {s: tuple(f" {' '.join(words(key))} " for key in sorted(name_keys(s))) for s in speakers}


def _named_in_history(history: list[str], speakers: list[str]) -> list[str]:
    for previous in reversed(history):
        found = _named_speakers(previous, speakers)
        if found:
            return found
    return []


def _role_speakers(text: str, speakers: list[str], threshold: float = 0.6) -> list[str]:
    """Speakers referred to by role ("the Special Rapporteur"), when that is unambiguous."""
    asked = set(terms(text))
    found = []
    for speaker, weights in _role_weights(tuple(speakers)).items():
        total = sum(weights.values())
        matched = [t for t in weights if t in asked]
        if total and len(matched) >= 2 and sum(weights[t] for t in matched) / total >= threshold:
            found.append(speaker)
    return found if len(found) <= 2 else []


@lru_cache(maxsize=8)
def _role_weights(speakers: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Each speaker's role terms, weighted by how rare they are among all roles (per index)."""
    roles = {s: set(terms(speaker_role(s))) for s in speakers}
    df: dict[str, int] = {}
    for role_terms in roles.values():
        for term in role_terms:
            df[term] = df.get(term, 0) + 1
    return {
        s: {t: math.log(1 + len(speakers) / df[t]) for t in role_terms}
        for s, role_terms in roles.items()
    }
