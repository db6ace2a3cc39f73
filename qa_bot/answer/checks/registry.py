"""The registry of checks: one ordered list, each check with a stable id.

A check reads the question's forms and one candidate sentence's facts and says what the
sentence lacks that the question demands ("no date is given"), or nothing. Every check runs
on the best candidate; if one that fires vetoes, the bot does not answer with it (the
sentence is shown as possibly relevant, with the first reason). The order is the order of
the reasons: the first check that fires gives the one shown. Any check can be switched off
by id (``Settings.without_checks``, ``qa-bot eval --without-check ID``) to measure it;
``explain`` names every check that fires. Each check's evidence and examples are in
``checks.toml`` beside this file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa_bot.answer.checks import (
    amounts,
    asked_time,
    given,
    kind,
    named,
    posed,
    qualifier,
    speaker,
    when,
    where,
    who,
)
from qa_bot.answer.facts import Facts
from qa_bot.answer.query import PARTY_FORMS, Query


def _always(query: Query) -> bool:
    return True


@dataclass(frozen=True)
class Check:
    """One check: what it demands, of which question forms, and how it reads a sentence."""

    id: str
    summary: str
    lacks: Callable[[Query, Facts], str]  # the reason the sentence does not answer, or ""
    forms: tuple[str, ...] = ()  # the question forms it reads (forms.FORMS); () : its own test
    vetoes: Callable[[Query], bool] = _always  # does a reason refuse this question?


@dataclass(frozen=True)
class Fired:
    """A check that fired on a sentence: its id, its reason, and whether it refuses."""

    id: str
    reason: str
    vetoes: bool


@dataclass(frozen=True)
class Verdict:
    """The checks that fired on a sentence, in registry order."""

    fired: tuple[Fired, ...] = ()

    @property
    def vetoed(self) -> bool:
        return any(f.vetoes for f in self.fired)

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the checks that refuse the sentence."""
        return tuple(f.id for f in self.fired if f.vetoes)

    @property
    def reason(self) -> str:
        """The first reason: what the sentence lacks, in plain words ("" : nothing)."""
        return self.fired[0].reason if self.fired else ""


CHECKS: tuple[Check, ...] = (
    Check("speaker", "a question about what someone said is answered by their statement",
          speaker.lacks_speaker, ("speech", *PARTY_FORMS)),
    Check("topic", "a statement asked about a topic speaks of it",
          speaker.lacks_topic, ("speech", *PARTY_FORMS)),
    Check("posed", "a sentence that asks the question ('(4) who paid his fine') is no answer",
          posed.lacks_answer),
    Check("kind", "holds the kind of thing asked (a date, a place, a count ...)",
          kind.lacks_kind, vetoes=kind.vetoes),
    Check("country", "a country asked is named, not a region or an office",
          where.lacks_country, ("country",)),
    Check("maker", "who made a work, or holds an office now, is named",
          who.lacks_maker, ("who_made",)),
    Check("birth", "a birth asked is stated", where.lacks_birth, ("born",)),
    Check("deed", "the deed asked ('who founded') is stated, and a past one's doer",
          who.lacks_deed, ("who_did",)),
    Check("office", "a capitalised office asked ('who is the Secretary-General') is named",
          who.lacks_office, ("who_holds", "which_office")),
    Check("office_dated", "'when did X become <Office>': the office is in the dated sentence",
          who.lacks_office_dated, ("became_office",)),
    Check("seat", "'where is X headquartered': a seat is stated", where.lacks_seat,
          ("headquarters",)),
    Check("origin", "'from which country': a place of origin is stated", where.lacks_origin,
          ("from_which",)),
    Check("future", "the future asked is spoken of, not only the past", when.lacks_future,
          ("will",)),
    Check("step", "the date asked is of that step of a text (proposed, adopted)",
          when.lacks_step, ("step_started", "step_settled")),
    Check("reference", "'which article / resolution': one is named by its number",
          named.lacks_reference, ("reference",)),
    Check("company_office", "'who is the chief executive of X': that office is named",
          who.lacks_company_office, ("company_office",)),
    Check("office_become", "'when did X become the maintainer': that office is named",
          who.lacks_office_become, ("become",)),
    Check("head", "'who leads X': X's head, not a unit's", who.lacks_head, ("head",)),
    Check("majority", "'what majority': its size is stated", amounts.lacks_majority,
          ("majority",)),
    Check("address", "an address asked is given", where.lacks_address, ("address",)),
    Check("numeral", "a version, a number or a measure asked is stated in figures",
          amounts.lacks_numeral, ("numbered", "measure")),
    Check("count_now", "a count as it stands now is no rule's limit", amounts.lacks_count_now,
          ("now",)),
    Check("school", "a university or school asked is named", where.lacks_school, ("school",)),
    Check("named_kind", "'which technology companies': one of the kind is named",
          named.lacks_named_kind, ("named_companies", "named_people", "named_communities")),
    Check("identity", "'which radio station', 'the name of X': X is named, not one of its kind",
          named.lacks_identity, ("which_thing", "name_of")),
    Check("change", "the change asked is of that subject, that way", amounts.lacks_change,
          ("change_by", "change_what", "share_of")),
    Check("share_part", "a share asked is the part's share", amounts.lacks_share_part,
          ("share_of",)),
    Check("qualifier", "a thing the question qualifies by name ('Russian oligarchs') is that one",
          qualifier.lacks_qualifier),
    Check("given", "the numbers and names from code the question gives are stated",
          given.lacks_given),
    Check("time", "a month or a year the question sets is the one the sentence speaks of",
          asked_time.lacks_time),
)  # fmt: skip
BY_ID = {check.id: check for check in CHECKS}
assert len(BY_ID) == len(CHECKS), "check ids must be unique"


class UnknownCheckError(ValueError):
    """A check id that is not in the registry; the message lists the known ones."""


def known(ids: Iterable[str]) -> frozenset[str]:
    """The ids, each checked against the registry (UnknownCheckError names the first that
    is not there, and lists the known ones)."""
    out = frozenset(i.strip() for i in ids if i.strip())
    for check_id in sorted(out):
        if check_id not in BY_ID:
            raise UnknownCheckError(f"unknown check {check_id!r}; known checks: {', '.join(BY_ID)}")
    return out


def applies(check: Check, query: Query) -> bool:
    """Does the question have one of the forms the check reads (or does it decide alone)?"""
    return not check.forms or any(query.form(f) for f in check.forms)


def run(query: Query, facts: Facts, without: frozenset[str] = frozenset()) -> Verdict:
    """Every check that fires on the sentence (those in ``without`` switched off)."""
    fired = []
    for check in CHECKS:
        if check.id in without or not applies(check, query):
            continue
        reason = check.lacks(query, facts)
        if reason:
            fired.append(Fired(check.id, reason, check.vetoes(query)))
    return Verdict(tuple(fired))
