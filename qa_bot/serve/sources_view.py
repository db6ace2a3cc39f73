"""The sources beside the chat: every indexed document (title, format, sections, passages,
last change), the files skipped with their reason, and which documents a question searches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_bot.clean import shown_name
from qa_bot.format import escape_html, short_title
from qa_bot.index.sources import indexed, skipped, sources

if TYPE_CHECKING:
    from qa_bot.bot import QABot
    from qa_bot.index.load import Index

NONE_TICKED = "Tick at least one document under Sources to search it."


def sources_html(bot: QABot) -> str:
    """The list of documents as HTML: each with its format, sections, passages and the day
    its file last changed; then any skipped file and why."""
    index = bot.index
    rows = []
    for s in sources(index, bot.settings.corpus):
        sections = f"{s.sections} section{'' if s.sections == 1 else 's'} · " if s.sections else ""
        rows.append(
            f'<li><span class="source-title">{escape_html(short_title(s.title))}</span>'
            f'<small class="source-facts">{escape_html(shown_name(s.document))} · {s.format} · '
            f"{sections}{s.passages} passage{'' if s.passages == 1 else 's'} · "
            f"updated {escape_html(s.updated[:10])}</small></li>"
        )
    listed = f'<ul class="source-list">{"".join(rows)}</ul>' if rows else "<p>No documents.</p>"
    gone = skipped(index)
    if gone:
        items = "".join(
            f"<li><code>{escape_html(shown_name(g.document))}</code>: {escape_html(g.reason)}</li>"
            for g in gone
        )
        listed += f'<p class="skipped-head">Not indexed:</p><ul class="skipped">{items}</ul>'
    return listed


def filter_choices(index: Index) -> list[tuple[str, str]]:
    """(label, document) for the ticks: the short title, and the file when titles repeat."""
    listed = indexed(index)
    titles = [short_title(title, 48) for _, title in listed]
    return [
        (t if titles.count(t) == 1 else f"{t} ({shown_name(document)})", document)
        for t, (document, _) in zip(titles, listed, strict=True)
    ]


def ticked_after(documents: list[str], ticked: list[str], offered: list[str]) -> list[str]:
    """The ticks kept when the collection (now ``documents``) changes: those still indexed
    stay as they were, and a document new since the list was drawn is ticked."""
    kept, had = set(ticked), set(offered)
    return [d for d in documents if d in kept or d not in had]


def held_to(index: Index, ticked: list[str] | None) -> list[str] | None:
    """The documents a chat question searches: None (all) when every indexed document is
    ticked or the page sent nothing; else the ticked ones still indexed (maybe none)."""
    if ticked is None:
        return None
    every, wanted = [d for d, _ in indexed(index)], set(ticked)
    chosen = [d for d in every if d in wanted]
    return None if len(chosen) == len(every) else chosen
