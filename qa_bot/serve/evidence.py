"""The evidence view: one document as HTML, with a table of contents, a stable anchor per
section and per passage, and the cited span highlighted. (Search runs in the page:
serve/page.py.)

Everything shown is the indexed text of the document (what quotes are cut from), with every
ASCII punctuation character written as a numeric entity: the page shows the document's exact
characters and no document text can become a link, markup or script.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from qa_bot.format import escape_html
from qa_bot.index.load import Index
from qa_bot.text import SECTION_SEP
from qa_bot.types import Passage

if TYPE_CHECKING:
    from qa_bot.bot import QABot

QUOTE_ID = "quote"  # the highlighted span's element id (the page scrolls to it)


def document_choices(index: Index) -> list[tuple[str, str]]:
    """(label, document path) for the picker, in index order."""
    documents = index.manifest.get("documents", {})
    return [(f"{meta['title']} ({doc})", doc) for doc, meta in documents.items()]


CHANGED_DOCUMENT = (
    '<p class="evidence-missing">{name} changed after it was indexed; the index is being '
    "brought up to date. Its text shows again once it is.</p>"
)


def current_evidence(
    bot: QABot,
    index: Index,
    document: str | None,
    start: int | None = None,
    end: int | None = None,
    quote_id: str = QUOTE_ID,
) -> str:
    """The evidence view, only while the file is what was indexed: the same check as
    answers, so removed text is never shown (or highlighted) as the document's."""
    if document and document in index.texts and not bot.document_current(index, document):
        return CHANGED_DOCUMENT.format(name=escape_html(document))
    return evidence_html(index, document, start, end, quote_id)


def evidence_html(
    index: Index,
    document: str | None,
    start: int | None = None,
    end: int | None = None,
    quote_id: str = QUOTE_ID,
) -> str:
    """The document (or a note saying it is not in the index) as the evidence view; the
    cited span's element gets ``quote_id`` (the panel beside the chat uses its own)."""
    if not document or document not in index.texts:
        named = f" {escape_html(document)}" if document else ""
        return f'<p class="evidence-missing">The document{named} is not in the index.</p>'
    text = index.texts[document]
    passages = index.passages_of(document)
    refused = _span_problem(start, end, len(text))
    if refused:
        start = end = None
    doc_id = _slug(document)
    toc: list[str] = []
    body: list[str] = []
    anchors: dict[str, int] = {}
    open_path: list[str] = []
    page = None
    for n, passage in enumerate(passages):
        path = passage.section.split(SECTION_SEP) if passage.section else []
        for depth, title in enumerate(path):
            if depth < len(open_path) and open_path[: depth + 1] == path[: depth + 1]:
                continue
            anchor = _unique(anchors, f"{doc_id}-s-{_slug(SECTION_SEP.join(path[: depth + 1]))}")
            level = min(3 + depth, 6)
            body.append(f'<h{level} id="{anchor}">{escape_html(title)}</h{level}>')
            toc.append(
                f'<li class="toc-{min(depth, 3)}"><a href="#{anchor}">{escape_html(title)}</a></li>'
            )
        open_path = path
        label = index.page_of(document, passage.start)
        if label is not None and label != page:
            body.append(f'<p class="page-label">p. {label}</p>')
            page = label
        inner = _passage_html(text, passage, start, end, quote_id)
        speaker = f"<br><small>— {escape_html(passage.speaker)}</small>" if passage.speaker else ""
        body.append(
            f'<p id="{doc_id}-p{n}" data-start="{passage.start}" data-end="{passage.end}">'
            f"{inner}{speaker}</p>"
        )
    title = passages[0].title if passages else document
    header = [
        f'<h2 class="evidence-title">{escape_html(title)}</h2>',
        f"<p><code>{escape_html(document)}</code>"
        + (f" · {len(index.pages[document])} pages" if document in index.pages else "")
        + "</p>",
    ]
    if refused:
        header.append(f'<p class="evidence-missing">{escape_html(refused)}</p>')
    if start is not None and end is not None:
        context = [*span_context(index, document, start), f"characters {start}–{end}"]
        header.append(f'<p class="evidence-where">{escape_html(" · ".join(context))}</p>')
    # A list without numbers: headings carry their own ("1. Provide…"), shown once.
    contents = f'<nav class="toc"><ul>{"".join(toc)}</ul></nav>' if toc else ""
    return "".join(header) + contents + "".join(body)


def span_context(index: Index, document: str, start: int) -> list[str]:
    """Where a span starts: its section path, speaker and page, those the document has."""
    where = next((p for p in index.passages_of(document) if p.start <= start < p.end), None)
    context = [where.section] if where and where.section else []
    if where and where.speaker:
        context.append(where.speaker)
    page = index.page_of(document, start)
    return context + ([f"p. {page}"] if page else [])


def _passage_html(
    text: str, passage: Passage, start: int | None, end: int | None, quote_id: str = QUOTE_ID
) -> str:
    """A passage's exact text with the cited span marked."""
    lo, hi = passage.start, passage.end
    if start is None or end is None or start >= hi or end <= lo:
        return escape_html(text[lo:hi])
    # One element carries the id (where the span starts); its continuation in later
    # passages is marked alike, by class.
    tag = f'<mark id="{quote_id}">' if start >= lo else '<mark class="quote">'
    s, e = max(start, lo), min(end, hi)
    return f"{escape_html(text[lo:s])}{tag}{escape_html(text[s:e])}</mark>{escape_html(text[e:hi])}"


def _span_problem(start: int | None, end: int | None, length: int) -> str:
    """Why a link's span cannot be shown in a document of ``length`` characters ("" if it
    can, or if the link names none)."""
    if start is None and end is None:
        return ""
    if start is None or end is None:
        return "The link gives only one end of the quoted span, so nothing is highlighted."
    if start >= end:
        return (
            f"The link's span (characters {start}–{end}) ends before it starts, so nothing is "
            "highlighted."
        )
    if start < 0 or end > length:
        return (
            f"The link's span (characters {start}–{end}) is outside this document, which has "
            f"{length} characters, so nothing is highlighted."
        )
    return ""


def _slug(text: str) -> str:
    """A readable id part; a long text keeps a short hash of the whole, so that long
    headings sharing their first words (numbered subsections) never share an anchor."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
    if len(slug) <= 48:
        return slug
    return f"{slug[:40].rstrip('-')}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"


def _unique(seen: dict[str, int], anchor: str) -> str:
    """``anchor``, or ``anchor-2``, ``-3``… when an earlier heading took it."""
    count = seen.get(anchor, 0) + 1
    seen[anchor] = count
    return anchor if count == 1 else f"{anchor}-{count}"
