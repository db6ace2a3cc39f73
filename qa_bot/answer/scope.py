"""Whose statements answer a question: a question about what someone said is answered only
from that speaker's statements (their turns, their paragraphs), and a question about a
party that is no speaker of the documents only from sentences that report its words ("the
Bank of Canada in its last policy statement said, ...")."""

from __future__ import annotations

import re
from dataclasses import replace

from qa_bot.answer import lexicon as lx
from qa_bot.answer.query import Query, speakers_meant
from qa_bot.index.load import Index
from qa_bot.ingest.speakers import speaker_name
from qa_bot.text import words

_SPEECH = re.compile(rf"\b{lx.alt(lx.SPEECH_VERBS)}\b", re.I)
REPORT_REACH = 60  # characters after a party's name where the verb reporting its words stands


class UnknownSpeakerError(ValueError):
    """A speaker asked for by name who is none of the collection's speakers."""

    def __init__(self, name: str, speakers: list[str]) -> None:
        known = "; ".join(speakers) if speakers else "none (no document records speakers)"
        super().__init__(f"no speaker {name!r} in these documents; the speakers: {known}")
        self.name = name


def held_to(query: Query, index: Index, speaker: str) -> Query:
    """``query`` answered only from the statements of ``speaker`` (a name, role, title or
    party: ``speakers_meant``), as if the question had named them."""
    chosen = tuple(speakers_meant(speaker, index.speakers)) if speaker.strip() else ()
    if not chosen:
        raise UnknownSpeakerError(speaker, index.speakers)
    return replace(query, scope=chosen, speakers=chosen, party="", unresolved="")


def statements(index: Index, query: Query) -> frozenset[int] | None:
    """The passages that may answer: the scope's speakers', or those reporting the party's
    words (empty: it has none) and those of documents that record no speakers; None when
    the question is not about what someone said."""
    if query.scope:
        return frozenset(p.id for p in index.passages if p.speaker in query.scope)
    if query.party:
        # Elsewhere (an article, a licence) "according to X" is any form of reported
        # speech: a question about X's words is held to reports only where speakers are.
        recorded = index.recording_speakers
        return frozenset(
            s.passage_id
            for s in index.sentences
            if index.passages[s.passage_id].document not in recorded or reports(query.party, s.text)
        )
    if query.about:
        named = _surname(query.about)
        return frozenset(p.id for p in index.passages if named in words(p.text)) or None
    return None


def _surname(name: str) -> str:
    """The last word of a name, lower case ("Ms. Delphine Schantz" -> "schantz")."""
    found = words(name)
    return found[-1] if found else ""


def reports(party: str, text: str) -> bool:
    """Does ``text`` report what ``party`` said: its name (every word, "the" aside), then a
    verb of speech soon after ("the UCLA Anderson Forecast said there's ...")?"""
    name = [w for w in words(party) if w != "the"]
    if not name:
        return False
    found = re.search(r"\b" + r"\W+".join(map(re.escape, name)) + r"\b", text, re.I)
    return (
        found is not None
        and _SPEECH.search(text, found.end(), found.end() + REPORT_REACH) is not None
    )


def who(query: Query) -> str:
    """The speaker or party the question asks about, as a person reads it."""
    if query.scope:
        return " and ".join(dict.fromkeys(_shown(s) for s in query.scope))
    return query.party


def _shown(speaker: str) -> str:
    """A speaker's name as shown in a reason: "Ms. Evelyn Chumbow", "Chair Powell"."""
    name = speaker_name(speaker)
    return name.title() if name.isupper() else name
