"""The evidence panel beside the chat: a citation chip opens its document there, scrolled to
the quote and highlighted, under a header (document, section, speaker, page) that stays put
while the text scrolls; previous/next move through the citations of the same answer.

A listener on the page (``CITE_JS``) turns a plain click on a chip into a message to the
server: the deep links of that answer's chips and which one was clicked. A click with a
modifier key, or "open in new tab", still follows the deep link.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import gradio as gr

from qa_bot.clean import shown_name
from qa_bot.format import citation_href, escape_html, short_title
from qa_bot.index.load import Index
from qa_bot.serve.evidence import current_evidence, span_context

if TYPE_CHECKING:
    from qa_bot.bot import QABot

PANEL_QUOTE_ID = "panel-quote"  # the evidence tab's view keeps "quote"
MAX_CITATIONS = 50  # an answer has a handful; a longer message is not the page's
MAX_LINK = 2_000  # characters of one deep link


@dataclass(frozen=True)
class Citation:
    """One cited span: the document (its path in the corpus) and character offsets."""

    document: str
    start: int
    end: int


def read_message(message: object) -> tuple[tuple[Citation, ...], int]:
    """The chips of one answer and the position of the clicked one, from the page's
    message ``{"links": [deep links], "at": n}``; ``((), 0)`` for anything else (the panel
    then stays as it is)."""
    if not isinstance(message, dict):
        return (), 0
    links, at = message.get("links"), message.get("at")
    if not isinstance(links, list) or not isinstance(at, int) or len(links) > MAX_CITATIONS:
        return (), 0
    cites = tuple(c for c in map(_citation, links) if c is not None)
    if len(cites) != len(links) or not 0 <= at < len(cites):
        return (), 0
    return cites, at


def _citation(link: object) -> Citation | None:
    if not isinstance(link, str) or len(link) > MAX_LINK:
        return None
    query = parse_qs(urlsplit(link).query)
    try:
        return Citation(query["doc"][0], int(query["start"][0]), int(query["end"][0]))
    except (KeyError, IndexError, ValueError):
        return None


def panel_view(bot: QABot, cites: tuple[Citation, ...], at: int) -> tuple[str, str]:
    """The header and the text of the panel at citation ``at``, from the live index (with
    the same check as answers that the file is still what was indexed)."""
    index, cite = bot.index, cites[at]
    body = current_evidence(bot, index, cite.document, cite.start, cite.end,
                            quote_id=PANEL_QUOTE_ID)  # fmt: skip
    return panel_head(index, cites, at), body


def show_citation(bot: QABot, cites: tuple[Citation, ...], at: int) -> tuple[Any, ...]:
    """The panel at citation ``at`` of ``cites``: shown, its header and text, previous/next
    enabled where there is one, and the session's record of it; unchanged without any."""
    if not cites:
        return (gr.skip(),) * 6
    head, body = panel_view(bot, cites, at)
    return (
        gr.Column(visible=True), head, body, gr.Button(interactive=at > 0),
        gr.Button(interactive=at < len(cites) - 1), to_state(cites, at),
    )  # fmt: skip


def to_state(cites: tuple[Citation, ...], at: int) -> dict[str, Any]:
    """The panel's citations as a session value (plain data)."""
    return {"cites": [asdict(c) for c in cites], "at": at}


def from_state(state: object) -> tuple[tuple[Citation, ...], int]:
    """The citations and position of ``to_state``; ``((), 0)`` when there are none."""
    if not isinstance(state, dict) or not state.get("cites"):
        return (), 0
    return tuple(Citation(**c) for c in state["cites"]), int(state.get("at", 0))


def panel_head(index: Index, cites: tuple[Citation, ...], at: int) -> str:
    """The pinned header: which source of how many, the document, section, speaker and
    page of the quote, and the deep link to open it in a tab of its own."""
    cite = cites[at]
    passages = index.passages_of(cite.document) if cite.document in index.texts else []
    title = passages[0].title if passages else cite.document
    context = span_context(index, cite.document, cite.start) if passages else []
    link = citation_href(cite.document, cite.start, cite.end)
    where = f'<p class="panel-where">{escape_html(" · ".join(context))}</p>' if context else ""
    return (
        f'<p class="panel-count">Source {at + 1} of {len(cites)}</p>'
        f'<p class="panel-title"><strong>{escape_html(short_title(title))}</strong> '
        f"<code>{escape_html(shown_name(cite.document))}</code></p>{where}"
        f'<p><a href="{link}" target="_blank" rel="noopener">Open in a new tab</a></p>'
    )


def moved(at: int, step: int, count: int) -> int:
    """The position after a previous (-1) or next (+1) click, kept within the citations."""
    return min(max(at + step, 0), max(count - 1, 0))


# Run once per page by the panel's listener component: a plain click (or Enter) on a chip in
# the chat sends that answer's chips and the clicked one's position to the server.
CITE_JS = """
document.addEventListener("click", (event) => {
  const chip = event.target.closest ? event.target.closest("#chat a.cite") : null;
  if (!chip || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey
      || event.altKey) return;
  event.preventDefault();
  const message = chip.closest(".message-row") || chip.closest(".message") || chip.parentElement;
  const chips = Array.from(message.querySelectorAll("a.cite"));
  trigger("cite", {links: chips.map((a) => a.getAttribute("href")), at: chips.indexOf(chip)});
}, true);
"""
# After the panel is drawn: its text scrolls (not the page) to put the quote in view.
SCROLL_PANEL = f"""() => {{
  setTimeout(() => {{
    const box = document.getElementById("panel-body");
    const mark = document.getElementById("{PANEL_QUOTE_ID}");
    if (!box || !mark) return;
    const top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - box.clientHeight / 3;
  }}, 150);
}}"""
PANEL_CSS = """
#chat a.cite { display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px; padding: 0 6px; margin: 0 2px; border-radius: 12px;
  font-size: 0.85em; font-weight: 600; text-decoration: none; vertical-align: middle;
  background: #1d4ed8; color: #ffffff; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
#chat a.cite:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
#chat .cite-meta { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  overflow: hidden; }
#panel-body { max-height: 68vh; overflow-y: auto !important; }
/* The header above already names the document. */
#panel-body .evidence-title, #panel-body .evidence-title + p { display: none; }
#panel-head p { margin: 0.15em 0; }
@media (max-width: 640px) { #chat { height: 46vh !important; } }  /* the box shows too */
@media (max-width: 800px) {
  #panel { position: fixed; inset: 5vh 0 0 0; z-index: 1000; padding: 12px;
    display: flex; flex-direction: column; flex-wrap: nowrap; overflow: hidden;
    background: var(--body-background-fill); box-shadow: 0 -4px 24px rgba(0,0,0,0.35);
    border-radius: 12px 12px 0 0; }
  #panel-body { flex: 1 1 0; max-height: none; min-height: 0; }
}
"""
