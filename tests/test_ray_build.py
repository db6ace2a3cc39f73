"""The Ray build engine: the same index as the local build, a dying worker, replicas."""

from __future__ import annotations

import json
import os
import shutil
import time

import httpx
import numpy as np
import pytest

from qa_bot.config import Settings
from qa_bot.index.build import build_index
from qa_bot.index.load import load_index
from tests.conftest import SHIPPED, TINY, write_corpus

pytestmark = pytest.mark.integration
ray = pytest.importorskip("ray", reason="the ray extra is not installed")

from qa_bot.index.ray_build import RayEngine  # noqa: E402


def _synthetic(folder):
    files = dict(TINY)
    for i in range(6):
        files[f"reports/r{i}.md"] = (
            f"# Report {i}\n\n## Findings\n\nStation {i} counted {40 + i} herons in May. "
            f"Dr. Ana Lee, Head of Station {i}, said the wetland recovered.\n\n"
            f"## Costs\n\nThe survey cost {1000 * i} euros; volunteers gave {i + 2} weeks.\n"
        )
    return write_corpus(folder, files)


def _same_index(a, b) -> None:
    assert [p.to_dict() for p in a.passages] == [p.to_dict() for p in b.passages]
    assert [s.to_dict() for s in a.sentences] == [s.to_dict() for s in b.sentences]
    assert a.texts == b.texts
    assert np.abs(a.passage_vectors - b.passage_vectors).max() < 1e-5
    assert np.abs(a.sentence_vectors - b.sentence_vectors).max() < 1e-5


@pytest.fixture(scope="module")
def engine_settings(tmp_path_factory):
    root = tmp_path_factory.mktemp("ray")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SHIPPED, corpus / SHIPPED.name)
    _synthetic(corpus)
    return Settings(corpus=corpus, index=root / "index", build_engine="ray")


def test_the_ray_build_writes_the_local_builds_index(real_bot, engine_settings, tmp_path):
    local = engine_settings.with_(index=tmp_path / "local", build_engine="local")
    build_index(local, real_bot.embedder)
    engine = RayEngine(engine_settings, workers=2)
    try:
        report = build_index(engine_settings, real_bot.embedder, engine=engine)
    finally:
        engine.close()
    assert report.documents == 9 and not report.problems
    _same_index(load_index(local.index), load_index(engine_settings.index))
    # Incremental: one changed document, read and embedded on Ray, the rest reused.
    changed = engine_settings.corpus / "reports" / "r3.md"
    changed.write_text(changed.read_text().replace("43 herons", "45 herons"))
    engine = RayEngine(engine_settings, workers=2)
    try:
        again = build_index(engine_settings, real_bot.embedder, engine=engine)
    finally:
        engine.close()
    assert again.changed == ("reports/r3.md",) and again.embedded_passages == 1
    assert not ray.is_initialized()  # the local Ray it started is shut down


def test_a_worker_that_dies_mid_build_is_retried(real_bot, engine_settings, tmp_path):
    settings = engine_settings.with_(index=tmp_path / "index")
    marker = tmp_path / "kill-one-actor"
    marker.write_text("")
    os.environ["QA_BOT_TEST_KILL_ACTOR_FILE"] = str(marker)  # inherited by Ray's workers
    engine = RayEngine(settings, workers=2)
    try:
        build_index(settings, real_bot.embedder, engine=engine)
    finally:
        engine.close()
        del os.environ["QA_BOT_TEST_KILL_ACTOR_FILE"]
    assert not marker.exists()  # an actor did die
    local = settings.with_(index=tmp_path / "local", build_engine="local")
    build_index(local, real_bot.embedder)
    _same_index(load_index(local.index), load_index(settings.index))


def test_cli_ray_build_answers_as_the_local_build(real_bot, tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SHIPPED, corpus / SHIPPED.name)
    env = {**os.environ, "QA_BOT_CORPUS": str(corpus), "QA_BOT_INDEX": str(tmp_path / "index"),
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    cli = [sys.executable, "-m", "qa_bot"]
    built = subprocess.run([*cli, "build", "--engine", "ray"], env=env, cwd=ROOT,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert "indexed 1 documents, 35 passages, 80 sentences" in built.stdout
    again = subprocess.run([*cli, "build", "--engine", "ray"], env=env, cwd=ROOT,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert "index is up to date" in again.stdout  # a no-op build: Ray never started
    for question in ("What share of detected trafficking victims are children?",
                     "Who moderated the panel?", "How was the hearing closed?"):  # fmt: skip
        out = subprocess.run([*cli, "ask", "--json", question], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
        mine, shipped = json.loads(out.stdout), real_bot.ask(question).to_dict()
        assert [q["text"] for q in mine["quotes"]] == [q["text"] for q in shipped["quotes"]]


def test_without_ray_the_engine_names_the_extra(monkeypatch, capsys, tiny_settings):
    import builtins

    from qa_bot.cli import main

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    code = main(["--corpus", str(tiny_settings.corpus), "--index", str(tiny_settings.index),
                 "build", "--force", "--engine", "ray"])  # fmt: skip
    assert code == 1
    assert 'pip install -e ".[ray]"' in capsys.readouterr().err


def test_two_replicas_over_one_index_both_answer_and_follow_a_new_build(real_bot, tmp_path):
    from qa_bot.bot import QABot
    from qa_bot.serve.live import Watcher
    from qa_bot.serve.server import launch_kwargs
    from qa_bot.serve.ui import build_app
    from tests.test_e2e import free_port
    from tests.test_live import ORCHARD, QUESTIONS, ask

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(SHIPPED, corpus / SHIPPED.name)
    shutil.copytree(real_bot.settings.index, index, ignore=shutil.ignore_patterns(".lock"))
    servers = []
    try:
        for _ in range(2):
            settings = real_bot.settings.with_(corpus=corpus, index=index, port=free_port(),
                                               read_only=True, watch_interval=0.5)  # fmt: skip
            bot = QABot(settings, real_bot.embedder, real_bot.reranker)
            demo = build_app(bot)
            demo.launch(**launch_kwargs(settings), prevent_thread_lock=True, quiet=True)
            servers.append((bot, demo, Watcher(bot, 0.5).start(), settings.port))
        urls = [f"http://127.0.0.1:{port}/" for *_, port in servers]
        for url in urls:
            with httpx.Client(base_url=url, timeout=60) as http:
                assert "one-third" in ask(http, QUESTIONS[0])["quotes"][0]["text"]
        (corpus / "orchard.md").write_text(ORCHARD)
        time.sleep(1.5)
        assert all(bot.last_build is None for bot, *_ in servers)  # replicas never build
        writer = QABot(real_bot.settings.with_(corpus=corpus, index=index), real_bot.embedder)
        writer.refresh()  # the build made elsewhere
        for url in urls:
            with httpx.Client(base_url=url, timeout=60) as http:
                t0 = time.monotonic()
                while not ask(http, QUESTIONS[2])["quotes"] or (
                    "12,400" not in ask(http, QUESTIONS[2])["quotes"][0]["text"]
                ):
                    assert time.monotonic() - t0 < 30
                    time.sleep(0.3)
    finally:
        for _, demo, watcher, _ in servers:
            watcher.stop()
            demo.close()
