"""The command line's view of the answer checks: ``qa-bot checks`` lists the registry (with
the last ablation's figures, where measured), ``qa-bot explain`` says which checks fire on
a sentence as an answer to a question, and why. The answer package is imported only when
one of these runs: the other commands start without it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from qa_bot.config import Settings

Say = Callable[[str], None]


def add_commands(sub: Any) -> None:
    """The ``checks`` and ``explain`` subcommands."""
    c = sub.add_parser("checks", help="list the answer checks, in the order they run")
    c.add_argument("--json", action="store_true", help="print the registry as JSON")
    x = sub.add_parser(
        "explain", help="which checks fire on a sentence as an answer to a question, and why"
    )
    x.add_argument("question")
    x.add_argument("sentence", help="an indexed sentence's text, or any sentence")
    x.add_argument("--speaker", help="who said the sentence (a sentence not in the index)")
    x.add_argument("--history", action="append", default=[], help="an earlier question")
    x.add_argument("--json", action="store_true", help="print the checks as JSON")


def registry_rows() -> list[dict[str, Any]]:
    """One row per check, in registry order: what it demands, what it reads, its examples,
    and the last ablation's figures summed over the sets measured (None: not measured)."""
    from qa_bot.answer.checks.evidence import load_evidence, load_measured
    from qa_bot.answer.checks.registry import CHECKS

    examples = {entry["id"]: entry for entry in load_evidence()}
    measured = load_measured().get("checks", {})
    rows = []
    for check in CHECKS:
        figures = measured.get(check.id)
        rows.append(
            {
                "id": check.id,
                "demands": check.summary,
                "forms": list(check.forms),
                "examples": len(examples.get(check.id, {}).get("example", [])),
                "catches": figures["total"]["catches"] if figures else None,
                "costs": figures["total"]["costs"] if figures else None,
            }
        )
    return rows


def list_checks(settings: Settings, args: argparse.Namespace, say: Say) -> int:
    rows = registry_rows()
    if args.json:
        say(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    off = settings.checks_off
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        measured = (
            f"  [catches {row['catches']}, costs {row['costs']}]"
            if row["catches"] is not None
            else ""
        )
        state = " (off)" if row["id"] in off else ""
        say(f"{row['id']:<{width}}  {row['demands']}{state}{measured}")
    say(
        f"\n{len(rows)} checks, run in this order; the first that fires gives the reason. "
        "Switch one off with QA_BOT_WITHOUT_CHECKS=id or qa-bot eval --without-check id; "
        "docs/checks.md has each one's examples and figures."
    )
    return 0


def explain(settings: Settings, args: argparse.Namespace, say: Say) -> int:
    from qa_bot.bot import QABot

    bot = QABot(settings)
    fired = bot.explain(args.question, args.sentence, args.history, speaker=args.speaker)
    if args.json:
        say(json.dumps([f.__dict__ for f in fired], indent=2, ensure_ascii=False))
        return 0
    if not fired:
        say("No check fires: nothing the question demands is missing from the sentence.")
    for f in fired:
        say(f"{f.id}: {f.reason}" + ("" if f.vetoes else " (a reason only: it does not refuse)"))
    return 0
