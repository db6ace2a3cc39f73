"""The Gradio chat UI: quoted, cited answers; a readable Document tab; a JSON API."""

from __future__ import annotations

import logging
import os
import re
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.format import answer_to_markdown, escape_html, escape_md
from qa_bot.index import Index
from qa_bot.types import SECTION_SEP

log = logging.getLogger(__name__)

TITLE = "qa_bot — ask the documents"
DESCRIPTION = (
    "Answers come only as **verbatim quotes** from the documents, each cited by document, "
    "section and speaker. The collection: the UN summary of the 30 June 2025 multi-stakeholder "
    "hearing on the Global Plan of Action to Combat Trafficking in Persons."
)
EXAMPLES = [
    "What share of detected trafficking victims are children?",
    "Who leads the US Office of Hagar International?",
    "What did Ms. Kirkendall call on Member States to do?",
    "Which panellist is a survivor of trafficking?",
    "What root causes of trafficking were identified?",
    "What did Mr. Ward propose to enable fast coordinated responses?",
    "How was the hearing closed?",
]


def respond(
    bot: QABot, message: str, chat: list[dict[str, Any]], asked: list[str]
) -> tuple[str, list[dict[str, Any]], list[str]]:
    """One chat turn: the user's text is shown escaped; earlier questions feed follow-ups."""
    chat, asked = list(chat or []), list(asked or [])
    if not message or not message.strip():
        return "", chat, asked
    answer = bot.ask(message, history=asked)
    chat.append({"role": "user", "content": escape_md(message)})
    chat.append({"role": "assistant", "content": answer_to_markdown(answer)})
    asked.append(message)
    return "", chat, asked


def index_status(index: Index) -> str:
    """The unobtrusive footer: what is indexed and when it was built."""
    counts = index.manifest.get("counts", {})
    return (
        f"{counts.get('documents', 0)} documents · {counts.get('passages', 0)} passages · "
        f"{counts.get('sentences', 0)} sentences · index built {index.built_at} · "
        f"model {index.manifest.get('model', '?')}"
    )


def document_html(index: Index) -> str:
    """Every indexed document as readable HTML with an anchor per section."""
    parts: list[str] = []
    current_doc = current_section = None
    for passage in index.passages:
        if passage.document != current_doc:
            current_doc, current_section = passage.document, None
            parts.append(
                f'<h2 id="{_slug(passage.document)}">{escape_html(passage.title)}</h2>'
                f"<p><code>{escape_html(passage.document)}</code></p>"
            )
        if passage.section != current_section:
            before = current_section.split(SECTION_SEP) if current_section else []
            path = passage.section.split(SECTION_SEP) if passage.section else []
            current_section = passage.section
            for depth, title in enumerate(path):
                if depth < len(before) and before[: depth + 1] == path[: depth + 1]:
                    continue  # this heading is already open
                anchor = _slug(f"{passage.document}-{SECTION_SEP.join(path[: depth + 1])}")
                level = min(3 + depth, 6)
                parts.append(f'<h{level} id="{anchor}">{escape_html(title)}</h{level}>')
        speaker = f"<br><small>— {escape_html(passage.speaker)}</small>" if passage.speaker else ""
        parts.append(f"<p>{escape_html(passage.text)}{speaker}</p>")
    return "\n".join(parts)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def build_app(bot: QABot) -> gr.Blocks:
    """The whole app; the index is loaded (and refreshed if the corpus changed) here."""
    index = bot.index
    with gr.Blocks(title="qa_bot") as demo:
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(
                label="Answers quote the documents",
                height=560,
                latex_delimiters=[],
                sanitize_html=True,
                elem_id="chat",
            )
            asked = gr.State([])
            with gr.Row():
                box = gr.Textbox(
                    placeholder="Ask about the hearing…",
                    show_label=False,
                    scale=8,
                    max_lines=4,
                    elem_id="question",
                )
                send = gr.Button("Ask", variant="primary", scale=1)
                clear = gr.Button("New chat", scale=1)
            gr.Examples(EXAMPLES, inputs=box, label="Try one")

            def _turn(message, chat, past):
                return respond(bot, message, chat, past)

            for trigger in (box.submit, send.click):
                trigger(
                    _turn, [box, chatbot, asked], [box, chatbot, asked], api_visibility="private"
                )
            clear.click(lambda: ("", [], []), None, [box, chatbot, asked], api_visibility="private")
        with gr.Tab("Document"):
            gr.HTML(document_html(index), elem_id="document")
        gr.Markdown(f"<small>{escape_html(index_status(index))}</small>")

        def ask(question: str, history: list[str] | None = None) -> dict[str, Any]:
            """Answer a question with verbatim quotes; returns Answer.to_dict()."""
            return bot.ask(question, history=history or []).to_dict()

        gr.api(ask, api_name="ask")
    demo.queue(default_concurrency_limit=bot.settings.concurrency, max_size=512)
    return demo


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Safe launch options: localhost by default, no share link, no file serving."""
    kwargs: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "show_error": False,
        "mcp_server": False,
        "ssr_mode": False,
        "footer_links": [],
    }
    if settings.auth:
        user, password = settings.auth.split(":", 1)
        kwargs["auth"] = (user, password)
    return kwargs


def serve(settings: Settings | None = None) -> None:
    """Build the index if the corpus changed, then serve the chat UI."""
    settings = settings or Settings.from_env()
    bot = QABot(settings)
    demo = build_app(bot)
    if bot.last_build:
        log.info("index refreshed at start: %s", bot.last_build.summary())
    demo.launch(**launch_kwargs(settings))
