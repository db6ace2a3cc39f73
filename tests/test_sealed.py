"""Damage is never data: the manifest is sealed by its checksum and its ranges must tile the
index, so a flipped bit rebuilds the index instead of corrupting later builds; every JSON
file is read by one loader that names the file and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.index.load import load_index
from qa_bot.index.manifest import MANIFEST, IndexError_, current_folder, stale_reason
from qa_bot.safe_json import JsonFileError, load_json, parse_json, sealed_json
from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus

HARBOUR = "# Harbour\n\nThe harbour master counted 31 fishing boats in March.\n"
PIER = (
    "# Pier\n\nThe pier was rebuilt in 2019.\n\nGulls nest on its north end.\n\n"
    "Closing remarks: the ferry to the island resumes on 4 June.\n"
)


def _built(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": HARBOUR, "pier.md": PIER})
    settings = Settings(corpus=corpus, index=tmp_path / "embeddings")
    build_index(settings, FakeEmbedder())
    return settings


def _manifest(settings: Settings) -> Path:
    return current_folder(settings.index) / MANIFEST


def _edit(settings: Settings, old: bytes, new: bytes) -> None:
    path = _manifest(settings)
    data = path.read_bytes()
    assert data.count(old) == 1, data.decode()
    path.write_bytes(data.replace(old, new))


def _ferry(settings: Settings) -> str:
    bot = QABot(settings, FakeEmbedder(), FakeCrossEncoder())
    answer = bot.ask("When does the ferry to the island resume?", min_confidence=0)
    return answer.quotes[0].text if answer.quotes else ""


def test_a_one_digit_change_in_a_range_is_damage_and_never_reused(tmp_path):
    settings = _built(tmp_path)
    first = json.loads(_manifest(settings).read_text())["documents"]["pier.md"]["passages"][0]
    _edit(settings, f'"passages": [\n        {first},'.encode(),
          f'"passages": [\n        {first - 1},'.encode())  # fmt: skip
    with pytest.raises(IndexError_, match="does not match its checksum"):
        load_index(settings.index)
    assert stale_reason(settings.index, settings, FakeEmbedder().model_id) is not None
    (settings.corpus / "harbour.md").write_text(HARBOUR + "\nThe quay was painted blue.\n")
    report = build_index(settings, FakeEmbedder())
    assert report.full and not report.noop  # rebuilt from the corpus, not reused
    assert "ferry to the island resumes on 4 June" in _ferry(settings)  # the last passage kept


def test_a_flipped_letter_in_a_title_is_damage(tmp_path):
    settings = _built(tmp_path)
    _edit(settings, b'"title": "Pier"', b'"title": "Piet"')
    assert stale_reason(settings.index, settings, FakeEmbedder().model_id) is not None
    assert not build_index(settings, FakeEmbedder()).noop  # never "up to date" over damage
    assert '"title": "Pier"' in _manifest(settings).read_text()


def test_resealed_ranges_that_do_not_tile_the_index_are_refused(tmp_path):
    settings = _built(tmp_path)
    manifest = json.loads(_manifest(settings).read_text())
    del manifest["checksum"]
    manifest["documents"]["pier.md"]["passages"][1] -= 1  # as a bug would write it, sealed
    _manifest(settings).write_text(sealed_json(manifest))
    with pytest.raises(IndexError_, match="inconsistent: the documents' passages add up"):
        load_index(settings.index)
    assert "ferry to the island resumes on 4 June" in _ferry(settings)  # healed on the look


def test_resealed_ranges_that_swap_documents_are_refused(tmp_path):
    settings = _built(tmp_path)
    manifest = json.loads(_manifest(settings).read_text())
    del manifest["checksum"]
    docs = manifest["documents"]
    docs["harbour.md"]["passages"], docs["pier.md"]["passages"] = (
        docs["pier.md"]["passages"], docs["harbour.md"]["passages"],
    )  # fmt: skip
    _manifest(settings).write_text(sealed_json(manifest))
    with pytest.raises(IndexError_, match="does not match its files"):
        load_index(settings.index)


def test_a_manifest_of_the_previous_format_is_stale_by_its_format(tmp_path):
    settings = _built(tmp_path)
    manifest = json.loads(_manifest(settings).read_text())
    del manifest["checksum"]
    manifest["format_version"] = 2
    _manifest(settings).write_text(json.dumps(manifest))
    reason = stale_reason(settings.index, settings, FakeEmbedder().model_id)
    assert reason == "format_version changed (2 -> 3)"
    assert build_index(settings, FakeEmbedder()).full


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b'{"a": "caf\xe9"}', "not UTF-8"),
        (b'{"a": 1', "not valid JSON"),
        (b'{"a": 1}', "carries no checksum"),
        (sealed_json({"a": 1}).replace('"a": 1', '"a": 2').encode(), "does not match"),
    ],
)
def test_every_json_failure_names_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "some.json"
    path.write_bytes(content)
    with pytest.raises(JsonFileError, match=problem) as caught:
        load_json(path, sealed=True)
    assert str(path) in str(caught.value)


def test_a_json_file_too_large_or_missing_is_named(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(["x" * 100] * 100))
    with pytest.raises(JsonFileError, match="too large"):
        load_json(path, max_bytes=1000)
    with pytest.raises(JsonFileError, match="cannot be read"):
        load_json(tmp_path / "missing.json")
    assert load_json(path)[0] == "x" * 100
    assert parse_json(sealed_json({"a": [1, 2.5, "é"]}), "text")["a"] == [1, 2.5, "é"]
