"""Honest answers on the shipped document (real models): a plausible sentence is never shown
as the answer when the asked fact is not there; typed and casual questions are answered;
who-is questions open with the sentence that introduces the person."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa_bot.bot import QABot
from qa_bot.format import answer_to_markdown
from qa_bot.types import ANSWERED, POSSIBLY_RELEVANT
from tests.conftest import ROOT, write_corpus

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("question", "lacks"),
    [
        ("In which city was the first Global Forum for Survivors held?", "no city is named"),
        # A true near miss: one-third is the children's share; women are named in the
        # coordinated statement after it (answered at 0.85 before the share had to be the
        # part's). And its paraphrase, worded otherwise.
        ("What percentage of detected trafficking victims are women?", "no share of women"),
        ("What proportion of trafficking victims are adult men?", "no share of adult men"),
        ("How much money did the Trust Fund distribute in 2024?", "no amount of money is given"),
        ("What is the annual budget of UNODC?", "no amount of money is given"),
        ("When was the first-ever Global Forum for Survivors held?", "no date is given"),
        ("How old was Evelyn Chumbow when she was trafficked?", "no age is given"),
        ("Which Member State hosted the Global Forum for Survivors?", "no place is named"),
        ("How many children were detected as trafficking victims in 2024?", "2024"),
        ("How many victims did the Trust Fund help in 2024?", "2024"),
        # Its only number is a date (answered at 1.0 while any date passed for a count).
        (
            "How many delegations attended the hearing convened by the President of the "
            "General Assembly?",
            "no number is given",
        ),
        # A region and an office are no country; being trafficked to a country is no
        # birthplace; a rise of 25% says how fast, not how many (answered at 0.5-0.9 before).
        ("Which country is Catherine Kirkendall from?", "no country is named"),
        ("Which countries host the scam compounds in Southeast Asia?", "no country is named"),
        ("Where was Evelyn Chumbow born?", "no birth is mentioned"),
        ("How many trafficking victims were detected in 2024?", "only a share is given"),
        # The hearing's date and place are not the coming high-level meeting's (1.0 before).
        ("When will the General Assembly hold the high-level meeting?", "what will happen"),
        # "Over the past 15 years" says for how long, not when (0.69 before); the speaker
        # line names no organisation but the one asked about (0.6 before).
        ("When did Ghada Fathi Waly take up her post at UNODC?", "no date is given"),
        ("When did the Global Forum for Survivors take place?", "no date is given"),
        ("Which organisation finances Marinus Analytics?", "no organisation is named"),
        # A name beside the deed's object did not do the deed (0.47 and 1.0 before); the
        # President of the General Assembly, unnamed, is no Secretary-General (0.60); being
        # trafficked to a country does not say from where (0.80).
        ("Who founded Hagar International?", "it does not say who founded"),
        ("Who succeeded Philemon Yang as President of the General Assembly?", "who succeeded"),
        ("Who was the Secretary-General of the United Nations in 2025?", "no person is named"),
        ("From which country was Evelyn Chumbow trafficked?", "it does not say where from"),
        # A rise of victims is no rise of child trafficking (0.83 before), nor a rise a fall
        # (0.95); "by a Vice-President" names none (0.90); 2010 is not when Ms. Michail took
        # office (0.76).
        ("By what percentage did child trafficking rise since 2019?", "child trafficking"),
        ("By what percentage did victim detection fall during the pandemic?", "not a fall"),
        ("What is the name of the Vice-President who delivered the opening remarks?", "named"),
        ("When did Maria Michail become Permanent Representative of Cyprus?", "becoming"),
        # Who chaired it is not said; the closing speaker was given at 0.63 before.
        ("Who chaired the hearing?", "who chaired"),
        # "How much ... grew" asks the size of a change; a sentence giving none does not say.
        ("By how much has the use of cryptocurrency by traffickers increased?", "by how much"),
        # Article 6 is on the protection of victims (0.78 before); an Engagement Lead is no
        # chief executive (0.62); the Member States urged to fund the Trust Fund are named
        # by no country (0.68).
        ("Which article of the Protocol is about preventing trafficking?", "no article on"),
        ("Who is the chief executive officer of Marinus Analytics?", "no chief executive"),
        ("Which Member States paid for the Global Report?", "no country is named"),
        # One-third is the children's share of victims, not the share of cases involving
        # forced labour (answered at 0.42 before the part could follow "involve").
        ("What proportion of trafficking cases involve forced labour?", "no share of forced"),
    ],
)
def test_a_topic_the_document_covers_without_the_fact_asked_is_not_answered(
    real_bot, question, lacks
):
    """Refused, or shown as possibly relevant saying what is missing; never an answer."""
    result = real_bot.ask(question)
    assert result.outcome != ANSWERED, (result.confidence, result.quotes[0].text)
    assert not result.quotes
    if result.outcome == POSSIBLY_RELEVANT:
        assert lacks in result.lacks


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When was the Global Plan of Action adopted?", "2010"),
        ("What rise in victim detection since 2019 was reported?", "25%"),
        ("Which country does Maria Michail represent?", "Cyprus"),
        ("Who will lead the negotiations on the political declaration?", "co-facilitators"),
        ("When did the President of the General Assembly convene the hearing?", "30 June 2025"),
        ("Which organisation does Colin Ward work for?", "Marinus Analytics"),
        ("Who is the current President of the General Assembly?", "Philemon Yang"),
        ("Who is the Executive Director of UNODC?", "Waly"),
        ("To which country was Evelyn Chumbow trafficked?", "United States"),
        ("By what percentage did victim detection rise since 2019?", "25%"),
        # The date line under the title says where and when the hearing was (0.34, 0.33
        # before: refused), and "take place" is no word the text must repeat (0.18 before).
        ("Where was the hearing held?", "New York"),
        ("On what date was the multi-stakeholder hearing held?", "30 June 2025"),
        ("When did the hearing take place?", "30 June 2025"),
        # "Held" only says the hearing happened; the text says "convened" (0.25 before).
        ("When was the hearing held?", "30 June 2025"),
        # "PGA" was dropped as a casual word: "Who is the ?" was refused at 0.11.
        ("Who is the PGA?", "Philemon Yang"),
        # "How much" asked the size of a change, not an amount of money (0.33 before).
        ("By how much have victim numbers grown since 2019?", "35%"),
        ("Which article of the Protocol is about the protection of victims?", "Article 6"),
    ],
)
def test_their_answerable_look_alikes_are_answered(real_bot, question, expected):
    result = real_bot.ask(question)
    assert result.found and expected in result.quotes[0].text, result.confidence


def test_a_change_not_given_is_said_to_be_missing_not_money(real_bot):
    """What a change question's closest passage lacks is that change, not an amount of
    money nor the words that only measure it ("numbers")."""
    result = real_bot.ask("By how much have child trafficking numbers grown since 2019?")
    assert result.outcome == POSSIBLY_RELEVANT
    assert result.lacks == "it gives no change in child trafficking numbers"


def test_the_country_asked_for_is_marked(real_bot):
    """The answer phrase is the country, not the office or the title beside it."""
    first = real_bot.ask("Which country does Maria Michail represent?").quotes[0]
    assert first.text[first.answer_start : first.answer_end] == "the Republic of Cyprus"


def test_a_possibly_relevant_passage_says_what_it_lacks(real_bot):
    result = real_bot.ask("In which city was the first Global Forum for Survivors held?")
    if result.outcome == POSSIBLY_RELEVANT:
        assert result.lacks == "no city is named"
        assert result.related and "Global Forum for Survivors" in result.related[0].text


def test_facts_only_in_a_pages_navigation_are_not_answered(real_bot, tmp_path):
    page = """<html><head><title>Harbour Authority</title></head><body>
