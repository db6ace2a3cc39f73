"""PDF, HTML and Word documents: text, sections, pages; bad files named and skipped."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.format import answer_to_text
from qa_bot.index.build import build_index
from qa_bot.ingest.corpus import DocumentError, load_document
from tests.conftest import FakeCrossEncoder, write_corpus

PAGE_1 = "The lighthouse keepers met in Brest on 2 March 2023. They agreed to repaint the tower."
PAGE_2 = "Repairs of the lens will cost 40,000 euros. The work ends before winter."
PAGE_3 = "Dr. Lena Ross, Head of the Coast Office, said the beacon must stay lit every night."


def make_pdf(pages: list[str], title: str = "", password: str = "") -> bytes:
    """A text PDF, one page per entry (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


def make_docx(paragraphs: list[tuple[str, str]], title: str = "") -> bytes:
    """A Word file from (style, text) pairs (python-docx)."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for style, text in paragraphs:
        if style.startswith("Heading") or style == "Title":
            level = 0 if style == "Title" else int(style.split()[1])
            document.add_heading(text, level=level)
        else:
            document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "The table says the harbour opens at dawn."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML = """<!doctype html><html><head><title>Harbour news</title>
<style>p { color: red }</style><script>var secret = "tracking-code";</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<header>Site banner text</header>
<main><h1>Harbour Report</h1>
<p>The harbour board met in Porto on 4 June 2024. It voted to dredge the eastern channel.</p>
<h2>Budget</h2><p>Dredging will cost <b>2 million</b> euros &amp; take&nbsp;six weeks.</p>
<ul><li>Ms. Ana Silva, Chair of the Board, said the work starts in autumn.</li></ul>
<div hidden>Hidden draft text</div></main>
<aside>Related stories</aside><footer>Copyright footer</footer></body></html>"""


def test_pdf_text_is_indexed_with_page_numbers(tmp_path):
    corpus = write_corpus(tmp_path, {"keepers.pdf": make_pdf([PAGE_1, PAGE_2, PAGE_3],
                                                            title="Lighthouse Minutes")})  # fmt: skip
    doc = load_document(corpus, "keepers.pdf")
    assert doc.title == "Lighthouse Minutes"
    assert len(doc.pages) == 3
    texts = [s.text for s in doc.sentences]
    assert "Repairs of the lens will cost 40,000 euros." in texts
    lens = next(s for s in doc.sentences if s.text.startswith("Repairs"))
    assert doc.pages[1] <= lens.start < doc.pages[2]  # on page 2
    assert any(p.speaker and p.speaker.startswith("Dr. Lena Ross") for p in doc.passages)


def test_html_main_text_and_headings_without_scripts_or_navigation(tmp_path):
    corpus = write_corpus(tmp_path, {"news.html": HTML})
    doc = load_document(corpus, "news.html")
    assert doc.title == "Harbour Report"
    sections = {p.section for p in doc.passages}
    assert "Budget" in sections
    everything = doc.text
    for gone in ("tracking-code", "color: red", "Home", "About us", "Site banner", "Related",
                 "Copyright", "Hidden draft"):  # fmt: skip
        assert gone not in everything
    assert "Dredging will cost 2 million euros & take six weeks." in everything
    assert any(p.speaker and p.speaker.startswith("Ms. Ana Silva") for p in doc.passages)


def test_html_without_main_keeps_the_body_and_uses_the_title(tmp_path):
    page = "<html><head><title>Notice</title></head><body><p>The ferry stops on Sundays.</p>"
    corpus = write_corpus(tmp_path, {"n.htm": page.encode("cp1252")})
    doc = load_document(corpus, "n.htm")
    assert doc.title == "Notice" and doc.sentences[0].text == "The ferry stops on Sundays."


def test_html_heading_set_on_several_lines_is_one_heading_and_an_opinions_author_speaks(tmp_path):
    page = (
        "<html><body><center><h1>MALLOY<br>v.<br>HOGAN, SHERIFF.</h1></center>"
        "<p>MR. JUSTICE BRENNAN delivered the opinion of the Court.</p>"
        "<p>We reverse the judgment.</p></body></html>"
    )
    corpus = write_corpus(tmp_path, {"o.html": page})
    doc = load_document(corpus, "o.html")
    assert doc.title == "MALLOY v. HOGAN, SHERIFF."
    court = "MR. JUSTICE BRENNAN, delivered the opinion of the Court"
    assert (court, "We reverse the judgment.") in {(s.speaker, s.text) for s in doc.sentences}


def test_html_preformatted_record_keeps_its_lines_so_its_speakers_are_found(tmp_path):
    page = (
        "<html><head><title>Record</title></head><body><pre>\n"
        "  Mr. DODD. Mr. President, the judge ruled on the water case.\n"
        "  The PRESIDING OFFICER (Mr. Cornyn). Without objection.\n"
        "  Mr. DODD. I thank the Chair.\n"
        "  Mrs. BOXER. I yield the floor.\n</pre></body></html>"
    )
    corpus = write_corpus(tmp_path, {"r.htm": page})
    doc = load_document(corpus, "r.htm")
    said = {(s.speaker, s.text) for s in doc.sentences}
    assert ("Mr. DODD", "I thank the Chair.") in said
    assert ("Mrs. BOXER", "I yield the floor.") in said


def test_docx_paragraphs_headings_and_tables(tmp_path):
    raw = make_docx([("Title", "Canal Plan"), ("Normal", PAGE_1), ("Heading 1", "Costs"),
                     ("Normal", PAGE_2)])  # fmt: skip
    corpus = write_corpus(tmp_path, {"plan.docx": raw})
    doc = load_document(corpus, "plan.docx")
    assert doc.title == "Canal Plan"
    lens = next(s for s in doc.sentences if s.text.startswith("Repairs"))
    assert lens.section == "Costs"
    assert "The table says the harbour opens at dawn." in [s.text for s in doc.sentences]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("scan.pdf", lambda: make_pdf(["", ""]), "no text layer"),
        ("locked.pdf", lambda: make_pdf([PAGE_1], password="secret"), "encrypted"),
        ("broken.pdf", lambda: b"%PDF-1.7\nthis is not really a pdf", "not a readable PDF"),
        ("broken.docx", lambda: b"PK\x03\x04 not a zip", "not a readable Word"),
        ("empty.html", lambda: "<html><script>x()</script><nav>Menu</nav></html>", "no text"),
    ],
)
def test_bad_files_are_named_skipped_and_the_rest_indexed(tmp_path, fake, name, content, problem):
    corpus = write_corpus(tmp_path / "corpus", {name: content(), "good.md": "# Good\n\nFine text."})
    with pytest.raises(DocumentError, match=problem):
        load_document(corpus, name)
    report = build_index(Settings(corpus=corpus, index=tmp_path / "index"), fake)
    assert report.documents == 1
    assert any(name in p and problem in p for p in report.problems)


def test_answers_from_each_format_cite_verbatim_text_and_pdf_pages(tmp_path, fake):
    corpus = write_corpus(tmp_path / "corpus", {
        "keepers.pdf": make_pdf([PAGE_1, PAGE_2, PAGE_3]),
        "news.html": HTML,
        "plan.docx": make_docx([("Title", "Canal Plan"), ("Normal", "The canal reopens in May.")]),
    })  # fmt: skip
    bot = QABot(Settings(corpus=corpus, index=tmp_path / "index"), fake, FakeCrossEncoder())
    for question, document, expected in [
        ("How much will repairs of the lens cost?", "keepers.pdf", "40,000 euros"),
        ("How much will dredging cost?", "news.html", "2 million"),
        ("When does the canal reopen?", "plan.docx", "reopens in May"),
    ]:
        quote = bot.ask(question, min_confidence=0).quotes[0]
        assert quote.document == document and expected in quote.text
        assert bot.is_verbatim(quote)
        stored = bot.index.texts[document]
        assert " ".join(stored[quote.start : quote.end].split()) == quote.text
        if document == "keepers.pdf":
            assert quote.page == 2
            assert "p. 2" in answer_to_text(bot.ask(question, min_confidence=0))
        else:
            assert quote.page is None
    stored = [json.loads(line) for line in
              (bot.index.folder / "documents.jsonl").read_text().splitlines()]  # fmt: skip
    assert {d["document"] for d in stored} == {"keepers.pdf", "news.html", "plan.docx"}


def test_fixture_files_stay_small(tmp_path: Path):
    sizes = [len(make_pdf([PAGE_1, PAGE_2, PAGE_3])), len(HTML), len(make_docx([("Normal", "x")]))]
    assert max(sizes) < 40_000
