"""The collection's documents as listed for a reader, and questions held to some of them:
from Python, the CLI and the chat's JSON endpoint, with unknown names refused by name."""

from __future__ import annotations

import pytest

from qa_bot.index.sources import UnknownDocumentError, chosen, skipped, sources
from tests.conftest import write_corpus


def test_sources_list_each_document_with_format_sections_passages_and_time(bot):
    listed = {s.document: s for s in sources(bot.index, bot.settings.corpus)}
    assert set(listed) == {"alpha.md", "notes/beta.txt"}
    alpha, beta = listed["alpha.md"], listed["notes/beta.txt"]
    assert (alpha.title, alpha.format, beta.format) == ("Alpha Report", "Markdown", "Text")
    assert alpha.sections >= 3 and alpha.passages >= 4 and beta.passages >= 1
    assert alpha.updated[:4].isdigit() and "T" in alpha.updated


def test_skipped_files_are_listed_with_their_reason(bot):
    write_corpus(bot.settings.corpus, {"scan.pdf": b"not a pdf at all"})
    bot.refresh()
    (gone,) = skipped(bot.index)
    assert gone.document == "scan.pdf" and gone.reason


def test_a_document_is_named_by_path_file_stem_or_title_in_any_case(bot):
    index = bot.index
    for name in ("notes/beta.txt", "beta.txt", "BETA", "beta notes", " Beta  Notes "):
        assert chosen(index, [name]) == {"notes/beta.txt"}, name
    assert chosen(index, ["alpha", "beta"]) == {"alpha.md", "notes/beta.txt"}
    assert chosen(index, None) is None


def test_an_unknown_document_is_refused_naming_the_known_ones(bot):
    with pytest.raises(UnknownDocumentError) as err:
        chosen(bot.index, ["alpha", "gamma.md"])
    text = str(err.value)
    assert "'gamma.md'" in text and "alpha.md" in text and "notes/beta.txt" in text
    assert "'alpha'" not in text  # the name that is known is not blamed
    with pytest.raises(UnknownDocumentError, match="no document was named; the documents: "):
        chosen(bot.index, [])  # asked to search nothing: not silently everything
    with pytest.raises(ValueError, match="no document 'gamma'"):
        bot.ask("Who is the mayor?", documents=["gamma"])


def test_a_question_held_to_one_document_quotes_only_it_and_says_so(bot):
    everywhere = bot.ask("Who thanked the council?", min_confidence=0)
    assert everywhere.documents == () and not any("Searched" in n for n in everywhere.notes)
    held = bot.ask("Who thanked the council?", min_confidence=0, documents=["alpha.md"])
    shown = held.quotes + held.related
    assert shown and all(q.document == "alpha.md" for q in shown)
    assert held.documents == ("alpha.md",)
    assert "Searched 1 of 2 documents: alpha.md." in held.notes
    data = held.to_dict()
    assert data["documents"] == ["alpha.md"]
    other = bot.ask("Who thanked the council?", min_confidence=0, documents=["Beta Notes"])
    assert other.quotes and all(q.document == "notes/beta.txt" for q in other.quotes)


def test_a_follow_up_stays_in_the_chosen_documents(bot):
    answer = bot.ask("What did he promise?", history=["Who thanked the council?"],
                     min_confidence=0, documents=["alpha"])  # fmt: skip
    assert all(q.document == "alpha.md" for q in answer.quotes + answer.related)
