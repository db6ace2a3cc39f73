"""The registry of answer checks: every check has an id, a place in one ordered list, its
examples (``qa_bot/answer/checks/checks.toml``), each passing on that check alone; a check
can be switched off by id, and ``explain`` names every check that fires."""

from __future__ import annotations

import json

import pytest

from qa_bot.answer.checks.evidence import load_evidence
from qa_bot.answer.checks.registry import BY_ID, CHECKS, UnknownCheckError, known
from qa_bot.bot import QABot
from qa_bot.config import SettingsError
from tests.conftest import FakeCrossEncoder, reason_of

EVIDENCE = load_evidence()
EXAMPLES = [
    pytest.param(entry["id"], example, id=f"{entry['id']}-{n}")
    for entry in EVIDENCE
    for n, example in enumerate(entry["example"], 1)
]


@pytest.mark.parametrize(("check", "example"), EXAMPLES)
def test_every_example_holds_on_its_check_alone(check, example):
    got = reason_of(check, example["question"], example["sentence"], example.get("speaker"))
    assert got == example["reason"]


@pytest.mark.parametrize(
    ("question", "sentence", "reason"),
    [
        ("What was the name of Isakson's grandfather?",
         "In fact, my grandfather, for whom I am named, was a tobacco warehouse man.",
         "it does not name the grandfather"),
        ("What is the name of Jones's brother?",
         "Acme.com was set up by Mr. Jones and his brother to market jam.",
         "it does not name the brother"),  # a company's name names no brother
        ("What are the names of the two children?",
         "The father of two children, he also served his community.",
         "it does not name the two children"),  # a count names none
        # What an abstract thing is, is said by what follows it, not by a name.
        ("Which shift in exploitation did he point to?",
         "He warned of a rise in child trafficking and a shift toward forced labour.", ""),
        ("Which enablers did she want targeted?",
         "She urged targeting their enablers – including unregulated platforms.", ""),
        # "any version" is an answer, and "that" opens a clause, not a vague mention.
        ("Which version may you choose?", "You may choose any version ever published.", ""),
        ("Which group makes up over one-third of victims?",
         "They noted that children represent over one-third of victims.", ""),
        # A name elsewhere in the sentence may be the one: SQuAD's answers say so.
        ("Which artist was featured on the single?",
         "Its single \"Crazy in Love\", featuring Jay Z, made her a solo artist.", ""),
        ("Which annual meeting hosts the Wanamaker Mile?",
         "The Millrose Games is an annual meeting whose featured event is the Wanamaker Mile.",
         ""),
        ("What is the name of Chopin's godfather?",
         "His godfather, for whom he was named, was Fryderyk Skarbek, a pupil.", ""),
        # A doer named beside the pronoun: "He" is not all it says.
        ("Which senator placed a hold on the nominees?",
         "He said Senator Grassley placed a hold on the nominees.", ""),
    ],
)  # fmt: skip
def test_which_thing_is_named_not_only_mentioned(question, sentence, reason):
    assert reason_of("identity", question, sentence) == reason


def test_the_evidence_file_lists_every_check_in_registry_order():
    assert [entry["id"] for entry in EVIDENCE] == [check.id for check in CHECKS]


@pytest.mark.parametrize("entry", EVIDENCE, ids=lambda e: e["id"])
def test_each_check_shows_two_to_five_examples_firing_and_not(entry):
    """An example of what the check refuses and one of what it lets through."""
    reasons = [example["reason"] for example in entry["example"]]
    assert 2 <= len(reasons) <= 5
    assert any(reasons) and not all(reasons)
    assert entry["why"].strip()


def test_an_unknown_check_id_is_refused_with_the_known_ones():
    with pytest.raises(UnknownCheckError, match="known checks: speaker, topic, posed, kind"):
        known(["kind", "no-such-check"])
    assert known([" kind", "given ", ""]) == {"kind", "given"}


def test_a_bot_refuses_a_setting_naming_an_unknown_check(tiny_settings, fake):
    with pytest.raises(SettingsError, match="QA_BOT_WITHOUT_CHECKS: unknown check 'nope'"):
        QABot(tiny_settings.with_(without_checks="nope"), fake, FakeCrossEncoder())


def test_a_switched_off_check_no_longer_refuses(tiny_settings, fake):
    """The number and time checks refuse "since 2021" (the passage says 2019); switched
    off, the same sentence is the answer, and the JSON names the checks that refused."""
    question = "What happened to pollution since 2021?"
    on = QABot(tiny_settings, fake, FakeCrossEncoder())
    refused = on.ask(question, min_confidence=0.01)
    assert not refused.found and refused.checks == ("given", "time")
    assert json.loads(json.dumps(refused.to_dict()))["checks"] == ["given", "time"]
    off = QABot(tiny_settings.with_(without_checks="time,given"), fake, FakeCrossEncoder())
    answered = off.ask(question, min_confidence=0.01)
    assert answered.found and "doubled since 2019" in answered.quotes[0].text
    assert answered.checks == ()


def test_explain_names_every_check_that_fires(bot):
    """Two checks fire on one sentence: the kind (no place) and the year the question
    gives; the first is the reason shown. The sentence may be the index's or any text."""
    question = "In which city did the river council meet in 2021?"
    indexed = "Fish numbers fell by 40% over ten years."
    fired = bot.explain(question, indexed)
    assert [(f.id, f.reason, f.vetoes) for f in fired] == [
        ("kind", "no city is named", True),
        ("given", "it does not mention 2021", True),
    ]
    assert [f.id for f in bot.explain(question, "The council met in Springfield in 2021.")] == []


def test_explain_reads_any_sentence_with_the_ner(bot):
    fired = bot.explain("Which country hosts the compounds?", "Compounds spread across Asia.")
    assert [(f.id, f.reason) for f in fired] == [("country", "no country is named")]


def test_every_check_reads_only_forms_that_exist():
    from qa_bot.answer.forms import BY_ID as FORMS

    for check in CHECKS:
        assert set(check.forms) <= set(FORMS), check.id
    assert list(BY_ID) == [check.id for check in CHECKS]
