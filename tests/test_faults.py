"""Fault injection on the live corpus: edits during builds, links switched under a read,
hostile files, failed builds, edits that keep size and time, damaged index state.

The fast ones run on tiny corpora with the fake embedder; the ones marked integration go
through the real CLI (and the real server, in test_faults_server.py)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa_bot import bot as bot_module
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.index import write as write_module
from qa_bot.index.build import build_index
from qa_bot.index.load import load_index
from qa_bot.index.manifest import CURRENT, MANIFEST, IndexError_, current_folder
from qa_bot.ingest.corpus import DocumentError, load_document
from qa_bot.ingest.safe_read import OutsideError, read_inside
from qa_bot.safe_json import sealed_json
from qa_bot.serve.evidence import current_evidence
from qa_bot.serve.live import Watcher
from qa_bot.serve.welcome import _welcome_file
from tests.conftest import FakeCrossEncoder, FakeEmbedder, write_corpus
from tests.faults import compression_bomb, empty_paragraphs_docx, page_tree_bomb

SECRET = "root:x:0:0:TOP-SECRET-OUTSIDE-LINE"
GOOD = "# Harbour\n\nThe harbour master counted 31 fishing boats in March.\n"
DEADLINE_S = 120.0  # generous: a busy machine must not fail these


def _bot(settings: Settings, fake: FakeEmbedder) -> QABot:
    return QABot(settings, fake, FakeCrossEncoder())


def _harbour(tmp_path: Path) -> Settings:
    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": GOOD})
    return Settings(corpus=corpus, index=tmp_path / "embeddings")


def _first_quote(bot: QABot, question: str = "How many fishing boats were counted?") -> str:
    answer = bot.ask(question, min_confidence=0)
    return answer.quotes[0].text if answer.quotes else ""


# ---------------------------------------------------------------- edits while building


class EditingEmbedder(FakeEmbedder):
    """Saves an edit to the corpus while the build it serves is embedding."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path, self.text, self.armed = path, text, False

    def encode(self, texts: list[str], batch_size: int = 32):
        if self.armed:
            self.armed = False
            self.path.write_text(self.text)
        return super().encode(texts, batch_size)


def test_an_edit_saved_while_the_app_rebuilds_is_indexed_by_the_next_look(tmp_path):
    settings = _harbour(tmp_path)
    path = settings.corpus / "harbour.md"
    fake = EditingEmbedder(path, GOOD.replace("31", "47"))
    bot = _bot(settings, fake)
    bot.follow()
    path.write_text(GOOD.replace("31", "39"))
    fake.armed = True  # the next build's embedding saves "47" while it runs
    assert bot.follow() is True
    assert _first_quote(bot) == ""  # the "39" build is not the file any more: nothing quoted
    assert (
        bot.status.state == "building"
    )  # not "up to date with the documents": the corpus moved on
    assert bot.follow() is True  # the change made during the build is seen
    assert "47" in _first_quote(bot) and bot.status.line() == "up to date with the documents"
    assert bot.follow() is False


def test_a_hundred_edits_while_watching_end_on_the_final_text_and_index_current(tmp_path):
    settings = _harbour(tmp_path).with_(watch_interval=0.02)
    path = settings.corpus / "harbour.md"
    bot = _bot(settings, FakeEmbedder())
    bot.refresh()
    watcher = Watcher(bot, settings.watch_interval).start()
    try:
        for n in range(100):
            path.write_text(GOOD.replace("31", str(1000 + n)))
            time.sleep(0.03)
        final = time.monotonic()
        while True:
            shown = _first_quote(bot)
            if "1099" in shown and bot.status.line() == "up to date with the documents":
                break
            assert time.monotonic() - final < DEADLINE_S, (shown, bot.status.line())
            time.sleep(0.05)
    finally:
        watcher.stop()
    assert bot.ask("How many fishing boats were counted?", min_confidence=0).found


def test_an_edit_that_keeps_size_and_modification_time_is_noticed(tmp_path):
    settings = _harbour(tmp_path)
    path = settings.corpus / "harbour.md"
    bot = _bot(settings, FakeEmbedder())
    bot.follow()
    before = path.stat()
    path.write_text(GOOD.replace("31", "58"))  # same size: "cp -p", "rsync -t", tar
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert bot.follow() is True
    assert "58" in _first_quote(bot)


