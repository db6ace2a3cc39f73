"""Render an Answer for people: chat markdown (escaped, cited) and plain CLI text."""

from __future__ import annotations

import re
import string
from urllib.parse import quote as url_quote

from qa_bot.clean import clean_input, shown_name
from qa_bot.text import SECTION_SEP
from qa_bot.types import CONFIDENT, UNCERTAIN, Answer, Quote

# How sure an answer is, in the same words in the chat, the CLI and on the clipboard; the
# band is the fitted one (Answer.certainty), the JSON gives its id.
CERTAINTY = {
    CONFIDENT: "Confident answer",
    UNCERTAIN: "Uncertain answer: check the source before relying on it",
}

# Every ASCII punctuation character as a numeric entity. Markdown and HTML both decode
# entities to the character, and neither sees syntax in them: a URL, ``*``, ``_``, ``\``,
# ``[link](...)``, ``<script>`` or ``&amp;`` in a document shows as exactly those
# characters, never as a link, emphasis, markup or an entity.
_LITERAL = {ord(c): f"&#{ord(c)};" for c in string.punctuation}


def escape_html(text: str) -> str:
    """Corpus or user text made literal in HTML and in markdown alike: whitespace folded,
    control characters and invalid Unicode removed (qa_bot/clean.py), punctuation as
    entities. Not for code spans, where entities are not decoded."""
    return re.sub(r"\s+", " ", clean_input(text)).translate(_LITERAL)


escape_md = escape_html  # markdown decodes the same entities and finds no syntax in them


