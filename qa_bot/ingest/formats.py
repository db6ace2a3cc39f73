"""Text out of each document format: Markdown/plain text, PDF, HTML, Word (.docx).

Every extractor returns the text that the index cuts quotes from (Markdown-style headings
mark sections) and, for PDFs, where each page starts in it. That text is stored with the
index and tied to the file's hash, so the verbatim guarantee holds for every format.

Choices (measured on the fixtures in tests/test_formats.py and the shipped document):
- PDF: ``pypdf`` (pure Python, maintained): the text layer page by page; pages joined by a
  blank line, so citations can name the page of a quote.
- HTML: the standard library's ``html.parser``, which takes broken markup without a new
  dependency: ``<main>``/``<article>`` when the page has one, headings ``h1``–``h6`` as
  sections, scripts, styles, navigation, headers, footers, asides and forms dropped.
- DOCX: ``python-docx``: paragraphs in order (table cells too), the Title style and
  Heading 1–6 styles as sections.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

log = logging.getLogger(__name__)


class ExtractionError(ValueError):
    """The file's text cannot be had (scanned, encrypted, corrupt); says why."""


@dataclass(frozen=True)
class Extracted:
    """A document's text as indexed, and the offset where each page starts (PDF only)."""

    text: str
    pages: tuple[int, ...] = ()


TEXT_SUFFIXES = (".md", ".txt")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".html", ".htm", ".docx")


def extract(name: str, raw: bytes, max_chars: int = 5_000_000) -> Extracted | None:
    """The text of a PDF, HTML or DOCX file; None for text formats (decoded elsewhere).

    More than ``max_chars`` characters of text (a compression bomb, a page tree that
    repeats itself) is an ExtractionError, found as soon as the text passes the limit."""
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "pdf":
        found = _pdf(raw, max_chars)
    elif suffix in ("html", "htm"):
        found = Extracted(_html(raw))
    elif suffix == "docx":
        found = Extracted(_docx(raw, max_chars))
    else:
        return None
    if len(found.text) > max_chars:
        raise ExtractionError(too_long(len(found.text), max_chars))
    return found


def too_long(chars: int, limit: int) -> str:
    """The reason a document with ``chars`` characters of text is skipped."""
    return (
        f"holds more than {limit:,} characters of text ({chars:,}), the limit for one "
        "document (QA_BOT_MAX_DOCUMENT_CHARS)"
    )


# ---------------------------------------------------------------- PDF


def _pdf(raw: bytes, max_chars: int) -> Extracted:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are about the file
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("is an encrypted PDF (it needs a password)")
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            total += len(pages[-1])
            if total > max_chars:
                raise ExtractionError(too_long(total, max_chars))
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except FileNotDecryptedError:
        raise ExtractionError("is an encrypted PDF (it needs a password)") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as err:
        # PyPdfError covers LimitReachedError: a page tree or stream built to exhaust us.
        raise ExtractionError(f"is not a readable PDF ({err})") from None
    if not any(p.strip() for p in pages):
        raise ExtractionError(
            f"is a PDF with no text layer ({len(pages)} pages of images: scanned?); "
            "run OCR on it first"
        )
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    if isinstance(title, str) and title.strip():
        head = f"# {' '.join(title.split())}\n\n"
        parts.append(head)
        at = len(head)
    for text in pages:
        starts.append(at)
        body = text.strip("\n") + "\n\n"
        parts.append(body)
        at += len(body)
    return Extracted("".join(parts), tuple(starts))


# ---------------------------------------------------------------- HTML

