"""The change a question asks about, and the changes a sentence's shares state.

"By what percentage did child trafficking rise since 2019?" asks for a rise of child
trafficking. "With a 35% increase in victims since 2019, including a rise in child
trafficking ..." states a rise of victims, not of child trafficking, and "the 25% rise in
victim detection" does not say by how much detection fell during the pandemic. Both hold a
share of the asked kind about the asked topic, so neither the kind nor the learned models
tell them from an answer; what the share is a change *of*, and in which direction, does.

A stated change is read around a share (a percentage, "one-third"): the change word right
after it with what follows "in" or "of" ("35% increase in victims"), or the change verb
right before it with its subject ("violent crime in New York City decreased more than
75%"). A sentence that states no change at its shares is not judged (the share may answer
in other words: "a greater than 20% addition to the city's water supply").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_bot.answer import lexicon as lx
from qa_bot.answer.forms import CHANGE_WORDS
from qa_bot.answer.query import Query
from qa_bot.text import terms
from qa_bot.types import Sentence

# Around a share: "35% increase in victims", "a rise of 25% in detection", "X declined 3%".
_AFTER = re.compile(rf"\s*(?P<change>{CHANGE_WORDS})\s+(?:in|of)\s+(?P<subject>[^,;:.()]+)", re.I)
_IN_AFTER = re.compile(r"\s+in\s+(?P<subject>[^,;:.()]+)", re.I)
_NOUN_BEFORE = re.compile(rf"\b(?P<change>{CHANGE_WORDS})\s+(?:of|by)\s+$", re.I)
_VERB_BEFORE = re.compile(rf"\s(?P<change>{CHANGE_WORDS})\s+(?:by\s+)?$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:.()]")
# Words that only say "how much" of the subject: "the number of victims" is "victims".
MEASURES = frozenset(terms(" ".join(lx.MEASURE_NOUNS)))


@dataclass(frozen=True)
class Change:
    """A change: its direction ("rise" or "fall") and the terms of what changed; for the
    change asked, also what changed as the user worded it (for saying what is missing)."""

    direction: str
    subject: tuple[str, ...]
    worded: str = ""


def asked_change(query: Query) -> Change | None:
    """The change the question asks the size of, if it asks one."""
    found = query.form("change_by") or query.form("change_what")
    if found is None:
        return None
    subject = tuple(t for t in terms(found.group("subject") or "") if t not in MEASURES)
    if not subject:
        return None
    worded = re.sub(rf"^{lx.alt(lx.ARTICLES)}\s+", "", found.group("subject") or "", flags=re.I)
    return Change(lx.DIRECTION[(found.group("change") or "").lower()], subject, worded)


def stated_changes(sentence: Sentence, shares: list[tuple[int, int]]) -> list[Change]:
    """The changes the sentence states at the given shares (offsets into its text)."""
    text = sentence.text
    out = []
    for start, end in shares:
        after = _AFTER.match(text, end)
        before_noun = _NOUN_BEFORE.search(text, 0, start)
        before_verb = _VERB_BEFORE.search(text, 0, start)
        if after:
            change, subject = after.group("change"), after.group("subject")
        elif before_noun and (rest := _IN_AFTER.match(text, end)):
            change, subject = before_noun.group("change"), rest.group("subject")
        elif before_verb:  # its subject: back to the clause's start, past a bare comma
            change = before_verb.group("change")  # ("lettuce continued to fall, declining")
            pieces = _CLAUSE_BREAK.split(text[: before_verb.start()])  # or "(CPI-W) increased"
            subject = next((piece for piece in reversed(pieces) if piece.strip()), "")
        else:
            continue
        out.append(Change(lx.DIRECTION[change.lower()], tuple(terms(subject))))
    return out


def answers(asked: Change, stated: list[Change]) -> bool:
    """Is one of the stated changes the asked one: of its subject, the same way?"""
    return any(
        change.direction == asked.direction and covers(change.subject, asked.subject)
        for change in stated
    )


def covers(stated: tuple[str, ...], asked: tuple[str, ...]) -> bool:
    """Is every asked term in the stated subject (or a word of its family)?"""
    return all(any(_kin(a, s) for s in stated) for a in asked)


def _kin(a: str, b: str) -> bool:
    """Stems of one word ("child" / "children", "gas" / "gase"): looser than
    ``text.same_root``, which needs five letters and two at most added, because a change's
    subject is a short noun phrase and a plural may add three ("children")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short == long_ or (
        len(short) >= 3 and long_.startswith(short) and len(long_) - len(short) <= 3
    )
