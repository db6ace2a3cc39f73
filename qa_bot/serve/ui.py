"""The Gradio chat UI: quoted, cited answers; the evidence view; a JSON API."""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from qa_bot.bot import QABot
from qa_bot.format import answer_to_markdown, answer_to_plain, escape_html, escape_md
from qa_bot.index.sources import UnknownDocumentError
from qa_bot.serve.evidence import current_evidence, document_choices
from qa_bot.serve.page import (
    A11Y_JS,
    COPY_TO_CLIPBOARD,
    FIND,
    NEXT_HIT,
    PREVIOUS_HIT,
    SCROLL_TO_QUOTE,
    SEARCH_JS,
    SHOW_QUESTION,
)
from qa_bot.serve.panel import (
    CITE_JS,
    OPEN_PANEL,
    RETURN_FOCUS,
    SCROLL_PANEL,
    from_state,
    moved,
    read_kind,
    read_message,
    show_citation,
    why_of,
)
from qa_bot.serve.sources_view import (
    NONE_TICKED,
    filter_choices,
    held_to,
    sources_html,
    ticked_after,
)
from qa_bot.serve.status import status_line, status_record
from qa_bot.serve.welcome import help_markdown, is_small_talk, welcome

log = logging.getLogger(__name__)

MAX_UPLOAD = "1kb"  # behind the guard's refusal of uploads, Gradio's own cap as well


def respond(
    bot: QABot, message: str, chat: list[dict[str, Any]], asked: list[str], plain: str = ""
) -> tuple[str, list[dict[str, Any]], list[str], str]:
    """One chat turn: the user's text is shown escaped; earlier questions feed follow-ups.
    The last value is the answer as plain text, for the Copy button. (The page runs it in
    two steps, ``echo`` then ``reply``, so the question shows while it is answered.)"""
    box, chat, pending = echo(message, chat)
    if not pending:
        return box, chat, list(asked or []), plain
    return box, *reply(bot, pending, chat, asked)


def echo(message: str, chat: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]], str]:
    """The question shown in the chat at once (escaped) and the box emptied; the question
    is kept for ``reply``. A blank box changes nothing."""
    chat = list(chat or [])
    if not message or not message.strip():
        return "", chat, ""
    return "", [*chat, {"role": "user", "content": escape_md(message)}], message


def reply(
    bot: QABot,
    pending: str,
    chat: list[dict[str, Any]],
    asked: list[str],
    ticked: list[str] | None = None,
) -> tuple[list[dict[str, Any]], list[str], str]:
    """The answer to the echoed question ``pending``, after it in the chat; the question
    joins ``asked`` (for follow-ups); the last value is the answer as plain text.
    ``ticked``: the documents ticked under Sources (None: all), which the question searches."""
    chat, asked = list(chat or []), list(asked or [])
    if is_small_talk(pending):  # not a question for the documents: say what this does
        chat.append(
            {"role": "assistant", "content": help_markdown(welcome(bot.settings, bot.index))}
        )
        return chat, asked, ""
    documents = held_to(bot.index, ticked)
    if documents == []:
        chat.append({"role": "assistant", "content": f"**{escape_md(NONE_TICKED)}**"})
        return chat, asked, ""
    answer = bot.ask(pending, history=asked, documents=documents)
    chat.append({"role": "assistant", "content": answer_to_markdown(answer)})
    return chat, [*asked, pending], answer_to_plain(answer)


STATUS_EVERY_S = 2.0


def _follow_view(
    bot: QABot, shown: str, document: str | None, ticked: list[str], offered: list[str]
) -> tuple[Any, ...]:
    """A timer tick: the status line; when another build went live, the document picker,
    the evidence view and the sources (list and ticks, ``ticked_after``) redrawn from it."""
    index = bot.index
    if index.folder.name == shown:
        return status_line(bot), *(gr.skip(),) * 5, shown
    choices = document_choices(index)
    chosen = document if document in index.texts else (choices[0][1] if choices else None)
    picker = gr.Dropdown(choices=choices, value=chosen)
    evidence = current_evidence(bot, index, chosen)
    return status_line(bot), picker, evidence, *_sources(bot, ticked, offered), index.folder.name


