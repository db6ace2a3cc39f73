"""Parsing of the shipped document and of small inline documents."""

from __future__ import annotations

import pytest

from qa_bot.ingest.corpus import DocumentError, decode, parse_document
from qa_bot.ingest.listing import list_documents
from qa_bot.ingest.speakers import detect_speaker
from tests.conftest import SHIPPED

KM = "Key Messages and Recommendations for the 2025 Political Declaration"


@pytest.fixture(scope="module")
def doc():
    text = SHIPPED.read_text(encoding="utf-8")
    return parse_document(SHIPPED.name, text)


def fold(text: str) -> str:
    return " ".join(text.split())


def test_title_is_the_unpunctuated_first_line(doc):
    assert doc.title.startswith("Summary of the informal interactive multi-stakeholder hearing")


@pytest.mark.parametrize(
    ("text", "title", "first"),
    [
        # A plain-text title block: the lines under the title are text, so quotable.
        (
            "      Apache License\n    Version 2.0, January 2004\n  http://example.org/\n\nBody.",
            "Apache License",
            "Version 2.0, January 2004 http://example.org/",
        ),
        # A title that runs on into the next line is one title.
        ("Summary of the hearing on\ntrafficking in persons\n\nBody.", None, "Body."),
        ("A report by the council\nand its members\n\nBody.", None, "Body."),
        ("A Title\n\nBody.", "A Title", "Body."),
        # A first line that ends a sentence inside it is prose, never hidden as a title.
        (
            "Guido van Rossum is the\noriginal creator of IDLE.  Other contributors include\n"
            "Mark Hammond.\n\nBody.",
            "credits",
            "Guido van Rossum is the original creator of IDLE. Other contributors include "
            "Mark Hammond.",
        ),
        # A reStructuredText title stands between two rules.
        ("=====\nA guide to masked arrays\n=====\n\nBody.", "A guide to masked arrays", "Body."),
    ],
)
def test_a_plain_text_title_is_its_first_line_and_the_lines_continuing_it(text, title, first):
    doc = parse_document("credits.txt", text)
    assert doc.title == (title or " ".join(text.split("\n\n")[0].split()))
    assert doc.passages[0].text == first


@pytest.mark.parametrize("name", ["licence.txt", "licence.md"])
def test_setext_headings_are_headings_and_their_underlines_are_never_quoted(name):
    text = (
        "Mozilla Public License Version 2.0\n==================================\n\n"
        "1. Definitions\n--------------\n\n1.1. A Contributor creates software.\n\n"
        "2. Grants\n---------\nEach Contributor grants You a licence.\n"
    )
    doc = parse_document(name, text)
    assert doc.title == "Mozilla Public License Version 2.0"
    assert [(p.section, p.text) for p in doc.passages] == [
        ("1. Definitions", "1.1. A Contributor creates software."),
        ("2. Grants", "Each Contributor grants You a licence."),
    ]
    # A rule under a paragraph of several lines, or a short one, is not an underline.
    doc = parse_document(name, "Title\n\nOne line\nand another\n---\n\nA -- B\n--\n")
    assert [p.section for p in doc.passages] == ["", ""]


def test_sections_follow_numbering_not_inconsistent_heading_levels(doc):
    sections = list(dict.fromkeys(p.section for p in doc.passages))
    assert sections[0] == ""  # the date line sits under the title
    assert sections[1:4] == ["Introduction", "Opening segment", "Panel Discussion"]
    numbered = [s for s in sections if s.startswith(KM + " › ")]
    # "## 1.", "# 2.", "### 3.", "# 4." ... are all siblings under Key Messages
    assert [s.split(" › ")[1].split(".")[0] for s in numbered] == [str(i) for i in range(1, 9)]
    assert f"{KM} › 3. Recognize emerging forms of trafficking in persons" in sections
    assert sections[-1] == "Closing remarks"  # "####" after the list is not a child of 8.


def test_bold_markers_are_stripped_from_headings(doc):
    assert not any("**" in p.section for p in doc.passages)


@pytest.mark.parametrize(
    "before, after",
    [
        ("over the past 15 years in", "shaping collective anti-trafficking efforts"),
        ("such as poverty,", "reform global immigration systems"),
        ("artificial intelligence to create", "child sexual abuse material"),
        ("gender inequality and other", "causes. Participants stressed"),
        ("It was stressed that Member", "States should harmonise legal frameworks"),
    ],
)
def test_page_breaks_are_repaired_into_one_paragraph(doc, before, after):
    joined = f"{before} {after}"
    holders = [p for p in doc.passages if joined in p.text]
    assert len(holders) == 1
    assert "\n\n" in doc.text[holders[0].start : holders[0].end]