# ---------------------------------------------------------------- failed builds


def test_a_failed_build_is_retried_without_an_edit_and_names_the_cause(tmp_path, monkeypatch):
    monkeypatch.setattr(bot_module, "RETRY_FIRST_S", 0.05)
    settings = _harbour(tmp_path)
    bot = _bot(settings, FakeEmbedder())
    bot.follow()
    real_write = write_module.write_build
    full = {"on": True}

    def disk(*args, **kwargs):
        if full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(write_module, "write_build", disk)
    (settings.corpus / "harbour.md").write_text(GOOD.replace("31", "64"))
    assert bot.follow() is True
    assert bot.status.state == "failed" and "disk is full" in bot.status.line()
    assert "31 fishing" in bot.index.texts["harbour.md"]  # the last good index is kept
    full["on"] = False  # space freed; nothing in the corpus is touched
    time.sleep(0.1)
    assert bot.follow() is True
    assert bot.status.line() == "up to date with the documents" and "64" in _first_quote(bot)


# ---------------------------------------------------------------- links


def test_a_link_switched_between_check_and_read_never_reads_outside(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"inside.md": GOOD})
    outside = tmp_path / "outside.md"
    outside.write_text(f"# Outside\n\n{SECRET}.\n")
    link = corpus / "flip.md"
    link.symlink_to("inside.md")
    stop = threading.Event()
    switches = 0

    def flip() -> None:
        nonlocal switches
        targets = [str(outside), "inside.md"]
        while not stop.is_set() and switches < 10_000:
            tmp = corpus / f".flip-{switches}"
            tmp.symlink_to(targets[switches % 2])
            os.replace(tmp, link)
            switches += 1

    flipper = threading.Thread(target=flip)
    flipper.start()
    reads, refused = 0, 0
    try:
        while flipper.is_alive():
            try:
                data = read_inside(corpus, "flip.md")
                assert SECRET.encode() not in data
                reads += 1
            except OutsideError:
                refused += 1
            except FileNotFoundError:
                pass  # the link was being replaced
    finally:
        stop.set()
        flipper.join()
    assert switches == 10_000 and reads and refused


def test_builds_during_link_switches_write_no_outside_byte(tmp_path):
    settings = _harbour(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text(f"# Outside\n\n{SECRET}.\n")
    link = settings.corpus / "flip.md"
    link.symlink_to("harbour.md")
    stop = threading.Event()

    def flip() -> None:
        n = 0
        while not stop.is_set():
            tmp = settings.corpus / f".flip-{n}"
            tmp.symlink_to(str(outside) if n % 2 else "harbour.md")
            os.replace(tmp, link)
            n += 1

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        for _ in range(15):
            try:
                build_index(settings, FakeEmbedder(), force=True)
            except Exception:  # a build may find nothing usable at an unlucky moment
                continue
            for path in current_folder(settings.index).iterdir():
                assert SECRET.encode() not in path.read_bytes(), path
    finally:
        stop.set()
        flipper.join()


def test_paths_leading_out_of_the_folder_are_refused(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"a/inside.md": GOOD})
    (tmp_path / "outside.md").write_text(SECRET)
    (corpus / "a" / "up.md").symlink_to("../../outside.md")
    (corpus / "a" / "abs.md").symlink_to(tmp_path / "outside.md")
    (corpus / "dirlink").symlink_to(tmp_path)
    (corpus / "a" / "ok.md").symlink_to("inside.md")
    for rel in ("a/up.md", "a/abs.md", "../outside.md", "dirlink/outside.md", "a/../../x.md"):
        with pytest.raises(OutsideError):
            read_inside(corpus, rel)
    assert read_inside(corpus, "a/ok.md") == GOOD.encode()  # a link inside is followed
    with pytest.raises(DocumentError, match="outside the corpus folder"):
        load_document(corpus, "a/abs.md")


def test_the_page_texts_file_is_never_read_through_a_link_out(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"harbour.md": GOOD})
    outside = tmp_path / "welcome.json"
    outside.write_text(json.dumps({"title": SECRET}))
    (corpus / "qa-bot.json").symlink_to(outside)
    assert _welcome_file(corpus, "qa-bot.json") == {}


