"""The benchmark archive is assembled reproducibly: the needles at its top, the first N
distractor pages in a fixed order, and a record of packages, versions and licences."""

from __future__ import annotations

import json

import pytest

from benchmarks.archive import DISTRACTORS, PACKAGES, assemble, distractor_files

PYTHON_DOCS = PACKAGES["python3.11-doc"]["root"]


@pytest.mark.skipif(not PYTHON_DOCS.is_dir(), reason="python3.11-doc is not installed")
def test_a_small_archive_holds_the_needles_and_the_first_pages_with_their_record(tmp_path):
    record = assemble(tmp_path / "archive", files=3, packages=("python3.11-doc",))
    assert "gpa-trafficking-hearing-2025-06-30.md" in record["needles"]
    pages = sorted((tmp_path / "archive" / DISTRACTORS).rglob("*.html"))
    assert len(pages) == 3 == record["distractor_files"]
    expected = [p.name for p in distractor_files("python3.11-doc")[:3]]
    assert sorted(p.name for p in pages) == sorted(expected)  # the same pages every time
    (package,) = record["packages"]
    assert package["version"] and "PSF" in package["licence"]
    assert json.loads((tmp_path / "archive" / "ARCHIVE.json").read_text()) == record
    again = assemble(tmp_path / "archive", files=1, packages=("python3.11-doc",))  # replaces it
    assert again["distractor_files"] == 1
    assert len(list((tmp_path / "archive" / DISTRACTORS).rglob("*.html"))) == 1


def test_a_smaller_step_built_from_the_largest_index_has_its_vectors_and_embeds_nothing(
    tiny_settings, fake, tmp_path
):
    from benchmarks.reuse import Reusing
    from qa_bot.index.build import build_index
    from qa_bot.index.load import load_index

    build_index(tiny_settings, fake)
    full = load_index(tiny_settings.index)
    one = sorted(p for p in tiny_settings.corpus.rglob("*") if p.is_file())[0]
    step = tiny_settings.with_(corpus=tmp_path / "step", index=tmp_path / "step-index")
    step.corpus.mkdir()
    (step.corpus / one.name).write_bytes(one.read_bytes())
    reusing = Reusing(fake, full)
    before = fake.encoded
    build_index(step, reusing)
    assert reusing.encoded == 0 and fake.encoded == before
    fresh = step.with_(index=tmp_path / "fresh-index")
    build_index(fresh, fake)
    a, b = load_index(step.index), load_index(fresh.index)
    assert [s.text for s in a.sentences] == [s.text for s in b.sentences]
    assert (a.sentence_vectors == b.sentence_vectors).all()
    assert (a.passage_vectors == b.passage_vectors).all()


def test_the_ray_archive_comparison_finds_a_changed_vector_or_text(tiny_settings, fake, tmp_path):
    from benchmarks.ray_archive import compare
    from qa_bot.index.build import build_index
    from qa_bot.index.load import load_index

    build_index(tiny_settings, fake)
    other = tiny_settings.with_(index=tmp_path / "other")
    build_index(other, fake)
    a, b = load_index(tiny_settings.index), load_index(other.index)
    assert compare(a, b)["identical"]
    b.sentence_vectors[0, 0] += 1e-3  # a vector off by more than the tolerance
    assert not compare(a, b)["identical"]
