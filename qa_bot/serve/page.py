"""What the page gets besides its components: the theme, the CSS and the small scripts
that run in the browser (copying an answer, scrolling to a quote or to the question)."""

from __future__ import annotations

import gradio as gr

from qa_bot.serve.evidence import QUOTE_ID
from qa_bot.serve.panel import PANEL_CSS

# The system's own fonts: the bundled web font had two weights, and bold headings fell back
# to another font for some capitals. A system stack renders every weight consistently.
THEME = gr.themes.Default(
    font=["system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
CSS = (
    """
mark { background: #ffe066; color: #1a1a1a; }  /* dark text on yellow in either theme */
#evidence mark#quote, #evidence mark.quote { background: #ffe066; color: #1a1a1a;
  outline: 2px solid #e0a800; scroll-margin: 40vh; }
#evidence mark.hit { background: #cfe8ff; color: #1a1a1a; }
#evidence nav.toc ul { columns: 2; font-size: 0.9em; list-style: none; padding-left: 0; }
#evidence nav.toc .toc-1 { padding-left: 1.2em; }
#evidence nav.toc .toc-2 { padding-left: 2.4em; }
#evidence nav.toc .toc-3 { padding-left: 3.6em; }
#evidence .evidence-where { font-weight: 600; }
@media (max-width: 640px) { #evidence nav.toc ul { columns: 1; } }
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
