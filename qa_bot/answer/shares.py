"""Whose share a sentence gives: "what percentage of detected victims are women?" asks
the share of a part ("women") of a whole ("detected victims"), and "children represent over
one-third of detected trafficking victims, and ... women and girls remain vulnerable" gives
none for women (``demands.unmet``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from qa_bot.answer.features import entity_clauses
from qa_bot.text import STOPWORDS, same_root, terms

if TYPE_CHECKING:
    from qa_bot.answer.query import Query
    from qa_bot.types import Sentence

# Text encoder (the question encoder): texts in, one vector per text out.
Encode = Callable[[list[str]], np.ndarray]

# "What percentage of detected victims are women?": the share asked is of a part ("women")
# of a whole ("detected victims"). The sentence's share must be the part's: "children
# represent over one-third of detected trafficking victims, and ... women and girls remain
# vulnerable" gives none for women. The part may be worded otherwise ("kids" / "children",
# "Caucasian" / "white"), so it is compared by meaning with the phrases of each share's
# clause; the floor is chosen by the fitting script (learned/targets.choose_part_floor).
# The part may also be what the whole involves or comes from ("what share of trafficking
# cases involve forced labour?"; over the SQuAD articles 2 questions take this form, both
# keep their outcome, and 1 held-out near miss is turned away).
_SHARE_OF = re.compile(
    r"\b(?:percentage|percent|share|proportion|fraction) of (?P<whole>.+?) "
    r"(?:are|is|were|was|involved?|involves|concerns?|concerned|affects?|affected"
    r"|c[oa]mes? from|consists? of|included?|includes) (?P<part>[^?]+?)\s*\??$",
    re.I,
)
MAX_PART_WORDS = 4


def share_part(query: Query) -> str:
    """The part whose share is asked ("women"), or "" for another form of question."""
    found = _SHARE_OF.search(query.text) if query.answer_type == "share" else None
    if found is None or len(found.group("part").split()) > MAX_PART_WORDS:
        return ""
    return found.group("part")


def part_similarity(query: Query, sentence: Sentence, encode: Encode) -> float:
    """The highest cosine similarity between the part asked and a phrase (a run of up to
    one word more than the part, not starting or ending on a stopword) of the clause of a
    share the sentence gives; 1.0 when there is no part or no share to compare."""
    part = share_part(query)
    clauses = entity_clauses(query, sentence)
    phrases = sorted({p for c in clauses for p in _phrases(c, len(part.split()) + 1)})
    if not part or not phrases:
        return 1.0
    vectors = np.asarray(encode([part, *phrases]), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return float(np.max(vectors[1:] @ vectors[0]))


def part_said_apart(query: Query, sentence: Sentence) -> bool:
    """Does the sentence name the part asked only after the clauses of its shares, in a
    clause of its own? Then it tells the part apart from what the share is of: "children
    represent over one-third of detected trafficking victims ..., while boys are
    particularly vulnerable to forced labour" gives no share of boys, although "boys" and
    "children" are close in meaning. A part named before the share may be its subject ("the
    securities industry ... accounting for 5 percent of the city's private sector jobs").
    Over the 93 own, held-out and SQuAD questions asking a percentage, share or fraction of
    something, this turns away 2 held-out near misses and no right answer (reading the whole
    sentence, not only what follows the share, lost the securities industry's)."""
    part = share_part(query)
    clauses = entity_clauses(query, sentence)
    if not part or not clauses:
        return False
    inside = set(terms(" ".join(clauses)))
    after = set(terms(sentence.text[max(_end(sentence.text, c) for c in clauses) :]))
    before = set(terms(sentence.text[: min(sentence.text.find(c) for c in clauses)]))
    return any(
        term in after and term not in before and not any(same_root(term, t) for t in inside)
        for term in terms(part)
    )


def _end(text: str, clause: str) -> int:
    """Where the clause ends in the text."""
    return text.find(clause) + len(clause)


def _phrases(text: str, longest: int) -> list[str]:
    words = re.findall(r"[\w'-]+", text)
    return [
        " ".join(words[i : i + n])
        for n in range(1, longest + 1)
        for i in range(len(words) - n + 1)
        if words[i].lower() not in STOPWORDS and words[i + n - 1].lower() not in STOPWORDS
    ]
