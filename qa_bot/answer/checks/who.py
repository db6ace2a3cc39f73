"""Who made it, who did it, who holds an office: a question of these forms is answered by a
name, or by a sentence that states the deed or names the office, not by a name beside the
deed's object ("Ms. Kirkendall, Executive Director ... at Hagar International" did not
found Hagar).

- "who wrote / founded ...", "who is the current ...": a name (a person's, an
  organisation's, a people's or a state's) the question does not give. Other "who"
  questions are often answered by a description ("Who paid for the apartment?" - "his
  friends"): over the SQuAD articles, demanding a name of any "who" + past tense turned away
  13 right answers for 1 unanswerable question.
- "who founded / appointed / will chair ...": the deed, in a word of the verb's family or by
  naming its doer after "by", and a past deed's doer ("Version 1.9 ratified on March 26th,
  2022" names no one). "Who wrote / created / proposed" lost 8 SQuAD right answers this way
  ("Who wrote the music?" - "returned as Spectre's composer"): those ask only a name.
- "who is the <Office> of ...", "when did X become <Office>": the office named (a
  capitalised one; lower-case roles are told in other words: "during the regency", 19 SQuAD
  right answers lost). "by a Vice-President" names no one who holds it.
- "who is the chief executive / treasurer of X" (a company's office, lower case), "who
  leads / heads X" (X's head: "Program Director at X" heads a part of X), "when did X become
  IDLE's maintainer": the office named in the sentence or its speaker line.
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts, given
from qa_bot.answer.lexicon import alt
from qa_bot.answer.query import Query
from qa_bot.ingest.speakers import role_acronym
from qa_bot.text import in_family, names_all, same_root, stem, terms
from qa_bot.types import Sentence

AGENT_LABELS = ("PERSON", "ORG", "NORP", "GPE")
NO_NAME = "no one is named"
_AGENT_NOUN = re.compile(r"[\w'-]+(?:er|or)s?\b", re.I)  # "drafter", "founders"
_BY = re.compile(r"\bby\s+(?:\S+\s+){0,3}$", re.I)
_INDEFINITE = re.compile(r"\b(?:a|an)\s+(?:\S+\s+){0,2}$", re.I)
# The titles of a head: "who is the head of UNODC" is answered by its Executive Director.
_HEAD_TITLE = re.compile(rf"\b{alt(lx.HEAD_TITLES)}\b")
_TITLE_AT = re.compile(
    rf"\b(?:(?P<unit>[A-Z][\w-]*) )?{alt(lx.UNIT_TITLES)}\s+(?:of|at)\s+(?P<rest>[^,;()]+)"
)


def agents(query: Query, sentence: Sentence) -> list[str]:
    """The names the sentence gives of people, organisations, peoples and states, and
    its speaker's, that the question does not give itself ("H.E. Philemon Yang" is given
    by "Who succeeded Philemon Yang?")."""
    found = [
        sentence.text[start:end]
        for label, start, end, *_ in sentence.entities
        if label in AGENT_LABELS
    ]
    if sentence.speaker:
        found.append(sentence.speaker.split(",")[0])
    return [name for name in found if not given(query, name)]


def lacks_maker(query: Query, facts: Facts) -> str:
    """'Who wrote / founded ...?', 'who is the current ...?' with no name given."""
    return NO_NAME if query.form("who_made") and not agents(query, facts.sentence) else ""


def lacks_deed(query: Query, facts: Facts) -> str:
    """ "it does not say who founded Hope International" when the deed asked (or, done, its
    doer) is unstated: the deed with the rest of the question, so the reason is a sentence."""
    deed = unstated_deed(query, facts.sentence)
    if not deed:
        return ""
    asked = query.text.rstrip(" ?.!")
    found = re.search(rf"\b{re.escape(deed)}\b", asked, re.I)
    return f"it does not say who {asked[found.start() :] if found else deed}"


def unstated_deed(query: Query, sentence: Sentence) -> str:
    """The deed asked of a "who" question ("founded", "will chair") when the sentence does
    not state it (no word of its family), or states a past deed without its doer
    ("Version 1.9 ratified on March 26th, 2022" for "Who ratified version 1.9?"), else "".
    The tense is the user's ("Who elects ...?" asks a rule, which the speller's "elected"
    would turn into a deed)."""
    found = query.form("who_did")
    if found is None:
        return ""
    deed = found.group("deed")
    verb = deed or found.group("future") or ""
    if _doer_named(query, sentence):
        return ""
    if not deed:
        return "" if in_family(verb, sentence.text) else f"will {verb.lower()}"
    at = _family_at(verb, sentence.text)
    return "" if at >= 0 and _doer_stated(query, sentence, at, verb) else verb.lower()


def _family_at(word: str, text: str) -> int:
    """Where the first word of ``word``'s family starts in ``text`` (-1: none)."""
    root = stem(word.lower())
    for found in re.finditer(r"[\w'-]+", text):
        if same_root(root, stem(found.group().lower())):
            return found.start()
    return -1