def _sources(bot: QABot, ticked: list[str], offered: list[str]) -> tuple[str, Any, list[str]]:
    """The sources list, the ticks (kept across a new index) and the documents offered."""
    index = bot.index
    choices = filter_choices(index)
    documents = [d for _, d in choices]
    kept = ticked_after(documents, ticked or [], offered or [])
    return sources_html(bot), gr.CheckboxGroup(choices=choices, value=kept), documents


def open_page(bot: QABot, query: dict[str, str]) -> tuple[Any, ...]:
    """A page load: the tab, status line, document picker, evidence view, sources (list,
    ticks, the documents offered), search box and shown index, with the evidence view
    drawn once. A deep link (``?doc=…&start=…&end=…``, with ``q=`` the question it was cited
    for) opens the evidence view at that span; any other page opens on the chat with the
    first document in the view."""
    document = query.get("doc")
    if not document:
        status, picker, html, *listed, shown = _follow_view(bot, "", None, [], [])
        return gr.Tabs(selected="chat"), status, picker, html, *listed, "", shown
    index = bot.index
    start, end = _int(query.get("start")), _int(query.get("end"))
    html = asked_line(query.get("q", "")) + current_evidence(bot, index, document, start, end)
    chosen = document if document in index.texts else None
    picker = gr.Dropdown(choices=document_choices(index), value=chosen)
    listed = _sources(bot, [], [])
    return (gr.Tabs(selected="evidence"), status_line(bot), picker, html, *listed, "",
            index.folder.name)  # fmt: skip


MAX_ASKED = 300  # characters of the question a link carries


