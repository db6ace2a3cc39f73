"""Measure what each answer check does: every question set answered once with every check
on, then again with each check off in turn; write the figures and the check catalogue.

    python -m qa_bot.ablate            # or: make checks  (held-out sets, the fresh sets, SQuAD)
    python -m qa_bot.ablate --no-squad # without the 4,719 SQuAD training questions

A check only acts on the best candidate after ranking, so each question is retrieved and
ranked once and only its verdict is recomputed per check: the figures are exactly those
``qa-bot eval --without-check ID`` gives, in a fraction of the time. For each check and set
it counts the unanswerable questions it *catches* (refused with it, answered without it)
and the right answers it *costs* (refused with it, answered right without it). Writes
``benchmarks/results/checks.json`` and ``docs/checks.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from qa_bot.answer.checks.evidence import MEASURED, load_evidence
from qa_bot.answer.checks.registry import CHECKS
from qa_bot.answer.facts import Gathered
from qa_bot.answer.pipeline import conclude
from qa_bot.answer.ranking import rank
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.evaluate import hit
from qa_bot.learned.sets import HELD_OUT, OWN, ROOT, SQUAD
from qa_bot.questions import load_set
from qa_bot.types import Answer

log = logging.getLogger(__name__)

DOC = ROOT / "docs" / "checks.md"


def outcome(best: Answer, threshold: float) -> bool:
    """Would ``ask`` answer (as ``evaluate.summarise`` decides)?"""
    return best.found and best.confidence >= threshold and not best.checks


def measure(bot: QABot, items: list[Any]) -> dict[str, Any]:
    """Each check's catches and costs on one question set, and the set's figures."""
    ids = [check.id for check in CHECKS]
    counts = {i: {"catches": 0, "costs": 0, "fires": 0} for i in ids}
    answerable = unanswerable = right = refused = turned_away = 0
    for item in items:
        found = bot.retrieve(item.question, list(item.history))
        if found is None:
            continue
        gathered = Gathered(found.index, found.query, bot.question_encoder.encode,
                            bot.selection.part_floor)  # fmt: skip
        ranking = rank(gathered, found.vector, found.hits, bot.reranker, bot.selection)
        top_k, threshold = bot.settings.top_k, bot.threshold
        on = conclude(gathered, ranking, bot.selection, top_k, 0.0)
        said = outcome(on, threshold)
        is_right = (
            said and item.kind != "unanswerable" and bool(on.quotes) and hit(item, on.quotes[0])
        )
        if item.kind == "unanswerable":
            unanswerable += 1
            turned_away += not said
        else:
            answerable += 1
            right += is_right
            refused += not said
        for check_id in set(on.checks):
            counts[check_id]["fires"] += 1
        for check_id in ids:
            if check_id not in on.checks:
                continue  # only a check that refused can change the outcome when off
            off = conclude(gathered, ranking, bot.selection, top_k, 0.0, frozenset({check_id}))
            if not outcome(off, threshold) or said:
                continue
            if item.kind == "unanswerable":
                counts[check_id]["catches"] += 1
            elif off.quotes and hit(item, off.quotes[0]):
                counts[check_id]["costs"] += 1
    return {
        "answerable": answerable,
        "unanswerable": unanswerable,
        "top1": round(right / answerable, 3) if answerable else None,
        "answerable_refused": round(refused / answerable, 3) if answerable else None,
        "unanswerable_refused": round(turned_away / unanswerable, 3) if unanswerable else None,
        "checks": counts,
    }


def ablate(paths: list[Path], work: Path) -> dict[str, Any]:
    """The figures of every set, and each check's totals."""
    shared = QABot(Settings(corpus=ROOT / "corpus", index=ROOT / "embeddings"))
    sets: dict[str, Any] = {}
    for path in paths:
        qs = load_set(path, work)
        bot = shared
        if qs.corpus is not None:
            settings = Settings(corpus=qs.corpus, index=work / qs.name / "index")
            bot = QABot(settings, shared.embedder, shared.reranker)
        started = time.perf_counter()
        sets[qs.name] = measure(bot, qs.items)
        log.info("%s: %d questions, %.0f s", qs.name, len(qs.items), time.perf_counter() - started)
    checks: dict[str, Any] = {}
    for check in CHECKS:
        per_set = {name: figures["checks"][check.id] for name, figures in sets.items()}
        total = {k: sum(row[k] for row in per_set.values()) for k in ("catches", "costs", "fires")}
        checks[check.id] = {"per_set": per_set, "total": total}
    return {
        "date": date.today().isoformat(),
        "commit": _commit(),
        "script": "python -m qa_bot.ablate",
        "sets": {name: {k: v for k, v in f.items() if k != "checks"} for name, f in sets.items()},
        "checks": checks,
    }


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out.stdout.strip()


