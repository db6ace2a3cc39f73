"""A sentence that asks the question does not answer it.

Records restate questions: the questions put to a witness ("(4) who paid his fine"),
what a delegate asked ("asked when the report would be published"), what nobody knows
("it is unknown who built the temple"). Such a sentence holds every word of the question,
so it ranks first, and its answer phrase is whatever else it names. It is no answer when
the question's own wh-word opens a clause of the sentence that holds most of the
question's words, and that clause is a question (after a list number, a semicolon or a
colon, or a word of asking or knowing), not a relative clause ("the person who ran the
operation" names no one either way, and is left to the other checks).
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.query import Query
from qa_bot.text import question_terms, terms

_WH_WORD = re.compile(rf"\b{lx.alt(lx.WH_WORDS)}\b", re.I)
_SAME = {"whom": "who"}  # "for whom did he work" asks what "who did he work for" asks
# What stands before an embedded question: a list's number or punctuation, or a word of
# asking, knowing or deciding ("asked when", "unknown who", "as to why").
_OPENS = re.compile(
    r"(?:^|[(;:]|\d\)|\b(?:ask(?:s|ed|ing)?|wonder(?:s|ed)?|inquir(?:e|es|ed|y)|question(?:s|ed)?"
    r"|know(?:s|n)?|unknown|unclear|uncertain|decid(?:e|es|ed)|determin(?:e|es|ed)|explain(?:s|ed)?"
    rf"|on|about|as to|whether))\s*(?:{lx.alt(lx.LEAD_PREPOSITIONS)}\s+)?$",
    re.I,
)
_CLAUSE_END = re.compile(r"[;?!]|\(\d+\)|,\s+(?!\d)")
CLAUSE_WORDS = 20  # an embedded question longer than this is read no further
MOST = 0.5  # the share of the question's words the clause must hold


def _wh(word: str) -> str:
    """A wh-word as it asks ("whom" asks "who")."""
    word = word.lower()
    return _SAME.get(word, word)


def posed(query: Query, sentence: str) -> str:
    """The clause of ``sentence`` that asks the question (``query``), or ""."""
    first = _WH_WORD.search(query.text)
    asked = set(question_terms(query.text))
    if first is None or len(asked) < 2:
        return ""
    for m in _WH_WORD.finditer(sentence):
        if _wh(m.group()) != _wh(first.group()):
            continue
        if not _OPENS.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue
        rest = sentence[m.start() :]
        end = _CLAUSE_END.search(rest, len(m.group()))
        clause = " ".join(rest[: end.start() if end else len(rest)].split()[:CLAUSE_WORDS])
        held = asked & set(terms(clause))
        if len(held) >= max(2, MOST * len(asked)):
            return clause.rstrip(" ,.")
    return ""


def lacks_answer(query: Query, facts: Facts) -> str:
    """ "it asks “who paid his fine” and does not answer it", else ""."""
    clause = posed(query, facts.sentence.text)
    return f"it asks “{clause}” and does not answer it" if clause else ""
