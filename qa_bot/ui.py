"""The Gradio chat UI: quoted, cited answers; a readable Document tab; a JSON API."""

from __future__ import annotations

import json
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from starlette.middleware import Middleware

from qa_bot.bot import QABot
from qa_bot.clean import clean_input
from qa_bot.config import Settings
from qa_bot.format import answer_to_markdown, escape_html, escape_md
from qa_bot.guard import Guard, check_exposure
from qa_bot.index import Index
from qa_bot.live import Watcher
from qa_bot.types import SECTION_SEP

log = logging.getLogger(__name__)

MAX_UPLOAD = "1kb"  # behind the guard's refusal of uploads, Gradio's own cap as well

TITLE = "qa_bot — ask the documents"
INTRO = (
    "Answers come only as **verbatim quotes** from the documents, each cited by document, "
    "section and speaker."
)
WELCOME_FILE = "qa-bot.json"  # in the corpus folder: the collection's own title, examples


@dataclass(frozen=True)
class Welcome:
    """What the page says before the first question: title, description, the question
    box's placeholder and example questions (each asks at once when clicked)."""

    title: str
    description: str
    placeholder: str
    examples: tuple[str, ...]


def welcome(settings: Settings, index: Index) -> Welcome:
    """Settings first (QA_BOT_UI_*), then the corpus folder's ``qa-bot.json``, then what
    the index says: the documents' titles. So the page follows the collection."""
    own = _welcome_file(settings.corpus / WELCOME_FILE)
    titles = sorted({p.title for p in index.passages})
    if len(titles) == 1:
        collection = titles[0]
    else:
        named = ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
        collection = f"{len(titles)} documents: {named}"
    examples = [e for e in settings.ui_examples.split("|") if e.strip()]
    return Welcome(
        title=settings.ui_title or own.get("title") or TITLE,
        description=settings.ui_description or own.get("description")
        or f"{INTRO} The collection: {escape_md(collection)}.",
        placeholder=settings.ui_placeholder or own.get("placeholder")
        or "Ask about the documents…",
        examples=tuple(e.strip() for e in examples) or tuple(own.get("examples", ())),
    )  # fmt: skip


