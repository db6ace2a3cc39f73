"""Where: a country, a birthplace, a seat, a place of origin, an address or a school asked
is one the sentence names, not the region, the office or the place beside it.

- "which country / countries" needs a country or a nationality named (the NER's GPE or
  NORP), not a region, an office or a facility ("the US Office at Hagar International ...
  across Southeast Asia" does not say which country she comes from); "which states" asks
  states by name;
- "... born" needs a birth stated in the passage (trafficked "to the United States" is not
  where she was born); "where is X headquartered" a seat ("Engagement Lead of Marinus
  Analytics in UK and Europe" is where he works); "from which country" a place of origin
  ("from Ghana", "a native of");
- "what is the (street / e-mail) address of X" a street and its number, a post box, an
  e-mail or a web address; "which university / college / school" one by a name that says
  what it is ("The Human Trafficking Legal Centre" where she works is none).
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.lexicon import alt
from qa_bot.answer.query import Query

NO_COUNTRY = "no country is named"
NO_STATE = "no state is named"  # "Which states ...?" may ask countries or a country's states
NO_BIRTH = "no birth is mentioned"
NO_BASE = "it does not say where it is based"
NO_ORIGIN = "it does not say where from"
NO_ADDRESS = "no address is given"
_BIRTH = re.compile(r"\b(?:born|birth\w*|native)\b", re.I)
_BASED = re.compile(rf"\b{alt(lx.SEAT_WORDS)}\b", re.I)
_ORIGIN_BEFORE = re.compile(rf"\b{alt(lx.ORIGIN_WORDS)}\s+(?:\S+\s+){{0,2}}$", re.I)
# A street number and its street ("160 Saratoga Avenue", "38 rue de la ..."; not "30 June"
# nor "In 1995, Guido"), or a post box; an e-mail or a web address.
_STREET = re.compile(
    rf"(?<![\w.,/-])\d{{1,5}}[A-Za-z]?\s+(?!{alt(lx.MONTHS)}\b)(?:[A-Z][\w'.-]*|rue|via|calle)\b"
    r"|\bP\.?\s?O\.?\s+Box\b",
)
_ONLINE = re.compile(r"[\w.+-]+@[\w-]+\.\w|\bhttps?://|\bwww\.")
_SCHOOL_LABELS = ("ORG", "FAC", "GPE")  # the NER takes some schools for places
_SCHOOL_NAME = re.compile(rf"\b{alt(lx.SCHOOL_NAME_STEMS)}", re.I)


def lacks_country(query: Query, facts: Facts) -> str:
    """ "no country is named" when a country asked is not (nor a nationality)."""
    found = query.form("country")
    if found is None or facts.countries:
        return ""
    return NO_STATE if found.group("states") else NO_COUNTRY


def lacks_birth(query: Query, facts: Facts) -> str:
    """ "no birth is mentioned" when "... born" is asked and the passage speaks of none."""
    return NO_BIRTH if query.form("born") and not _BIRTH.search(facts.passage_text) else ""


def lacks_seat(query: Query, facts: Facts) -> str:
    """ "it does not say where it is based" for "where is X headquartered"."""
    return NO_BASE if query.form("headquarters") and not _BASED.search(facts.passage_text) else ""


def origins(facts: Facts) -> list[str]:
    """The places the sentence gives as where someone or something comes from ("from
    Ghana", "a native of Ghana") that the question does not name."""
    text = facts.sentence.text
    return [
        text[start:end]
        for start, end in facts.typed
        if start >= 0 and _ORIGIN_BEFORE.search(text[:start])
    ]


def lacks_origin(query: Query, facts: Facts) -> str:
    """ "it does not say where from" for "from which country ..."."""
    return NO_ORIGIN if query.form("from_which") and not origins(facts) else ""


def lacks_address(query: Query, facts: Facts) -> str:
    """ "no address is given" when an address asked is not: a street address is a street
    and its number or a post box ("In 2001, the Python Software Foundation (PSF, see
    https://www.python.org/psf/) was formed" gives none); an e-mail or web address is one;
    a bare "address" may be either."""
    found = query.form("address")
    if found is None:
        return ""
    kind = (found.group("kind") or "").lower()
    text = facts.sentence.text
    street, online = _STREET.search(text), _ONLINE.search(text)
    if kind in lx.ONLINE_KINDS:
        missing = not online
    elif kind:
        missing = not street
    else:
        missing = not (street or online)
    return NO_ADDRESS if missing else ""


def lacks_school(query: Query, facts: Facts) -> str:
    """ "no university is named" when the sentence names no organisation or place the
    question does not give whose name says it is a school."""
    found = query.form("school")
    if found is None:
        return ""
    sentence = facts.sentence
    for label, start, end, *_ in sentence.entities:
        name = sentence.text[start:end]
        if label in _SCHOOL_LABELS and not query.names(name) and _SCHOOL_NAME.search(name):
            return ""
    kind = (found.group("kind") or "").lower()
    return f"no {'university' if kind.startswith('universit') else kind.rstrip('s')} is named"