# ---------------------------------------------------------------- hostile files


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("tree.pdf", page_tree_bomb, "not a readable PDF"),
        ("bomb.pdf", compression_bomb, "not a readable PDF"),
        ("empty.docx", empty_paragraphs_docx, "paragraphs"),
        ("prefixed.docx", lambda: empty_paragraphs_docx(prefix=b"a"), "paragraphs"),
    ],
)
def test_a_hostile_file_beside_a_good_one_is_skipped_and_the_good_one_indexed(
    tmp_path, name, make, reason
):
    settings = _harbour(tmp_path)
    (settings.corpus / name).write_bytes(make())
    started = time.monotonic()
    report = build_index(settings, FakeEmbedder())
    assert time.monotonic() - started < DEADLINE_S
    assert any(p.startswith(name) and reason in p for p in report.problems), report.problems
    bot = _bot(settings, FakeEmbedder())
    assert "31 fishing boats" in _first_quote(bot)


def test_any_exception_while_reading_one_document_skips_only_it(tmp_path, monkeypatch):
    from qa_bot.ingest import corpus as corpus_module

    def broken(name, raw, max_chars, seconds):
        if name.endswith(".html"):
            raise RuntimeError("a parser bug")
        return None

    monkeypatch.setattr(corpus_module, "extract_limited", broken)
    settings = _harbour(tmp_path)
    (settings.corpus / "page.html").write_text("<p>Anything</p>")
    report = build_index(settings, FakeEmbedder())
    assert any("page.html" in p and "RuntimeError: a parser bug" in p for p in report.problems)
    assert report.documents == 1


def test_a_document_still_being_read_after_the_time_limit_is_skipped(tmp_path):
    settings = _harbour(tmp_path).with_(max_read_seconds=0.5, max_document_chars=10**9)
    # Allowed by the character limit, so only the clock stops it.
    (settings.corpus / "slow.pdf").write_bytes(page_tree_bomb(depth=5, fan=10))
    report = build_index(settings, FakeEmbedder())
    slow = [p for p in report.problems if p.startswith("slow.pdf")]
    assert slow, report.problems
    assert "31 fishing boats" in _first_quote(_bot(settings, FakeEmbedder()))


def test_a_skipped_file_is_not_read_again_until_it_changes(tmp_path, monkeypatch):
    from qa_bot.index import build as build_module

    settings = _harbour(tmp_path).with_(max_read_seconds=0.5, max_document_chars=10**9)
    (settings.corpus / "slow.pdf").write_bytes(page_tree_bomb(depth=5, fan=10))
    build_index(settings, FakeEmbedder())
    read: list[str] = []
    real = build_module.read_document
    monkeypatch.setattr(build_module, "read_document",
                        lambda s, rel: read.append(rel) or real(s, rel))  # fmt: skip
    (settings.corpus / "harbour.md").write_text(GOOD + "\nThe quay was painted blue.\n")
    report = build_index(settings, FakeEmbedder())
    assert read == ["harbour.md"]  # the slow file is not read (and waited for) again
    assert any(p.startswith("slow.pdf") and "not read again" in p for p in report.problems)
    assert build_index(settings, FakeEmbedder()).problems  # still named on every build
    build_index(settings, FakeEmbedder(), force=True)
    assert "slow.pdf" in read[1:]  # --force reads it again
    read.clear()
    (settings.corpus / "slow.pdf").write_text("%PDF-1.4 changed")
    build_index(settings, FakeEmbedder())
    assert read == ["slow.pdf"]  # a changed file is read again


def test_text_beyond_the_character_limit_is_a_skip(tmp_path):
    settings = _harbour(tmp_path).with_(max_document_chars=2000)
    (settings.corpus / "long.md").write_text("# Long\n\n" + "Words go on. " * 400)
    report = build_index(settings, FakeEmbedder())
    assert any("long.md" in p and "QA_BOT_MAX_DOCUMENT_CHARS" in p for p in report.problems)


# ---------------------------------------------------------------- what is shown


