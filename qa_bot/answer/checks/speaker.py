"""Who said it: a question about what someone said is answered only by their statement.

"What did Ms. Chumbow say about artificial intelligence?" is not answered by another
panellist's sentence on AI, nor "What did Governor Waller say about tariffs?" by the Chair's
words on tariffs; a party that is no speaker of the documents is answered only by a
sentence reporting its words ("the UCLA Anderson Forecast said there's ..."). Retrieval is
already held to those statements (``scope.statements``); this check says so of any
sentence (``explain``) and keeps the rule if retrieval ever lets another through.
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts, Gathered
from qa_bot.answer.query import PARTY_FORMS, Query
from qa_bot.answer.scope import reports, who
from qa_bot.ingest.speakers import name_keys
from qa_bot.text import question_terms, same_root, stem, terms, without_possessive, words
from qa_bot.types import Passage


def lacks_speaker(query: Query, facts: Facts) -> str:
    """ "it is not Ms. Chumbow's statement" / "it does not report what Governor Waller
    said", else ""."""
    sentence = facts.sentence
    if query.scope and sentence.speaker not in query.scope:
        return f"it is not {who(query)}'s statement"
    if query.party and _records_speakers(facts) and not reports(query.party, sentence.text):
        return f"it does not report what {query.party} said"
    return ""


def _records_speakers(facts: Facts) -> bool:
    """Is the sentence in a document that records who said what (without an index: does
    the sentence have a speaker)?"""
    index, passage = facts.gathered.index, facts.passage
    if index is None or passage is None:
        return facts.sentence.speaker is not None
    return passage.document in index.recording_speakers


# "What did X say about / on / regarding <topic>?"
_ABOUT = re.compile(r"\b(?:about|on|regarding|concerning)\s+(?P<topic>[^?]+?)\s*\??$", re.I)
_SPEECH_TERMS = frozenset(terms(" ".join((*lx.SPEECH_VERBS, *lx.VIEW_NOUNS, *lx.STATEMENT_NOUNS))))


def topic_terms(query: Query) -> list[str]:
    """The terms of what a question about a statement asks it to be about: those of its
    "about X" phrase, else the question's terms but the names of whom it asks about, the
    verbs of speech and the nouns for a view ("X's position")."""
    names = {t for s in query.scope for key in name_keys(s) for t in terms(key)}
    for form in PARTY_FORMS:
        found = query.form(form)
        names |= set(terms(found.group("party") or "")) if found else set()
    asked = [t for t in question_terms(query.text) if t not in names and t not in _SPEECH_TERMS]
    about_phrase = _ABOUT.search(query.text)
    if about_phrase:
        about = [t for t in terms(about_phrase.group("topic")) if t in asked]
        if about:
            return about
    return asked


def lacks_topic(query: Query, facts: Facts) -> str:
    """ "Ms. Chumbow did not speak of artificial intelligence" when none of the speaker's
    statements speaks of a word of the topic asked; "it does not speak of X" when this one
    speaks of none (its turn, or the question its turn answers, may); else "". One word of
    the topic spoken of is enough: a statement rephrases the rest ("the value of the
    stakeholders' experience" is "confidence that the multi-stakeholder ... experiences")."""
    if not (query.scope or query.party):
        return ""
    topic = topic_terms(query)
    if not topic:  # "What did he call for?": any of their statements
        return ""
    about = _ABOUT.search(query.text)
    names = _topic_names(query, about)
    gathered, sentence = facts.gathered, facts.sentence
    where = sentence.text if query.party else _turn_and_question(gathered, facts.passage)
    if _speaks_of(topic, names, where or sentence.text):
        return ""
    asked = about.group("topic") if about else _as_asked(query, topic)
    index, within = gathered.index, gathered.within
    if index is not None and within is not None:
        heard = " ".join(_turn_and_question(gathered, index.passages[pid]) for pid in within)
        if not _speaks_of(topic, names, heard):
            return f"{who(query)} did not speak of {asked}"
    return f"it does not speak of {asked}"


# A proper name in the topic asked: "Richard Paez", "the Texas Supreme Court".
_PROPER = re.compile(r"\b[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*)*")


def _topic_names(query: Query, about: re.Match[str] | None) -> list[str]:
    """The stems of the last words of the proper names in the "about X" phrase (``about``;
    "paez" of "Richard Paez"): each names one person or body, so a statement about another
    of the same first name ("Senator Richard Russell") is not about it."""
    if not about:
        return []
    spoken_by = {t for s in query.scope for key in name_keys(s) for t in terms(key)}
    out = []
    for name in _PROPER.finditer(about.group("topic")):
        last = terms(without_possessive(name.group().split()[-1]))
        if last and last[0] not in spoken_by:
            out.append(last[0])
    return out


def _speaks_of(topic: list[str], names: list[str], text: str) -> bool:
    """Does ``text`` speak of a word of the topic, and of each proper name in it?"""
    return any(_said(t, text) for t in topic) and all(_said(n, text) for n in names)


def _as_asked(query: Query, stems: list[str]) -> str:
    """The question's words of those stems, as typed (a name keeps its capitals)."""
    typed = re.findall(r"[\w'’-]+", query.text)
    return " ".join(dict.fromkeys(w for w in typed if words(w) and stem(words(w)[0]) in stems))


def _turn_and_question(gathered: Gathered, passage: Passage | None) -> str:
    """A passage, and the one before when another speaker asked a question there (in a
    briefing, the question this turn answers: "What impact might that have?" - "It's not
    appropriate for me to speculate"); "" without an index."""
    index = gathered.index
    if passage is None or index is None:
        return ""
    before = index.passages[passage.id - 1] if passage.id > 0 else None
    if (
        before is not None
        and before.document == passage.document
        and before.speaker != passage.speaker
        and "?" in before.text
    ):
        return f"{before.text} {passage.text}"
    return passage.text


def _said(term: str, text: str) -> bool:
    """Does ``text`` hold a word of the family of ``term`` (a stem)?"""
    return any(same_root(term, t) for t in terms(text))
