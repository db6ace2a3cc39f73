"""Render an Answer for people: chat markdown (escaped, cited) and plain CLI text."""

from __future__ import annotations

import html
import re

from qa_bot.clean import clean_input
from qa_bot.types import SECTION_SEP, Answer, Quote

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")


def escape_md(text: str) -> str:
    """Corpus or user text made literal in markdown: no links, markup, HTML or math
    (and no control characters or invalid Unicode: qa_bot/clean.py)."""
    folded = " ".join(clean_input(text).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", folded), quote=False)


_HTML_MD = {ord(c): f"&#{ord(c)};" for c in "[]()*_`~$#\\|"}


def escape_html(text: str) -> str:
    """Text made literal inside an HTML element (markdown syntax turned into entities too)."""
    return html.escape(re.sub(r"\s+", " ", clean_input(text)), quote=False).translate(_HTML_MD)


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
            parts.append("Related passages (the closest text; not an answer):")
            parts.append("\n".join(_related_item(q) for q in answer.related))
    else:
        parts += [_quote_block(i, q) for i, q in enumerate(answer.quotes, 1)]
        parts.append(f"<small>{confidence_line(answer)}</small>")
    parts += [f"*{escape_md(note)}*" for note in answer.notes]
    return "\n\n".join(parts)


def _quote_block(number: int, quote: Quote) -> str:
    speaker = f"\n> — **{escape_md(quote.speaker)}**" if quote.speaker else ""
    where = escape_md(short_title(quote.title or quote.document))
    section = f" › {escape_md(quote.section)}" if quote.section else ""
    return (
        f"> {escape_md(quote.text)}{speaker}\n\n"
        f"<sup>[{number}]</sup> *{where}*{section} · `{escape_html(quote.document)}`"
        f"{page_label(quote)} chars {quote.start}–{quote.end}\n\n"
        f"<details><summary>Context [{number}]</summary>\n\n"
        f"<p>{_highlight(quote)}</p>\n\n</details>"
    )


def _related_item(quote: Quote) -> str:
    where = escape_md(quote.section or short_title(quote.title or quote.document))
    speaker = f" — {escape_md(quote.speaker)}" if quote.speaker else ""
    return f"- <small>“{escape_md(quote.text)}” ({where}{speaker})</small>"


def _highlight(quote: Quote) -> str:
    """The surrounding paragraph with the quoted sentences marked."""
    context, text = " ".join(quote.context.split()), quote.text
    at = context.find(text)
    if at < 0:
        return escape_html(context)
    before, after = context[:at], context[at + len(text) :]
    return f"{escape_html(before)}<mark>{escape_html(text)}</mark>{escape_html(after)}"


def page_label(quote: Quote) -> str:
    """ ", p. 3" for a quote from a paged document (PDF), else nothing."""
    return f", p. {quote.page}" if quote.page else ""


def confidence_line(answer: Answer) -> str:
    """How likely the first quote answers, as the calibrated model estimates it."""
    return f"Estimated chance that [1] answers the question: {min(answer.confidence, 0.99):.0%}"


def answer_to_text(answer: Answer) -> str:
    """Plain text for the terminal."""
    lines: list[str] = []
    if not answer.found:
        lines.append(answer.message)
        if answer.related:
            lines.append("\nRelated passages (not an answer):")
        quotes = answer.related
    else:
        quotes = answer.quotes
    for i, quote in enumerate(quotes, 1):
        lines.append(f'\n[{i}] "{quote.text}"')
        lines.append(f"    {citation(quote)}")
        lines.append(
            f"    {quote.document}{page_label(quote)}, characters {quote.start}-{quote.end}"
        )
    if answer.found:
        lines.append(f"\n{confidence_line(answer)}")
    lines += [f"\nNote: {note}" for note in answer.notes]
    return "\n".join(lines).strip()