def test_the_evidence_view_never_shows_text_removed_since_indexing(tmp_path):
    settings = _harbour(tmp_path)
    bot = _bot(settings, FakeEmbedder())
    index = bot.index
    assert "31 fishing boats" in current_evidence(bot, index, "harbour.md", 0, 20)
    (settings.corpus / "harbour.md").write_text("# Harbour\n\nThe harbour is closed.\n")
    page = current_evidence(bot, index, "harbour.md", 0, 20)
    assert "31 fishing boats" not in page and "changed after it was indexed" in page


# ---------------------------------------------------------------- damaged index state


def test_a_manifest_with_wrong_field_types_is_not_a_last_good_index(tmp_path):
    settings = _harbour(tmp_path)
    build_index(settings, FakeEmbedder())
    folder = current_folder(settings.index)
    manifest = json.loads((folder / MANIFEST).read_text())
    for doc in manifest["documents"].values():
        doc["passages"] = ["0", "x"]
    del manifest["checksum"]
    (folder / MANIFEST).write_text(sealed_json(manifest))  # sealed: only the types are wrong
    with pytest.raises(IndexError_, match="not a manifest"):
        load_index(settings.index)
    bot = _bot(settings, FakeEmbedder())
    assert "31 fishing boats" in _first_quote(bot)  # rebuilt, not a traceback
    (settings.corpus / "more.md").write_text("# More\n\nGulls nest on the pier.\n")
    build_index(settings, FakeEmbedder())  # later builds work again


@pytest.mark.parametrize(
    "damage",
    [b"\xff\xfe\x00garbled", b"", "directory"],
    ids=["bad-bytes", "empty", "a-directory"],
)
def test_an_unreadable_pointer_to_the_live_build_heals(tmp_path, damage):
    settings = _harbour(tmp_path)
    build_index(settings, FakeEmbedder())
    pointer = settings.index / CURRENT
    pointer.unlink()
    if damage == "directory":
        pointer.mkdir()
    else:
        pointer.write_bytes(damage)
    assert current_folder(settings.index) is None
    bot = _bot(settings, FakeEmbedder())
    assert "31 fishing boats" in _first_quote(bot)


class LinkSwitchingEmbedder(FakeEmbedder):
    """Points a link at another document while the build it serves embeds."""

    def __init__(self, link: Path) -> None:
        super().__init__()
        self.link, self.armed = link, False

    def encode(self, texts: list[str], batch_size: int = 32):
        if self.armed:
            self.armed = False
            _point(self.link, "other.md")
        return super().encode(texts, batch_size)


def _point(link: Path, target: str) -> None:
    tmp = link.with_name(".switch")
    tmp.symlink_to(target)
    os.replace(tmp, link)


def test_a_corpus_that_changes_during_a_build_and_back_does_not_stay_building(tmp_path):
    """A link switched during the build and back before the next look: the corpus then
    lists exactly as when the build began. The status must not stay 'building' for good."""
    settings = _harbour(tmp_path)
    (settings.corpus / "other.md").write_text("# Other\n\nGulls nest on the pier.\n")
    link = settings.corpus / "link.md"
    link.symlink_to("harbour.md")
    fake = LinkSwitchingEmbedder(link)
    bot = _bot(settings, fake)
    bot.follow()
    (settings.corpus / "harbour.md").write_text(GOOD.replace("31", "52"))
    fake.armed = True
    assert bot.follow() is True and bot.status.state == "building"
    _point(link, "harbour.md")  # back as the build began
    deadline = time.monotonic() + DEADLINE_S
    while bot.status.line() != "up to date with the documents":
        bot.follow()
        assert time.monotonic() < deadline, bot.status.line()
    assert "52" in _first_quote(bot)


def test_a_script_without_a_main_guard_reads_its_html_within_the_time_limit(tmp_path):
    """The reader runs in a worker that never imports the caller's script: in a pool's
    worker, a script like this one re-ran itself, and the file was skipped as too slow."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "page.html").write_text("<p>The ferry stops on Sundays.</p>")
    script = tmp_path / "read.py"
    script.write_text(
        "from pathlib import Path\n"
        "from qa_bot.ingest.corpus import load_document\n"
        "doc = load_document(Path(__file__).parent / 'corpus', 'page.html', max_read_seconds=20)\n"
        "print('READ:', doc.sentences[0].text)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("READ: The ferry stops on Sundays.") == 1
