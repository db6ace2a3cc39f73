"""Text made safe for the model, the terminal and the page.

Three sources of text reach the bot: questions (and their history), corpus files and file
names. Any of them may hold what a tokenizer cannot take (lone UTF-16 surrogates, which is
how Python carries a command-line argument's invalid UTF-8 bytes) or what a terminal obeys
(``ESC ]0;title BEL`` retitles the window, ``ESC [2J`` clears it). The rules:

- **Corpus text** (``clean_document``): every terminal escape sequence and every control
  character other than tab, newline and carriage return becomes a space, one character for
  one, so offsets into the cleaned text are offsets into the file. Form feeds and vertical
  tabs (page breaks in extracted text) become newlines. Quotes are cut from, and checked
  against, this cleaned text.
- **Questions, history and anything printed** (``clean_input``): the same sequences and
  controls (carriage return too) become spaces, and lone surrogates become U+FFFD.
"""

from __future__ import annotations

import re

# ESC followed by: CSI ("[" params final), OSC/DCS/SOS/PM/APC (a string up to BEL or
# ESC \; bounded, so a stray ESC ] cannot blank the rest of a document), or one more
# character (two-character sequences such as ESC c, a full reset).
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]{0,64}[ -/]{0,8}[@-~]?|[\]PX^_][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)?|[ -~]?)"
)
# C0 controls except \t \n \r, DEL, C1 controls (U+009B is a one-character CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same and \r, which can overwrite a terminal line: gone from questions and output.
_CONTROL_INPUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PAGE_BREAK = str.maketrans("\x0b\x0c", "\n\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What a file name must not print raw: controls, surrogates, and the format characters that
# reorder or hide text (bidi embeddings, overrides and isolates, zero-width marks).
_HIDDEN_IN_NAMES = re.compile(
    r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
CLEANING_VERSION = 1  # bump when clean_document changes: indexed text must be rebuilt


def clean_document(text: str) -> str:
    """Corpus text with escape sequences and controls blanked, keeping every offset."""
    if not (_CONTROL.search(text) or "\x1b" in text):
        return text
    text = _ESCAPE_SEQUENCE.sub(lambda m: " " * len(m.group()), text.translate(_PAGE_BREAK))
    return _CONTROL.sub(" ", text)


def clean_input(text: str) -> str:
    """Text from outside (a question, a file name, an argument) that any tokenizer,
    terminal or page can take: escape sequences dropped, controls blanked, surrogates replaced."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL_INPUT.sub(" ", _ESCAPE_SEQUENCE.sub("", text))


def shown_name(name: str) -> str:
    """A file name as it may be printed or logged: bytes that are not UTF-8 (carried as
    lone surrogates, ``os.fsdecode``'s surrogateescape) as ``\\xNN``; controls (newline
    too) and invisible format characters (bidi overrides such as U+202E, which would show
    ``rtl\u202egnp.md`` as "rtlpng.md") as ``\\uNNNN``. Visible text is left as it is."""
    return _HIDDEN_IN_NAMES.sub(_escaped, name)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def json_text(text: str) -> str:
    """Serialised JSON (``ensure_ascii=False``) made safe to print: DEL and C1 controls,
    which JSON leaves raw, escaped; lone surrogates, which no UTF-8 stream can carry,
    replaced."""
    text = _SURROGATE.sub("\ufffd", text)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
