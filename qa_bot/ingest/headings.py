"""Which lines of a document are headings, and where each sits in the section path:
Markdown ATX ("## Title") and setext ("Title" over "=====") headings, bold lines, and
numbered headings that are siblings whatever their level."""

from __future__ import annotations

import re

from qa_bot.text import one_spaced

_ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_BOLD_LINE = re.compile(r"^\*\*([^*\n]+)\*\*$")
# A Markdown setext underline: "=====" under a line makes it a level-1 heading, "-----" a
# level-2 one (plain-text licences and READMEs use them as much as Markdown does).
_SETEXT = re.compile(r"[ \t]*(={3,}|-{3,})[ \t\r]*")
NUMBERED = re.compile(r"^(?P<num>(?:\d+|[IVXLC]+|[A-Z])(?:\.\d+)*)[.)]\s+\S")


def setext(
    text: str, start: int, first_nl: int, end: int
) -> tuple[tuple[int, str] | None, int, int]:
    """A first line underlined with "=====" or "-----": its heading, and where the next
    line break and the heading's block end (the underline included), else (None, ...)."""
    under_end = text.find("\n", first_nl + 1, end)
    under_end = end if under_end == -1 else under_end
    under = _SETEXT.fullmatch(text, first_nl + 1, under_end)
    title = one_spaced(text[start:first_nl])
    if under is None or not title or len(title) > 150:
        return None, first_nl, first_nl
    level = 1 if under.group(1).startswith("=") else 2
    return (level, title), (under_end if under_end < end else -1), under_end


def line_heading(line: str) -> tuple[int, str] | None:
    """A Markdown ATX heading ("## Title", levels 1-6) or a bold line (level 7), else None."""
    match = _ATX.match(line)
    if match:
        level, title = len(match.group(1)), match.group(2)
    else:
        bold = _BOLD_LINE.match(line)
        if not bold or len(line) > 150:
            return None
        level, title = 7, bold.group(1)  # a bold line: a heading below all ATX levels
    title = one_spaced(title.replace("**", "").replace("__", ""))
    return (level, title) if title else None


def push_heading(
    stack: list[tuple[int, str, str | None]], heading: tuple[int, str], after_numbered: bool
) -> bool:
    """Place a heading in the section stack; returns whether it is numbered.

    Heading levels are used inconsistently in real documents (``## 1.``, ``# 2.``,
    ``### 3.`` under one parent), so numbering wins over the markdown level:
    numbered headings of the same depth are siblings under the heading that
    preceded the list, and an unnumbered heading after such a list closes it.
    """
    level, title = heading
    match = NUMBERED.match(title)
    if match:
        depth = match.group("num").count(".") + 1
        for i in range(len(stack) - 1, -1, -1):
            numbering = stack[i][2]
            if numbering is not None and numbering.count(".") + 1 == depth:
                del stack[i:]
                break
        stack.append((level, title, match.group("num")))
        return True
    if after_numbered:
        while stack and stack[-1][2] is not None:
            stack.pop()
        if stack:
            level = stack.pop()[0]  # the list's parent ends with its list
    while stack and stack[-1][0] >= level:
        stack.pop()
    stack.append((level, title, None))
    return False
