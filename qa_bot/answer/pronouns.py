"""Whom a personal pronoun in a question means: someone the question itself names ("Which
Senator gave his maiden speech?"), or else someone earlier in the chat, whose name then
takes the pronoun's place ("What did she call for?" -> "What did Ms. Chumbow call for?")."""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.text import words

_PERSONAL = frozenset(lx.PERSONAL_PRONOUNS)
# "her" before these is an object ("what did the chair ask her to do"), else a possessive.
_AFTER_OBJECT = frozenset((*lx.LEAD_PREPOSITIONS, "about", "with", "as"))


# "Who gave his maiden speech?", "Which senator said he ...": the person asked for.
_WH_PERSON = re.compile(r"\b(?:who|whom|whose|which\s+[a-z][\w-]*)\b", re.I)


def _antecedent_before(text: str, pronoun: str) -> bool:
    """Does the question name, before its first personal pronoun, whom the pronoun means:
    the person it asks for ("Which Senator from Hawaii gave his maiden speech?") or a
    proper name ("What did Isakson's grandfather do before he lost it all?")? Such a
    pronoun leans on nothing earlier in the chat."""
    found = re.search(rf"\b{re.escape(pronoun)}\b", text, re.I)
    before = text[: found.start()] if found else ""
    names = [w for w in re.findall(r"[\w'’-]+", before)[1:] if w[:1].isupper() and w != "I"]
    return bool(_WH_PERSON.search(before) or names)


def leaning_pronoun(text: str) -> str:
    """The question's first personal pronoun when it leans on someone the question does
    not name (the chat's last answer, an earlier question), else ""."""
    pronoun = next((w for w in words(text) if w in _PERSONAL), "")
    return "" if pronoun and _antecedent_before(text, pronoun) else pronoun


def with_name(text: str, name: str) -> str:
    """The question with its personal pronouns replaced by ``name`` ("What did she call
    for?" -> "What did Ms. Evelyn Chumbow call for?", "her role" -> "Ms. X's role")."""

    def swap(found: re.Match[str]) -> str:
        word = found.group(0).lower()
        after = re.match(r"\s*([\w'-]+)", text[found.end() :])
        possessive = word in ("his", "hers") or (
            word == "her" and after is not None and after.group(1).lower() not in _AFTER_OBJECT
        )
        return f"{name}'s" if possessive else name

    return re.sub(rf"\b{lx.alt(lx.PERSONAL_PRONOUNS)}\b", swap, text, flags=re.I)
