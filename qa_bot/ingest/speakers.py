"""Who is speaking: meeting-summary paragraphs that open with a named person, or with a
delegation's representative; the names and roles by which a question refers to them."""

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
# Offices many people hold, said before a name ("JUSTICE HARLAN", "Senator Doe"); with
# the courtesy titles, in any case, never a key of one speaker ("Which Justice ..." names
# none of them). turns.py reads a line that gives the text below to one of them.
COMMON_OFFICES = ("Justice", "Judge", "Senator", "Representative", "Commissioner", "Ambassador")
_TITLE_WORD = re.compile(rf"^(?i:mr|ms|mrs|dr|prof|chief|{'|'.join(COMMON_OFFICES)})\.?$")
# The role ends where the verb clause begins: ", highlighted", ", in his opening remarks".
_ROLE_END = re.compile(r",\s+(?!and\b|or\b|the\b|of\b)(?=[a-z])")


# "The representative of Mexico said ...", "Speaking on behalf of the Group of 77 and China,
# the representative of Iraq ...", "The delegate of the Republic of Korea ..." (UN press
# summaries of debates): the delegation speaks.
_PARTY = r"(?:(?i:the) )?[A-ZÀ-Þ][\w'’\-]*(?:,? (?:and |of |the |de )*[A-ZÀ-Þ][\w'’\-]*){0,6}"
_DELEGATE = re.compile(
    r"^(?i:(?:Speaking (?:for|on behalf of) [^,]{2,120}, )?(?:the )?(?P<role>representative"
    rf"|delegate|observer|speaker|Permanent Representative) (?:of|for)) (?P<party>{_PARTY})\b"
)


def detect_speaker(paragraph: str) -> str | None:
    """Return "Name, Role" when the paragraph opens with a titled person ("Party,
    representative" with a delegation's representative), else None."""
    text = " ".join(paragraph.split())
    delegate = _DELEGATE.match(text)
    if delegate:
        party = re.sub(r"^the ", "", delegate.group("party"), flags=re.I)
        return f"{party}, {delegate.group('role').lower()}"
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
    the acronym of their role, a short role: the delegation of "Ms. Jane Doe, Mexico"); an
    office is known by its whole title ("presiding officer"), never by "the" or "officer"."""
    name = speaker_name(speaker)
    words = [w for w in re.split(r"\s+", name) if not (_HAS_TITLE.match(w) or _TITLE_WORD.match(w))]
    words = [w for w in words if w.lower() not in {"h.e.", "his", "her", "excellency"}]
    if not words:
        return set()
    if words[0].lower() == "the":  # an office ("The PRESIDING OFFICER"): only its whole title
        keys = {" ".join(words[1:]).lower()} if len(words) > 1 else set()
    else:
        keys = {words[-1].lower(), " ".join(words).lower()}
        if len(words) > 1:
            keys.add(words[0].lower())
    acronym = role_acronym(speaker)
    if acronym:
        keys.add(acronym)
    role = speaker_role(speaker)
    if role and len(role.split()) <= SHORT_ROLE_WORDS and role[:1].isupper():
        keys.add(role.lower())
    title = role_title(speaker)
    if len(title.split()) >= 2:
        keys.add(title.lower())
    return keys


def role_title(speaker: str) -> str:
    """The title that opens a role, its capitalised words before the first lower-case one
    ("Special Rapporteur" of "Special Rapporteur on trafficking in persons", "Executive
    Director" of "Executive Director of UNODC"): "the Special Rapporteur" names her."""
    title = []
    for word in speaker_role(speaker).split():
        if not word[:1].isupper() or word.isupper():
            break
        title.append(word.strip(",;:"))
    return " ".join(title)


SHORT_ROLE_WORDS = 4  # a role this short is a name too ("Mexico", "Chair", "Reuters")
# The party a role speaks for: the proper name after "of", "at" or "for" ("Permanent
# Representative of the Republic of Tajikistan", "Executive Director of UNODC").
_PARTY_IN_ROLE = re.compile(
    r"(?=\b(?:of|at|for) (?:the )?(?P<party>[A-ZÀ-Þ][\w'’\-]*(?: (?:of |and |the |for )*[A-ZÀ-Þ][\w'’\-]*)*))"
)
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")


def speaker_parties(speaker: str) -> set[str]:
    """The names of the parties a speaker speaks for, lower case ("republic of tajikistan",
    "tajikistan", "unodc"), read from their role."""
    out = set()
    for found in _PARTY_IN_ROLE.finditer(speaker_role(speaker)):
        whole = found.group("party").lower()
        for party in {whole, whole.split(" and ")[0]}:
            out.add(party)
            out.add(re.sub(r"^(?:republic|kingdom|state|government) of ", "", party))
    out.update(acronym.lower() for acronym in _ACRONYM.findall(speaker_role(speaker)))
    return out


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