def test_exactly_the_five_page_breaks_are_merged(doc):
    merged = [p for p in doc.passages if "\n\n" in doc.text[p.start : p.end]]
    assert len(merged) == 5


def test_every_passage_and_sentence_is_the_text_at_its_offsets(doc):
    for unit in (*doc.passages, *doc.sentences):
        assert fold(doc.text[unit.start : unit.end]) == unit.text
    for p in doc.passages:
        assert fold(" ".join(doc.sentences[i].text for i in p.sentence_ids)) == p.text


def test_no_sentence_is_cut_at_a_title(doc):
    for s in doc.sentences:
        assert not s.text.endswith(("H.E.", "Ms.", "Mr.")), s.text


SPEAKERS = {
    "H.E. Philemon Yang": "President of the General Assembly",
    "Ms. Ghada Fathi Waly": "Executive Director of UNODC and Director-General of UNOV",
    "Mr. Pär Liljert": "Director of the International Organization for Migration (IOM) "
    "Office to the UN in New York",
    "Ms. Siobhán Mullally": "Special Rapporteur on trafficking in persons",
    "Ms. Evelyn Chumbow": "Survivor of trafficking in persons, and Advocacy and Survivors "
    "Leadership Program Director at The Human Trafficking Legal Centre",
    "Ms. Catherine Kirkendall": "Executive Director of the US Office at Hagar International",
    "Mr. Colin Ward": "Engagement Lead of Marinus Analytics in UK and Europe",
    "H.E. Ms. Maria Michail": "Permanent Representative of the Republic of Cyprus",
    "H.E. Mr. Jonibek Hikmat": "Permanent Representative of the Republic of Tajikistan",
}


@pytest.mark.parametrize("name, role", SPEAKERS.items())
def test_speaker_paragraphs_are_attributed_with_name_and_role(doc, name, role):
    paragraphs = [p for p in doc.passages if p.text.startswith(name)]
    assert len(paragraphs) == 1
    assert paragraphs[0].speaker == f"{name}, {role}"
    for sid in paragraphs[0].sentence_ids:
        assert doc.sentences[sid].speaker == paragraphs[0].speaker


def test_paragraphs_without_a_speaker_opening_have_none(doc):
    attributed = {p.speaker for p in doc.passages if p.speaker}
    assert len(attributed) == len(SPEAKERS)
    moderator = next(p for p in doc.passages if "moderated by Ms. Delphine Schantz" in p.text)
    assert moderator.speaker is None  # she is named, but the paragraph is not her statement


def test_detect_speaker_rejects_ordinary_openings():
    assert detect_speaker("The President of the General Assembly convened the hearing.") is None
    assert detect_speaker("Many participants emphasised the role of civil society.") is None
    assert detect_speaker("Dr. Ann Lee, Chief Economist, argued for reform.") == (
        "Dr. Ann Lee, Chief Economist"
    )


def test_long_paragraphs_are_split_into_passages_within_the_limit():
    para = " ".join(f"Sentence number {i} talks about rivers." for i in range(60))
    doc = parse_document("long.md", f"# T\n\n{para}\n", max_passage_chars=300)
    assert len(doc.passages) > 5
    assert all(p.end - p.start <= 300 for p in doc.passages)
    assert sum(len(p.sentence_ids) for p in doc.passages) == 60


def test_list_documents_finds_every_format_recursively_and_skips_hidden(tmp_path):
    for name in ["a.md", "sub/b.txt", "c.pdf", ".hidden/d.md", "e.MD", "f.htm", "g.docx",
                 "h.odt", "i.md.bak"]:  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert list_documents(tmp_path) == ["a.md", "c.pdf", "e.MD", "f.htm", "g.docx", "sub/b.txt"]
    assert list_documents(tmp_path / "missing") == []


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at offset 3)"),
    ],
)
def test_unusable_files_get_a_message_naming_file_and_problem(raw, message):
    with pytest.raises(DocumentError, match=r"bad\.md") as err:
        decode(raw, "bad.md")
    assert message in str(err.value)


def test_a_bom_is_not_part_of_the_text():
    assert decode(b"\xef\xbb\xbfHello.", "x.md") == "Hello."
