"""Fault injection through a real server: huge bodies, a forged X-Forwarded-For, malformed
API calls, an unreadable pointer to the live build, and a race of edits and link switches read back
through answers, index files and evidence pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from qa_bot.index.manifest import CURRENT
from qa_bot.serve.server import launch_kwargs, trust_proxies
from qa_bot.serve.ui import build_app
from tests.conftest import ROOT
from tests.test_e2e import BROWSER_ARGS, CHROMIUM, browser_page, free_port
from tests.test_faults_cli import damage_index_file

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.fixture(scope="module")
def guarded(real_bot):
    settings = real_bot.settings.with_(port=free_port())
    trust_proxies(settings)
    demo = build_app(real_bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{settings.port}/"
    demo.close()


class Served:
    """``qa-bot serve`` in its own process over a copy of the shipped index."""

    def __init__(self, real_bot, tmp_path: Path, damage: bytes | None = None,
                 **env: str) -> None:  # fmt: skip
        corpus, index = tmp_path / "corpus", tmp_path / "index"
        shutil.copytree(real_bot.settings.corpus, corpus)
        shutil.copytree(real_bot.settings.index, index, ignore=shutil.ignore_patterns(".lock"))
        if damage is not None:
            (index / CURRENT).write_bytes(damage)
        self.corpus, self.index = corpus, index
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, "QA_BOT_CORPUS": str(corpus), "QA_BOT_INDEX": str(index),
                    "QA_BOT_PORT": str(self.port), "HF_HUB_OFFLINE": "1", **env}  # fmt: skip

    def __enter__(self) -> Served:
        self.process = subprocess.Popen([sys.executable, "-m", "qa_bot", "serve"], env=self.env,
                                        cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)  # fmt: skip
        deadline = time.monotonic() + 600
        while True:
            assert self.process.poll() is None, self.process.stderr.read().decode()[-3000:]
            try:
                if self.ask("Who moderated the panel?")["found"]:
                    return self
            except (httpx.HTTPError, KeyError, ValueError):
                pass
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(1)

    def ask(self, question: str) -> dict:
        return self.call("ask", [question, []])

    def status(self) -> dict:
        """The ``/status`` endpoint: state, status line, live build, counts."""
        return self.call("status", [])

    def call(self, endpoint: str, data: list) -> dict:
        reply = httpx.post(f"{self.url}gradio_api/call/{endpoint}", json={"data": data},
                           timeout=60)  # fmt: skip
        reply.raise_for_status()
        event = reply.json()["event_id"]
        stream = httpx.get(f"{self.url}gradio_api/call/{endpoint}/{event}", timeout=60).text
        assert stream.startswith("event: complete"), stream[:300]
        return json.loads(stream.split("data: ", 1)[1])[0]

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        _, self.stderr = self.process.communicate(timeout=60)


def _chunks(body: bytes):
    for at in range(0, len(body), 1 << 20):
        yield body[at : at + (1 << 20)]


def test_fifty_megabyte_bodies_get_413_and_memory_stays_put(real_bot, tmp_path):
    body = b'{"data": ["' + b"x" * (50 << 20) + b'", []]}'
    with Served(real_bot, tmp_path) as served, httpx.Client(timeout=120) as http:
        server = psutil.Process(served.process.pid)
        before = server.memory_info().rss
        for _ in range(4):
            reply = http.post(f"{served.url}gradio_api/call/ask", content=body,
                              headers={"content-type": "application/json"})  # fmt: skip
            assert reply.status_code == 413
        chunked = http.post(f"{served.url}gradio_api/call/ask", content=_chunks(body),
                            headers={"content-type": "application/json"})  # fmt: skip
        assert chunked.status_code == 413
        assert served.ask("Who moderated the panel?")["found"]
        grown = (server.memory_info().rss - before) / (1 << 20)
    assert grown < 20, f"server memory grew {grown:.0f} MB"
    assert b"Traceback" not in served.stderr


def test_a_forged_forwarded_for_header_does_not_pick_the_back_off_key(real_bot, monkeypatch):
    from qa_bot.serve import guard

    monkeypatch.setattr(guard, "FIRST_WAIT_S", 5.0)
    settings = real_bot.settings.with_(port=free_port(), auth="reader:right-password")
    trust_proxies(settings)
    demo = build_app(real_bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{settings.port}/login"
    try:
        with httpx.Client(timeout=30) as http:
            wrong = {"username": "reader", "password": "guess"}
            statuses = [
                http.post(
                    url, data=wrong, headers={"X-Forwarded-For": f"203.0.113.{n}"}
                ).status_code
                for n in range(20)
            ]
        assert statuses[0] == 400 and statuses[1:] == [429] * 19  # 20 guesses, 1 checked
    finally:
        demo.close()


@pytest.mark.parametrize(
    "body",
    [rb'{"data": "\ud800"}', b'{"data": null}', b'{"data": [1, 2, 3, 4, 5, 6, 7]}', b"[]"],
    ids=["string", "null", "too-many", "not-an-object"],
)
def test_malformed_api_calls_get_a_client_error_not_a_server_error(guarded, body):
    reply = httpx.post(f"{guarded}gradio_api/call/ask", content=body,
                       headers={"content-type": "application/json"}, timeout=60)  # fmt: skip
    if reply.status_code == 200:  # accepted: the event must end without a server error
        event = reply.json()["event_id"]
        stream = httpx.get(f"{guarded}gradio_api/call/ask/{event}", timeout=60).text
        assert "Traceback" not in stream
    else:
        assert 400 <= reply.status_code < 500, reply.text


def test_a_server_on_the_fallback_encoder_takes_the_export_back_without_an_edit(real_bot, tmp_path):
    served = Served(real_bot, tmp_path)
    tokenizer = served.index / "query-encoder" / "tokenizer.json"
    tokenizer.write_bytes(tokenizer.read_bytes().replace(b'"[UNK]"', b'"[XXX]"', 1))
    with served:
        deadline = time.monotonic() + 300
        while (status := served.status())["question_encoder"] != "onnx":
            assert time.monotonic() < deadline, status
            time.sleep(1)
        assert served.ask("What share of detected trafficking victims are children?")["found"]
    assert b"Traceback" not in served.stderr


def test_a_client_that_trickles_its_headers_is_cut_off(real_bot, monkeypatch):
    import socket

    from qa_bot.serve import slow_clients

    monkeypatch.setattr(slow_clients, "HEADER_SECONDS", 1.0)
    slow_clients.time_out_slow_clients()
    settings = real_bot.settings.with_(port=free_port())
    demo = build_app(real_bot)
    demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
    try:
        with socket.create_connection(("127.0.0.1", settings.port), timeout=30) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            started, closed = time.monotonic(), False
            while time.monotonic() - started < 20:
                try:
                    slow.sendall(b"X-a: b\r\n")  # a header line every 0.2 s, never the end
                except OSError:
                    closed = True
                    break
                time.sleep(0.2)
            assert closed and time.monotonic() - started < 10  # cut off near the limit
        whole = httpx.get(f"http://127.0.0.1:{settings.port}/", timeout=60)
        assert whole.status_code == 200  # a client that sends its request in time is served
    finally:
        demo.close()


def test_an_unknown_event_id_is_a_404_not_a_dropped_connection(guarded, caplog):
    for bad in ("0123456789abcdef", "x" * 300, "..%2f..%2fetc"):
        reply = httpx.get(f"{guarded}gradio_api/call/ask/{bad}", timeout=60)
        assert reply.status_code == 404, reply.text
        assert "no such event" in reply.text or "%2f" in bad  # a path that leaves: no route
    assert "Traceback" not in caplog.text
    event = httpx.post(f"{guarded}gradio_api/call/ask", json={"data": ["Who moderated the panel?",
                       []]}, timeout=60).json()["event_id"]  # fmt: skip
    stream = httpx.get(f"{guarded}gradio_api/call/ask/{event}", timeout=60).text
    assert stream.startswith("event: complete")  # a real event is still answered


@pytest.mark.parametrize(
    ("which", "how"), [("pointer", "directory"), ("manifest", "bad-bytes"), ("manifest", "utf-16"),
                       ("manifest", "directory")],
)  # fmt: skip
def test_a_server_over_an_undecodable_pointer_or_manifest_starts_and_answers(
    real_bot, tmp_path, which, how
):
    served = Served(real_bot, tmp_path)
    damage_index_file(served.index, which, how)
    with served:
        answer = served.ask("Who moderated the panel?")
        assert answer["found"] and "Delphine Schantz" in answer["quotes"][0]["text"]
    assert b"Traceback" not in served.stderr, served.stderr.decode()[-3000:]


def test_a_server_over_an_unreadable_pointer_starts_and_answers(real_bot, tmp_path):
    with Served(real_bot, tmp_path, damage=b"\xff\xfe\x80garbled") as served:
        answer = served.ask("Who moderated the panel?")
        assert answer["found"] and "Delphine Schantz" in answer["quotes"][0]["text"]
    assert b"Traceback" not in served.stderr, served.stderr.decode()[-3000:]
    assert (served.index / CURRENT).read_text().strip().startswith("build-")


HARBOUR = "# Harbour\n\nThe harbour master counted {} fishing boats in March.\n"
SECRET = "root:x:0:0:TOP-SECRET-OUTSIDE-LINE"
BOATS = "How many fishing boats did the harbour master count?"


class LinkFlipper(threading.Thread):
    """Switches ``corpus/flip.md`` between a document inside and a file outside the corpus,
    as fast as it can, until stopped; counts the switches."""

    def __init__(self, corpus: Path, outside: Path) -> None:
        super().__init__()
        self.corpus, self.outside = corpus, outside
        self.switches = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        link = self.corpus / "flip.md"
        while not self.stopped.is_set():
            tmp = self.corpus / f".flip-{self.switches}"
            tmp.symlink_to(str(self.outside) if self.switches % 2 else "harbour.md")
            os.replace(tmp, link)
            self.switches += 1
            time.sleep(0.001)


class PageReader(threading.Thread):
    """Opens the evidence view of both documents in Chromium, over and over until stopped,
    and keeps every page's text: what a reader following a citation sees during the race."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.pages: list[str] = []
        self.errors: list[str] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        from playwright.sync_api import Error, sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            page = browser_page(browser)
            while not self.stopped.is_set():
                for document in ("flip.md", "harbour.md"):
                    try:
                        page.goto(f"{self.url}?doc={document}&start=0&end=9", timeout=60_000)
                        page.wait_for_function(
                            "document.querySelector('#evidence')?.innerText.trim().length > 0",
                            timeout=60_000,
                        )
                        self.pages.append(page.content() + page.inner_text("body"))
                    except Error as error:  # a slow page under load is not the point here
                        self.errors.append(str(error)[:200])
            browser.close()


