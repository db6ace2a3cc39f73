"""Quality in the haystack: the held-out sets about the shipped document and the
multi-document corpus, answered with real distractors beside them (``benchmarks.archive``:
Python's manual, two Debian books and Git's manual, HTML). The largest step's index
(``--work``/index) is brought up to date first, embedding only the pages it lacks; each
smaller step is built in ``--work``/steps/<pages>/ from that index's vectors
(``benchmarks.reuse``), so it embeds nothing. Per size: passages, top-1, answerable and
unanswerable refused, and how often the first quote (answered or not) comes from a
distractor, not a needle. The step indexes stay for ``benchmarks.scale_latency``.

    python -m benchmarks.haystack [--files 0,6,60,all] [--sets dev,blind,...]
    python -m benchmarks.haystack --plot   # redraw haystack.png from haystack.json

Each run draws ``benchmarks/results/haystack.png``: top-1, unanswerable refused and the
median ``ask()`` of each set against the passages indexed.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.archive import DISTRACTORS, PACKAGES, assemble
from benchmarks.common import RESULTS, ROOT, save
from benchmarks.reuse import Reusing
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.evaluate import ask_all, summarise
from qa_bot.questions import load_set

DATA = ROOT / "tests" / "data"
ARCHIVE = "benchmarks.archive (HTML: " + ", ".join(PACKAGES) + ")"
SETS = {
    "dev": DATA / "dev.json",
    "blind": DATA / "blind.json",
    "nearmiss-5": DATA / "nearmiss-5.json",
    "multidoc": DATA / "multidoc" / "questions.json",
    "multidoc-nearmiss-4": DATA / "multidoc" / "multidoc-nearmiss-4.json",
}


def measure(bot: QABot, names: list[str], work: Path) -> list[dict]:
    """Each set answered by ``bot`` (no refusal applied while asking, as evaluate does)."""
    rows = []
    for name in names:
        records = ask_all(bot, load_set(SETS[name], work).items)
        firsts = [(r.best.quotes or r.best.related)[:1] for r in records]
        distractor_first = sum(bool(f and f[0].document.startswith(DISTRACTORS)) for f in firsts)
        report = summarise(records, name)
        rows.append({**report.row(), "first_quote_from_distractor": round(
            distractor_first / max(1, len(records)), 3)})  # fmt: skip
    return rows


def plot(result: dict, path: Path) -> None:
    """Top-1, unanswerable refused and median ``ask()`` per set against passages indexed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = result["steps"]
    sizes = [step["counts"]["passages"] for step in steps]
    names = [row["set"] for row in steps[0]["sets"]]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    panels = (("top1", "top-1"), ("unanswerable_refused", "unanswerable refused"),
              ("median_ms", "median ask() (ms)"))  # fmt: skip
    for ax, (key, label) in zip(axes, panels, strict=True):
        for name in names:
            values = [next(r[key] for r in step["sets"] if r["set"] == name) for step in steps]
            ax.plot(sizes, values, "o-", label=name)
        ax.set_xscale("log")
        ax.set_xlabel("passages indexed (needles + distractors)")
        ax.set_ylabel(label)
        if key != "median_ms":
            ax.set_ylim(0.0, 1.02)
        else:
            ax.set_ylim(bottom=0)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Answers among distractors ({result['machine']['cores']} cores)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"wrote {path}")


def redraw() -> None:
    """The plot, from the figures saved last (``haystack.json``)."""
    plot(json.loads((RESULTS / "haystack.json").read_text()), RESULTS / "haystack.png")


def step_bots(work: Path, sizes: list[str]) -> dict[str, tuple[QABot, float]]:
    """A bot per step (distractor pages per package; "all": every page), each with the
    seconds its index took to bring up to date: the largest first, in ``work``/index, then
    the others in ``work``/steps/<size>/ from its vectors. They share one model."""
    largest, *smaller = sorted(sizes, key=lambda s: float("inf") if s == "all" else int(s))[::-1]
    out: dict[str, tuple[QABot, float]] = {}
    full, reusing = None, None
    for size in (largest, *smaller):
        files = None if size == "all" else int(size)
        where = work if full is None else work / "steps" / size
        assemble(where / "corpus", files)  # the same files in the same place: only new are read
        settings = Settings(corpus=where / "corpus", index=where / "index")
        t0 = time.perf_counter()
        if full is None:
            full = bot = QABot(settings)
        else:
            reusing = reusing or Reusing(full.embedder, full.index)
            before = reusing.encoded
            bot = QABot(settings, reusing, full.reranker)
            if reusing.encoded > before:
                print(f"  {reusing.encoded - before} texts were not in the largest index")
        bot.index  # built or brought up to date here, not at the first question  # noqa: B018
        out[size] = (bot, time.perf_counter() - t0)
        print(f"{size} pages: {bot.index.manifest['counts']['passages']} passages, "
              f"index ready in {out[size][1]:.0f} s")  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.haystack", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument(
        "--files",
        default="0,6,60,all",
        help="distractor pages per step, ascending ('all': every page)",
    )
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--work", type=Path, default=ROOT / "embeddings" / "haystack")
    parser.add_argument("--plot", action="store_true", help="only redraw the plot")
    args = parser.parse_args(argv)
    if args.plot:
        redraw()
        return 0
    names = args.sets.split(",")
    sizes = args.files.split(",")
    bots = step_bots(args.work, sizes)
    steps = []
    for size in sizes:
        bot, built = bots[size]
        counts = bot.index.manifest.get("counts", {})
        rows = measure(bot, names, args.work / "sets")
        steps.append({"distractor_pages": size, "counts": counts, "build_s": round(built, 1),
                      "sets": rows})  # fmt: skip
        print(f"{size} pages: {counts.get('passages')} passages")
        for row in rows:
            print(
                f"  {row['set']:<22} top-1 {row['top1']:.3f} refused {row['false_refusals']:.3f}"
                f" / {row['unanswerable_refused']:.3f} distractor first "
                f"{row['first_quote_from_distractor']:.3f} median {row['median_ms']:.0f} ms"
            )
        save("haystack", {"archive": ARCHIVE, "steps": steps,
                          "built": "largest step incrementally; the others from its vectors"})  # fmt: skip
    redraw()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
