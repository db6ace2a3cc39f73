"""The eval harness: hit rates, refusals, verbatim checks and latency on a question set."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qa_bot.bot import QABot
from qa_bot.questions import Item
from qa_bot.types import Answer, Quote


@dataclass
class Report:
    """Figures of one eval run, plus each miss for reading.

    ``calibration`` holds, per question, the bot's confidence and whether its best
    quote answers (False for unanswerable questions), for reliability plots.
    """

    name: str = ""
    n: int = 0
    answerable: int = 0
    top1: float = 0.0
    top3: float = 0.0
    false_refusals: float = 0.0
    unanswerable_refused: float = 0.0
    unanswerable_over_half: int = 0  # unanswerable questions answered at over 50% confidence
    verbatim_violations: int = 0
    median_quote_chars: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    by_kind: dict[str, float] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    calibration: list[tuple[float, bool]] = field(default_factory=list)
    # Per certainty band (Answer.certainty) of the answers given: [right, given]; an
    # unanswerable question answered counts as given and not right.
    bands: dict[str, list[int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"questions            {self.n} ({self.answerable} answerable)",
            f"top-1 hit rate       {self.top1:.3f}",
            f"top-3 hit rate       {self.top3:.3f}",
            f"false refusals       {self.false_refusals:.3f}",
            f"unanswerable refused {self.unanswerable_refused:.3f}",
            f"unanswerable > 50%   {self.unanswerable_over_half}",
            f"verbatim violations  {self.verbatim_violations}",
            f"median quote chars   {self.median_quote_chars:.0f}",
            f"ask() median ms      {self.median_ms:.1f}",
            f"ask() p95 ms         {self.p95_ms:.1f}",
        ]
        out += [f"top-1 {kind:<15}{rate:.3f}" for kind, rate in self.by_kind.items()]
        out += [f"{band} answers right   {right}/{given}" for band, (right, given)
                in sorted(self.bands.items())]  # fmt: skip
        return out

    def row(self) -> dict[str, Any]:
        """The headline figures, for tables."""
        return {
            "set": self.name,
            "questions": self.n,
            "answerable": self.answerable,
            "top1": round(self.top1, 3),
            "top3": round(self.top3, 3),
            "false_refusals": round(self.false_refusals, 3),
            "unanswerable_refused": round(self.unanswerable_refused, 3),
            "unanswerable_over_half": self.unanswerable_over_half,
            "verbatim_violations": self.verbatim_violations,
            "median_quote_chars": round(self.median_quote_chars),
            "median_ms": round(self.median_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
        }


TABLE_COLUMNS = (
    ("set", "set"),
    ("questions", "n"),
    ("top1", "top-1"),
    ("top3", "top-3"),
    ("false_refusals", "answerable refused"),
    ("unanswerable_refused", "unanswerable refused"),
    ("unanswerable_over_half", "unanswerable answered > 50%"),
    ("median_quote_chars", "median quote"),
    ("median_ms", "median ms"),
)


def table(reports: list[Report]) -> str:
    """A markdown table with one row per question set."""
    head = "| " + " | ".join(label for _, label in TABLE_COLUMNS) + " |"
    rule = "|" + "---|" * len(TABLE_COLUMNS)
    rows = [
        "| " + " | ".join(str(r.row()[key]) for key, _ in TABLE_COLUMNS) + " |" for r in reports
    ]
    return "\n".join([head, rule, *rows])


def hit(item: Item, quote: Quote) -> bool:
    """Does the quote answer the item? (Speaker questions count the attribution.)"""
    haystack = _fold(quote.text)
    if item.kind == "speaker" and quote.speaker:
        haystack += " " + _fold(quote.speaker)
    return any(_fold(g) in haystack for g in item.gold)


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Record:
    """One question asked: the best answer found (no refusal applied), the refusal
    threshold that applies to it, and the time the answer took."""

    item: Item
    best: Answer
    threshold: float
    ms: float = 0.0


def evaluate(bot: QABot, items: list[Item], name: str = "") -> Report:
    """Ask every question once (after one warm-up) and score the answers (``ask_all``)."""
    return summarise(ask_all(bot, items), name, bot.is_verbatim)


def ask_all(bot: QABot, items: list[Item]) -> list[Record]:
    """Every question asked once, after one warm-up, each with the time it took.

    Each question is asked with no refusal threshold, so that the best quote is known
    even where the bot refuses; the refusal is then the bot's own rule (confidence below
    its threshold), exactly as ``ask`` applies it.
    """
    bot.ask("warm-up question")
    records = []
    for item in items:
        t0 = time.perf_counter()
        best = bot.ask(item.question, history=list(item.history), min_confidence=0.0)
        ms = (time.perf_counter() - t0) * 1000
        records.append(Record(item, best, bot.threshold, ms))
    return records


def summarise(
    records: list[Record], name: str = "", is_verbatim: Callable[[Quote], bool] | None = None
) -> Report:
    """The figures of a run: hit rates, refusals, quote lengths, latency, calibration."""
    report = Report(name=name, n=len(records))
    latencies, quote_chars = [], []
    top1 = top3 = refused = unanswerable_ok = 0
    per_kind: dict[str, list[bool]] = {}
    for record in records:
        item, best = record.item, record.best
        latencies.append(record.ms)
        # As ask() decides: confident enough, and holding the kind of thing asked.
        found = best.found and best.confidence >= record.threshold and not best.lacks
        hits = [hit(item, q) for q in best.quotes] if item.kind != "unanswerable" else []
        report.calibration.append((round(best.confidence, 4), bool(hits and hits[0])))
        shown = best.quotes if found else ()
        if found:
            band = report.bands.setdefault(best.certainty or "unlabelled", [0, 0])
            band[0] += bool(hits and hits[0])
            band[1] += 1
        if is_verbatim is not None:
            report.verbatim_violations += sum(not is_verbatim(q) for q in best.quotes)
        if item.kind == "unanswerable":
            unanswerable_ok += not found
            report.unanswerable_over_half += found and best.confidence > 0.5
            per_kind.setdefault(item.kind, []).append(not found)
            if found:
                report.misses.append({"id": item.id, "question": item.question,
                                      "got": shown[0].text[:160]})  # fmt: skip
            continue
        report.answerable += 1
        refused += not found
        hits = hits if found else []
        first = bool(hits and hits[0])
        top1 += first
        top3 += any(hits[:3])
        per_kind.setdefault(item.kind, []).append(first)
        if shown:
            quote_chars.append(len(shown[0].text))
        if not first:
            got = shown[0].text[:160] if shown else f"REFUSED ({best.confidence:.2f})"
            report.misses.append({"id": item.id, "question": item.question, "got": got,
                                  "in_top3": any(hits[:3])})  # fmt: skip
    n_ans = max(1, report.answerable)
    n_un = len(records) - report.answerable
    report.top1, report.top3 = top1 / n_ans, top3 / n_ans
    report.false_refusals = refused / n_ans
    report.unanswerable_refused = unanswerable_ok / n_un if n_un else 1.0
    report.median_quote_chars = statistics.median(quote_chars) if quote_chars else 0.0
    report.median_ms = statistics.median(latencies) if latencies else 0.0
    report.p95_ms = _percentile(latencies, 95)
    report.by_kind = {k: sum(v) / len(v) for k, v in sorted(per_kind.items())}
    return report


def refusal_at(records: list[Record], target: float) -> dict[str, float]:
    """One point of the refusal trade-off: the highest threshold under which at most
    ``target`` of the answerable questions go unanswered, and the answerable and
    unanswerable shares refused there. Comparing models at the same answerable cost is fair
    where their own thresholds would refuse different amounts. A question the answer rules
    refuse (no quote, or lacking the asked kind) stays refused at any threshold."""
    answerable = [r.best for r in records if r.item.kind != "unanswerable"]
    unanswerable = [r.best for r in records if r.item.kind == "unanswerable"]
    if not answerable:
        return {"threshold": 0.0, "answerable_refused": 0.0, "unanswerable_refused": 1.0}
    always = sum(not b.found or bool(b.lacks) for b in answerable)
    open_ = sorted(b.confidence for b in answerable if b.found and not b.lacks)
    spare = int(target * len(answerable) + 1e-9) - always
    if spare <= 0:
        threshold = 0.0
    elif spare >= len(open_):
        threshold = open_[-1] + 1e-9
    else:
        threshold = open_[spare]

    def refused(b: Answer) -> bool:
        return not b.found or bool(b.lacks) or b.confidence < threshold

    share = lambda bs: sum(map(refused, bs)) / len(bs) if bs else 1.0  # noqa: E731
    return {
        "threshold": threshold,
        "answerable_refused": share(answerable),
        "unanswerable_refused": share(unanswerable),
    }


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
