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
/* The search box and its count stay in view while the hits scroll by. */
#search-bar { position: sticky; top: 0; z-index: 5; background: var(--body-background-fill); }
#evidence nav.toc ul { columns: 2; font-size: 0.9em; list-style: none; padding-left: 0; }
#evidence nav.toc .toc-1 { padding-left: 1.2em; }
#evidence nav.toc .toc-2 { padding-left: 2.4em; }
#evidence nav.toc .toc-3 { padding-left: 3.6em; }
#evidence .evidence-where { font-weight: 600; position: sticky; z-index: 2;
  top: var(--search-bar-height, 0px);  /* under the sticky search bar */
  padding: 4px 0; background: var(--body-background-fill); }  /* stays while the text scrolls */
.gradio-container { overflow: clip !important; }  /* hidden would stop it sticking */
#picker input { padding-right: 2.2em !important; text-overflow: ellipsis; }  /* clear of the arrow */
@media (max-width: 640px) { #evidence nav.toc ul { columns: 1; } }
/* Gradio's "scroll down" arrow was drawn over quotes (and over the panel on a phone). */
#chat button[aria-label="Scroll down"] { display: none !important; }
/* The status line stays in view at the window's foot, whatever the page's length. */
#status { position: sticky; bottom: 0; z-index: 4; background: var(--body-background-fill);
  padding: 2px 0; }
/* A bubble scrolled to (or the first) stays clear of the trash icon. */
#chat .bubble-wrap { padding-top: 36px; }
#chat .message-row { scroll-margin-top: 40px; }
#source-list .source-list { padding-left: 1.1em; margin: 0; }
#source-list .source-list li { margin-bottom: 0.6em; }
#source-list .source-title { display: block; font-weight: 600; }
#source-list .source-facts { display: block; }
/* How sure an answer is: a labelled badge, and an uncertain answer's quotes edged dashed. */
#chat .certainty { display: inline-block; font-weight: 600; padding: 2px 10px;
  border-radius: 12px; margin: 0 0 6px 0; }
#chat .certainty.confident { background: #dcfce7; color: #14532d; }
#chat .certainty.confident::before { content: "✓ "; }
#chat .certainty.uncertain::before { content: "? "; }
/* Amber for what is not a sure answer: an uncertain answer, a passage that is not one. */
#chat .certainty.uncertain, #panel-head .panel-not-answer { background: #fef3c7; color: #78350f;
  border: 1px dashed #b45309; }
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
# to, and Previous/Next (or Enter) step through them with a count ("3 of 7"). Matching
# ignores accents, case, hyphens and dashes and runs of spaces ("vice president" finds
# "Vice-President"). Installed once per page by the listener component (ui.build_app).
SEARCH_JS = r"""
const evidenceSearch = {hits: [], at: -1, term: ""};
// Text as the search compares it: accents dropped, lower case, hyphens and dashes as spaces,
// runs of spaces as one; with, for each character kept, its index in the original text.
window.qaFold = (text) => {
  let out = "", space = false;
  const at = [];
  for (let i = 0; i < text.length; i++) {
    const spacing = /[\s\-\u2010-\u2015\u2212]/.test(text[i]);
    const plain = spacing ? " " : text[i].normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    for (const ch of plain) {
      if (ch === " " && space) continue;
      space = ch === " ";
      out += ch;
      at.push(i);
    }
  }
  return [out, at];
};
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
  const wanted = qaFold(term)[0].trim();
  if (!wanted) return;
  const skip = "nav, .evidence-where, .evidence-title, .evidence-asked, code";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
    n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue, [folded, at] = qaFold(text);
    const parts = document.createDocumentFragment();
    let from = 0, k = folded.indexOf(wanted);
    if (k < 0) continue;
    while (k >= 0) {
      const start = at[k], end = at[k + wanted.length - 1] + 1;
      if (start >= from) {
        parts.append(text.slice(from, start));
        const mark = document.createElement("mark");
        mark.className = "hit";
        mark.textContent = text.slice(start, end);
        parts.append(mark);
        evidenceSearch.hits.push(mark);
        from = end;
      }
      k = folded.indexOf(wanted, k + wanted.length);
    }
    parts.append(text.slice(from));
    node.replaceWith(parts);
  }
  if (!evidenceSearch.hits.length) { if (count) count.textContent = "no matches"; return; }
  window.qaStep(1);
};
const qaBarHeight = () => {
  const bar = document.getElementById("search-bar");
  if (bar) document.documentElement.style.setProperty("--search-bar-height", `${bar.offsetHeight}px`);
};
new ResizeObserver(qaBarHeight).observe(document.body);
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
# as a broken list: they are named as a group instead, whenever the chat draws them. Each
# message's accessible name is its plain text (Gradio's held the raw markdown and HTML), and
# the Sources' "select all" tick has a name. On a narrow screen the Sources sidebar starts
# closed, so the chat shows first.
A11Y_JS = """
const fixExamples = () => document.querySelectorAll('#chat .examples[role="list"]').forEach(
  (list) => { list.setAttribute("role", "group"); list.setAttribute("aria-label", "Examples"); });
const plainLabels = () => document.querySelectorAll("#chat [aria-label]").forEach((m) => {
  const label = m.getAttribute("aria-label");
  const mine = /^(user's message|Your question: )/.test(label);
  const answer = /^(bot's message|Answer: )/.test(label);
  if (!mine && !answer) return;
  const text = (m.innerText || m.textContent || "").replace(/\\s+/g, " ").trim();
  const plain = (mine ? "Your question: " : "Answer: ") + text;
  if (label !== plain) m.setAttribute("aria-label", plain);
});
// Gradio's "select all" tick is named by its title only: it gets a name of its own.
const nameSelectAll = () => document.querySelectorAll("#doc-filter .select-all-checkbox")
  .forEach((box) => box.getAttribute("aria-label") || box.setAttribute("aria-label", "All documents"));
const tidy = () => { fixExamples(); plainLabels(); nameSelectAll(); };
tidy();
new MutationObserver(tidy).observe(document.body, {childList: true, subtree: true,
  characterData: true, attributes: true, attributeFilter: ["aria-label"]});
let sidebarLooks = 0;  // the sidebar mounts after this runs: look for it, once
const closeOnPhone = setInterval(() => {
  const sources = document.getElementById("sources");
  sidebarLooks += 1;
  if (sources?.classList.contains("open") && innerWidth < 800) {
    sources.querySelector(".toggle-button")?.click();
  }
  if (sources || sidebarLooks > 50) clearInterval(closeOnPhone);
}, 100);
"""
