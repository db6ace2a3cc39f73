"""Which question sets the answer-selection model is fitted on, and which are held out.

The fitting sets are cross-validated (``fit.py``). The held-out sets are never fitted on:
the shipped model answers them end to end (``make fit``'s report, ``python -m
qa_bot.ablate``). The SQuAD 2.0 *dev* set is not used at all.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SHIPPED_CORPUS = ROOT / "corpus"
SQUAD = DATA / "squad2-train-10-articles.json"  # ten SQuAD 2.0 *train* articles
OWN = (DATA / "questions.json", DATA / "questions-2.json", DATA / "questions-3.json")
HELD_OUT = (
    DATA / "dev.json",
    DATA / "blind.json",
    DATA / "multidoc" / "questions.json",
    DATA / "nearmiss.json",  # topic present, asked fact absent, and look-alikes that answer
    DATA / "nearmiss-2.json",  # the same, written after the rules nearmiss.json guided
    DATA / "nearmiss-3.json",  # the same, written before the rules it then measured
    DATA / "nearmiss-4.json",  # the same again, written before the deed demands
    DATA / "nearmiss-5.json",  # the same again, written after the sixth session's rules
    DATA / "multidoc" / "multidoc-nearmiss.json",
    DATA / "multidoc" / "multidoc-nearmiss-2.json",  # the four documents, written first again
    DATA / "multidoc" / "multidoc-nearmiss-3.json",  # and again, between two batches of rules
    DATA / "multidoc" / "multidoc-nearmiss-4.json",  # written before the seventh session's rules
    DATA / "typos.json",  # typos and casual wording
    DATA / "licenses" / "licenses-nearmiss.json",  # two documents never read before, written first
    DATA / "gpl" / "gpl-nearmiss.json",  # and one more, written after that session's first rules
    DATA / "fdl" / "fdl-nearmiss.json",  # and one more, written after all of them
    DATA / "history" / "history-nearmiss.json",  # release notes and a design history, first
    DATA / "credits" / "credits-nearmiss.json",  # a credits list and a design note, first
    DATA / "presser" / "presser-nearmiss.json",  # a press briefing's transcript, first
    DATA / "senate" / "senate-nearmiss.json",  # a Senate floor record (HTML), first
    DATA / "remarks" / "remarks-nearmiss.json",  # members' statements, after that session
    DATA / "digest" / "digest-nearmiss.json",  # a committee digest and schedule, first
    DATA / "opinion" / "opinion-nearmiss.json",  # a Supreme Court opinion (HTML), first
    DATA / "faq" / "faq-nearmiss.json",  # the Debian FAQ, after that session's changes
    DATA / "release" / "release-nearmiss.json",  # two statistical releases with a table, first
    DATA / "briefing" / "briefing-nearmiss.json",  # press briefings, "Speaker: text", first
)
