"""Read corpus files into documents: sections, paragraphs, sentences, speakers, offsets."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from qa_bot.clean import clean_document, shown_name
from qa_bot.ingest.extract_worker import extract_limited
from qa_bot.ingest.formats import ExtractionError, too_long
from qa_bot.ingest.headings import NUMBERED, line_heading, push_heading, setext
from qa_bot.ingest.safe_read import OutsideError, TooLargeError, read_inside
from qa_bot.ingest.segment import cap_sentences, split_sentences
from qa_bot.ingest.speakers import detect_speaker
from qa_bot.ingest.turns import Turn, find_turns
from qa_bot.text import SECTION_SEP, one_spaced
from qa_bot.types import Passage, Sentence

log = logging.getLogger(__name__)

_BLOCK_SEP = re.compile(r"\n[ \t]*(?:\r?\n[ \t]*)+")
# Bump when parse_document splits text differently: indexed passages must be rebuilt.
PARSING_VERSION = 8  # 2: a plain-text title is its first line (and lines continuing it)
# 3: setext headings ("Title" over "=====")
# 4: a title holds no sentence's end; each list item on a line of its own is a sentence
# 5: a transcript's speaker turns (turns.py) are paragraphs, their speaker each sentence's
# 6: HTML <pre> keeps its lines; a parliament's turns ("Mr. DODD.", "The PRESIDING OFFICER
#    (Mr. Cornyn).") and a member's one statement ("Mr. KANJORSKI. Mr. Speaker, ...")
# 7: a line that gives the text below to someone ("MR. JUSTICE HARLAN, dissenting.") opens
#    a turn; a turn runs on under a heading nested below the one it began under
# 8: an unnamed voice in capitals ("QUESTION:", "Q:") takes turns beside named speakers;
#    one "MR PATEL:" label in capitals opens a turn
_TERMINAL = tuple('.!?:;"”’)]…')


class DocumentError(ValueError):
    """A corpus file cannot be indexed; the message says which and why."""


def _skip(name: str, why: str) -> DocumentError:
    """The error that skips the file ``name``: its name, printable (``shown_name``), and why."""
    return DocumentError(f"{shown_name(name)}: {why}; skipped")


@dataclass(frozen=True)
class Document:
    """One parsed corpus file. Passage and sentence ids are local (from 0)."""

    path: str
    title: str
    sha256: str
    text: str
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    pages: tuple[int, ...] = ()  # where each page starts in ``text`` (PDFs)


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    heading: tuple[int, str] | None = None  # (markdown level, title)


def decode(raw: bytes, name: str) -> str:
    """Bytes of a corpus file to text (controls and terminal escapes blanked, offsets kept:
    see qa_bot/clean.py), or DocumentError saying what is wrong with the file."""
    if b"\x00" in raw:
        raise _skip(name, "looks like a binary file (contains NUL bytes)")
    try:
        text = clean_document(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        bad = raw[err.start]
        raise _skip(
            name,
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {err.start}); save it as UTF-8 to "
            "index it",
        ) from None
    if not text.strip():
        raise _skip(name, "empty file")
    return text


MB = 1 << 20


def load_document(
    root: Path,
    rel: str,
    max_passage_chars: int = 1500,
    max_document_mb: float = 20.0,
    max_sentence_chars: int = 1000,
    max_document_chars: int = 5_000_000,
    max_read_seconds: float = 0.0,
) -> Document:
    """Read, extract and parse one corpus file. Raises DocumentError for files that
    cannot be used: outside the folder, too big, unreadable, without text, or anything
    that makes its reader fail (a hostile PDF or Word file skips that file only)."""
    limit = int(max_document_mb * MB)
    try:
        raw = read_inside(root, rel, max_bytes=limit)
    except OutsideError:
        raise _skip(rel, "a link to a file outside the corpus folder") from None
    except TooLargeError as err:
        raise _skip(
            rel,
            f"{err.size / MB:.1f} MB, over the {max_document_mb:g} MB limit for one "
            "document (QA_BOT_MAX_DOCUMENT_MB)",
        ) from None
    except OSError as err:
        raise _skip(rel, f"cannot be read ({err.strerror or err})") from None
    try:
        extracted = extract_limited(rel, raw, max_document_chars, max_read_seconds)
    except ExtractionError as err:
        raise _skip(rel, f"{err}") from None
    except RecursionError:
        raise _skip(rel, "nested too deeply to read") from None
    except MemoryError:
        raise _skip(rel, "too large to read in memory") from None
    except Exception as err:  # a parser's own failure on a hostile file: skip that file
        log.debug("reading %s failed", rel, exc_info=True)
        raise _skip(rel, f"cannot be read ({type(err).__name__}: {err})") from None
    if extracted is None:
        text, pages = decode(raw, rel), ()
        if len(text) > max_document_chars:
            raise _skip(rel, f"{too_long(len(text), max_document_chars)}")
    else:
        text, pages = clean_document(extracted.text), extracted.pages
        if not text.strip():
            raise _skip(rel, "no text")
    doc = parse_document(
        rel, text, hashlib.sha256(raw).hexdigest(), max_passage_chars, max_sentence_chars
    )
    return replace(doc, pages=pages)


def parse_document(
    path: str,
    text: str,
    sha256: str = "",
    max_passage_chars: int = 1500,
    max_sentence_chars: int = 1000,
) -> Document:
    """Parse document text into passages and sentences with offsets into ``text``."""
    turns = find_turns(text)
    blocks = _at_turns(text, _blocks(text), turns)
    title, blocks = _take_title(path, text, blocks)
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    for section, start, end, turn in _paragraphs(text, blocks, turns):
        speaker = turn or detect_speaker(text[start:end])
        spans = split_sentences(text[start:end], offset=start) or [(start, end)]
        spans = cap_sentences(text, spans, max_sentence_chars)
        for chunk in _chunks(spans, max_passage_chars):
            pid = len(passages)
            sids = []
            for s, e in chunk:
                sids.append(len(sentences))
                sentences.append(
                    Sentence(
                        len(sentences), pid, path, s, e, one_spaced(text[s:e]), section, speaker
                    )
                )
            c_start, c_end = chunk[0][0], chunk[-1][1]
            passages.append(
                Passage(
                    pid, path, title, section, c_start, c_end,
                    one_spaced(text[c_start:c_end]), speaker, tuple(sids),
                )
            )  # fmt: skip
    if not passages:
        raise _skip(path, "has headings but no text to index")
    return Document(path, title, sha256, text, tuple(passages), tuple(sentences))


def _blocks(text: str) -> list[_Block]:
    """Blank-line separated blocks, each with its offsets; headings recognised."""
    blocks = []
    pos = 0
    for match in [*_BLOCK_SEP.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[pos:end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            block_end = start + len(stripped)
            blocks.extend(_split_heading_lines(text, start, block_end))
        pos = match.end() if match else len(text)
    return blocks


def _split_heading_lines(text: str, start: int, end: int) -> list[_Block]:
    """A block may open with a heading line directly followed by text."""
    first_nl = text.find("\n", start, end)
    line_end = end if first_nl == -1 else first_nl
    heading = line_heading(text[start:line_end].strip())
    if heading is None and first_nl != -1:
        heading, first_nl, line_end = setext(text, start, first_nl, end)
    if heading is None:
        return [_Block(start, end)]
    out = [_Block(start, line_end, heading)]
    if first_nl != -1:
        rest = text[first_nl:end]
        lead = len(rest) - len(rest.lstrip())
        out.extend(_split_heading_lines(text, first_nl + lead, end))
    return out


def _take_title(path: str, text: str, blocks: list[_Block]) -> tuple[str, list[_Block]]:
    """The document title: a leading level-1 heading or unpunctuated first line."""
    if blocks:
        first = blocks[0]
        level_one = [
            b
            for b in blocks
            if b.heading and b.heading[0] == 1 and not NUMBERED.match(b.heading[1])
        ]
        if first.heading and first.heading[0] == 1 and level_one == [first]:
            return first.heading[1], blocks[1:]
        over = _OVERLINED.fullmatch(text, first.start, first.end)
        if over:  # reStructuredText: "=====" / "A guide to masked arrays" / "====="
            return one_spaced(over.group("title")), blocks[1:]
        end = _title_end(text, first)
        line = one_spaced(text[first.start : end])
        # Not prose: a first line that holds a sentence's end runs on into the text
        # ("... is the original creator of IDLE.  Other contributors ... include").
        prose = len(split_sentences(line)) > 1
        if not first.heading and len(line) <= 300 and not line.endswith(_TERMINAL) and not prose:
            rest = text[end : first.end]
            if not rest.strip():
                return line, blocks[1:]
            start = end + len(rest) - len(rest.lstrip())
            return line, [_Block(start, first.end), *blocks[1:]]
    return Path(path).stem.replace("-", " ").replace("_", " "), blocks


# A title between two rules of the same character, each on a line of its own.
_OVERLINED = re.compile(
    r"[ \t]*(?P<rule>([=~^*#-])\2{2,})[ \t]*\n(?P<title>[^\n]*\w[^\n]*)\n[ \t]*(?P=rule)[ \t]*"
)
# A title line that runs on into the next ("Summary of the hearing on" / "trafficking").
_RUNS_ON = re.compile(r"(?:[-,&/]|\b(?:of|the|a|an|and|or|for|on|in|at|to|by|with|from))$", re.I)


def _title_end(text: str, block: _Block) -> int:
    """Where the title ends in a plain-text first block: its first line and the lines that
    continue it. The lines under it are text: "Apache License" over "Version 2.0, January
    2004" is a title and a date line, and only text can be quoted."""
    lines = text[block.start : block.end].split("\n")
    end = block.start + len(lines[0])
    for line in lines[1:]:
        title, head = text[block.start : end].rstrip(), line.strip()
        if not (_RUNS_ON.search(title) or head[:1].islower()):
            break
        end += 1 + len(line)
    return end