def _doer_stated(query: Query, sentence: Sentence, at: int, verb: str) -> bool:
    """Does the sentence tell who did the deed worded at ``at``: a name the question does
    not give, an agent after it ("elected by the Committee"), or a subject before it that
    the question does not name ("The developers ratified ...", not "Version 1.9 ratified
    ...")? A deed worded as its doer's noun ("construed against the drafter") says that
    someone did it, not who: only a name tells."""
    if agents(query, sentence):
        return True
    if _AGENT_NOUN.match(sentence.text, at) and not _AGENT_NOUN.match(verb[:-2]):
        return False  # ("sponsored", "discovered": their verbs end so too)
    if re.search(r"\bby\b", sentence.text[at:], re.I):
        return True
    return any(t not in query.terms for t in terms(sentence.text[:at]))


def _doer_named(query: Query, sentence: Sentence) -> bool:
    """Does the sentence name someone (not named by the question) after "by" ("a novel by
    Harper Lee", "built by Horace de Saussure")?"""
    return any(
        label in AGENT_LABELS
        and _BY.search(sentence.text[:start])
        and not given(query, sentence.text[start:end])
        for label, start, end, *_ in sentence.entities
    )


def lacks_office(query: Query, facts: Facts) -> str:
    """ "no Secretary-General is named" for "who is the <Office> of ..." when neither the
    sentence nor its speaker line names the office (every word of it, by family), or names
    it only as "a <Office>"."""
    found = query.form("who_holds") or query.form("which_office")
    if found is None:
        return ""
    role = found.group("role") or ""
    sentence = facts.sentence
    if sentence.speaker and role.lower() == role_acronym(sentence.speaker):
        return ""  # "Who is the PGA?" - by the President of the General Assembly
    named = f"{sentence.text} {sentence.speaker or ''}"
    if not names_all(role, named):
        return f"no {role} is named"
    last = role.split()[-1]
    mentions = list(re.finditer(re.escape(last), named, re.I))
    held = any(not _INDEFINITE.search(named[: mention.start()]) for mention in mentions)
    return "" if held or not mentions else f"no {role} is named"


def lacks_office_dated(query: Query, facts: Facts) -> str:
    """ "it does not mention becoming Permanent Representative" when the dated sentence
    does not name the office asked by "when did X become <Office>" ("in 2010" was the
    Plan's adoption)."""
    found = query.form("became_office")
    if found is None:
        return ""
    office = found.group("role") or ""
    return (
        "" if names_all(office, facts.sentence.text) else f"it does not mention becoming {office}"
    )


def lacks_company_office(query: Query, facts: Facts) -> str:
    """ "no chief executive is named" for "who is the <office> of X" (lower case) when
    neither the sentence nor its speaker line names the office."""
    found = query.form("company_office")
    if found is None:
        return ""
    office = (found.group("office") or "").lower()
    sentence = facts.sentence
    named = f"{sentence.text} {sentence.speaker or ''}"
    if office == "head" and _HEAD_TITLE.search(named):
        return ""  # "Executive Director of UNODC" heads it (a unit's title: lacks_head)
    return "" if names_all(office, named) else f"no {office} is named"


def lacks_head(query: Query, facts: Facts) -> str:
    """ "no head of X is named" when every title of X the sentence or its speaker line
    gives is a unit's ("Program Director at X", "Engagement Lead of X")."""
    found = query.form("head")
    if found is None:
        return ""
    body = found.group("body") or ""
    sentence = facts.sentence
    titles = [
        title.group("unit")
        for title in _TITLE_AT.finditer(f"{sentence.speaker or ''}, {sentence.text}")
        if names_all(body, title.group("rest"))
    ]
    units = [unit for unit in titles if unit and unit.lower() not in lx.HEAD_UNITS]
    return f"no head of {body} is named" if titles and len(units) == len(titles) else ""


def lacks_office_become(query: Query, facts: Facts) -> str:
    """ "no maintainer is named" when the office the question says someone became is named
    neither in the sentence nor its speaker line ("- 2005: Tal Einat" names none)."""
    found = query.form("become")
    if found is None:
        return ""
    office = (found.group("office") or "").lower()
    sentence = facts.sentence
    return (
        ""
        if in_family(office, f"{sentence.text} {sentence.speaker or ''}")
        else f"no {office} is named"
    )
