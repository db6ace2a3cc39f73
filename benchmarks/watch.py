"""What following a large corpus costs: a bot over 10,000 small documents, its watcher
running, measured at rest (the share of a core the whole process uses) and from an edit to
the first answer quoting the edited text. Both ways of watching are measured in the same
run: the OS's change notifications (the default) and polling once a second
(``QA_BOT_WATCH_POLLING=1``). The real packaged model embeds; the index is built once.

    python -m benchmarks.watch [--files 10000] [--rest 30]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.common import median, save
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.serve.live import Watcher

FOLDERS = 100
EDITS = 3
TOPICS = ("harbour", "orchard", "library", "railway", "market", "school", "bridge", "clinic")


def write_corpus(root: Path, files: int) -> None:
    """``files`` short reports in ``FOLDERS`` folders, each with a fact of its own."""
    for n in range(files):
        topic = TOPICS[n % len(TOPICS)]
        path = root / f"area-{n % FOLDERS:03d}" / f"{topic}-{n:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# {topic.title()} report {n}\n\nThe {topic} committee of district {n} met on "
            f"{1 + n % 28} March and counted {100 + n} visitors.\n"
        )


def cpu_share(seconds: float) -> float:
    """The share of one core this process used over ``seconds`` of rest."""
    process = psutil.Process()
    before = process.cpu_times()
    time.sleep(seconds)
    after = process.cpu_times()
    return (after.user - before.user + after.system - before.system) / seconds


def edit_to_answer(bot: QABot, path: Path, n: int) -> float:
    """Seconds from saving an edit to the first answer that quotes it."""
    number = 7_000_000 + n
    path.write_text(f"# Harbour report 0\n\nThe harbour committee counted {number} gulls.\n")
    started = time.perf_counter()
    while True:
        answer = bot.ask("How many gulls did the harbour committee count?", min_confidence=0)
        if answer.quotes and str(number) in answer.quotes[0].text:
            return time.perf_counter() - started
        if time.perf_counter() - started > 600:
            raise RuntimeError("the edit was never answered")
        time.sleep(0.05)


def measure(bot: QABot, polling: bool, rest: float, edited: Path, start: int) -> dict:
    watcher = Watcher(bot, bot.settings.watch_interval, polling=polling).start()
    try:
        time.sleep(2.0)  # the first look
        share = cpu_share(rest)
        times = [edit_to_answer(bot, edited, start + i) for i in range(EDITS)]
    finally:
        watcher.stop()
    return {
        "notifications": watcher.notified,
        "idle_core_share": round(share, 4),
        "edit_to_answer_s": [round(t, 2) for t in times],
        "edit_to_answer_median_s": round(median(times), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rest", type=float, default=30.0, help="seconds at rest measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.files)
        settings = Settings(corpus=corpus, index=Path(tmp) / "index", watch_interval=1.0)
        bot = QABot(settings)
        started = time.perf_counter()
        bot.refresh()
        built = time.perf_counter() - started
        bot.ask("How many visitors did the orchard committee count?")  # warm
        edited = next(corpus.glob("area-000/harbour-00000.md"))
        notified = measure(bot, False, args.rest, edited, 0)
        polled = measure(bot, True, args.rest, edited, EDITS)
    result = {
        "files": args.files,
        "folders": FOLDERS,
        "first_build_s": round(built, 1),
        "rest_measured_s": args.rest,
        "watch_interval_s": 1.0,
        "notifications": notified,
        "polling": polled,
    }
    for mode in ("notifications", "polling"):
        r = result[mode]
        print(f"{mode}: {r['idle_core_share']:.1%} of a core at rest; edit to answer "
              f"{r['edit_to_answer_median_s']} s (median of {EDITS})")  # fmt: skip
    save("watch", result)


if __name__ == "__main__":
    main()
