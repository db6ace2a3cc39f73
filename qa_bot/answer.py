"""Pick the sentences that answer, merge them into quotes, or refuse."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qa_bot import vectors as vec
from qa_bot.index import Index
from qa_bot.query import Query
from qa_bot.retrieval import PassageHit
from qa_bot.speakers import name_keys
from qa_bot.text import same_root, terms, words
from qa_bot.types import Answer, Quote, Sentence

# Weights of the sentence score (fitted on the project's own question set, see
# tests/data/questions.json, and checked on the dev set).
W_SENTENCE_DENSE = 0.45
W_PASSAGE_DENSE = 0.20
W_SENTENCE_COVERAGE = 0.15
W_PASSAGE_COVERAGE = 0.20
W_SPEAKER = 0.20
W_WHO = 0.15
TYPE_BONUS = 0.1  # a date for "when", a person for "who": evidence of an answer
TYPE_PENALTY = 0.25  # the sentence lacks the amount or date the question asks for
SPEAKER_MISMATCH = 0.1  # the question names a speaker; this sentence is not theirs
RELATED_MIN = 0.75  # a further quote must score this share of the best one
MERGE_MIN = 0.9  # a neighbour this close to the best is part of the answer
RELATED_FLOOR = 0.5  # a refusal lists passages at least this share of the way to an answer

REFUSAL = "The documents don't answer this question."
_DEPENDENT = re.compile(
    r"^(?:It|Its|This|These|Those|That|Such|They|Their|Both|However|Further|Furthermore|"
    r"Additionally|Moreover|In particular|On the other hand|Also)\b"
)
_PERSON = re.compile(r"\b(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.)\s+[A-ZÀ-Þ]")
_QUANTITY_WORDS = frozenset(
    """
    thousands hundreds millions billions dozens half third quarter one-third two-thirds
    majority minority percent per cent
    """.split()
)
_MONTHS = frozenset(
    """
    january february march april may june july august september october november
    december
    """.split()
)


@dataclass(frozen=True)
class ScoredSentence:
    sentence_id: int
    score: float
    confidence: float


def answer(
    index: Index,
    query: Query,
    query_vector: np.ndarray,
    hits: list[PassageHit],
    top_k: int,
    min_confidence: float,
) -> Answer:
    """Quotes for the query from the retrieved passages, or a refusal with related passages."""
    scored = score_sentences(index, query, query_vector, hits)
    if not scored:
        return Answer(query.text, False, message=REFUSAL, notes=query.notes)
    best = scored[0]
    if best.confidence < min_confidence:
        near = [s for s in scored if s.confidence >= RELATED_FLOOR * min_confidence]
        related = tuple(_quote(index, [s.sentence_id], s.score) for s in _distinct(index, near, 3))
        return Answer(
            query.text, False, related=related, message=REFUSAL,
            confidence=best.confidence, notes=query.notes,
        )  # fmt: skip
    by_id = {s.sentence_id: s.score for s in scored}
    picks: list[tuple[list[int], float]] = []
    for cand in scored:
        if len(picks) >= top_k or cand.score < RELATED_MIN * best.score:
            break
        if any(_touches(index, cand.sentence_id, ids) for ids, _ in picks):
            continue
        picks.append((_expand(index, cand.sentence_id, by_id, best.score), cand.score))
    return Answer(
        query.text,
        True,
        quotes=tuple(_quote(index, ids, score) for ids, score in picks),
        confidence=best.confidence,
        notes=query.notes,
    )


def score_sentences(
    index: Index, query: Query, qv: np.ndarray, hits: list[PassageHit]
) -> list[ScoredSentence]:
    """Every candidate sentence scored, best first."""
    candidates: set[int] = set()
    for hit in hits:
        candidates.update(index.passages[hit.passage_id].sentence_ids)
    _, s_ids = vec.search(index.sentence_index, qv, 10)
    candidates.update(int(i) for i in s_ids)
    if query.terms:
        lex = index.sentence_bm25.scores(list(query.terms))
        candidates.update(int(i) for i in np.argsort(-lex)[:10] if lex[i] > 0)
    weights = _term_weights(index, query.terms)
    bonus = {
        t: w for t, w in _term_weights(index, query.optional_terms).items() if t not in weights
    }
    texts = {}
    for sid in candidates:
        passage = index.passages[index.sentences[sid].passage_id]
        texts[sid] = (
            _term_set(index.sentences[sid].text),
            _term_set(f"{passage.embedding_text()} {passage.speaker or ''}"),
        )
    families = _families({**weights, **bonus}, [t for pair in texts.values() for t in pair])
    results = []
    for sid in candidates:
        sentence = index.sentences[sid]
        passage = index.passages[sentence.passage_id]
        s_dense = float(index.sentence_vectors[sid] @ qv)
        p_dense = float(index.passage_vectors[passage.id] @ qv)
        s_cov = _coverage(weights, bonus, families, texts[sid][0])
        p_cov = _coverage(weights, bonus, families, texts[sid][1])
        speaker = 1.0 if query.speakers and _by_or_about(sentence, query.speakers) else 0.0
        who = 1.0 if query.kind == "who" and _names_person(index, sentence) else 0.0
        score = (
            W_SENTENCE_DENSE * s_dense
            + W_PASSAGE_DENSE * p_dense
            + W_SENTENCE_COVERAGE * s_cov
            + W_PASSAGE_COVERAGE * p_cov
            + W_SPEAKER * speaker
            + W_WHO * who
        )
        confidence = 0.5 * max(s_dense, 0.8 * p_dense) + 0.5 * max(s_cov, 0.8 * p_cov)
        if not _fits_kind(query, sentence.text):
            score -= TYPE_PENALTY
            confidence -= TYPE_PENALTY
        elif (query.kind == "when") or (query.kind == "who" and who):
            confidence += TYPE_BONUS
        if query.speakers and not speaker:
            confidence -= SPEAKER_MISMATCH
        results.append(ScoredSentence(sid, score, confidence))
    results.sort(key=lambda s: (-s.score, s.sentence_id))
    return results


def _term_weights(index: Index, query_terms: tuple[str, ...]) -> dict[str, float]:
    unseen = index.sentence_bm25.unseen_idf()
    weights = {}
    for term in dict.fromkeys(query_terms):
        idf = index.sentence_bm25.term_idf(term)
        weights[term] = unseen if idf is None else idf
    return weights


@lru_cache(maxsize=100_000)
def _term_set(text: str) -> frozenset[str]:
    return frozenset(terms(text))


def _families(
    weights: dict[str, float], term_sets: list[frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Each question term with the candidate terms of its word family ("emphas"/"emphasi")."""
    buckets: dict[str, list[str]] = {}
    for term in frozenset().union(*term_sets):
        buckets.setdefault(term[:5], []).append(term)
    return {
        t: frozenset([t, *(v for v in buckets.get(t[:5], ()) if same_root(t, v))]) for t in weights
    }


