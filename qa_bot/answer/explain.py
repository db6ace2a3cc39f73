"""Which checks fire on a sentence, and why: for a maintainer reading a refusal, and for
the tests of each check. The sentence may be one of the index (its stored entities,
passage and speaker are used) or any text, read by the NER as the build reads documents."""

from __future__ import annotations

from qa_bot.answer.checks.registry import Fired, run
from qa_bot.answer.facts import Gathered
from qa_bot.answer.query import analyse
from qa_bot.index.load import Index
from qa_bot.types import Encode, Sentence


def explain(
    index: Index,
    question: str,
    sentence: str,
    history: list[str] | None = None,
    encode: Encode | None = None,
    part_floor: float = 0.0,
    limit: int = 1000,
    speaker: str | None = None,
) -> list[Fired]:
    """Every check that fires on ``sentence`` as an answer to ``question``, in registry
    order, each with its reason and whether it refuses (no check is switched off here)."""
    query = analyse(question, history or [], index.speakers, limit, index.speller)
    found = _indexed(index, sentence, speaker)
    target = found if found is not None else standalone(sentence, speaker)
    return list(run(query, Gathered(index, query, encode, part_floor).of(target)).fired)


def _indexed(index: Index, text: str, speaker: str | None) -> Sentence | None:
    """The indexed sentence with exactly this text (white space aside), if there is one."""
    wanted = " ".join(text.split())
    for sentence in index.sentences:
        if sentence.text == wanted and (speaker is None or sentence.speaker == speaker):
            return sentence
    return None


def standalone(text: str, speaker: str | None = None) -> Sentence:
    """A sentence outside any index, its entities found by the NER now (spaCy, loaded on
    first use: answering never needs it)."""
    from qa_bot.ingest.entities import read_sentences

    text = " ".join(text.split())
    ((entities, tense),) = read_sentences([text])
    return Sentence(-1, -1, "", 0, len(text), text, "", speaker, entities, tense)