def catalogue(measured: dict[str, Any]) -> str:
    """docs/checks.md: every check with what it demands, its examples and its figures."""
    evidence = {entry["id"]: entry for entry in load_evidence()}
    figures = measured.get("checks", {})
    lines = [
        "# The answer checks",
        "",
        "Generated by `python -m qa_bot.ablate` (`make checks`) from the registry",
        "(`qa_bot/answer/checks/registry.py`), the examples in `checks.toml` beside it and the",
        f"ablation of {measured.get('date', 'no date')} (commit `{measured.get('commit', '?')}`,",
        "`benchmarks/results/checks.json`). Do not edit by hand.",
        "",
        "Each check reads the question's forms (`qa_bot/answer/forms.py`) and the best",
        "candidate's facts, and says what the sentence lacks. The checks run in this order; the",
        "first that fires gives the reason shown. **Catches**: unanswerable questions the check",
        "refuses that would be answered without it. **Costs**: right answers it refuses. Each",
        "set is answered end to end by the shipped model (SQuAD train: its articles, which the",
        "model was fitted on).",
        "",
        "| check | demands | catches | costs |",
        "|---|---|---|---|",
    ]
    for check in CHECKS:
        total = figures.get(check.id, {}).get("total", {})
        lines.append(f"| [`{check.id}`](#{check.id}) | {check.summary} | "
                     f"{total.get('catches', '–')} | {total.get('costs', '–')} |")  # fmt: skip
    for check in CHECKS:
        entry = evidence.get(check.id, {})
        lines += ["", f"## {check.id}", "", check.summary + ".", ""]
        if entry.get("why"):
            lines += [entry["why"].strip(), ""]
        forms = ", ".join(f"`{f}`" for f in check.forms) or "any question (the check decides)"
        lines += [f"Reads the question forms: {forms}.", ""]
        lines += ["| question | sentence | reason |", "|---|---|---|"]
        for example in entry.get("example", []):
            speaker = f" ({example['speaker']})" if example.get("speaker") else ""
            reason = example["reason"] or "*(does not fire)*"
            lines.append(f"| {example['question']} | {example['sentence']}{speaker} | {reason} |")
        per_set = figures.get(check.id, {}).get("per_set", {})
        moved = {name: row for name, row in per_set.items() if row["fires"]}
        if moved:
            lines += ["", "| set | refuses | catches | costs |", "|---|---|---|---|"]
            lines += [f"| {name} | {row['fires']} | {row['catches']} | {row['costs']} |"
                      for name, row in moved.items()]  # fmt: skip
        elif per_set:
            lines += ["", "It refused no best candidate in any set measured."]
    return "\n".join(lines).replace("|  |", "| |") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa_bot.ablate", description=__doc__)
    parser.add_argument("--work", type=Path, default=ROOT / "embeddings" / "eval",
                        help="folder for the sets' indexes (shared with qa-bot eval)")  # fmt: skip
    parser.add_argument("--no-squad", action="store_true", help="leave out the SQuAD articles")
    parser.add_argument("--docs-only", action="store_true",
                        help="rewrite docs/checks.md from the figures measured last")  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    if args.docs_only:
        measured = json.loads(MEASURED.read_text(encoding="utf-8")) if MEASURED.exists() else {}
    else:
        paths = [*HELD_OUT, *OWN] + ([] if args.no_squad else [SQUAD])
        measured = ablate(paths, args.work)
        MEASURED.write_text(json.dumps(measured, indent=1, ensure_ascii=False) + "\n")
        log.info("wrote %s", MEASURED)
    DOC.write_text(catalogue(measured), encoding="utf-8")
    log.info("wrote %s", DOC)
    return 0


if __name__ == "__main__":
    sys.exit(main())
