"""The chat turn handler, the evidence view and the launch options (no server)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

import gradio as gr
import pytest

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.format import citation_url, escape_md
from qa_bot.serve import evidence, ui
from qa_bot.serve.evidence import evidence_html
from qa_bot.serve.server import launch_kwargs
from qa_bot.serve.ui import (
    _follow_view,
    build_app,
    echo,
    open_page,
    reply,
    respond,
    status_record,
)
from tests.conftest import ROOT, TINY, FakeCrossEncoder, write_corpus


def test_a_turn_appends_the_escaped_question_and_the_quoted_answer(bot):
    box, chat, asked, plain = respond(bot, "How much did fish numbers fall?", [], [])
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    # The size of the change asked is marked as the answer phrase.
    assert (
        "> Fish numbers fell by <strong class='answer-phrase'>40&#37;</strong> over ten "
        "years&#46;" in chat[1]["content"]
    )
    assert asked == ["How much did fish numbers fall?"]
    # What "Copy answer" copies: the question, the quote in quotation marks, then section,
    # document and the deep link to the quote.
    assert re.sub(r"\n\((Confident|Uncertain) answer[^)]*\)\n", "\n", plain, count=1).startswith(
        "Q: How much did fish numbers fall?\n\n"
        "[1] “Fish numbers fell by 40% over ten years.” — Findings › 1. Fish, Alpha Report, "
        "alpha.md\n    source: ?doc=alpha.md&start="
    )


def test_the_question_shows_at_once_and_its_answer_follows(bot):
    question = "How much did fish numbers fall?"
    box, chat, pending = echo(question, [])
    assert box == "" and pending == question  # the box is free for the next question
    assert chat == [{"role": "user", "content": escape_md(question)}]
    chat, asked, plain = reply(bot, pending, chat, [])
    assert [m["role"] for m in chat] == ["user", "assistant"] and asked == [question]
    assert "Fish numbers fell" in chat[1]["content"] and plain.startswith(f"Q: {question}")
    assert echo("   ", chat) == ("", chat, "")  # a blank box asks nothing


def test_follow_up_turn_passes_earlier_questions_as_history(bot):
    _, chat, asked, _ = respond(bot, "What did the Mayor John Roe say?", [], [])
    _, chat, asked, _ = respond(bot, "What did he promise?", chat, asked)
    assert "promised funding" in chat[-1]["content"]
    assert len(asked) == 2


def test_injected_markup_in_a_question_is_shown_as_text(bot):
    _, chat, _, _ = respond(bot, '<img src=x onerror="alert(1)"> fish', [], [])
    assert "<img" not in chat[0]["content"]
    assert html.unescape(chat[0]["content"]) == '<img src=x onerror="alert(1)"> fish'


def test_invalid_unicode_and_escapes_in_a_question_never_reach_the_page(bot):
    _, chat, _, _ = respond(bot, "How much did fish\ud800 numbers fall?\x1b]0;t\x07\x9b2J", [], [])
    page = chat[0]["content"] + chat[1]["content"]
    assert not any(ch in page for ch in "\ud800\x1b\x07\x9b")
    assert "Fish numbers fell by 40&#37;" in chat[1]["content"]


def test_launch_refuses_uploads_behind_a_small_cap():
    kwargs = launch_kwargs(Settings())
    assert kwargs["max_file_size"] == "1kb"
    assert [m.cls.__name__ for m in kwargs["app_kwargs"]["middleware"]] == ["Guard"]


def test_blank_input_changes_nothing(bot):
    assert respond(bot, "   ", [{"role": "user", "content": "x"}], ["x"], "kept")[1:] == (
        [{"role": "user", "content": "x"}], ["x"], "kept",
    )  # fmt: skip


def test_evidence_view_has_unique_anchors_and_shows_exact_text(tmp_path, fake):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.md").write_text(
        "# Doc\n\n## Part <b>one</b>\n\nText with <script>x()</script>.\n\n"
        "## Other\n\nIn between.\n\n"
        "## Part <b>one</b>\n\nAgain *not bold* and zebra.example.org/a_b.\n"
    )
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "idx"), fake, FakeCrossEncoder())
    page = evidence_html(bot.index, "x.md")
    anchors = re.findall(r' id="([^"]+)"', page)
    assert len(anchors) == len(set(anchors))  # two sections of one name: two anchors
    assert "x-md-s-part-b-one-b" in anchors and "x-md-s-part-b-one-b-2" in anchors
    assert "<script>" not in page and "<b>" not in page
    assert "Text with <script>x()</script>." in html.unescape(page)
    assert "Again *not bold* and zebra.example.org/a_b." in html.unescape(page)
    assert "Ready: 1 document, 3 sentences, updated just now" in html.unescape(ui.status_line(bot))
    assert "not in the index" in evidence_html(bot.index, "../../etc/passwd")


def test_evidence_view_highlights_the_cited_span(bot):
    quote = bot.ask("How much did fish numbers fall?", min_confidence=0).quotes[0]
    page = evidence_html(bot.index, quote.document, quote.start, quote.end)
    marked = re.search(r'<mark id="quote">(.*?)</mark>', page).group(1)
    assert " ".join(html.unescape(marked).split()) == quote.text
    assert page.count("<mark") == 1  # search hits are the page's (tested in Chromium)
    assert "Findings › 1. Fish" in html.unescape(page)  # where the quote is


def test_launch_is_local_and_shares_nothing_by_default():
    kwargs = launch_kwargs(Settings())
    assert kwargs["server_name"] == "127.0.0.1" and kwargs["server_port"] == 7860
    assert kwargs["share"] is False
    assert "allowed_paths" not in kwargs and "auth" not in kwargs


def test_basic_auth_when_configured():
    assert launch_kwargs(Settings(auth="ann:s3cret:x"))["auth"] == ("ann", "s3cret:x")


def test_app_start_refreshes_an_index_made_stale_by_a_corpus_edit(tiny_settings, fake, caplog):
    from qa_bot.index.build import build_index
    from qa_bot.serve.ui import build_app

    build_index(tiny_settings, fake)
    (tiny_settings.corpus / "new.md").write_text("# New\n\nThe ferry runs every hour.\n")
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    with caplog.at_level("INFO"):
        build_app(bot)
    assert "index needs a build: documents were added or removed" in caplog.text
    assert bot.last_build.added == ("new.md",)
    assert bot.ask("How often does the ferry run?").quotes[0].document == "new.md"


def test_evidence_view_shows_parent_headings_once_with_a_table_of_contents(tiny_settings, fake):
    page = evidence_html(QABot(tiny_settings, fake, FakeCrossEncoder()).index, "alpha.md")
    assert page.count(">Findings</h3>") == 1
    assert '<h4 id="alpha-md-s-findings-1-fish">1&#46; Fish</h4>' in page
    assert page.index(">Findings</h3>") < page.index(">1&#46; Fish</h4>")
    assert '<a href="#alpha-md-s-findings-1-fish">1&#46; Fish</a>' in page  # contents


def test_status_line_and_evidence_view_follow_a_new_index(bot, tiny_settings):
    status, picker, page, listing, ticks, offered, shown = _follow_view(bot, "", None, [], [])
    assert "Ready: 2 documents" in html.unescape(status) and "up to date" in status
    assert "Fish numbers fell" in page and shown == bot.index.folder.name
    assert "Alpha Report" in listing and offered == ["alpha.md", "notes/beta.txt"]
    assert ticks.value == offered  # everything is searched at first
    assert _follow_view(bot, shown, "alpha.md", offered, offered)[2] == gr.skip()  # not resent
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned.\n")
    bot.refresh()
    # The reader had unticked beta: it stays unticked, and the new gamma is ticked.
    status, picker, page, listing, ticks, offered, now = _follow_view(
        bot, shown, "gamma.md", ["alpha.md"], offered
    )
    assert "3 documents" in status and "Otters returned" in page and now != shown
    assert ("Gamma (gamma.md)", "gamma.md") in picker.choices and "Gamma" in listing
    assert ticks.value == ["alpha.md", "gamma.md"] and "notes/beta.txt" in offered


def test_the_status_record_says_whether_the_index_is_the_corpus(bot, tiny_settings):
    record = status_record(bot)
    assert record["state"] == "ready" and record["line"] == "up to date with the documents"
    assert record["documents"] == 2 and record["build"] == bot.index.folder.name
    (tiny_settings.corpus / "gamma.md").write_text("# Gamma\n\nOtters returned.\n")
    assert bot.follow() is True
    assert status_record(bot)["documents"] == 3 and status_record(bot)["build"] != record["build"]


def test_a_deep_link_opens_the_evidence_view_at_the_span_drawn_once(bot, monkeypatch):
    quote = bot.ask("How much did fish numbers fall?", min_confidence=0).quotes[0]
    url = citation_url(quote.document, quote.start, quote.end)
    drawn = []
    monkeypatch.setattr(
        evidence, "evidence_html", lambda *a, **k: drawn.append(a) or evidence_html(*a, **k)
    )
    tabs, status, picker, page, *_, shown = open_page(bot, dict(parse_qsl(url[1:])))
    assert tabs.selected == "evidence" and '<mark id="quote">' in page
    assert picker.value == quote.document and "up to date" in status
    assert shown == bot.index.folder.name and len(drawn) == 1  # not the first document too
    tabs, _, picker, page, *_ = open_page(bot, {})
    assert tabs.selected == "chat" and "Fish numbers fell" in page and "Cited for" not in page
    # Opened from a chip, the link carries the question its answer was for (escaped).
    asked = {**dict(parse_qsl(url[1:])), "q": "How much did <b>fish</b> fall?"}
    page = open_page(bot, asked)[3]
    assert "Cited for: “How much did &#60;b&#62;fish&#60;&#47;b&#62; fall&#63;”" in page
    tabs, _, picker, page, *_ = open_page(bot, {"doc": "nope.md", "start": "x"})
    assert "not in the index" in page and picker.value is None


def test_the_page_texts_come_from_settings_then_the_corpus_then_the_titles(tmp_path, fake):
    from qa_bot.serve.welcome import welcome

    corpus = write_corpus(tmp_path / "corpus", TINY)
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "i"), fake, FakeCrossEncoder())
    derived = welcome(bot.settings, bot.index)
    assert "2 documents: Alpha Report, Beta Notes" in html.unescape(derived.description)
    assert derived.placeholder == "Ask about the documents…" and derived.examples == ()
    assert derived.title == "Alpha Report and 1 more"  # the collection's, not the product's
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
    assert welcome(bot.settings, bot.index).title == "Alpha Report and 1 more"
    (corpus / "qa-bot.json").write_text("[" * 5000 + "]" * 5000)  # too deep to parse
    assert welcome(bot.settings, bot.index).title == "Alpha Report and 1 more"


def test_the_shipped_corpus_keeps_its_page_texts():
    from qa_bot.serve.welcome import _welcome_file

    own = _welcome_file(ROOT / "corpus", "qa-bot.json")
    assert own["placeholder"] == "Ask about the hearing…" and len(own["examples"]) == 7
    assert "Trafficking in Persons" in own["title"]  # the collection's title, on the tab too


def test_a_greeting_or_a_call_for_help_gets_the_help_message_not_a_refusal(bot):
    from qa_bot.serve.welcome import is_small_talk

    for said in ("hello", "Hi there!", "help", "What can you do?", "good morning", "thanks"):
        assert is_small_talk(said), said
    for asked in ("Who said hello?", "What help did the council promise?", "Who is there?"):
        assert not is_small_talk(asked), asked
    chat, asked, plain = reply(bot, "hello", [], [])
    shown = html.unescape(chat[-1]["content"])
    assert "Alpha Report and 1 more" in shown and "word for word" in shown
    assert "don't answer" not in shown and asked == [] and plain == ""


def test_clearing_the_chat_any_way_forgets_its_questions(bot):
    demo = build_app(bot)
    chat = next(b for b in demo.blocks.values() if isinstance(b, gr.Chatbot))
    by_trigger = {t: f for f in demo.fns.values() for t in f.targets}
    assert (chat._id, "example_select") in by_trigger  # a chip asks at once
    cleared = by_trigger[(chat._id, "clear")]  # the chat's own trash icon
    asked = next(b for b in cleared.outputs if isinstance(b, gr.State))
    assert asked.value == [] and cleared.fn()[0] == []  # ... empties the follow-up history
    assert not chat.buttons  # no share button, no copy of the message's markup


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [(9000, 100, "ends before it starts"), (10, 10**7, "outside this document"),
     (-5, 20, "outside this document"), (10, None, "only one end")],
)  # fmt: skip
def test_a_deep_link_with_a_span_the_document_cannot_have_says_so(bot, start, end, says):
    query = {"doc": "alpha.md", "start": str(start)} | ({"end": str(end)} if end else {})
    page = open_page(bot, query)[3]
    assert says in html.unescape(page) and "<mark" not in page
    assert "Fish numbers fell" in page  # the document is still shown


def test_a_span_across_passages_has_one_element_with_the_quote_id(tiny_settings, fake):
    (tiny_settings.corpus / "long.md").write_text(
        "# Long\n\n" + "\n\n".join(f"Paragraph {n} says something about otters." for n in range(6))
    )
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    text = bot.index.texts["long.md"]
    page = evidence_html(bot.index, "long.md", 8, len(text))
    passages = bot.index.passages_of("long.md")
    assert len(passages) > 1
    assert page.count('id="quote"') == 1 and 'class="quote"' in page


def test_the_table_of_contents_leaves_numbering_to_the_headings(tiny_settings, fake):
    (tiny_settings.corpus / "nums.md").write_text(
        "# Report\n\n## Findings\n\nIntro text.\n\n### 1. Provide care\n\nCare text.\n"
    )
    bot = QABot(tiny_settings, fake, FakeCrossEncoder())
    page = evidence_html(bot.index, "nums.md")
    toc = re.search(r'<nav class="toc">(.*?)</nav>', page).group(1)
    assert "<ol" not in toc and toc.startswith("<ul>")
    assert '<li class="toc-0"><a href="#nums-md-s-findings">Findings' in toc
    assert 'class="toc-1"><a href="#nums-md-s-findings-1-provide-care">' in toc  # indented


def test_the_status_line_speaks_plainly_in_every_state(bot):
    from datetime import datetime, timedelta

    from qa_bot.index.freshness import Status, skipped_note

    built = datetime.fromisoformat(bot.index.built_at)
    later = built + timedelta(minutes=2, seconds=5)
    assert "updated 2 minutes ago; up to date with the documents" in html.unescape(
        ui.status_line(bot, later)
    )
    assert "updated 1 hour ago" in ui.status_line(bot, built + timedelta(minutes=61))
    bot.status = Status("building", "3/10 documents")
    assert "Updating the index (3/10 documents); answering from 2 documents" in html.unescape(
        ui.status_line(bot)
    )
    bot.status = Status("failed", "the disk is full")
    assert "The last update failed: the disk is full. Answering from" in html.unescape(
        ui.status_line(bot)
    )
    note = skipped_note(("scan.pdf: no text layer; skipped", "b.pdf: encrypted; skipped"))
    assert note == "scan.pdf: no text layer; skipped (and 1 more file skipped)"
    bot.status = Status("ready", note)
    line = html.unescape(ui.status_line(bot))
    assert "up to date with the documents. scan.pdf: no text layer; skipped" in line
    assert "T" not in line.split("updated")[1][:12]  # no ISO timestamp