def _welcome_file(path: Path) -> dict[str, Any]:
    """The corpus's page texts, or nothing (a bad file is logged and ignored)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        log.warning("ignoring %s: %s", path, err)
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring %s: not a JSON object", path)
        return {}
    texts = {k: clean_input(v) for k in ("title", "description", "placeholder")
             if isinstance(v := data.get(k), str)}  # fmt: skip
    examples = data.get("examples", [])
    if isinstance(examples, list):
        texts["examples"] = [clean_input(e) for e in examples if isinstance(e, str)]
    return texts


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


def status_line(bot: QABot) -> str:
    """The footer as HTML: the index answering now, and whether it is being rebuilt (with
    progress) or its last rebuild failed."""
    return f"<small>{escape_html(index_status(bot.index) + ' · ' + bot.status.line())}</small>"


STATUS_EVERY_S = 2.0


def _follow_view(bot: QABot, shown: str) -> tuple[Any, Any, str]:
    """A timer tick: the status line, and the Document view if another build is live."""
    index = bot.index
    if index.folder.name == shown:
        return status_line(bot), gr.skip(), shown
    return status_line(bot), document_html(index), index.folder.name


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
    """The whole app; the index is loaded (and refreshed if the corpus changed) here, and
    the models are warmed up, so the first question is answered as fast as the tenth."""
    bot.warm_up()
    page = welcome(bot.settings, bot.index)
    with gr.Blocks(title=page.title) as demo:
        gr.Markdown(f"# {escape_md(page.title)}\n{page.description}")
        with gr.Tab("Chat"):
            chatbot = gr.Chatbot(
                label="Answers quote the documents",
                height=560,
                latex_delimiters=[],
                sanitize_html=True,
                elem_id="chat",
                buttons=["copy"],  # no share button: there is nothing to share it with
                examples=[{"text": e} for e in page.examples] or None,
            )
            asked = gr.State([])
            with gr.Row():
                box = gr.Textbox(
                    placeholder=page.placeholder,
                    show_label=False,
                    scale=8,
                    max_lines=4,
                    elem_id="question",
                )
                send = gr.Button("Ask", variant="primary", scale=1)
                clear = gr.Button("New chat", scale=1)

            def _turn(message, chat, past):
                return respond(bot, message, chat, past)

            def _example(chat, past, chosen: gr.SelectData):
                return respond(bot, chosen.value["text"], chat, past)

            turn = {"outputs": [box, chatbot, asked], "api_visibility": "private"}
            for trigger in (box.submit, send.click):
                trigger(_turn, [box, chatbot, asked], **turn)
            chatbot.example_select(_example, [chatbot, asked], **turn)  # a chip asks at once
            # Every way of clearing the chat forgets its questions, so no follow-up leans on
            # a conversation the reader no longer sees.
            clear.click(lambda: ("", [], []), None, [box, chatbot, asked], api_visibility="private")
            chatbot.clear(lambda: [], None, asked, api_visibility="private")
        with gr.Tab("Document"):
            # Filled when a page opens, not stored in the app's config: every session
            # (each API call is one) keeps a copy of that config, so it must stay small.
            document = gr.HTML("", elem_id="document")
        status = gr.Markdown("", elem_id="status")
        shown = gr.State("")

        def follow(folder: str) -> tuple[Any, Any, str]:
            return _follow_view(bot, folder)

        views = dict(inputs=shown, outputs=[status, document, shown], queue=False,
                     show_progress="hidden", api_visibility="private")  # fmt: skip
        demo.load(follow, **views)
        gr.Timer(STATUS_EVERY_S).tick(follow, **views)

        def ask(question: str, history: list[str] | None = None) -> dict[str, Any]:
            """Answer a question with verbatim quotes; returns Answer.to_dict()."""
            return bot.ask(question, history=history or []).to_dict()

        gr.api(ask, api_name="ask")
    demo.queue(default_concurrency_limit=bot.settings.concurrency, max_size=512)
    _bound_session_records(demo, bot.settings.max_sessions)
    return demo


class _Bounded(OrderedDict):
    """A dict that forgets its oldest keys beyond ``capacity``."""

    def __init__(self, capacity: int, items: dict[Any, Any]) -> None:
        super().__init__(items)
        self.capacity = capacity

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        while len(self) > self.capacity:
            self.popitem(last=False)


def _bound_session_records(demo: gr.Blocks, capacity: int) -> None:
    """Bound Gradio's per-session records to the last ``capacity`` sessions.

    Every call of the REST API (``/gradio_api/call/ask``) is a session of its own, and
    Gradio keeps a record of each session's event ids for good and their messages for the
    last 2,000 sessions: the server grew with every request. Session state is capped by
    ``state_session_capacity``; these two records now forget their oldest sessions at the
    same number. Without those attributes (another Gradio) nothing changes, and says so.
    """
    queue = getattr(demo, "_queue", None)
    records = getattr(queue, "pending_event_ids_session", None)
    messages = getattr(queue, "pending_messages_per_session", None)
    if not isinstance(records, dict) or not hasattr(messages, "max_size"):
        log.warning("cannot bound Gradio's per-session records; memory may grow per request")
        return
    queue.pending_event_ids_session = _Bounded(capacity, records)  # type: ignore[union-attr]
    messages.max_size = capacity  # type: ignore[union-attr]


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Safe launch options: localhost by default, no share link, no file serving, no
    uploads, failed logins slowed (qa_bot/guard.py)."""
    kwargs: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "show_error": False,
        "mcp_server": False,
        "ssr_mode": False,
        "footer_links": [],
        "max_file_size": MAX_UPLOAD,
        "state_session_capacity": settings.max_sessions,
        "app_kwargs": {"middleware": [Middleware(Guard)]},
    }
    if settings.auth:
        user, password = settings.auth.split(":", 1)
        kwargs["auth"] = (user, password)
    return kwargs


def serve(settings: Settings | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Build the index if the corpus changed, then serve the chat UI until interrupted.

    ``ready`` is called with the URL once the server has answered its warm-up question.
    """
    settings = settings or Settings.from_env()
    check_exposure(settings)
    limit_malloc_arenas()
    bot = QABot(settings)
    if settings.watch_interval:
        bot.open_as_is()  # listen at once; the watcher brings a stale index up to date
    demo = build_app(bot)
    if bot.last_build:
        log.info("index refreshed at start: %s", bot.last_build.summary())
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True)
    local = f"http://127.0.0.1:{settings.port}/"
    warm_server(local)
    watcher = Watcher(bot, settings.watch_interval).start() if settings.watch_interval else None
    (ready or (lambda url: log.info("serving %s", url)))(local)
    try:
        demo.block_thread()
    finally:
        if watcher is not None:
            watcher.stop()


MALLOC_ARENAS = 2


def limit_malloc_arenas() -> None:
    """Cap glibc's per-thread malloc arenas (M_ARENA_MAX) before the server's threads start.

    Each of the server's worker threads otherwise gets an arena of its own, which the
    models' varying buffers fragment: resident memory kept creeping up with every batch of
    concurrent answers. Two arenas hold it flat at no measured cost in answers per second.
    Elsewhere than glibc this does nothing.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "mallopt"):
            libc.mallopt(-8, MALLOC_ARENAS)  # M_ARENA_MAX
    except OSError:
        pass


def warm_server(url: str) -> None:
    """Answer one question through the server's own HTTP API, so the first user does not
    pay for what its first request sets up (worker threads, routes, the models' buffers)."""
    import httpx

    try:
        started = httpx.post(
            f"{url}gradio_api/call/ask", json={"data": ["warm-up question", []]}, timeout=60
        )
        event = started.json()["event_id"]
        with httpx.stream("GET", f"{url}gradio_api/call/ask/{event}", timeout=60) as reply:
            for _ in reply.iter_lines():
                pass
    except (httpx.HTTPError, KeyError, ValueError) as err:
        log.info("server warm-up skipped: %s", err)
