"""What a question's wording demands of its answer beyond the kind of thing asked.

``query.ANSWER_TYPES`` says that "which country" asks for a place; these demands are
narrower, and a sentence that misses one is never the answer, however relevant:

- "which country / countries" needs a country or a nationality named (the NER's GPE or
  NORP), not a region, an office or a facility: "the US Office at Hagar International ...
  across Southeast Asia" does not say which country she comes from;
- "... born" needs a birth stated in the passage: being trafficked "to the United States"
  does not say where she was born;
- "when / where will ..." (or another typed question in the future) needs a sentence that
  speaks of the future ("will", "upcoming", "scheduled", ...): the hearing "convened on 30
  June 2025" does not say when the high-level meeting will take place. A timeless present
  ("Link replenishes arrows") can answer "what will ...", and a responsibility given in the
  past ("entrusting the co-facilitators with ... leading the negotiation process") answers
  "who will lead the negotiations?", so untyped what- and who-questions are left alone.
  A document written after the event ("the game was released on ...") would not answer
  "when will the game be released?": none of the fitting or held-out questions does that.

Measured over the shipped model's first quotes (all own, held-out and SQuAD questions):
the country and birth demands turn away 3 held-out near-miss questions, 1 of the own fitting
sets and 2 SQuAD unanswerable ones; the future one 2 held-out near-miss and 1 own; none
turns away any of the 36 right-answered country or birth questions or the 4 right-answered
future ones.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_bot.answer.query import Query
    from qa_bot.types import Sentence

# "In which country ...", "What nations ...", "... in what country?"
_COUNTRY = re.compile(r"\b(?:which|what) (?:country|countries|nation|nations)\b", re.I)
COUNTRY_LABELS = ("GPE", "NORP")
_BORN = re.compile(r"\bborn\b", re.I)
_BIRTH = re.compile(r"\b(?:born|birth\w*|native)\b", re.I)

# "When will ...", "Who will ...", "On what date will ..."; not "in their will".
_WILL = re.compile(r"^\s*(?:\w+\s+){0,4}?(?<!their )(?<!his )(?<!her )(?<!the )will\b", re.I)
_WH = re.compile(
    r"^\s*(?:(?:on|in|at|by|for|from|since|until|during|to|of)\s+)?(?:when|where)\b",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|upcoming|next|forthcoming|future|scheduled|to be held|going to"
    r"|(?:expected|due|plans?|planned|intends?|set) to)\b",
    re.I,
)

NO_COUNTRY = "no country is named"
NO_BIRTH = "no birth is mentioned"
NO_FUTURE = "it does not say what will happen"


def asks_country(query: Query) -> bool:
    """Does the question ask which country (or countries)?"""
    return _COUNTRY.search(query.text) is not None


def countries(query: Query, sentence: Sentence) -> dict[tuple[int, int], str]:
    """The countries and nationalities the sentence names and the question does not, by
    their offsets, each with the text of its clause (as ``features.typed_entities``)."""
    asked = query.text.lower()
    return {
        (start, end): sentence.text[c_start : max(c_end, end)]
        for label, start, end, c_start, c_end in sentence.entities
        if label in COUNTRY_LABELS and sentence.text[start:end].lower() not in asked
    }


def unmet(query: Query, sentence: Sentence, passage_text: str) -> str:
    """What the question demands that the sentence (in its passage) lacks, in plain words
    ("no country is named"), or "" when nothing is missing."""
    if asks_country(query) and not countries(query, sentence):
        return NO_COUNTRY
    if _BORN.search(query.text) and not _BIRTH.search(passage_text):
        return NO_BIRTH
    if asks_future(query) and not _FUTURE.search(sentence.text):
        return NO_FUTURE
    return ""


def asks_future(query: Query) -> bool:
    """Does the question ask when or where something will happen, or another named
    thing about it?"""
    typed = bool(query.answer_type) or _WH.match(query.text) is not None
    return typed and _WILL.match(query.text) is not None
