"""Who is speaking: meeting-summary paragraphs that open with a named person."""

from __future__ import annotations

import re

_HONORIFIC = r"(?:(?:H\.E\.|His Excellency|Her Excellency)\s+)?(?:(?:Mr|Ms|Mrs|Dr|Prof|Professor|Sir|Dame|Judge|Ambassador)\.?\s+)?"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
# "Ms. Ghada Fathi Waly, Executive Director of UNODC ..., highlighted"
_OPENING = re.compile(
    rf"^(?P<name>{_HONORIFIC}{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}),\s+(?P<rest>.+)$",
    re.DOTALL,
)
_HAS_TITLE = re.compile(r"^(?:H\.E\.|His Excellency|Her Excellency|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prof)")
# The role ends where the verb clause begins: ", highlighted", ", in his opening remarks".
_ROLE_END = re.compile(r",\s+(?!and\b|or\b|the\b|of\b)(?=[a-z])")


def detect_speaker(paragraph: str) -> str | None:
    """Return "Name, Role" when the paragraph opens with a titled person, else None."""
    text = " ".join(paragraph.split())
    match = _OPENING.match(text)
    if not match or not _HAS_TITLE.match(match.group("name")):
        return None
    name, rest = match.group("name"), match.group("rest")
    end = _ROLE_END.search(rest)
    if not end:
        return name
    role = rest[: end.start()].strip()
    if not role or len(role) > 250 or not role[0].isupper():
        return name
    return f"{name}, {role}"


def speaker_name(speaker: str) -> str:
    """The name part of a "Name, Role" attribution."""
    return speaker.split(",", 1)[0]


def name_keys(speaker: str) -> set[str]:
    """Lower-case words by which a question may refer to the speaker (surname, full name,
    the acronym of their role)."""
    name = speaker_name(speaker)
    words = [w for w in re.split(r"\s+", name) if not _HAS_TITLE.match(w)]
    words = [w for w in words if w.lower() not in {"h.e.", "his", "her", "excellency"}]
    if not words:
        return set()
    keys = {words[-1].lower(), " ".join(words).lower()}
    if len(words) > 1:
        keys.add(words[0].lower())
    acronym = role_acronym(speaker)
    if acronym:
        keys.add(acronym)
    return keys


_JOINING = frozenset("of the on for in to at".split())


def role_acronym(speaker: str) -> str:
    """The initials by which a role is known, lower-case ("pga" for the President of the
    General Assembly), when its title is capitalised words (and joining words) and gives
    three or more; else "". Not for a title holding an acronym already ("Executive
    Director of UNODC" is never "EDU")."""
    title = re.split(r",| and |\(", speaker_role(speaker), maxsplit=1)[0].split()
    capitals = [w for w in title if w.lower() not in _JOINING]
    if not all(w[:1].isupper() and not w.isupper() for w in capitals) or len(capitals) < 3:
        return ""
    return "".join(w[0] for w in capitals).lower()


def speaker_role(speaker: str) -> str:
    """The role part of a "Name, Role" attribution ("" when there is none)."""
    parts = speaker.split(",", 1)
    return parts[1].strip() if len(parts) > 1 else ""
