"""Who speaks, turn by turn, in a transcript: the lines that open a speaker's turn.

Meeting records and briefings name the speaker at the start of each turn, in one of a few
layouts, in any format once its text is read (Markdown, text, PDF, Word, HTML):

- ``CHAIR POWELL. Good afternoon.`` — the name in capitals and a full stop (U.S. federal
  transcripts, press briefings), and a parliament's ``Mr. DODD. Mr. President, ...``,
  ``The PRESIDING OFFICER (Mr. Cornyn). Without objection ...`` (the Congressional Record;
  the member in the chair speaks, in that office);
- ``Ms. Jane Doe (Mexico): Thank you, Chair.`` or ``Jane Doe: ...`` — a name, maybe a
  country or an organisation in brackets, and a colon (Q&A records, minutes);
- ``**Mexico | Ms. Jane Doe**`` on a line of its own — a delegation and its speaker, the turn
  being the paragraphs under it (working-group records);
- a line of its own that says whose the text below is: ``MR. JUSTICE BRENNAN delivered the
  opinion of the Court.``, ``JUSTICE HARLAN, whom JUSTICE CLARK joins, dissenting.``,
  ``Senator Doe made the following statement:`` (court opinions, hearing records). The
  line stays a sentence of the turn ("Which Justice delivered the opinion?"); one such
  line is enough, as it can mean nothing else.

A layout counts only in a document where it opens at least ``MIN_TURNS`` lines and some
speaker takes the floor twice (two delegation lines suffice; one turn that addresses the
chair, "Mr. KANJORSKI. Mr. Speaker, I rise ...", is a member's statement on the record):
a licence's "IMPLIED.  BY WAY OF EXAMPLE" or a changelog's "Release date: ..." is no
transcript. A turn's spoken text starts after its label, so the label is never quoted as
a sentence; the speaker is "Name, Country" where the layout gives
a country or an organisation (``speakers.speaker_name`` / ``speaker_role`` read it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qa_bot.ingest.speakers import COMMON_OFFICES

MIN_TURNS = 3
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-.]*"
_HONORIFIC = r"(?:(?:Mr|Ms|Mrs|Dr|Prof|Sir|Dame|H\.E)\.?\s+)?"
_CAPS_WORD = r"(?:Mc|Mac)?[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’\-]+"
# "CHAIR POWELL. Good afternoon.", "KELLY O’GRADY. Thanks ...", and the parliamentary
# record's "Mr. DODD. Mr. President, ...", "Mrs. BOXER of California.", "The PRESIDING
# OFFICER (Mr. Cornyn). Without objection", "The ACTING PRESIDENT pro tempore. The clerk".
_CAPITALS = re.compile(
    r"^[ \t]*(?P<label>(?:(?:Mr|Ms|Mrs|Miss|Dr)\.[ \t]+|The[ \t]+)?"
    rf"(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’\-]*\.? ){{0,3}}{_CAPS_WORD}"
    r"(?:[ \t]+(?:pro tempore|of (?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+))?)"
    r"(?:[ \t]*\((?P<chair>[^()\n]{2,40})\))?\.[ \t]+(?=\S)(?P<rest>[^\n]*)",
    re.M,
)
# A parliament's address to its chair, which opens a member's turn: one such turn is a
# statement on the record, though no one else speaks ("Mr. KANJORSKI. Mr. Speaker, ...").
_ADDRESS = re.compile(r"(?:Mr\.|Madam) (?:Speaker|President|Chairman|Chair)\b")
# "Ms. Jane Doe (Mexico): ...", "Jane Doe: ...", "**Jane Doe:** ..."
_COLON = re.compile(
    rf"^[ \t]*(?:\*\*)?(?P<label>{_HONORIFIC}{_NAME_WORD}(?:[ \t]+(?:(?:de|van|von|del|da|al|bin)[ \t]+)?"
    rf"{_NAME_WORD}){{0,4}})(?:[ \t]*\((?P<of>[^()\n]{{2,60}})\))?(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]+"
    r"(?=\S)(?P<rest>[^\n]*)",
    re.M,
)
# A courtesy title opens the label in capitals ("MR PATEL"): one such turn is a speaker's.
_TITLED_LABEL = re.compile(r"^(?i:mr|ms|mrs|miss|dr)\.?[ \t]+[A-ZÀ-ÖØ-Þ]")
# "**Mexico | Ms. Jane Doe**" alone on its line.
_PIPE = re.compile(
    r"^[ \t]*\*\*(?P<of>[^|*\n]{2,80}?)[ \t]*\|[ \t]*(?P<label>[^|*\n]{2,80}?)\*\*[ \t]*$", re.M
)

# A line that gives the text under it to a titled person: the name, then who joins them,
# then the act ("delivered the opinion of the Court", "dissenting", "concurring in the
# judgment", "made the following statement:").
_TITLED = (
    r"(?:(?:(?i:Mr|Ms|Mrs|Dr)\.[ \t]+)?(?:(?i:Chief)[ \t]+)?"
    rf"(?i:{'|'.join(COMMON_OFFICES)})[ \t]+"
    r"|(?i:Mr|Ms|Mrs|Dr)\.[ \t]+)"
)
_STATEMENT = r"(?:opinion|judgment|statement|remarks|address|testimony|speech)"
_ATTRIBUTION = re.compile(
    rf"^[ \t]*(?P<label>{_TITLED}(?:[A-ZÀ-ÖØ-Þ][\w'’\-.]*[ \t]+){{0,3}}[A-ZÀ-ÖØ-Þ][\w'’\-]+)"
    r"(?:,[ \t]+(?:with[ \t]+)?whom[^\n,]{2,120}?joins?)?"
    r"(?P<act>[ \t]+(?:delivered|announced|read|made|gave|filed)[ \t]+(?:the|a|an|his|her)"
    rf"(?:[ \t]+[\w'’\-]+){{0,3}}?[ \t]+{_STATEMENT}(?:[ \t]+of[ \t]+the[ \t]+(?i:Court))?"
    r"|,[ \t]+(?:dissenting|concurring)(?:[ \t]+in[ \t][^\n.:,]{2,60})?)"
    r"[.:][ \t]*$",
    re.M,
)


@dataclass(frozen=True)
class Turn:
    """A speaker's turn: where its line starts, where the spoken text starts, and who."""

    start: int
    body: int
    speaker: str
    line_only: bool = False  # the label stands alone on its line (the turn is what follows)


