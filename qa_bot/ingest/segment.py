"""Sentence splitting with character offsets, aware of titles and abbreviations."""

from __future__ import annotations

import re

# Tokens that end with a period but do not end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt no nos vs etc e.g i.e cf al approx dept est fig gen
    gov hon rev sgt lt col capt cmdr adm pres amb rep sen art arts para paras sec p pp
    vol ed eds inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec h.e u.s
    u.k u.n e.u a.m p.m op cit ibid viz
    """.split()
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_TOKEN_BEFORE = re.compile(r"(\S+)$")


# A line that opens a bulleted item ("- 2005: Tal Einat", "* Fixed") starts a sentence when
# the line before ends one (".", ":", ";") or the text so far is an item itself; "*  basis,
# without warranty  *" is a line of a box. (Numbered items split as sentences do: "2." is
# a sentence's end to the splitter, and their numbers would read as counts.)
_LIST_LINE = re.compile(r"\n[ \t]*(?=[-*•+][ \t]+\S)(?![^\n]*\*[ \t]*(?:\n|$))")
_MARKER = re.compile(r"\s*[-*•+][ \t]+\S")
_ITEM_ENDS = tuple(".:;!?")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns (start, end) offsets shifted by ``offset``.

    Offsets exclude surrounding whitespace. A period ends a sentence only when the
    next word starts with a capital letter, digit or opening quote, and the word
    before it is not a known abbreviation, an initial (``H.``) or a dotted acronym. Each
    list item on a line of its own is a sentence too.
    """
    spans: list[tuple[int, int]] = []
    cut = 0
    for end in [*_list_items(text), len(text)]:
        spans += _split_prose(text[cut:end], cut)
        cut = end
    return [(s + offset, e + offset) for s, e in spans]


def _list_items(text: str) -> list[int]:
    """Where the list items on lines of their own start (see _LIST_LINE)."""
    cuts, cut = [], 0
    for line in _LIST_LINE.finditer(text):
        if text[cut : line.start()].rstrip().endswith(_ITEM_ENDS) or _MARKER.match(text, cut):
            cuts.append(line.start())
            cut = line.start()
    return cuts


def _split_prose(text: str, offset: int) -> list[tuple[int, int]]:
    """``split_sentences`` within text that holds no list item's line start."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end <= start or not _NEXT_START.match(text, end):
            continue
        if match.group().startswith(".") and _is_abbreviation(text[start : match.start() + 1]):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
    tail_end = len(text.rstrip())
    if start < tail_end:
        spans.append((start, tail_end))
    return [(s + offset, e + offset) for s, e in spans]


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _is_abbreviation(sentence_so_far: str) -> bool:
    """Does the sentence-so-far end in a word whose period is not a full stop?"""
    match = _TOKEN_BEFORE.search(sentence_so_far)
    if not match:
        return False
    token = match.group(1).lstrip("\"'“‘([").rstrip(".")
    lowered = token.lower()
    if lowered in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "H." in "H. G. Wells"
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token))  # U.S, e.g, H.E


# Where a long sentence may be cut, best first: after a semicolon or colon, after a
# comma or dash, then between any two words.
_CUTS = (re.compile(r"[;:](?=\s)"), re.compile(r"(?:,|\s[–—-])(?=\s)"), re.compile(r"\S(?=\s)"))


def cap_sentences(text: str, spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Sentences longer than ``max_chars`` cut into verbatim pieces no longer than it.

    A cut falls at the last clause boundary (``;`` ``:``, then ``,`` or a dash) that keeps
    the piece within the limit and at least half as long, else at the last word boundary,
    else (one huge "word") at the limit itself. Quotes are made of sentences, so this
    bounds a quote's length: a 5 MB file of one sentence cannot make a 5 MB answer.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > max_chars:
            cut = _cut(text, start, start + max_chars)
            out.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return out


def _cut(text: str, start: int, limit: int) -> int:
    """The end of the piece beginning at ``start``: a boundary at or before ``limit``."""
    lowest = start + (limit - start) // 2
    for pattern in _CUTS:
        ends = [m.end() for m in pattern.finditer(text, lowest, limit)]
        if ends:
            return ends[-1]
    return limit
