"""Evidence about each candidate sentence, as the numbers the learned selection model weighs.

Candidates are the sentences of the retrieved passages plus the nearest sentences by
embedding and by BM25. Every feature is on a scale that does not depend on the corpus
(cosines, shares of the question's terms, 0/1 signals), so a model fitted on one
collection carries over to another.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qa_bot import vectors as vec
from qa_bot.index import Index
from qa_bot.query import Query
from qa_bot.retrieval import PassageHit
from qa_bot.speakers import name_keys, speaker_name
from qa_bot.text import same_root, terms, words
from qa_bot.types import Sentence

NEAREST_SENTENCES = 10  # by embedding and by BM25, beside the retrieved passages' sentences

# The cheap features, computed for every candidate (names are the keys of the fitted weights).
BASE_FEATURES = (
    "sentence_dense",  # cosine(question, sentence)
    "passage_dense",  # cosine(question, passage with its heading)
    "sentence_coverage",  # idf-weighted share of the question's terms in the sentence
    "passage_coverage",  # ... in the passage, its heading and its speaker
    "passage_rank",  # 1 / (1 + rank of the passage in hybrid retrieval); 0 when not retrieved
    "dense_gap",  # sentence_dense minus the best candidate's
    "coverage_gap",  # sentence_coverage minus the best candidate's
    "speaker_match",  # the question names a speaker; the sentence is by or about them
    "speaker_other",  # the question names a speaker; this sentence is someone else's
    "who_person",  # a who-question and the sentence names a person
    "type_missing",  # asks for an amount or a date; the sentence has none
    "type_present",  # asks for an amount or a date; the sentence has one
    "log_words",  # log of the sentence's length in words
)
# The rank model's features: the cross-encoder's verdict and the base features that add
# to it across collections. Measured leave-one-article-out on the SQuAD articles (top-1,
# cross-encoder alone 0.840): these reach 0.845, all base features only 0.812 (the
# lexical and rank features pull towards the wrong sentence of the right paragraph).
RANK_BASE = (
    "passage_dense",
    "speaker_match",
    "speaker_other",
    "who_person",
    "type_missing",
    "type_present",
    "log_words",
)
RANK_FEATURES = (
    *RANK_BASE,
    "rerank",  # the cross-encoder's logit for (question, rerank_text)
    "rerank_gap",  # rerank minus the best reranked candidate's
)
_RANK_COLUMNS = [BASE_FEATURES.index(name) for name in RANK_BASE]

_PERSON = re.compile(r"\b(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.)\s+[A-ZÀ-Þ]")
_QUANTITY_WORDS = frozenset(
    """
    thousands hundreds millions billions dozens half third quarter one-third two-thirds
    majority minority percent per cent
    """.split()
)
_NUMBER_WORDS = frozenset(
    """
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    sixty seventy eighty ninety hundred thousand million billion
    """.split()
)
_MONTHS = frozenset(
    """
    january february march april may june july august september october november
    december
    """.split()
)


@dataclass(frozen=True)
class Candidates:
    """Candidate sentences and their features (one row each, columns as BASE_FEATURES)."""

    sentence_ids: tuple[int, ...]
    features: np.ndarray

    def __len__(self) -> int:
        return len(self.sentence_ids)


def candidates(index: Index, query: Query, qv: np.ndarray, hits: list[PassageHit]) -> Candidates:
    """Every candidate sentence for the query, with its features."""
    ids = _candidate_ids(index, query, qv, hits)
    if not ids:
        return Candidates((), np.zeros((0, len(BASE_FEATURES)), dtype=np.float32))
    weights = _term_weights(index, query.terms)
    bonus = {
        t: w for t, w in _term_weights(index, query.optional_terms).items() if t not in weights
    }
    texts = {sid: _texts(index, sid) for sid in ids}
    families = _families({**weights, **bonus}, [t for pair in texts.values() for t in pair])
    rank = {hit.passage_id: r for r, hit in enumerate(hits)}
    rows = []
    for sid in ids:
        sentence = index.sentences[sid]
        pid = sentence.passage_id
        speaker = bool(query.speakers) and _by_or_about(sentence, query.speakers)
        fits = _fits_kind(query, sentence.text)
        rows.append(
            (
                float(index.sentence_vectors[sid] @ qv),
                float(index.passage_vectors[pid] @ qv),
                _coverage(weights, bonus, families, texts[sid][0]),
                _coverage(weights, bonus, families, texts[sid][1]),
                1.0 / (1.0 + rank[pid]) if pid in rank else 0.0,
                0.0,
                0.0,
                float(speaker),
                float(bool(query.speakers) and not speaker),
                float(query.kind == "who" and _names_person(index, sentence)),
                float(fits is False),
                float(fits is True),
                math.log(1 + len(words(sentence.text))),
            )
        )
    features = np.array(rows, dtype=np.float32)
    features[:, 5] = features[:, 0] - features[:, 0].max()
    features[:, 6] = features[:, 2] - features[:, 2].max()
    return Candidates(tuple(ids), features)


def _candidate_ids(index: Index, query: Query, qv: np.ndarray, hits: list[PassageHit]) -> list[int]:
    found: dict[int, None] = {}
    for hit in hits:
        found.update(dict.fromkeys(index.passages[hit.passage_id].sentence_ids))
    _, s_ids = vec.search(index.sentence_index, qv, NEAREST_SENTENCES)
    found.update(dict.fromkeys(int(i) for i in s_ids if i >= 0))
    if query.terms:
        lex = index.sentence_bm25.scores(list(query.terms))
        top = np.argsort(-lex)[:NEAREST_SENTENCES]
        found.update(dict.fromkeys(int(i) for i in top if lex[i] > 0))
    return sorted(found)


def _texts(index: Index, sid: int) -> tuple[frozenset[str], frozenset[str]]:
    sentence = index.sentences[sid]
    passage = index.passages[sentence.passage_id]
    return (
        _term_set(sentence.text),
        _term_set(f"{passage.embedding_text()} {passage.speaker or ''}"),
    )


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


def _fits_kind(query: Query, text: str) -> bool | None:
    """Does the sentence hold the kind of thing asked for? None when nothing specific is."""
    if query.kind == "quantity":
        return _has_quantity(text, query.text)
    if query.kind == "when":
        return _has_date(text)
    return None


def is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and token.startswith(("1", "20"))


def _has_date(text: str) -> bool:
    return any(is_year(t) or t in _MONTHS for t in words(text))


def _has_quantity(text: str, question: str) -> bool:
    """Does the sentence state an amount that the question did not already give?"""
    asked = set(words(question))
    tokens = words(text)
    for i, token in enumerate(tokens):
        if token in asked:
            continue
        if token in _QUANTITY_WORDS or token in _NUMBER_WORDS or token.endswith("%"):
            return True
        if token[0].isdigit():
            near = tokens[max(0, i - 1) : i + 2]
            if not is_year(token) and not any(t in _MONTHS for t in near):
                return True
    return False


PAIRINGS = ("sentence", "heading", "speaker")


def rerank_text(index: Index, sid: int, pairing: str) -> str:
    """What the cross-encoder reads for a candidate: the sentence, with the context chosen.

    ``heading`` puts the section heading (or the document title) first; ``speaker`` also
    names the speaker of a sentence that does not name them itself ("She urged ...").
    """
    sentence = index.sentences[sid]
    text = sentence.text
    if pairing == "sentence":
        return text
    if pairing not in PAIRINGS:
        raise ValueError(f"unknown pairing {pairing!r}; expected one of {', '.join(PAIRINGS)}")
    speaker = sentence.speaker
    if pairing == "speaker" and speaker and not text.startswith(speaker_name(speaker)):
        text = f"{speaker}: {text}"
    passage = index.passages[sentence.passage_id]
    heading = passage.section_leaf or passage.title
    return f"{heading}. {text}" if heading else text


def rank_features(base: np.ndarray, rerank: np.ndarray) -> np.ndarray:
    """RANK_FEATURES rows from candidates' BASE_FEATURES rows and their cross-encoder logits."""
    gap = rerank - rerank.max() if len(rerank) else rerank
    return np.column_stack([base[:, _RANK_COLUMNS], rerank, gap]).astype(np.float32)


def question_evidence(index: Index, query: Query, sid: int) -> tuple[float, float]:
    """How much of the question the collection cannot answer, for the confidence model.

    Returns the idf-weighted share of the question's terms that occur nowhere in the
    collection ("budget" in a question about a text that never mentions one), and the
    rarest question term that the collection uses but the answer's passage lacks ("climate"
    asked of a speaker who never mentioned it), as a share of the largest possible idf.
    """
    weights = _term_weights(index, query.terms)
    total = sum(weights.values())
    if not total:
        return 0.0, 0.0
    seen = {t: w for t, w in weights.items() if index.sentence_bm25.term_idf(t) is not None}
    present = _texts(index, sid)[1]
    families = _families(seen, [present])
    missing = [w for t, w in seen.items() if families[t].isdisjoint(present)]
    unseen = total - sum(seen.values())
    return unseen / total, max(missing, default=0.0) / index.sentence_bm25.unseen_idf()
