"""What the page gets besides its components: the theme, the CSS and the small scripts
that run in the browser (copying an answer, scrolling to a quote or to the question,
finding words in the evidence view)."""

from __future__ import annotations

import gradio as gr

from qa_bot.serve.evidence import QUOTE_ID
from qa_bot.serve.panel import PANEL_CSS

# The system's own fonts: the bundled web font had two weights, and bold headings fell back
# to another font for some capitals. A system stack renders every weight consistently.
# The primary button's white text needs a darker orange than the default's (2.8:1 in the
# light theme, 3.6:1 in the dark; orange-700 gives 5.2:1 in both).
THEME = gr.themes.Default(
    font=["system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
).set(
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_dark="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_background_fill_hover_dark="*primary_800",
    button_primary_text_color="#ffffff",
    button_primary_text_color_dark="#ffffff",
)
CSS = (
    """
mark { background: #ffe066; color: #1a1a1a; }  /* dark text on yellow in either theme */
#evidence mark#quote, #evidence mark.quote, #panel-body mark#panel-quote,
#panel-body mark.quote { background: #ffe066; color: #1a1a1a; outline: 2px solid #e0a800;
  scroll-margin: 40vh; }  /* the cited span, in the evidence view and in the panel */
#evidence mark.hit { background: #cfe8ff; color: #1a1a1a; }
#evidence mark.hit.current { background: #1d4ed8; color: #ffffff; }
#search-count { display: inline-block; min-width: 6em; padding-top: 2.2em; }
#evidence nav.toc ul { columns: 2; font-size: 0.9em; list-style: none; padding-left: 0; }
#evidence nav.toc .toc-1 { padding-left: 1.2em; }
#evidence nav.toc .toc-2 { padding-left: 2.4em; }
#evidence nav.toc .toc-3 { padding-left: 3.6em; }
#evidence .evidence-where { font-weight: 600; position: sticky; top: 0; z-index: 2;
  padding: 4px 0; background: var(--body-background-fill); }  /* stays while the text scrolls */
.gradio-container { overflow: clip !important; }  /* hidden would stop it sticking */
#picker input { padding-right: 2.2em !important; text-overflow: ellipsis; }  /* clear of the arrow */
@media (max-width: 640px) { #evidence nav.toc ul { columns: 1; } }
/* How sure an answer is: a labelled badge, and an uncertain answer's quotes edged dashed. */
#chat .certainty { display: inline-block; font-weight: 600; padding: 2px 10px;
  border-radius: 12px; margin: 0 0 6px 0; }
#chat .certainty.confident { background: #dcfce7; color: #14532d; }
#chat .certainty.uncertain { background: #fef3c7; color: #78350f; border: 1px dashed #b45309; }
#chat .certainty.uncertain ~ blockquote { border-left: 4px dashed #b45309; }
"""
    + PANEL_CSS
)

# Copies the last answer with its deep links made absolute, then says so on the button.
COPY_TO_CLIPBOARD = """(text) => {
  if (!text) return;
  const here = location.origin + location.pathname;
  const full = text.replace(/^(    source: )\\?/gm, (m, lead) => lead + here + "?");
  navigator.clipboard.writeText(full).then(() => {
    const button = document.getElementById("copy");
    if (!button) return;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy answer"; }, 1500);
  });
}"""
# After an answer: the view goes to the question, so it and the start of the first quote
# show (on a phone the chat would otherwise end at the answer's last lines).
SHOW_QUESTION = """() => {
  setTimeout(() => {
    const asked = document.querySelectorAll("#chat .message-row.user-row, #chat .user-row");
    asked[asked.length - 1]?.scrollIntoView({block: "start"});
  }, 100);
}"""
SCROLL_TO_QUOTE = f"""() => {{
  setTimeout(() => document.getElementById('{QUOTE_ID}')?.scrollIntoView({{block: 'center'}}), 300);
}}"""
# Search in the evidence view, in the page: hits are marked as the reader types, without
# redrawing the document (the cited highlight and its header stay), the first is scrolled
# to, and Previous/Next (or Enter) step through them with a count ("3 of 7"). Installed
# once per page by the listener component (ui.build_app).
SEARCH_JS = r"""
const evidenceSearch = {hits: [], at: -1, term: ""};
window.qaFind = (text) => {
  const root = document.querySelector("#evidence");
  const count = document.getElementById("search-count");
  const term = (text || "").trim();
  const current = evidenceSearch.hits.length && evidenceSearch.hits[0].isConnected;
  if (!root || (term === evidenceSearch.term && (current || !term))) return;
  root.querySelectorAll("mark.hit").forEach((m) => m.replaceWith(...m.childNodes));
  root.normalize();
  evidenceSearch.hits = []; evidenceSearch.at = -1; evidenceSearch.term = term;
  if (count) count.textContent = "";
  if (!term) return;
  const pattern = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
  const skip = "nav, .evidence-where, .evidence-title, code";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
    n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue, parts = document.createDocumentFragment();
    let from = 0, found = false;
    for (const match of text.matchAll(pattern)) {
      if (!match[0]) break;
      found = true;
      parts.append(text.slice(from, match.index));
      const mark = document.createElement("mark");
      mark.className = "hit";
      mark.textContent = match[0];
      parts.append(mark);
      evidenceSearch.hits.push(mark);
      from = match.index + match[0].length;
    }
    if (!found) continue;
    parts.append(text.slice(from));
    node.replaceWith(parts);
  }
  if (!evidenceSearch.hits.length) { if (count) count.textContent = "no matches"; return; }
  window.qaStep(1);
};
window.qaStep = (direction) => {
  const hits = evidenceSearch.hits, count = document.getElementById("search-count");
  if (!hits.length || !hits[0].isConnected) return;
  hits[evidenceSearch.at]?.classList.remove("current");
  evidenceSearch.at = (evidenceSearch.at + direction + hits.length) % hits.length;
  const hit = hits[evidenceSearch.at];
  hit.classList.add("current");
  hit.scrollIntoView({block: "center"});
  if (count) count.textContent = `${evidenceSearch.at + 1} of ${hits.length}`;
};
"""
FIND = "(text) => window.qaFind && window.qaFind(text)"
NEXT_HIT, PREVIOUS_HIT = (
    "() => window.qaStep && window.qaStep(1)",
    "() => window.qaStep && window.qaStep(-1)",
)
# Gradio's chat examples are buttons inside role="list", which assistive technology reads
# as a broken list: they are named as a group instead, whenever the chat draws them.
A11Y_JS = """
const fixExamples = () => document.querySelectorAll('#chat .examples[role="list"]').forEach(
  (list) => { list.setAttribute("role", "group"); list.setAttribute("aria-label", "Examples"); });
fixExamples();
new MutationObserver(fixExamples).observe(document.body, {childList: true, subtree: true});
"""
