"""How much: a change asked is a change of that subject, that way; a share of a part is
that part's share; a majority, a version, a number or a count as it stands now is stated.

- "by what percentage did X rise" needs a stated change of X, the same way (``changes``):
  "a 35% increase in victims since 2019, including a rise in child trafficking" gives no
  change in child trafficking; "what percentage of X are Y" a share that is not only a
  change ("a 35% increase in victims").
- "what percentage of detected victims are women?" needs a share whose clause has a phrase
  close in meaning to the part ("women"): the question encoder's cosine at least the
  fitted ``part_floor``; and a part named after the share in a statement of its own is told
  apart from it ("children represent over one-third ..., while boys are particularly
  vulnerable to forced labour" gives no share of boys).
- "what majority is needed" needs its size ("3:1", "two-thirds"); "which version of X",
  "what port number", "what is the maximum line length" a numeral outside the sentence's
  dates (a measure, also an amount the NER finds: "three million"); "how many ... today" a
  count, not a rule's limits ("up to 8 Developers").
"""

from __future__ import annotations

import re

import numpy as np

from qa_bot.answer import lexicon as lx
from qa_bot.answer.changes import answers, asked_change, covers
from qa_bot.answer.facts import Facts
from qa_bot.answer.lexicon import alt
from qa_bot.answer.numbers import NUMERAL
from qa_bot.answer.query import Query
from qa_bot.text import STOPWORDS, same_root, terms
from qa_bot.types import Encode

MAX_PART_WORDS = 4
NO_MAJORITY = "no majority is stated"
NO_NUMBER = "no number is stated"
ONLY_LIMITS = "it gives a limit, not the number now"
_MAJORITY = re.compile(rf"\b\d+\s*:\s*\d+\b|\b{alt(lx.MAJORITY_SIZES)}\b|\bmajority of\b", re.I)
_LIMIT = re.compile(rf"\b{alt(lx.LIMIT_WORDS)}\b", re.I)
_LIMIT_BEFORE, _LIMIT_AFTER = 14, 10  # characters around a number where its limit is worded
_AMOUNTS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")


def share_part(query: Query) -> str:
    """The part whose share is asked ("women"), or "" for another form of question."""
    found = query.form("share_of") if query.answer_type == "share" else None
    part = (found.group("part") or "") if found else ""
    return "" if len(part.split()) > MAX_PART_WORDS else part


def lacks_change(query: Query, facts: Facts) -> str:
    """What the sentence's stated changes miss of the change asked ("it gives a rise, not
    a fall"; "it gives no change in child trafficking"); or, for a share of a part, that
    every share it gives is a change ("it gives a rise, not a share"); else ""."""
    asked = asked_change(query)
    if asked is not None:
        stated = facts.changes
        if not stated or answers(asked, stated):
            return ""
        about = [change for change in stated if covers(change.subject, asked.subject)]
        if about:
            return f"it gives a {about[0].direction}, not a {asked.direction}"
        return f"it gives no change in {asked.worded}"
    if not share_part(query) or query.answer_type != "share":
        return ""
    given, stated = facts.shares, facts.changes
    if not given or len(stated) < len(given):
        return ""
    return f"it gives a {stated[0].direction}, not a share"


def part_similarity(query: Query, facts: Facts, encode: Encode) -> float:
    """The highest cosine similarity between the part asked and a phrase (a run of up to
    one word more than the part, not starting or ending on a stopword) of the clause of a
    share the sentence gives; 1.0 when there is no part or no share to compare."""
    part = share_part(query)
    phrases = sorted({p for c in facts.clauses for p in _phrases(c, len(part.split()) + 1)})
    if not part or not phrases:
        return 1.0
    vectors = np.asarray(encode([part, *phrases]), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return float(np.max(vectors[1:] @ vectors[0]))


def part_said_apart(query: Query, facts: Facts) -> bool:
    """Does the sentence name the part asked only after the clauses of its shares, in a
    clause of its own? A part named before the share may be its subject ("the securities
    industry ... accounting for 5 percent of the city's private sector jobs")."""
    part, clauses, text = share_part(query), facts.clauses, facts.sentence.text
    if not part or not clauses:
        return False
    inside = set(terms(" ".join(clauses)))
    after = set(terms(text[max(text.find(c) + len(c) for c in clauses) :]))
    before = set(terms(text[: min(text.find(c) for c in clauses)]))
    return any(
        term in after and term not in before and not any(same_root(term, t) for t in inside)
        for term in terms(part)
    )


def lacks_share_part(query: Query, facts: Facts) -> str:
    """ "no share of women is given" when the share stated is not the part's."""
    part = share_part(query)
    if not part:
        return ""
    encode = facts.gathered.encode
    if part_said_apart(query, facts) or (
        encode is not None and part_similarity(query, facts, encode) < facts.gathered.part_floor
    ):
        return f"no share of {part} is given"
    return ""


def _phrases(text: str, longest: int) -> list[str]:
    words = re.findall(r"[\w'-]+", text)
    return [
        " ".join(words[i : i + n])
        for n in range(1, longest + 1)
        for i in range(len(words) - n + 1)
        if words[i].lower() not in STOPWORDS and words[i + n - 1].lower() not in STOPWORDS
    ]


def lacks_majority(query: Query, facts: Facts) -> str:
    """ "no majority is stated" when the size of a majority asked is not."""
    return (
        NO_MAJORITY if query.form("majority") and not _MAJORITY.search(facts.sentence.text) else ""
    )


def lacks_numeral(query: Query, facts: Facts) -> str:
    """ "no number is stated" for a version or a number asked ("which version of Tcl/Tk",
    "what port number", "the maximum line length") that the sentence does not state (a
    numeral outside its dates that the question does not give; a measure, also an amount
    the NER finds)."""
    sentence = facts.sentence
    measure = query.form("measure") is not None
    if measure and any(label in _AMOUNTS for label, *_ in sentence.entities):
        return ""
    if not measure and not query.form("numbered"):
        return ""
    given = set(NUMERAL.findall(query.text))
    dates = [(start, end) for label, start, end, *_ in sentence.entities if label == "DATE"]
    stated = any(
        found.group() not in given and not any(a <= found.start() < b for a, b in dates)
        for found in NUMERAL.finditer(sentence.text)
    )
    return "" if stated else NO_NUMBER


def lacks_count_now(query: Query, facts: Facts) -> str:
    """ "it gives a limit, not the number now" when a count asked as it stands now
    ("today", "currently") meets only limits in the sentence, every number it gives
    bounded."""
    if query.answer_type != "count" or not query.form("now"):
        return ""
    text = facts.sentence.text
    numbers = [
        (a, b) for label, a, b, *_ in facts.sentence.entities if label in ("CARDINAL", "QUANTITY")
    ]
    limited = bool(numbers) and all(
        _LIMIT.search(text[max(0, a - _LIMIT_BEFORE) : b + _LIMIT_AFTER]) for a, b in numbers
    )
    return ONLY_LIMITS if limited else ""