def _at_turns(text: str, blocks: list[_Block], turns: list[Turn]) -> list[_Block]:
    """The blocks cut where a speaker's turn begins: a turn's spoken text starts a block of
    its own, its label is left out (never quoted as a sentence), and a delegation's line
    ("**Mexico | Ms. Doe**") is no heading."""
    if not turns:
        return blocks
    out: list[_Block] = []
    for block in blocks:
        inside = [t for t in turns if block.start <= t.start < block.end]
        if block.heading:
            if not inside:
                out.append(block)
            continue
        start = block.start
        for turn in inside:
            if text[start : turn.start].strip():
                out.append(_Block(start, _trimmed_end(text, start, turn.start)))
            start = turn.body
        body = start + len(text[start : block.end]) - len(text[start : block.end].lstrip())
        if text[body : block.end].strip():
            out.append(_Block(body, block.end))
    return out


def _trimmed_end(text: str, start: int, end: int) -> int:
    return start + len(text[start:end].rstrip())


def _paragraphs(
    text: str,
    blocks: list[_Block],
    turns: list[Turn] = (),  # type: ignore[assignment]
) -> list[tuple[str, int, int, str | None]]:
    """(section path, start, end, the turn's speaker or None) of each paragraph, page
    breaks repaired. A speaker's turn runs until the next turn, or the next heading but
    one under the heading the turn began under (a part of the statement)."""
    out: list[tuple[str, int, int, str | None]] = []
    stack: list[tuple[int, str, str | None]] = []  # (level, title, numbering)
    after_numbered = False
    open_para = False
    bodies = {turn.body: turn for turn in turns}
    lines = {turn.start: turn for turn in turns if turn.line_only}
    speaker: str | None = None
    depth = 0  # how many headings stood over the turn's start
    for block in blocks:
        if block.heading:
            after_numbered = push_heading(stack, block.heading, after_numbered)
            open_para = False
            if not depth or len(stack) <= depth:  # a part of the turn ("## I.") keeps it
                speaker = None
            continue
        section = SECTION_SEP.join(title for _, title, _ in stack)
        turn = bodies.get(block.start) or _line_turn(lines, text, block.start)
        if turn is not None:
            speaker, open_para, depth = turn.speaker, False, len(stack)
        if open_para and _continues(text, out[-1][2], block.start):
            out[-1] = (out[-1][0], out[-1][1], block.end, out[-1][3])
        else:
            out.append((section, block.start, block.end, speaker))
        open_para = True
    return out


