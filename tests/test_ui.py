"""The chat turn handler, the Document tab and the launch options (no server)."""

from __future__ import annotations

import gradio as gr
import pytest

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.ui import (
    _follow_view,
    build_app,
    document_html,
    index_status,
    launch_kwargs,
    respond,
)
from tests.conftest import ROOT, TINY, FakeCrossEncoder, write_corpus


@pytest.fixture
def bot(tiny_settings, fake) -> QABot:
    return QABot(tiny_settings, fake, FakeCrossEncoder())


def test_a_turn_appends_the_escaped_question_and_the_quoted_answer(bot):
    box, chat, asked = respond(bot, "How much did fish numbers fall?", [], [])
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert "> Fish numbers fell by 40% over ten years\\." in chat[1]["content"]
    assert asked == ["How much did fish numbers fall?"]


def test_follow_up_turn_passes_earlier_questions_as_history(bot):
    _, chat, asked = respond(bot, "What did the Mayor John Roe say?", [], [])
    _, chat, asked = respond(bot, "What did he promise?", chat, asked)
    assert "promised funding" in chat[-1]["content"]
    assert len(asked) == 2


def test_injected_markup_in_a_question_is_shown_as_text(bot):
    _, chat, _ = respond(bot, '<img src=x onerror="alert(1)"> fish', [], [])
    assert "<img" not in chat[0]["content"]
    assert '&lt;img src=x onerror="alert\\(1\\)"&gt;' in chat[0]["content"]


def test_invalid_unicode_and_escapes_in_a_question_never_reach_the_page(bot):
    _, chat, _ = respond(bot, "How much did fish\ud800 numbers fall?\x1b]0;t\x07\x9b2J", [], [])
    page = chat[0]["content"] + chat[1]["content"]
    assert not any(ch in page for ch in "\ud800\x1b\x07\x9b")
    assert "Fish numbers fell by 40%" in chat[1]["content"]


def test_launch_refuses_uploads_behind_a_small_cap():
    kwargs = launch_kwargs(Settings())
    assert kwargs["max_file_size"] == "1kb"
    assert [m.cls.__name__ for m in kwargs["app_kwargs"]["middleware"]] == ["Guard"]


def test_blank_input_changes_nothing(bot):
    assert respond(bot, "   ", [{"role": "user", "content": "x"}], ["x"])[1:] == (
        [{"role": "user", "content": "x"}], ["x"],
    )  # fmt: skip


def test_document_tab_has_section_anchors_and_escapes_corpus_text(tmp_path, fake):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.md").write_text("# Doc\n\n## Part <b>one</b>\n\nText with <script>x()</script>.\n")
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "idx"), fake, FakeCrossEncoder())
    page = document_html(bot.index)
    assert '<h3 id="x-md-part-b-one-b">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "1 documents · 1 passages" in index_status(bot.index)


def test_launch_is_local_and_shares_nothing_by_default():
    kwargs = launch_kwargs(Settings())
    assert kwargs["server_name"] == "127.0.0.1" and kwargs["server_port"] == 7860
    assert kwargs["share"] is False
    assert "allowed_paths" not in kwargs and "auth" not in kwargs


def test_basic_auth_when_configured():
    assert launch_kwargs(Settings(auth="ann:s3cret:x"))["auth"] == ("ann", "s3cret:x")


def test_app_start_refreshes_an_index_made_stale_by_a_corpus_edit(tiny_settings, fake, caplog):
    from qa_bot.index import build_index
    from qa_bot.ui import build_app

    build_index(tiny_settings, fake)
    (tiny_settings.corpus / "new.md").write_text("# New\n\nThe ferry runs every hour.\n")
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    with caplog.at_level("INFO"):
        build_app(bot)
    assert "index needs a build: documents were added or removed" in caplog.text
    assert bot.last_build.added == ("new.md",)
    assert bot.ask("How often does the ferry run?").quotes[0].document == "new.md"


def test_document_tab_shows_parent_headings_once(tiny_settings, fake):
    page = document_html(QABot(tiny_settings, fake, FakeCrossEncoder()).index)
    assert page.count(">Findings</h3>") == 1
    assert '<h4 id="alpha-md-findings-1-fish">1. Fish</h4>' in page
    assert page.index(">Findings</h3>") < page.index(">1. Fish</h4>") < page.index(">2. Birds</h4>")


def test_status_line_and_document_view_follow_a_new_index(bot, tiny_settings):
    status, document, shown = _follow_view(bot, "")
    assert "2 documents" in status and "index current" in status
    assert "Fish numbers fell" in document and shown == bot.index.folder.name
    assert _follow_view(bot, shown)[1] == gr.skip()  # unchanged: the view is not resent
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned.\n")
    bot.refresh()
    status, document, now = _follow_view(bot, shown)
    assert "3 documents" in status and "Otters returned." in document and now != shown


def test_the_page_texts_come_from_settings_then_the_corpus_then_the_titles(tmp_path, fake):
    from qa_bot.ui import welcome

    corpus = write_corpus(tmp_path / "corpus", TINY)
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "i"), fake, FakeCrossEncoder())
    derived = welcome(bot.settings, bot.index)
    assert "2 documents: Alpha Report, Beta Notes" in derived.description
    assert derived.placeholder == "Ask about the documents…" and derived.examples == ()
    (corpus / "qa-bot.json").write_text(
        '{"title": "River Council", "placeholder": "Ask about the river…", '
        '"examples": ["Where did the council meet?", 7]}'
    )
    own = welcome(bot.settings, bot.index)
    assert (own.title, own.placeholder) == ("River Council", "Ask about the river…")
    assert own.examples == ("Where did the council meet?",)
    chosen = welcome(Settings.from_env({"QA_BOT_UI_EXAMPLES": "A?|B?", "QA_BOT_UI_TITLE": "T"},
                                       corpus=corpus), bot.index)  # fmt: skip
    assert (chosen.title, chosen.examples) == ("T", ("A?", "B?"))
    (corpus / "qa-bot.json").write_text("[not an object")
    assert welcome(bot.settings, bot.index).title == "qa_bot — ask the documents"


def test_the_shipped_corpus_keeps_its_page_texts():
    from qa_bot.ui import _welcome_file

    own = _welcome_file(ROOT / "corpus" / "qa-bot.json")
    assert own["placeholder"] == "Ask about the hearing…" and len(own["examples"]) == 7


def test_clearing_the_chat_any_way_forgets_its_questions(bot):
    demo = build_app(bot)
    chat = next(b for b in demo.blocks.values() if isinstance(b, gr.Chatbot))
    by_trigger = {t: f for f in demo.fns.values() for t in f.targets}
    assert (chat._id, "example_select") in by_trigger  # a chip asks at once
    cleared = by_trigger[(chat._id, "clear")]  # the chat's own trash icon
    asked = next(b for b in cleared.outputs if isinstance(b, gr.State))
    assert asked.value == [] and cleared.fn() == []  # ... empties the follow-up history
    assert "share" not in (chat.buttons or [])
