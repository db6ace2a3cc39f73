"""The eval harness: hit rates, refusals, verbatim checks and latency on a question set."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_bot.bot import QABot
from qa_bot.types import Answer, Quote

KINDS = ("factoid", "speaker", "pagebreak", "followup", "unanswerable")


class QuestionSetError(ValueError):
    """The question file is not in the expected format; the message says where."""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    question: str
    gold: tuple[str, ...]
    history: tuple[str, ...] = ()


@dataclass
class Report:
    """Figures of one eval run, plus each miss for reading."""

    n: int = 0
    top1: float = 0.0
    top3: float = 0.0
    false_refusals: float = 0.0
    unanswerable_refused: float = 0.0
    verbatim_violations: int = 0
    median_quote_chars: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    by_kind: dict[str, float] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"questions            {self.n}",
            f"top-1 hit rate       {self.top1:.3f}",
            f"top-3 hit rate       {self.top3:.3f}",
            f"false refusals       {self.false_refusals:.3f}",
            f"unanswerable refused {self.unanswerable_refused:.3f}",
            f"verbatim violations  {self.verbatim_violations}",
            f"median quote chars   {self.median_quote_chars:.0f}",
            f"ask() median ms      {self.median_ms:.1f}",
            f"ask() p95 ms         {self.p95_ms:.1f}",
        ]
        out += [f"top-1 {kind:<15}{rate:.3f}" for kind, rate in self.by_kind.items()]
        return out


def load_questions(path: Path) -> list[Item]:
    """Read a question set in the format of tests/data/dev.json."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise QuestionSetError(f"{path}: cannot be read ({err.strerror})") from None
    except ValueError as err:
        raise QuestionSetError(f"{path}: not valid JSON ({err})") from None
    if not isinstance(data, list):
        raise QuestionSetError(f"{path}: expected a JSON list of questions")
    items = []
    for i, row in enumerate(data):
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            raise QuestionSetError(f"{path}: item {i} has no 'question' string")
        kind = row.get("kind", "factoid")
        if kind not in KINDS:
            raise QuestionSetError(f"{path}: item {i} has unknown kind {kind!r}")
        gold = tuple(row.get("gold", []))
        if kind != "unanswerable" and not gold:
            raise QuestionSetError(f"{path}: item {i} ({kind}) has no gold phrases")
        items.append(
            Item(str(row.get("id", i)), kind, row["question"], gold, tuple(row.get("history", [])))
        )
    return items


def hit(item: Item, quote: Quote) -> bool:
    """Does the quote answer the item? (Speaker questions count the attribution.)"""
    haystack = _fold(quote.text)
    if item.kind == "speaker" and quote.speaker:
        haystack += " " + _fold(quote.speaker)
    return any(_fold(g) in haystack for g in item.gold)


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def evaluate(bot: QABot, items: list[Item]) -> Report:
    """Ask every question once (after one warm-up) and score the answers."""
    bot.ask("warm-up question")
    report = Report(n=len(items))
    latencies, quote_chars = [], []
    answerable = [i for i in items if i.kind != "unanswerable"]
    top1 = top3 = refused = unanswerable_ok = 0
    per_kind: dict[str, list[bool]] = {}
    for item in items:
        t0 = time.perf_counter()
        result: Answer = bot.ask(item.question, history=list(item.history))
        latencies.append((time.perf_counter() - t0) * 1000)
        for quote in result.quotes + result.related:
            if not bot.is_verbatim(quote):
                report.verbatim_violations += 1
        if item.kind == "unanswerable":
            unanswerable_ok += not result.found
            per_kind.setdefault(item.kind, []).append(not result.found)
            if result.found:
                report.misses.append({"id": item.id, "question": item.question,
                                      "got": result.quotes[0].text[:160]})  # fmt: skip
            continue
        if not result.found:
            refused += 1
        hits = [hit(item, q) for q in result.quotes]
        first = bool(hits and hits[0])
        top1 += first
        top3 += any(hits[:3])
        per_kind.setdefault(item.kind, []).append(first)
        if result.quotes:
            quote_chars.append(len(result.quotes[0].text))
        if not first:
            got = (
                result.quotes[0].text[:160]
                if result.quotes
                else f"REFUSED ({result.confidence:.2f})"
            )
            report.misses.append({"id": item.id, "question": item.question, "got": got,
                                  "in_top3": any(hits[:3])})  # fmt: skip
    n_ans = max(1, len(answerable))
    n_un = max(1, len(items) - len(answerable))
    report.top1, report.top3 = top1 / n_ans, top3 / n_ans
    report.false_refusals = refused / n_ans
    report.unanswerable_refused = unanswerable_ok / n_un if len(items) > len(answerable) else 1.0
    report.median_quote_chars = statistics.median(quote_chars) if quote_chars else 0.0
    report.median_ms = statistics.median(latencies) if latencies else 0.0
    report.p95_ms = _percentile(latencies, 95)
    report.by_kind = {k: sum(v) / len(v) for k, v in sorted(per_kind.items())}
    return report


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