def _line_turn(lines: dict[int, Turn], text: str, start: int) -> Turn | None:
    """The delegation line standing right above ``start`` (with only blank lines between)."""
    if not lines:
        return None
    for turn in lines.values():
        if turn.body <= start and not text[turn.body : start].strip():
            return turn
    return None


def _continues(text: str, prev_end: int, next_start: int) -> bool:
    """Is the next block the rest of a paragraph cut by a page break?"""
    prev = text[max(0, prev_end - 200) : prev_end].rstrip()
    nxt = text[next_start : next_start + 40]
    if not prev or prev.endswith(_TERMINAL) or not nxt:
        return False
    if nxt[0].islower():
        return True
    last_word = prev.split()[-1]
    # "... that Member" / "States should ...": a sentence cannot end on a bare word
    # of a long paragraph, but a short label line ("Annex A") can.
    return len(prev) >= 120 and (last_word[-1].isalnum() or last_word.endswith(","))


def _chunks(spans: list[tuple[int, int]], max_chars: int) -> list[list[tuple[int, int]]]:
    """Group consecutive sentences into passages of at most ``max_chars``."""
    chunks: list[list[tuple[int, int]]] = [[]]
    for span in spans:
        current = chunks[-1]
        if current and span[1] - current[0][0] > max_chars:
            chunks.append([span])
        else:
            current.append(span)
    return chunks


def renumber(
    passages: tuple[Passage, ...], sentences: tuple[Sentence, ...], p_off: int, s_off: int
) -> tuple[list[Passage], list[Sentence]]:
    """Shift local ids by global offsets (documents are concatenated in the index)."""
    new_p = [
        replace(p, id=p.id + p_off, sentence_ids=tuple(i + s_off for i in p.sentence_ids))
        for p in passages
    ]
    new_s = [replace(s, id=s.id + s_off, passage_id=s.passage_id + p_off) for s in sentences]
    return new_p, new_s