def short_title(title: str, limit: int = 70) -> str:
    """A long document title cut at a word boundary, for compact citations."""
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit)
    return title[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def citation(quote: Quote) -> str:
    """One line naming where a quote comes from: document, section, speaker."""
    parts = [short_title(quote.title or quote.document)]
    if quote.section:
        parts.append(quote.section)
    line = SECTION_SEP.join(parts)
    return f"{line} — {quote.speaker}" if quote.speaker else line


def answer_to_markdown(answer: Answer) -> str:
    """The chat message for an answer: block quotes with numbered citations.

    Every piece of corpus or user text is escaped, so a document or a question
    containing HTML, scripts or markdown links shows as literal text.
    """
    parts: list[str] = []
    if not answer.found:
        parts.append(f"**{escape_md(answer.message or 'The documents do not answer this.')}**")
        if answer.related:
            lacks = (
                f': <span class="lacks">{escape_md(answer.lacks)}</span>' if answer.lacks else ""
            )
            parts.append(f"Possibly relevant (not an answer{lacks}):")
            parts.append("\n".join(_related_item(i, q) for i, q in enumerate(answer.related, 1)))
    else:
        if answer.certainty in CERTAINTY:  # the page's CSS puts a mark before the words
            parts.append(
                f'<p class="certainty {answer.certainty}">{CERTAINTY[answer.certainty]}</p>'
            )
        parts += [_quote_block(i, q) for i, q in enumerate(answer.quotes, 1)]
        parts.append(f"<small>{confidence_line(answer)}</small>")
    parts += [f"*{escape_md(note)}*" for note in answer.notes]
    return "\n\n".join(parts)


def _quote_block(number: int, quote: Quote) -> str:
    speaker = f"\n> — **{escape_md(quote.speaker)}**" if quote.speaker else ""
    # Section first: on a phone the line is cut after two lines, and the title is long.
    where = escape_md(short_title(quote.title or quote.document))
    section = f"{escape_md(quote.section)} · " if quote.section else ""
    return (
        f"> {_marked(quote)} {cite_chip(number, quote)}{speaker}\n\n"
        f'<small class="cite-meta">{section}*{where}*</small>\n\n'
        f"<details><summary>Context [{number}]</summary>\n\n"
        f"<p><small><code>{escape_html(shown_name(quote.document))}</code>{page_label(quote)}, "
        f"characters {quote.start}–{quote.end}</small></p>\n\n"
        f"<p>{_highlight(quote)}</p>\n\n</details>"
    )


def cite_chip(number: int, quote: Quote, related: bool = False) -> str:
    """The numbered link into the evidence (the page opens it in the panel beside the chat;
    a modified click or "open in new tab" follows the deep link), named for screen readers
    as "source N: document › section — speaker"; ``related``: a possibly relevant passage's
    (the panel then says it is not an answer)."""
    link = citation_href(quote.document, quote.start, quote.end)
    where = escape_html(citation(quote))
    # The chat's sanitizer drops aria-label: the name is the link's text, all but the number
    # visible to screen readers only.
    return (
        f'<a href="{link}" target="_blank" rel="noopener" class="cite{" related" if related else ""}" '
        f'title="{where}">'
        f'<span class="sr-only">source </span>{number}<span class="sr-only">&#58; {where}</span></a>'
    )


def _related_item(number: int, quote: Quote) -> str:
    where = escape_md(quote.section or short_title(quote.title or quote.document))
    speaker = f" — {escape_md(quote.speaker)}" if quote.speaker else ""
    return (
        f"- <small>“{escape_md(quote.text)}” ({where}{speaker})</small> "
        f"{cite_chip(number, quote, related=True)}"
    )


def _marked(quote: Quote) -> str:
    """The quote's text, escaped, with every phrase that answers in bold."""
    spans = quote.answer_spans or (
        ((quote.answer_start, quote.answer_end),) if quote.answer_phrase else ()
    )
    text, out, at = quote.text, [], 0
    for a, b in sorted(spans):
        if a is None or b is None or a < at:
            continue
        out.append(escape_md(text[at:a]))
        out.append(f"<strong class='answer-phrase'>{escape_md(text[a:b])}</strong>")
        at = b
    out.append(escape_md(text[at:]))
    return "".join(out)


def _highlight(quote: Quote) -> str:
    """The surrounding paragraph with the quoted sentences marked."""
    context, text = " ".join(quote.context.split()), quote.text
    at = context.find(text)
    if at < 0:
        return escape_html(context)
    before, after = context[:at], context[at + len(text) :]
    return f"{escape_html(before)}<mark>{escape_html(text)}</mark>{escape_html(after)}"


def citation_url(document: str, start: int, end: int) -> str:
    """The deep link that opens the evidence view at a span of a document."""
    return f"?doc={url_quote(document, safe='')}&start={start}&end={end}"


def citation_href(document: str, start: int, end: int) -> str:
    """``citation_url`` as an HTML attribute value (its ``&`` written ``&amp;``)."""
    return citation_url(document, start, end).replace("&", "&amp;")


def page_label(quote: Quote) -> str:
    """ ", p. 3" for a quote from a paged document (PDF), else nothing."""
    return f", p. {quote.page}" if quote.page else ""


def confidence_line(answer: Answer) -> str:
    """How likely the first quote answers, as the calibrated model estimates it."""
    return f"Estimated chance that [1] answers the question: {min(answer.confidence, 0.99):.0%}"


def quote_to_plain(quote: Quote) -> str:
    """One quote as a reader would paste it: the words in quotation marks, then who said
    them, where, in which document (and page)."""
    where = [p for p in (quote.speaker, quote.section, quote.title or quote.document) if p]
    where.append(shown_name(quote.document) + page_label(quote))
    return f"“{quote.text}” — {', '.join(dict.fromkeys(where))}"


SOURCE_PREFIX = "    source: "  # the page makes each such link absolute when copying


def answer_to_plain(answer: Answer) -> str:
    """What "Copy answer" puts on the clipboard: the question, then each quote numbered,
    cited, with the deep link to it in the documents (relative: the page prefixes its own
    address)."""
    asked = f"Q: {answer.question}\n\n"
    if not answer.found:
        return asked + answer.message
    if answer.certainty in CERTAINTY:
        asked += f"({CERTAINTY[answer.certainty]})\n"
    return asked + "\n".join(
        f"[{i}] {quote_to_plain(q)}\n{SOURCE_PREFIX}{citation_url(q.document, q.start, q.end)}"
        for i, q in enumerate(answer.quotes, 1)
    )


def answer_to_text(answer: Answer) -> str:
    """Plain text for the terminal."""
    lines: list[str] = []
    if not answer.found:
        lines.append(answer.message)
        if answer.related:
            lacks = f": {answer.lacks}" if answer.lacks else ""
            lines.append(f"\nPossibly relevant (not an answer{lacks}):")
        quotes = answer.related
    else:
        quotes = answer.quotes
        if answer.certainty in CERTAINTY:
            lines.append(CERTAINTY[answer.certainty])
    for i, quote in enumerate(quotes, 1):
        lines.append(f'\n[{i}] "{quote.text}"')
        if quote.answer_phrases and answer.found:
            lines.append(f"    answer: {'; '.join(quote.answer_phrases)}")
        lines.append(f"    {citation(quote)}")
        lines.append(
            f"    {shown_name(quote.document)}{page_label(quote)}, characters {quote.start}-{quote.end}"
        )
    if answer.found:
        lines.append(f"\n{confidence_line(answer)}")
    lines += [f"\nNote: {note}" for note in answer.notes]
    return "\n".join(lines).strip()