def find_turns(text: str) -> list[Turn]:
    """The speaker turns of ``text``, in order; [] when it is no transcript."""
    turns: list[Turn] = _pipes(text)
    if len(turns) < 2:  # a delegation's line is a turn of its own kind: two make a record
        turns = []
    turns += _attributions(text)
    for layout in (_capitals, _colons):
        found = layout(text)
        labels = Counter(turn.speaker for turn in found)
        if len(found) >= MIN_TURNS and labels.most_common(1)[0][1] >= 2:
            turns += found
        elif any(_ADDRESS.match(text, turn.body) for turn in found):
            turns += found  # a member's statement: "Mr. KANJORSKI. Mr. Speaker, I rise ..."
        elif layout is _colons and any(
            _TITLED_LABEL.match(t.speaker) and t.speaker.isupper() for t in found
        ):
            turns += found  # "MR PATEL: Good afternoon." (a letter's "Mr. President:" is not)
    return sorted(turns, key=lambda turn: turn.start)


def _spoken(rest: str) -> bool:
    """Is the rest of the line speech, not more capitals ("BY WAY OF EXAMPLE, BUT NOT")?"""
    letters = [c for c in rest if c.isalpha()]
    lower = sum(c.islower() for c in letters)
    return bool(letters) and (lower * 2 >= len(letters) or rest.lstrip()[:2] in ("I ", "I,"))


def _capitals(text: str) -> list[Turn]:
    """Turns whose label is a name in capitals; "The PRESIDING OFFICER (Mr. Cornyn)" is
    the chair's office held by the person in brackets, who speaks ("Mr. Cornyn, The
    PRESIDING OFFICER": name, then role)."""
    out = []
    for m in _CAPITALS.finditer(text):
        label, chair = m.group("label"), m.group("chair")
        if len(label) > 2 and _spoken(m.group("rest")):
            out.append(
                Turn(m.start("label"), m.start("rest"), f"{chair}, {label}" if chair else label)
            )
    return out


def _colons(text: str) -> list[Turn]:
    """Turns whose label is a name and a colon. A one-word label ("Note:", "Example:") is
    a name only with its country, or, in capitals, as the unnamed voice of a record whose
    named speakers take turns too ("QUESTION:", "Q:", "MODERATOR:"), when it speaks twice."""
    named, voices = [], []
    for m in _COLON.finditer(text):
        label, of = m.group("label").strip(), (m.group("of") or "").strip()
        turn = Turn(m.start("label"), m.start("rest"), f"{label}, {of}" if of else label)
        if len(label.split()) >= 2 or of:
            named.append(turn)
        elif label.isupper() and label.isalpha():
            voices.append(turn)
    spoken = Counter(turn.speaker for turn in voices)
    if named:
        named += [turn for turn in voices if spoken[turn.speaker] >= 2]
    return sorted(named, key=lambda turn: turn.start)


def _pipes(text: str) -> list[Turn]:
    return [
        Turn(m.start(), m.end(), f"{m.group('label').strip()}, {m.group('of').strip()}", True)
        for m in _PIPE.finditer(text)
    ]


def _attributions(text: str) -> list[Turn]:
    """Turns opened by a line that gives the text below to someone; the line is the
    turn's first sentence, and the speaker "Name, act" ("MR. JUSTICE HARLAN, dissenting")."""
    out = []
    for m in _ATTRIBUTION.finditer(text):
        act = m.group("act").strip(" \t,")
        out.append(Turn(m.start("label"), m.start("label"), f"{m.group('label')}, {act}"))
    return out