def test_a_served_corpus_edited_100_times_while_a_link_flips_ends_current_and_inside(
    real_bot, tmp_path
):
    """100 edits in 60 s and 10,000+ link switches while the server's watcher rebuilds: the
    server ends answering from the final text with "up to date", and no outside byte
    reaches an answer, any index file of any build, or an evidence page opened meanwhile."""
    outside = tmp_path / "outside.md"
    outside.write_text(f"# Outside\n\n{SECRET} counted 999 fishing boats.\n")
    served = Served(real_bot, tmp_path, QA_BOT_WATCH_INTERVAL="0.2")
    harbour = served.corpus / "harbour.md"
    harbour.write_text(HARBOUR.format(31))
    (served.corpus / "flip.md").symlink_to("harbour.md")
    replies: list[dict] = []
    with served:
        flipper = LinkFlipper(served.corpus, outside)
        flipper.start()
        reader = PageReader(served.url) if shutil.which(CHROMIUM) else None
        if reader:
            reader.start()
        try:
            for n in range(100):
                harbour.write_text(HARBOUR.format(1000 + n))
                if n % 10 == 0:
                    replies.append(served.ask(BOATS))
                time.sleep(0.6)
            while flipper.switches < 10_000:
                time.sleep(0.5)
        finally:
            flipper.stopped.set()
            flipper.join()
            if reader:
                reader.stopped.set()
                reader.join()
        final = time.monotonic()
        while True:
            answer, status = served.ask(BOATS), served.status()
            replies.append(answer)
            shown = answer["quotes"][0]["text"] if answer["quotes"] else ""
            # The line may name a skipped file (flip.md left pointing outside): still current.
            if "1099 fishing boats" in shown and status["line"].startswith("up to date"):
                break
            assert time.monotonic() - final < 300, (shown, status)
            time.sleep(0.5)
    assert status["state"] == "ready"
    assert SECRET not in json.dumps(replies)
    if reader:
        assert len(reader.pages) >= 10, reader.errors[-3:]
        assert any("fishing boats" in page for page in reader.pages)  # real pages were read
        assert not [page for page in reader.pages if SECRET in page]
    for path in served.index.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert b"Traceback" not in served.stderr, served.stderr.decode()[-3000:]