def _coverage(
    weights: dict[str, float],
    bonus: dict[str, float],
    families: dict[str, frozenset[str]],
    present: frozenset[str],
) -> float:
    """Share of the question's (idf-weighted) terms that the text contains.

    ``bonus`` terms (framing words) count when present but are never required.
    """
    total = sum(weights.values())
    if not total:
        return 0.0
    found = sum(w for t, w in {**weights, **bonus}.items() if not families[t].isdisjoint(present))
    return min(1.0, found / total)


def _by_or_about(sentence: Sentence, speakers: tuple[str, ...]) -> bool:
    if sentence.speaker in speakers:
        return True
    tokens = set(words(sentence.text))
    return any(key in tokens for s in speakers for key in name_keys(s) if " " not in key)


def _names_person(index: Index, sentence: Sentence) -> bool:
    passage = index.passages[sentence.passage_id]
    opener = sentence.speaker is not None and passage.sentence_ids[0] == sentence.id
    return opener or bool(_PERSON.search(sentence.text))


def _fits_kind(query: Query, text: str) -> bool:
    """Does the sentence hold the kind of thing asked for (an amount, a date)?"""
    if query.kind == "quantity":
        return _has_quantity(text, query.text)
    if query.kind == "when":
        return _has_date(text)
    return True


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and token.startswith(("19", "20"))


def _has_date(text: str) -> bool:
    return any(_is_year(t) or t in _MONTHS for t in words(text))


def _has_quantity(text: str, question: str) -> bool:
    """Does the sentence state an amount that the question did not already give?"""
    asked = set(words(question))
    tokens = words(text)
    for i, token in enumerate(tokens):
        if token in asked:
            continue
        if token in _QUANTITY_WORDS or token.endswith("%"):
            return True
        if token[0].isdigit():
            near = tokens[max(0, i - 1) : i + 2]
            if not _is_year(token) and not any(t in _MONTHS for t in near):
                return True
    return False


def _touches(index: Index, sid: int, quote: list[int]) -> bool:
    """Same passage and adjacent to (or inside) an existing quote."""
    if index.sentences[sid].passage_id != index.sentences[quote[0]].passage_id:
        return False
    return quote[0] - 1 <= sid <= quote[-1] + 1


def _expand(index: Index, sid: int, scores: dict[int, float], best: float) -> list[int]:
    """Add the sentence before when this one depends on it, and after when it continues."""
    ids = [sid]
    sentence = index.sentences[sid]
    siblings = index.passages[sentence.passage_id].sentence_ids
    pos = siblings.index(sid)
    if pos > 0 and _DEPENDENT.match(sentence.text):
        ids.insert(0, siblings[pos - 1])
    if pos + 1 < len(siblings) and scores.get(siblings[pos + 1], -1) >= MERGE_MIN * best:
        ids.append(siblings[pos + 1])
    return ids


def _distinct(index: Index, scored: list[ScoredSentence], n: int) -> list[ScoredSentence]:
    seen: set[int] = set()
    out = []
    for s in scored:
        pid = index.sentences[s.sentence_id].passage_id
        if pid not in seen:
            seen.add(pid)
            out.append(s)
        if len(out) == n:
            break
    return out


def _quote(index: Index, ids: list[int], score: float) -> Quote:
    first, last = index.sentences[ids[0]], index.sentences[ids[-1]]
    passage = index.passages[first.passage_id]
    return Quote(
        text=" ".join(index.sentences[i].text for i in ids),
        document=first.document,
        start=first.start,
        end=last.end,
        section=first.section,
        speaker=first.speaker,
        score=round(score, 4),
        context=passage.text,
        title=passage.title,
        context_start=passage.start,
    )
