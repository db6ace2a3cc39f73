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
MAX_WHY = 300  # characters of the reason a possibly relevant passage is not an answer


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


def read_kind(message: object) -> str | None:
    """For chips of possibly relevant passages, why they are not an answer (as the chat
    showed it, maybe ""); None for an answer's chips."""
    if not isinstance(message, dict) or message.get("related") is not True:
        return None
    why = message.get("why")
    return why[:MAX_WHY] if isinstance(why, str) else ""


def _citation(link: object) -> Citation | None:
    if not isinstance(link, str) or len(link) > MAX_LINK:
        return None
    query = parse_qs(urlsplit(link).query)
    try:
        return Citation(query["doc"][0], int(query["start"][0]), int(query["end"][0]))
    except (KeyError, IndexError, ValueError):
        return None


def panel_view(
    bot: QABot, cites: tuple[Citation, ...], at: int, why: str | None = None
) -> tuple[str, str]:
    """The header and the text of the panel at citation ``at``, from the live index (with
    the same check as answers that the file is still what was indexed)."""
    index, cite = bot.index, cites[at]
    body = current_evidence(bot, index, cite.document, cite.start, cite.end,
                            quote_id=PANEL_QUOTE_ID)  # fmt: skip
    return panel_head(index, cites, at, why), body


def show_citation(
    bot: QABot, cites: tuple[Citation, ...], at: int, why: str | None = None
) -> tuple[Any, ...]:
    """The panel at citation ``at`` of ``cites``: shown, its header, its link to open in a
    tab, its text, previous/next enabled where there is one, and the session's record of
    it; unchanged without any. ``why``: the chips are of possibly relevant passages, not an
    answer, for this reason (see ``read_kind``)."""
    if not cites:
        return (gr.skip(),) * 7
    head, body = panel_view(bot, cites, at, why)
    cite = cites[at]
    link = (f'<a id="panel-link" href="{citation_href(cite.document, cite.start, cite.end)}" '
            'target="_blank" rel="noopener">Open in a new tab</a>')  # fmt: skip
    return (
        gr.Column(visible=True), head, link, body, gr.Button(interactive=at > 0),
        gr.Button(interactive=at < len(cites) - 1), to_state(cites, at, why),
    )  # fmt: skip


def to_state(cites: tuple[Citation, ...], at: int, why: str | None = None) -> dict[str, Any]:
    """The panel's citations as a session value (plain data)."""
    return {"cites": [asdict(c) for c in cites], "at": at, "why": why}


def why_of(state: object) -> str | None:
    """The reason recorded by ``to_state`` (None: the citations are an answer's)."""
    why = state.get("why") if isinstance(state, dict) else None
    return why if isinstance(why, str) else None


def from_state(state: object) -> tuple[tuple[Citation, ...], int]:
    """The citations and position of ``to_state``; ``((), 0)`` when there are none."""
    if not isinstance(state, dict) or not state.get("cites"):
        return (), 0
    return tuple(Citation(**c) for c in state["cites"]), int(state.get("at", 0))


def panel_head(index: Index, cites: tuple[Citation, ...], at: int, why: str | None = None) -> str:
    """The pinned header: which source of how many (the heading focus moves to), whether
    it is an answer's or only possibly relevant and why, the document, section, speaker
    and page of the quote."""
    cite = cites[at]
    passages = index.passages_of(cite.document) if cite.document in index.texts else []
    title = passages[0].title if passages else cite.document
    context = span_context(index, cite.document, cite.start) if passages else []
    where = f'<p class="panel-where">{escape_html(" · ".join(context))}</p>' if context else ""
    kind, note = "Source", ""
    if why is not None:
        reason = f": {escape_html(why.strip())}" if why.strip() else ""
        kind, note = (
            "Possibly relevant passage",
            f'<p class="panel-not-answer">Not an answer{reason}</p>',
        )
    return (
        f'<h2 class="panel-count" id="panel-heading" tabindex="-1">{kind} {at + 1} of '
        f"{len(cites)}</h2>{note}"
        f'<p class="panel-title"><strong>{escape_html(short_title(title))}</strong> '
        f"<code>{escape_html(shown_name(cite.document))}</code></p>{where}"
    )


def moved(at: int, step: int, count: int) -> int:
    """The position after a previous (-1) or next (+1) click, kept within the citations."""
    return min(max(at + step, 0), max(count - 1, 0))