_SKIP = frozenset(
    "script style noscript template svg nav header footer aside form iframe object "
    "button select textarea head".split()
)
_BLOCK = frozenset(
    "p div li dd dt blockquote pre section article main td th caption figcaption "
    "address tr ul ol dl table hr br h1 h2 h3 h4 h5 h6 title body html".split()
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _HtmlText(HTMLParser):
    """Blocks of visible text with their heading level (0 for a paragraph)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str, bool]] = []  # (level, text, inside main/article)
        self.title = ""
        self._skipping: str | None = None  # the tag of the hidden element we are inside
        self._depth = 0  # how deep that tag nests inside itself
        self._main = 0
        self._level = 0
        self._in_title = False
        self._pre = 0  # inside <pre>: its line breaks and indentation are the text's
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
            return
        if self._skipping:
            self._depth += tag == self._skipping and tag not in _VOID
            return
        hidden = any(k == "hidden" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        if (tag in _SKIP or hidden) and tag not in _VOID:
            self._flush()
            self._skipping, self._depth = tag, 1
            return
        if tag == "br" and self._level:  # a heading set on lines ("MALLOY<br>v.<br>HOGAN")
            self._buffer.append(" ")
        elif tag in _BLOCK:
            self._flush()
        if tag in ("main", "article"):
            self._main += 1
        if tag == "pre":
            self._pre += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._level = int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if self._skipping:
            if tag == self._skipping:
                self._depth -= 1
                if self._depth == 0:
                    self._skipping = None
            return
        if tag in _BLOCK:
            self._flush()
        if tag in ("main", "article") and self._main:
            self._main -= 1
        if tag == "pre" and self._pre:
            self._pre -= 1
        if re.fullmatch(r"h[1-6]", tag):
            self._level = 0

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = "".join(self._buffer)
        if self._pre:  # a transcript or a record set as preformatted text keeps its lines
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            text = "\n".join(line.rstrip() for line in lines).strip("\n")
        else:
            text = " ".join(text.split())
        self._buffer = []
        if text:
            self.blocks.append((self._level, text, self._main > 0))

    def close(self) -> None:
        super().close()
        self._flush()


def _html(raw: bytes) -> str:
    source = _decode_html(raw)
    parser = _HtmlText()
    parser.feed(source)
    parser.close()
    blocks = parser.blocks
    if any(inside for _, _, inside in blocks):
        blocks = [b for b in blocks if b[2]]  # the page's main text only
    lines = []
    title = " ".join(parser.title.split())
    if title and not any(level == 1 for level, _, _ in blocks):
        lines.append(f"# {title}")
    for level, text, _ in blocks:
        lines.append(f"{'#' * level} {text}" if level else text)
    if not lines or all(line.startswith("#") for line in lines):
        raise ExtractionError("is an HTML page with no text outside scripts and navigation")
    return "\n\n".join(lines) + "\n"


def _decode_html(raw: bytes) -> str:
    """HTML bytes as text: UTF-8 (or a BOM's encoding), else the page's declared charset."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):  # fmt: skip
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        declared = re.search(rb"""charset=["']?([A-Za-z0-9_-]+)""", raw[:4096])
        codec = declared.group(1).decode("ascii") if declared else "cp1252"
        try:
            return raw.decode(codec, errors="replace")
        except LookupError:
            return raw.decode("cp1252", errors="replace")


# ---------------------------------------------------------------- DOCX


def _docx(raw: bytes, max_chars: int) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_size(raw, max_chars)
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ExtractionError(f"is not a readable Word (.docx) file ({err})") from None
    except Exception as err:  # lxml's XMLSyntaxError and kin: a damaged package
        raise ExtractionError(f"is not a readable Word (.docx) file ({err})") from None
    lines: list[str] = []
    has_title = False
    for paragraph in _docx_paragraphs(document):
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = _heading_level(style)
        has_title |= level == 1
        lines.append(f"{'#' * level} {text}" if level else text)
    title = " ".join((document.core_properties.title or "").split())
    if title and not has_title:
        lines.insert(0, f"# {title}")
    if not lines or all(line.startswith("#") for line in lines):
        raise ExtractionError("is a Word file with no text")
    return "\n\n".join(lines) + "\n"


# Word XML per character of text, at most, before a package counts as a bomb: real files
# run 5-40 bytes of markup per character; 2 million empty paragraphs in 510 KB run ~10^5.
DOCX_MARKUP_PER_CHAR = 100
# Paragraphs per character of the text limit: python-docx spends ~0.1 ms per paragraph, so
# the default limit (5 million characters) allows 250,000 paragraphs, about 25 s.
DOCX_CHARS_PER_PARAGRAPH = 20


WORD_PARAGRAPH = "http://schemas.openxmlformats.org/wordprocessingml/2006/main p"


class _Enough(Exception):
    """Counting can stop: the limit is passed."""


def _count_paragraphs(handle: Any, limit: int) -> int:
    """Word paragraphs in a document part, by namespace, whatever prefix binds it (``<a:p/>``
    with ``a`` bound to WordprocessingML is a paragraph too); stops at ``limit`` + 1. XML
    that does not parse is left for python-docx to refuse."""
    from xml.parsers import expat

    count = 0

    def start(name: str, attributes: Any) -> None:
        nonlocal count
        if name == WORD_PARAGRAPH:
            count += 1
            if count > limit:
                raise _Enough

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        for block in iter(lambda: handle.read(1 << 20), b""):
            parser.Parse(block, False)
        parser.Parse(b"", True)
    except _Enough:
        pass
    except expat.ExpatError:
        log.debug("the Word body does not parse as XML; python-docx will say why")
    return count


def _check_docx_size(raw: bytes, max_chars: int) -> None:
    """Refuse a package whose XML would take too long to read: more markup than any
    document of ``max_chars`` characters needs, or more paragraphs than it can hold."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = {i.filename: i for i in package.infolist()}
            xml = sum(i.file_size for n, i in members.items() if n.endswith(".xml"))
            if xml > DOCX_MARKUP_PER_CHAR * max_chars:
                raise ExtractionError(
                    f"is a Word file whose XML unpacks to {xml:,} bytes, more than a document "
                    f"within the text limit needs (QA_BOT_MAX_DOCUMENT_CHARS): a zip bomb?"
                )
            body = members.get("word/document.xml")
            if body is None:
                return
            limit = max_chars // DOCX_CHARS_PER_PARAGRAPH
            with package.open(body) as handle:
                paragraphs = _count_paragraphs(handle, limit)
            if paragraphs > limit:
                raise ExtractionError(
                    f"is a Word file with over {limit:,} paragraphs, the most that the text "
                    "limit allows (QA_BOT_MAX_DOCUMENT_CHARS)"
                )
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        if isinstance(err, ExtractionError):
            raise
        raise ExtractionError(f"is not a readable Word (.docx) file ({err})") from None


def _heading_level(style: str) -> int:
    """Markdown level for a Word paragraph style: Title 1, Heading N N+1, else 0."""
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return min(6, int(match.group(1)) + 1) if match else 0


def _docx_paragraphs(document):  # type: ignore[no-untyped-def]
    """Body paragraphs and table cells' paragraphs, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