def asked_line(question: str) -> str:
    """The chat's context of a link opened from a chip: the question it answered."""
    question = " ".join(question.split())[:MAX_ASKED]
    return f'<p class="evidence-asked">Cited for: “{escape_html(question)}”</p>' if question else ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def build_app(bot: QABot) -> gr.Blocks:
    """The whole app; the index is loaded (and refreshed if the corpus changed) here, and
    the models are warmed up, so the first question is answered as fast as the tenth."""
    bot.warm_up()
    page = welcome(bot.settings, bot.index)
    quiet = {"show_progress": "hidden", "api_visibility": "private"}
    with gr.Blocks(title=page.title) as demo:
        gr.Markdown(f"# {escape_md(page.title)}\n{page.description}")
        with gr.Sidebar(label="Sources", open=True, elem_id="sources"):
            gr.Markdown("## Sources")
            # Filled when a page opens (open_page), like the document picker.
            ticks = gr.CheckboxGroup(choices=[], value=[], label="Search these documents",
                                     elem_id="doc-filter", show_select_all=True)  # fmt: skip
            listing = gr.HTML("", elem_id="source-list")
        with gr.Tabs(selected="chat") as tabs:
            with gr.Tab("Chat", id="chat"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=320):
                    chatbot = gr.Chatbot(
                        label="Answers quote the documents",
                        show_label=False,  # a floating label covered the first lines
                        height=560,
                        latex_delimiters=[],
                        sanitize_html=True,
                        elem_id="chat",
                        # The view goes to the question, not to the end of the answer.
                        autoscroll=False,
                        # No share button (nothing to share with) and no per-message copy
                        # (it copies markup): "Copy answer" copies plain text.
                        buttons=[],
                        examples=[{"text": e} for e in page.examples] or None,
                    )
                    # Minimum widths that make the row wrap on a phone (420 px): the
                    # question box keeps the whole width and the buttons go below it.
                    with gr.Row(equal_height=True):
                        box = gr.Textbox(placeholder=page.placeholder, show_label=False,
                                         scale=8, min_width=300, max_lines=4,
                                         elem_id="question")  # fmt: skip
                        send = gr.Button("Ask", variant="primary", scale=1, min_width=90)
                        copy = gr.Button("Copy answer", scale=1, min_width=90, elem_id="copy",
                                         interactive=False)  # fmt: skip
                        clear = gr.Button("New chat", scale=1, min_width=90)
                # The evidence panel, opened by a citation chip (panel.PAGE_JS).
                with gr.Column(scale=2, min_width=320, visible=False, elem_id="panel") as panel:
                    panel_head = gr.HTML("", elem_id="panel-head")
                    # The tab order: Previous, Next, Open in a new tab, Close.
                    with gr.Row(elem_id="panel-buttons"):
                        earlier = gr.Button("Previous", size="sm", elem_id="panel-prev")
                        later = gr.Button("Next", size="sm", elem_id="panel-next")
                        panel_link = gr.HTML("", elem_id="panel-open", container=False)
                        shut = gr.Button("Close", size="sm", elem_id="panel-close")
                    panel_body = gr.HTML("", elem_id="panel-body")
            with gr.Tab("Evidence", id="evidence"):
                # Filled when a page opens, not stored in the app's config: every session
                # (each API call is one) keeps a copy of that config, so it must stay small.
                with gr.Row(elem_id="search-bar"):
                    picker = gr.Dropdown(choices=[], label="Document", scale=3, elem_id="picker")
                    search = gr.Textbox(label="Search in the document", scale=2,
                                        elem_id="doc-search")  # fmt: skip
                    found = '<span id="search-count" role="status" aria-live="polite"></span>'
                    gr.HTML(found, min_width=80, scale=0, container=False)
                    earlier_hit = gr.Button("Previous match", size="sm", scale=0,
                                            min_width=80, elem_id="search-prev")  # fmt: skip
                    later_hit = gr.Button("Next match", size="sm", scale=0, min_width=80,
                                          elem_id="search-next")  # fmt: skip
                evidence = gr.HTML("", elem_id="evidence")
        status = gr.Markdown("", elem_id="status")
        # Installs the page's listeners once: citation chips (panel.CITE_JS), the search in
        # the evidence view (page.SEARCH_JS), the examples' role (page.A11Y_JS); shows nothing.
        listener = gr.HTML("", js_on_load=CITE_JS + SEARCH_JS + A11Y_JS, elem_id="listener",
                           container=False, padding=False)  # fmt: skip
        asked, citing, shown, pending = gr.State([]), gr.State({}), gr.State(""), gr.State("")
        offered = gr.State([])  # the documents the ticks offered, to tick new ones
        # The plain text of the last answer, for "Copy answer" (client-side: a State's
        # value never reaches the browser, a hidden Textbox's does).
        plain = gr.Textbox("", visible=False, elem_id="plain")

        # A turn in two steps: the question shows at once, then the answer comes, with a
        # small progress mark on the chat only (the box stays free to type the next one).
        def _example(chat, chosen: gr.SelectData):
            return echo(chosen.value["text"], chat)

        def _reply(question, chat, past, text, chosen):
            return reply(bot, question, chat, past, chosen) if question else (chat, past, text)

        echoed = {"outputs": [box, chatbot, pending], "queue": False, **quiet}
        answered = {"inputs": [pending, chatbot, asked, plain, ticks],
                    "outputs": [chatbot, asked, plain],
                    "show_progress": "minimal", "api_visibility": "private"}  # fmt: skip
        for trigger in (box.submit, send.click):
            trigger(echo, [box, chatbot], **echoed).then(_reply, **answered).then(
                None, js=SHOW_QUESTION
            )
        chatbot.example_select(_example, chatbot, **echoed).then(_reply, **answered).then(
            None, js=SHOW_QUESTION
        )  # an example asks at once
        copy.click(None, plain, None, js=COPY_TO_CLIPBOARD, api_visibility="private")
        # Nothing to copy in an empty chat: the button is off until an answer comes.
        plain.change(lambda text: gr.Button(interactive=bool(text)), plain, copy,
                     queue=False, **quiet)  # fmt: skip
        # Every way of clearing the chat forgets its questions (so no follow-up leans on a
        # conversation the reader no longer sees) and closes the panel.
        cleared = ("", [], [], "", gr.Column(visible=False), {})
        clear.click(lambda: cleared, None, [box, chatbot, asked, plain, panel, citing],
                    api_visibility="private")  # fmt: skip
        chatbot.clear(lambda: cleared[2:], None, [asked, plain, panel, citing],
                      api_visibility="private")  # fmt: skip

        shows = [panel, panel_head, panel_link, panel_body, earlier, later, citing]

        def cite(clicked: gr.EventData) -> tuple[Any, ...]:
            message = getattr(clicked, "_data", None)
            return show_citation(bot, *read_message(message), read_kind(message))

        def step(state: dict[str, Any], by: int) -> tuple[Any, ...]:
            cites, at = from_state(state)
            return show_citation(bot, cites, moved(at, by, len(cites)), why_of(state))

        listener.cite(cite, None, shows, queue=False, **quiet).then(None, js=OPEN_PANEL)
        for button, by in ((earlier, -1), (later, 1)):
            button.click(lambda state, by=by: step(state, by), citing, shows, queue=False,
                         **quiet).then(None, js=SCROLL_PANEL)  # fmt: skip
        shut.click(lambda: gr.Column(visible=False), None, panel, queue=False, **quiet).then(
            None, js=RETURN_FOCUS
        )

        def follow(folder, document, chosen, before) -> tuple[Any, ...]:
            return _follow_view(bot, folder, document, chosen, before)

        def opened(request: gr.Request) -> tuple[Any, ...]:
            return open_page(bot, dict(request.query_params) if request else {})

        def pick(document: str | None) -> str:  # the page marks the search's hits again
            return current_evidence(bot, bot.index, document)

        drawn = [status, picker, evidence, listing, ticks, offered]
        views = {"inputs": [shown, picker, ticks, offered], "outputs": [*drawn, shown]}
        demo.load(opened, None, [tabs, *drawn, search, shown], queue=False, **quiet).then(
            None, js=SCROLL_TO_QUOTE
        )
        # A new index redraws the view: the search marks it again (a no-op otherwise).
        gr.Timer(STATUS_EVERY_S).tick(follow, **views, queue=False, **quiet).then(
            None, search, None, js=FIND
        )
        picker.input(pick, picker, evidence, queue=False, **quiet).then(None, search, None, js=FIND)
        search.input(None, search, None, js=FIND, **quiet)  # in the page, as the reader types
        search.submit(None, None, None, js=NEXT_HIT, **quiet)
        later_hit.click(None, None, None, js=NEXT_HIT, **quiet)
        earlier_hit.click(None, None, None, js=PREVIOUS_HIT, **quiet)

        def ask(question: str, history: list[str] | None = None) -> dict[str, Any]:
            """Answer a question with verbatim quotes; returns Answer.to_dict()."""
            return bot.ask(question, history=history or []).to_dict()

        # Gradio wants every input in each call: the documents get an endpoint of their
        # own, so that callers of /ask with [question, history] keep working.
        def ask_in(
            question: str, documents: list[str], history: list[str] | None = None
        ) -> dict[str, Any]:
            """Answer only from ``documents`` (each named by file, path or title); an
            unknown name is an error listing the documents. Returns Answer.to_dict()."""
            try:
                return bot.ask(question, history=history or [], documents=documents).to_dict()
            except UnknownDocumentError as err:
                raise gr.Error(str(err), print_exception=False) from None

        gr.api(ask, api_name="ask")
        gr.api(ask_in, api_name="ask_in")

        def status_api() -> dict[str, Any]:
            """The index answering now and whether it is current: for monitors and scripts
            that must know when an edit to the corpus is answerable."""
            return status_record(bot)

        gr.api(status_api, api_name="status")
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
