"""Fault injection through the real command line (real model): hostile files beside a good
one, an unreadable pointer to the live build, a damaged question encoder, hostile batch
lines, a closed or full standard output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa_bot.index.manifest import CURRENT, MANIFEST, current_folder
from qa_bot.index.query_encoder import FOLDER as QUERY_ENCODER
from tests.conftest import ROOT, write_corpus
from tests.faults import compression_bomb, empty_paragraphs_docx, page_tree_bomb

pytestmark = pytest.mark.integration
CLI = [sys.executable, "-m", "qa_bot"]
GOOD = "# Harbour\n\nThe harbour master counted 31 fishing boats in March.\n"
QUESTION = "How many fishing boats did the harbour master count?"
TIMEOUT_S = 600  # generous: a busy machine must not fail these


@pytest.fixture(scope="module")
def harbour(tmp_path_factory) -> dict[str, str]:
    """A corpus of one good document, built once with the real model; its environment."""
    root = tmp_path_factory.mktemp("harbour")
    corpus = write_corpus(root / "corpus", {"harbour.md": GOOD})
    env = {**os.environ, "QA_BOT_CORPUS": str(corpus), "QA_BOT_INDEX": str(root / "index"),
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    _run(["build"], env, check=True)
    return env


def _copy(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A private copy of the built corpus and index, so a test may damage it."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(env["QA_BOT_CORPUS"], corpus)
    shutil.copytree(env["QA_BOT_INDEX"], index, ignore=shutil.ignore_patterns(".lock"))
    return {**env, "QA_BOT_CORPUS": str(corpus), "QA_BOT_INDEX": str(index)}


def _run(args: list[str], env: dict[str, str], check: bool = False, **kw):
    done = subprocess.run([*CLI, *args], env=env, cwd=ROOT, capture_output=True,
                          timeout=TIMEOUT_S, **kw)  # fmt: skip
    assert b"Traceback" not in done.stderr, done.stderr.decode()[-2000:]
    if check:
        assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done


def _answer(env: dict[str, str]) -> dict:
    done = _run(["ask", "--json", QUESTION], env, check=True)
    return json.loads(done.stdout)


def test_hostile_files_beside_a_good_one_are_named_and_the_good_one_answers(harbour, tmp_path):
    env = _copy(harbour, tmp_path)
    corpus = Path(env["QA_BOT_CORPUS"])
    (corpus / "tree.pdf").write_bytes(page_tree_bomb())
    (corpus / "bomb.pdf").write_bytes(compression_bomb())
    (corpus / "empty.docx").write_bytes(empty_paragraphs_docx())
    (corpus / "orchard.md").write_text("# Orchard\n\nThe orchard gave 12,400 crates of apples.\n")
    done = _run(["build"], env, check=True)
    said = done.stdout.decode() + done.stderr.decode()
    for name in ("tree.pdf", "bomb.pdf", "empty.docx"):
        assert f"{name}:" in said and "skipped" in said
    answer = json.loads(
        _run(["ask", "--json", "How many crates of apples?"], env, check=True).stdout
    )
    assert answer["found"] and "12,400" in answer["quotes"][0]["text"]


@pytest.mark.parametrize("damage", [b"\xff\xfe\x80garbled\n", b"", b"build-does-not-exist\n"])
def test_an_unreadable_pointer_to_the_live_build_heals_through_the_cli(harbour, tmp_path, damage):
    env = _copy(harbour, tmp_path)
    (Path(env["QA_BOT_INDEX"]) / CURRENT).write_bytes(damage)
    answer = _answer(env)
    assert answer["found"] and "31 fishing boats" in answer["quotes"][0]["text"]


def damage_index_file(index: Path, which: str, how: str) -> None:
    """Make the live build's pointer or manifest unreadable: bad bytes, another encoding
    (UTF-16 of the same JSON), or a directory in its place."""
    path = index / CURRENT if which == "pointer" else current_folder(index) / MANIFEST
    original = path.read_bytes()
    path.unlink()
    if how == "directory":
        path.mkdir()
    elif how == "utf-16":
        path.write_bytes(original.decode("utf-8").encode("utf-16"))
    elif how == "nested":  # valid JSON, too deep for the parser's recursion
        path.write_text("[" * 5000 + "]" * 5000)
    else:
        path.write_bytes(b"\xff\xfe\x80" + original[3:])


INDEX_DAMAGE = [
    (w, h) for w in ("pointer", "manifest") for h in ("bad-bytes", "utf-16", "directory")
] + [("manifest", "nested")]


@pytest.mark.parametrize(("which", "how"), INDEX_DAMAGE)
def test_an_undecodable_pointer_or_manifest_heals_through_the_cli(harbour, tmp_path, which, how):
    env = _copy(harbour, tmp_path)
    damage_index_file(Path(env["QA_BOT_INDEX"]), which, how)
    answer = _answer(env)
    assert answer["found"] and "31 fishing boats" in answer["quotes"][0]["text"]
    assert _run(["build"], env, check=True).returncode == 0  # and later builds work


def test_a_truncated_question_encoder_is_exported_again_by_a_build(harbour, tmp_path):
    env = _copy(harbour, tmp_path)
    model = Path(env["QA_BOT_INDEX"]) / QUERY_ENCODER / "model.onnx"
    model.write_bytes(model.read_bytes()[: 1 << 20])
    _run(["build"], env, check=True)
    assert model.stat().st_size > 1 << 20  # exported again
    code = (
        "import sys; from qa_bot import ask; a = ask(sys.argv[1]); "
        "print(a.found, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, QUESTION], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=TIMEOUT_S, check=True)  # fmt: skip
    assert out.stdout.split() == ["True", "False"]  # answered without falling back to PyTorch


def test_a_same_size_damaged_encoder_is_refused_and_exported_again(harbour, tmp_path):
    env = _copy(harbour, tmp_path)
    tokenizer = Path(env["QA_BOT_INDEX"]) / QUERY_ENCODER / "tokenizer.json"
    data = tokenizer.read_bytes()
    tokenizer.write_bytes(data.replace(b'"[UNK]"', b'"[XXX]"', 1))
    assert tokenizer.stat().st_size == len(data)
    first = _run(["ask", "--json", QUESTION], env, check=True)
    assert "not the file exported" in first.stderr.decode()
    assert json.loads(first.stdout)["found"]
    _run(["build"], env, check=True)
    assert b"[UNK]" in tokenizer.read_bytes()


def test_deeply_nested_or_huge_batch_lines_are_bad_lines_not_a_crash(harbour):
    nested = '{"a":' * 2000 + "1" + "}" * 2000
    huge = json.dumps({"question": "x" * 1_200_000})
    lines = [QUESTION, nested, huge, QUESTION]
    done = _run(["ask", "-", "--json"], harbour, input="\n".join(lines).encode())
    assert done.returncode == 2
    got = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(got) == 4
    assert got[0]["found"] and got[3]["found"]
    assert got[1]["line"] == 2 and "nested too deeply" in got[1]["error"]
    assert got[2]["line"] == 3 and "characters" in got[2]["error"]


def test_a_closed_or_full_stdout_ends_with_one_line(harbour):
    closed = subprocess.run([*CLI, "ask", QUESTION], env=harbour, cwd=ROOT, stdout=None,
                            stderr=subprocess.PIPE, timeout=TIMEOUT_S,
                            preexec_fn=lambda: os.close(1))  # fmt: skip
    assert closed.returncode == 1
    assert closed.stderr.decode().strip().splitlines() == [
        "qa-bot: standard output is closed; nothing can be printed"
    ]
    with open("/dev/full", "wb") as full:
        done = subprocess.run([*CLI, "ask", QUESTION], env=harbour, cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, timeout=TIMEOUT_S)  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    assert lines == ["qa-bot: cannot write the output (No space left on device)"]


def test_a_name_that_is_not_utf8_or_hides_text_is_named_escaped_and_the_rest_builds(
    harbour, tmp_path
):
    env = _copy(harbour, tmp_path)
    corpus = Path(env["QA_BOT_CORPUS"])
    (corpus / os.fsdecode(b"caf\xe9.md")).write_text("# Cafe\n\nThe cafe opens at nine.\n")
    (corpus / "rtl\u202egnp.md").write_text("# Ferry\n\nThe ferry leaves at noon.\n")
    done = _run(["build"], env, check=True)
    said = (done.stdout + done.stderr).decode()
    assert "caf\\xe9.md: the file's name is not valid UTF-8" in said
    assert "added: rtl\\u202egnp.md" in said and "\u202e" not in said
    asked = _run(["ask", "When does the ferry leave?"], env, check=True).stdout.decode()
    assert "The ferry leaves at noon." in asked
    assert "rtl\\u202egnp.md" in asked and "\u202e" not in asked
    assert _answer(env)["found"]


def test_a_one_digit_change_in_the_manifest_rebuilds_through_the_cli(harbour, tmp_path):
    env = _copy(harbour, tmp_path)
    manifest = current_folder(Path(env["QA_BOT_INDEX"])) / MANIFEST
    text = manifest.read_text()
    manifest.write_text(text.replace('"passages": [\n        0,', '"passages": [\n        1,', 1))
    assert manifest.read_text() != text
    done = _run(["build"], env, check=True).stdout.decode()
    assert "up to date" not in done and "full rebuild" in done
    assert "31 fishing boats" in _answer(env)["quotes"][0]["text"]
