"""Word-level text handling shared by lexical retrieval and question analysis."""

from __future__ import annotations

import os
import re
from functools import lru_cache

import Stemmer

SECTION_SEP = " › "  # between the headings of a section path ("Findings › 1. Fish")

_WORD = re.compile(r"[0-9]+(?:[./,][0-9]+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself also may might must shall according said say says tell
    told whose per via upon mr ms mrs dr
    """.split()
)

# Words that frame a question rather than name its content ("which speaker works
# for ...", "what was mentioned about ..."): never required of an answer.
FRAMING = frozenset(
    """
    speaker speakers panellist panellists panelist panelists person someone anyone
    mention mentioned mentions talk talked talks discuss discussed discusses think
    thought want wanted wants work works worked working document documents happen
    happens happened kind kinds sort type thing things else
    """.split()
)

_STEMMER = Stemmer.Stemmer("english")

# Irregular verb forms the stemmer cannot join to their verb ("held" / "hold"), so that
# a question's "was held" meets a text's "hold" (and the reverse).
_IRREGULAR = {
    form: base
    for base, forms in {
        "hold": "held", "take": "took taken", "give": "gave given", "make": "made",
        "speak": "spoke spoken", "meet": "met", "lead": "led", "win": "won", "begin":
        "began begun", "choose": "chose chosen", "write": "wrote written", "bring":
        "brought", "buy": "bought", "think": "thought", "teach": "taught", "seek":
        "sought", "find": "found", "build": "built", "send": "sent", "spend": "spent",
        "leave": "left", "lose": "lost", "pay": "paid", "sell": "sold", "tell": "told",
        "keep": "kept", "rise": "rose risen", "fall": "fell fallen", "grow": "grew grown",
        "know": "knew known", "draw": "drew drawn", "drive": "drove driven", "fly": "flew flown",
        "go": "went gone", "run": "ran", "see": "saw seen", "show": "shown", "become": "became",
        "come": "came", "get": "got gotten", "stand": "stood", "understand": "understood",
        "bear": "bore born borne", "break": "broke broken", "steal": "stole stolen",
        "forbid": "forbade forbidden", "shake": "shook shaken", "sing": "sang sung",
    }.items()
    for form in forms.split()
}  # fmt: skip
LEXICAL_VERSION = 2  # bump when tokens or stems change: BM25 indexes must be rebuilt


# British -ise/-isation spellings folded into -ize/-ization, so "organisations" and
# "organizations" meet (the shipped document uses both). Short words ("rise") are left.
_BRITISH = re.compile(r"(?<=\w{3})is(e|es|ed|ing|ation|ations)$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    return _STEMMER.stemWord(_BRITISH.sub(r"iz\1", word))


def same_root(a: str, b: str, min_len: int = 5) -> bool:
    """Stems of one word family ("emphas" / "emphasi"): equal, or one a long prefix of the other."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= min_len and long_.startswith(short) and len(long_) - len(short) <= 2


def kin(a: str, b: str) -> bool:
    """Words of one family by their opening letters ("tajik" / "tajikistan", "testifi" /
    "testimoni", "argu" / "argument"): the same word ("IOM"), or a shared start of four
    letters or more, most of the shorter word. Looser than ``same_root``: a verb and its
    noun, a country and its people."""
    shared = len(os.path.commonprefix([a, b]))  # noqa: RUF071 (words, not paths)
    return a == b or (shared >= 4 and shared >= 0.6 * min(len(a), len(b)))


_POSSESSIVE = re.compile(r"['’]s$")


def without_possessive(word: str) -> str:
    """The word without a possessive "'s" ("Isakson's" -> "Isakson")."""
    return _POSSESSIVE.sub("", word)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers such as 79/286 and 35% kept whole)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def terms(text: str) -> list[str]:
    """Stemmed content terms: what lexical matching compares."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def one_spaced(text: str) -> str:
    """``text`` with every run of white space one space and none at its ends: the form in
    which passages, sentences and headings are kept (their offsets say where they are)."""
    return " ".join(text.split())


def in_family(word: str, text: str) -> bool:
    """Does ``text`` hold a word of ``word``'s family ("founded" / "founder")?"""
    root = stem(word.lower())
    return any(same_root(root, term) for term in terms(text))


def names_all(phrase: str, text: str) -> bool:
    """Does ``text`` hold a word of each content word's family of ``phrase`` (an office, a
    topic)?"""
    return all(in_family(w, text) for w in words(phrase) if w not in STOPWORDS)


# "Take place" says only that something happened (as "happen", a framing word, does): the
# text says "convened", "was held" or nothing at all ("30 June 2025, United Nations ...").
_TAKE_PLACE = re.compile(r"\b(?:take|takes|took|taken|taking) place\b", re.I)
# So does "held" in a question asking when or where: "When was the hearing held?" is
# answered by "convened on 30 June 2025"; "How long was she held?" keeps it.
_HELD_WHEN = re.compile(
    r"^\s*(?:(?:on|in|at) )?(?:when|where|(?:what|which) (?:date|day|year|month|time|city"
    r"|place|venue|country|town))\b.*?\b(?P<held>held)\b",
    re.I,
)


def _without_held(text: str) -> str:
    """The question without a "held" that only says an event happened (``_HELD_WHEN``)."""
    found = _HELD_WHEN.match(text)
    return text if found is None else text[: found.start("held")] + text[found.end("held") :]


def question_terms(text: str) -> list[str]:
    """Content terms of a question, without the words that only frame it."""
    return [
        stem(w)
        for w in words(_TAKE_PLACE.sub(" ", _without_held(text)))
        if w not in STOPWORDS and w not in FRAMING and (len(w) > 1 or w.isdigit())
    ]
