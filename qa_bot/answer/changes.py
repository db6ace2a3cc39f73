"""The change a question asks about, and the changes a sentence's shares state.

"By what percentage did child trafficking rise since 2019?" asks for a rise of child
trafficking. "With a 35% increase in victims since 2019, including a rise in child
trafficking ..." states a rise of victims, not of child trafficking, and "the 25% rise in
victim detection" does not say by how much detection fell during the pandemic. Both hold a
share of the asked kind about the asked topic, so neither the type check nor the learned
models tell them from an answer; what the share is a change *of*, and in which direction,
does.

A stated change is read around a share (a percentage, "one-third"): the change word right
after it with what follows "in" or "of" ("35% increase in victims"), or the change verb
right before it with its subject ("violent crime in New York City decreased more than
75%"). A sentence that states no change at its shares is not judged here (the share may
answer in other words: "a greater than 20% addition to the city's water supply").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa_bot.answer.features import shares
from qa_bot.answer.query import AUX, CHANGE_WORDS, DIRECTION
from qa_bot.text import terms

if TYPE_CHECKING:
    from qa_bot.answer.query import Query
    from qa_bot.types import Sentence

_SHARE_WORD = r"(?:percent|percentage|per cent|share|proportion|fraction)"

# "By what percentage did X rise", "By how much has X grown", "How much did X fall".
_BY_HOW_MUCH = re.compile(
    rf"\b(?:by (?:what|how much|how many)(?: {_SHARE_WORD})?|how much) {AUX} "
    rf"(?P<subject>.+?) (?P<change>{CHANGE_WORDS})\b",
    re.I,
)
# "What percentage increase in X was reported?", "What percent reduction of X ..."
_WHAT_CHANGE = re.compile(
    rf"\bwhat (?:\w+ )?{_SHARE_WORD} (?P<change>{CHANGE_WORDS}) (?:in|of) (?P<subject>.+?)"
    rf"(?: (?:{AUX}|according)\b|\s*\?|\s*$)",
    re.I,
)
# Around a share: "35% increase in victims", "a rise of 25% in detection", "X declined 3%".
_AFTER = re.compile(rf"\s*(?P<change>{CHANGE_WORDS})\s+(?:in|of)\s+(?P<subject>[^,;:.()]+)", re.I)
_IN_AFTER = re.compile(r"\s+in\s+(?P<subject>[^,;:.()]+)", re.I)
_NOUN_BEFORE = re.compile(rf"\b(?P<change>{CHANGE_WORDS})\s+(?:of|by)\s+$", re.I)
_VERB_BEFORE = re.compile(rf"\s(?P<change>{CHANGE_WORDS})\s+(?:by\s+)?$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:.()]")
# Words that only say "how much" of the subject: "the number of victims" is "victims".
MEASURES = frozenset(
    terms("number numbers amount level rate total count figure share percentage proportion")
)


@dataclass(frozen=True)
class Change:
    """A change: its direction ("rise" or "fall") and the terms of what changed; for the
    change asked, also what changed as the user worded it (for saying what is missing)."""

    direction: str
    subject: tuple[str, ...]
    worded: str = ""


def asked_change(query: Query) -> Change | None:
    """The change the question asks the size of, if it asks one."""
    text = query.asked or query.text
    found = _BY_HOW_MUCH.search(text) or _WHAT_CHANGE.search(text)
    if found is None:
        return None
    subject = tuple(t for t in terms(found.group("subject")) if t not in MEASURES)
    if not subject:
        return None
    worded = re.sub(r"^(?:the|a|an)\s+", "", found.group("subject"), flags=re.I)
    return Change(DIRECTION[found.group("change").lower()], subject, worded)


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
        elif before_verb:  # its subject: back to the clause's start
            change = before_verb.group("change")
            subject = _CLAUSE_BREAK.split(text[: before_verb.start()])[-1]
        else:
            continue
        out.append(Change(DIRECTION[change.lower()], tuple(terms(subject))))
    return out


def unmatched_change(query: Query, sentence: Sentence) -> str:
    """What the sentence's stated changes miss of the asked one, in plain words ("it gives
    a rise, not a fall"; "it gives no change in child trafficking"), or "" when one of them
    is the change asked, none is asked, or the sentence states none."""
    asked = asked_change(query)
    stated = stated_changes(sentence, shares(sentence)) if asked else []
    if asked is None or not stated or _answers(asked, stated):
        return ""
    about = [change for change in stated if _covers(change.subject, asked.subject)]
    if about:
        return f"it gives a {about[0].direction}, not a {asked.direction}"
    return f"it gives no change in {asked.worded}"


def only_changes(query: Query, sentence: Sentence) -> str:
    """For a question asking a share that is no change, when every share the sentence gives
    is a change ("a 35% increase in victims"): that it gives a change, not a share; else "".
    Only for a share of a part ("What percentage of victims are trafficked for forced
    criminality?", ``shares.share_part``): "What share of fish did the wetlands lose?" asks
    a fall. (Over every own and SQuAD first quote: 2 unanswerable questions, no answerable
    one.)"""
    if query.answer_type != "share" or asked_change(query) is not None:
        return ""
    given = shares(sentence)
    stated = stated_changes(sentence, given)
    if not given or len(stated) < len(given):
        return ""
    return f"it gives a {stated[0].direction}, not a share"


def _answers(asked: Change, stated: list[Change]) -> bool:
    """Is one of the stated changes the asked one: of its subject, the same way?"""
    return any(
        change.direction == asked.direction and _covers(change.subject, asked.subject)
        for change in stated
    )


def _covers(stated: tuple[str, ...], asked: tuple[str, ...]) -> bool:
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
