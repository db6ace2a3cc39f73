"""The command line's view of the answer checks: the registry listed, a sentence explained,
an eval with a check switched off, and a clear error for a check that does not exist."""

from __future__ import annotations

import json

import pytest

from qa_bot.answer.checks.registry import CHECKS
from qa_bot.cli import main
from tests.conftest import DATA


def _cli(settings, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--index", str(settings.index), "--corpus", str(settings.corpus), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_registry_is_listed_in_order_with_what_each_check_demands(tiny_settings, capsys):
    code, out, _ = _cli(tiny_settings, capsys, "checks")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()[: len(CHECKS)]]
    assert listed == [check.id for check in CHECKS]
    assert "holds the kind of thing asked" in out
    code, out, _ = _cli(tiny_settings, capsys, "checks", "--json")
    rows = json.loads(out)
    assert [row["id"] for row in rows] == listed and all(row["examples"] >= 2 for row in rows)


@pytest.mark.integration  # builds the tiny corpus's index with the real model
def test_explain_names_the_checks_that_fire_and_says_so_when_none_does(tiny_settings, capsys):
    code, out, _ = _cli(tiny_settings, capsys, "explain", "Which country hosts the compounds?",
                        "Compounds spread across Asia.")  # fmt: skip
    assert code == 0 and out.strip() == "country: no country is named"
    code, out, _ = _cli(tiny_settings, capsys, "explain", "Which country hosts the compounds?",
                        "Compounds operate in Myanmar.", "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == []


def test_an_unknown_check_is_a_usage_error_naming_the_known_ones(tiny_settings, capsys):
    code, _, err = _cli(tiny_settings, capsys, "eval", str(DATA / "dev.json"),
                        "--without-check", "no-such-check")  # fmt: skip
    assert code == 2
    assert (
        "unknown check 'no-such-check'" in err
        and "known checks: speaker, topic, posed, kind" in err
    )