# Run once per page by the panel's listener component: a plain click (or Enter) on a chip in
# the chat sends that answer's chips, the clicked one's position and, for possibly relevant
# passages, why they are not an answer; the chip is kept to give focus back on Close or
# Escape. A chip, or the panel's link, opened in a new tab carries the page's theme and the
# question its answer was for.
CITE_JS = r"""
document.addEventListener("click", (event) => {
  const chip = event.target.closest ? event.target.closest("#chat a.cite") : null;
  if (!chip || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey
      || event.altKey) return;
  event.preventDefault();
  const message = chip.closest(".message-row") || chip.closest(".message") || chip.parentElement;
  const chips = Array.from(message.querySelectorAll("a.cite"));
  const related = chip.classList.contains("related");
  const why = related ? (message.querySelector(".lacks")?.textContent || "") : "";
  window.qaOpener = chip;
  trigger("cite", {links: chips.map((a) => a.getAttribute("href")), at: chips.indexOf(chip),
                   related, why});
}, true);
document.addEventListener("keydown", (event) => {
  const panel = document.getElementById("panel");
  if (event.key !== "Escape" || !panel || !panel.getClientRects().length) return;
  document.getElementById("panel-close")?.click();
});
const qaLinkContext = (event) => {
  const link = event.target.closest ? event.target.closest('a[href^="?doc="]') : null;
  if (!link) return;
  const params = new URLSearchParams(link.getAttribute("href").slice(1));
  const asked = new URLSearchParams(location.search).get("__theme");
  const theme = document.body.classList.contains("dark") ? "dark" : asked || "";
  if (theme) params.set("__theme", theme); else params.delete("__theme");
  // The chat's context: the question the chip's answer was for (the bubble before it).
  const row = link.closest("#chat .message-row");
  let before = row?.previousElementSibling;
  while (before && !before.classList.contains("user-row")) before = before.previousElementSibling;
  const question = (before?.innerText || "").replace(/\s+/g, " ").trim().slice(0, 300);
  if (question) params.set("q", question);
  link.setAttribute("href", "?" + params.toString());
};
for (const kind of ["pointerdown", "focusin", "contextmenu"]) {
  document.addEventListener(kind, qaLinkContext, true);
}
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
# Opened from a chip: as SCROLL_PANEL, and focus moves to the panel's heading.
OPEN_PANEL = f"""() => {{
  ({SCROLL_PANEL})();
  setTimeout(() => document.getElementById("panel-heading")?.focus({{preventScroll: true}}), 200);
}}"""
# Closed: focus goes back to the chip that opened the panel (or to the question box).
RETURN_FOCUS = """() => {
  setTimeout(() => {
    const chip = window.qaOpener;
    if (chip && chip.isConnected) chip.focus(); else document.querySelector("#question textarea")?.focus();
  }, 50);
}"""
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
/* The panel is no taller than the chat column beside it (nor the window): its text scrolls
   inside it, and the page (and the status line under it) keeps its height. */
@media (min-width: 801px) {
  #panel { height: min(calc(100vh - 16px), 660px); flex-wrap: nowrap !important;
    overflow: hidden; }
  #panel-body { flex: 1 1 0; min-height: 0; }
}
#panel-body { overflow-y: auto !important; }
/* The header above already names the document. */
#panel-body .evidence-title, #panel-body .evidence-title + p { display: none; }
#panel-head p { margin: 0.15em 0; }
#panel-head h2.panel-count { font-size: 1em; margin: 0.15em 0; }
#panel-head .panel-not-answer { display: inline-block; padding: 1px 8px; border-radius: 10px;
  font-weight: 600; }  /* coloured as an uncertain answer's label (page.CSS) */
#panel-buttons { align-items: center; }
#panel-open { flex: 0 0 auto; min-width: 0 !important; }
@media (max-width: 640px) { #chat { height: 46vh !important; } }  /* the box shows too */
@media (max-width: 800px) {
  #panel { position: fixed; inset: 5vh 0 0 0; z-index: 1000; padding: 12px;
    display: flex; flex-direction: column; flex-wrap: nowrap; overflow: hidden;
    background: var(--body-background-fill); box-shadow: 0 -4px 24px rgba(0,0,0,0.35);
    border-radius: 12px 12px 0 0; }
  #panel-body { flex: 1 1 0; max-height: none; min-height: 0; }
}
"""