<nav>Our office opened in Lisbon in 1998. Contact: 12 Quay Street.</nav>
<main><h1>Harbour Authority</h1>
<p>The harbour authority keeps the channel dredged and publishes tide tables every week.</p>
<p>Its inspectors check moorings and report damaged buoys to the coast guard.</p></main>
</body></html>"""
    corpus = write_corpus(tmp_path / "corpus", {"harbour.html": page})
    bot = QABot(real_bot.settings.with_(corpus=corpus, index=tmp_path / "index"),
                real_bot.embedder, real_bot.reranker)  # fmt: skip
    assert "Lisbon" not in bot.index.texts["harbour.html"]  # navigation is dropped
    for question in ("When did the office open in Lisbon?", "What is the office's address?"):
        result = bot.ask(question)
        assert result.outcome != ANSWERED, (question, result.confidence)
    assert bot.ask("What does the harbour authority publish every week?").found


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who was the moderater of the pannel??", "Delphine Schantz"),
        ("wat did the survivor lady say abt compensation", "compensate survivors"),
    ],
)
def test_typos_and_casual_wording_are_answered(real_bot, question, expected):
    result = real_bot.ask(question)
    assert result.found, (result.confidence, [q.text for q in result.related])
    first = result.quotes[0]
    assert expected in f"{first.text} {first.speaker or ''}"


def test_the_corrected_question_is_shown(real_bot):
    result = real_bot.ask("who was the moderater of the pannel??")
    assert "Searched for “moderated” (typed “moderater”), “panel” (typed “pannel”)." in result.notes
    assert result.question == "who was the moderater of the pannel??"


@pytest.mark.parametrize(
    ("question", "introduction"),
    [
        ("Who is Catherine Kirkendall?", "Executive Director of the US Office at Hagar"),
        ("Which company does Colin Ward work for?", "Engagement Lead of Marinus Analytics"),
    ],
)
def test_who_is_questions_open_with_the_introducing_sentence(real_bot, question, introduction):
    result = real_bot.ask(question)
    assert result.found and introduction in result.quotes[0].text, result.quotes[0].text


def test_the_answer_phrase_is_marked_inside_the_verbatim_quote(real_bot):
    result = real_bot.ask("Who moderated the panel?")
    first = result.quotes[0]
    assert "Delphine Schantz" in first.answer_phrase
    assert first.text[first.answer_start : first.answer_end] == first.answer_phrase
    assert "answer-phrase" in answer_to_markdown(result)
    data = result.to_dict()
    assert data["outcome"] == ANSWERED and "Delphine Schantz" in data["quotes"][0]["answer_phrase"]
    assert real_bot.is_verbatim(first)


def test_the_cli_shows_the_three_outcomes(real_bot):
    env = {
        **os.environ,
        "QA_BOT_INDEX": str(real_bot.settings.index),
        "QA_BOT_CORPUS": str(real_bot.settings.corpus),
        "HF_HUB_OFFLINE": "1",
    }
    questions = [
        "Who moderated the panel?",
        "What is the capital of Mongolia?",
        "In which city was the first Global Forum for Survivors held?",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "qa_bot", "ask", "-", "--json"],
        input="\n".join(questions), env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    outcomes = [json.loads(line)["outcome"] for line in done.stdout.splitlines()]
    assert outcomes[0] == "answer" and outcomes[1] == "not_found"
    assert outcomes[2] in ("possibly_relevant", "not_found")
