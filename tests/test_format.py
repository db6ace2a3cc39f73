"""The chat formatting function: citations, escaping, refusal layout."""

import html
import re

from qa_bot.format import answer_to_markdown, answer_to_text, escape_md
from qa_bot.types import Answer, Quote


def quote(text="Fish fell by 40%.", speaker=None, context=None) -> Quote:
    return Quote(
        text=text, document="alpha.md", start=10, end=10 + len(text),
        section="Findings › 1. Fish", speaker=speaker, score=0.8,
        context=context or f"Before. {text} After.", title="Alpha Report",
    )  # fmt: skip


def test_quotes_are_block_quotes_with_numbered_citations():
    md = answer_to_markdown(Answer("q", True, (quote(), quote("Birds rose."))))
    assert md.count("\n> ") + md.startswith("> ") == 2
    # Each citation links to the evidence view at the quoted span (a deep link).
    assert '<a href="?doc=alpha.md&amp;start=10&amp;end=27" target="_blank"' in md
    # A numbered chip right after each quote, named for screen readers by its source.
    assert "Fish fell by 40&#37;&#46; <a href=" in md
    assert "</span>1<span" in md and "</span>2<span" in md
    chip = md.split('class="cite"', 1)[1].split("</a>", 1)[0]
    spoken = html.unescape(re.sub(r"<[^>]+>", "", chip.split(">", 1)[1]))
    assert spoken == "source 1: Alpha Report › Findings › 1. Fish"  # its accessible name
    assert "Alpha Report" in md and "Findings › 1&#46; Fish" in md
    # One line of metadata under the quote; file and characters behind the toggle.
    meta = md.split('class="cite-meta">', 1)[1].split("</small>", 1)[0]
    assert "alpha" not in meta.replace("Alpha", "") and "characters" not in meta
    details = md.split("<summary>Context [1]</summary>", 1)[1].split("</details>", 1)[0]
    assert "characters 10–27" in details and "alpha&#46;md" in details
    assert "<mark>Fish fell by 40&#37;&#46;</mark>" in md


def test_speaker_is_shown_with_the_quote():
    md = answer_to_markdown(Answer("q", True, (quote(speaker="Ms. Jane Doe, Director"),)))
    assert "**Ms&#46; Jane Doe&#44; Director**" in md


def test_refusal_says_so_and_lists_related_separately():
    md = answer_to_markdown(
        Answer(
            "q",
            False,
            related=(quote(),),
            message="The documents don't answer this question.",
            lacks="no place is named",
        )
    )
    assert md.startswith("**The documents don&#39;t answer this question&#46;**")
    assert 'Possibly relevant (not an answer: <span class="lacks">no place is named</span>)' in md
    # Related text is never dressed as a quoted answer (no block quote).
    assert not [line for line in md.splitlines() if line.startswith(">")]
    assert md.index("Possibly relevant") < md.index("“Fish fell by 40&#37;&#46;”")
    assert 'class="cite related"' in md and "source </span>1<" in md  # each links to its source


def test_the_three_outcomes_are_named_in_json():
    assert Answer("q", True, (quote(),)).to_dict()["outcome"] == "answer"
    assert Answer("q", False, related=(quote(),)).to_dict()["outcome"] == "possibly_relevant"
    assert Answer("q", False).to_dict()["outcome"] == "not_found"


def test_the_answer_phrase_is_marked_in_markdown_text_and_json():
    q = quote("The forum met in Vienna in May.")
    q = Quote(**{**q.__dict__, "answer_start": 17, "answer_end": 23})
    assert q.answer_phrase == "Vienna" and q.to_dict()["answer_phrase"] == "Vienna"
    md = answer_to_markdown(Answer("Where did the forum meet?", True, (q,)))
    assert "<strong class='answer-phrase'>Vienna</strong>" in md
    assert "answer: Vienna" in answer_to_text(Answer("Where?", True, (q,)))


def test_html_script_and_markdown_links_in_corpus_text_are_literal():
    evil = "<script>alert(1)</script> <img src=x onerror=alert(2)> <style>*{}</style> [a](http://x)"
    md = answer_to_markdown(Answer("q", True, (quote(evil, context=evil),)))
    for raw in ("<script", "<img", "<style", "](http"):
        assert raw not in md
    assert evil in html.unescape(md)  # shown as exactly these characters


def test_escape_md_neutralises_markdown_syntax():
    assert escape_md("# Title *bold* `code` $x$") == (
        "&#35; Title &#42;bold&#42; &#96;code&#96; &#36;x&#36;"
    )
    tricky = r"zebra.example.org/path_with_underscores \* [link](http://evil) &amp; <b>"
    assert html.unescape(escape_md(tricky)) == tricky


def test_cli_text_has_quotes_and_citations():
    text = answer_to_text(Answer("q", True, (quote(speaker="Mr. X, Mayor"),)))
    assert '[1] "Fish fell by 40%."' in text
    assert "Alpha Report › Findings › 1. Fish — Mr. X, Mayor" in text
    assert "alpha.md, characters 10-27" in text


def test_highlight_keeps_the_space_before_the_quoted_sentence():
    md = answer_to_markdown(Answer("q", True, (quote("Fish fell.", context="Before. Fish fell."),)))
    assert "Before&#46; <mark>Fish fell&#46;</mark>" in md


def test_an_answer_says_how_likely_its_first_quote_answers():
    answer = Answer("q", True, (quote(),), confidence=0.874)
    assert "chance that [1] answers the question: 87%" in answer_to_markdown(answer)
    assert "chance that [1] answers the question: 87%" in answer_to_text(answer)
    refusal = Answer("q", False, message="The documents don't answer this question.")
    assert "chance" not in answer_to_markdown(refusal) + answer_to_text(refusal)


def test_an_answer_is_labelled_confident_or_uncertain_in_chat_cli_and_clipboard():
    from qa_bot.format import CERTAINTY, answer_to_plain

    sure = Answer("q", True, (quote(),), confidence=0.97, certainty="confident")
    unsure = Answer("q", True, (quote(),), confidence=0.41, certainty="uncertain")
    md_sure, md_unsure = answer_to_markdown(sure), answer_to_markdown(unsure)
    assert '<p class="certainty confident">' in md_sure and "Confident answer" in md_sure
    assert '<p class="certainty uncertain">' in md_unsure
    assert "Uncertain answer: check the source" in md_unsure
    assert md_unsure.index("Uncertain answer") < md_unsure.index("\n> ")  # before the quotes
    assert answer_to_text(unsure).splitlines()[0] == CERTAINTY["uncertain"]
    assert "(Uncertain answer: check the source" in answer_to_plain(unsure)
    assert sure.to_dict()["certainty"] == "confident"
    refusal = Answer("q", False, message="No.")
    assert "certainty" not in answer_to_markdown(refusal) and refusal.to_dict()["certainty"] == ""


def test_plain_text_for_copying_names_speaker_section_document_and_page():
    from dataclasses import replace

    from qa_bot.format import answer_to_plain

    q = replace(quote(speaker="Ms. Jane Doe, Director"), page=3, document="minutes.pdf")
    assert answer_to_plain(Answer("How far did fish fall?", True, (q,))) == (
        "Q: How far did fish fall?\n\n"
        "[1] “Fish fell by 40%.” — Ms. Jane Doe, Director, Findings › 1. Fish, Alpha Report, "
        f"minutes.pdf, p. 3\n    source: ?doc=minutes.pdf&start={q.start}&end={q.end}"
    )
    assert answer_to_plain(Answer("q", False, message="No.")) == "Q: q\n\nNo."
