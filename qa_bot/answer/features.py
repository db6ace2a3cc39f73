"""Evidence about each candidate sentence, as the numbers the learned selection model weighs.

Candidates are the sentences of the retrieved passages plus the nearest sentences by
embedding and by BM25. Every feature is on a scale that does not depend on the corpus
(cosines, shares of the question's terms, 0/1 signals), so a model fitted on one
collection carries over to another.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qa_bot.answer.facts import Gathered
from qa_bot.answer.query import Query
from qa_bot.answer.retrieval import PassageHit
from qa_bot.index import vectors as vec
from qa_bot.index.load import Index
from qa_bot.ingest.speakers import name_keys, speaker_name
from qa_bot.text import same_root, terms, words
from qa_bot.types import Sentence

NEAREST_SENTENCES = 10  # by embedding and by BM25, beside the retrieved passages' sentences

# The cheap features, computed for every candidate (names are the keys of the fitted weights).
BASE_FEATURES = (
    "sentence_dense",  # cosine(question, sentence)
    "passage_dense",  # cosine(question, passage with its heading)
    "sentence_coverage",  # idf-weighted share of the question's terms in the sentence (the
    # words naming the kind asked count as there when it holds that kind)
    "passage_coverage",  # ... in the passage, its heading and its speaker
    "passage_rank",  # 1 / (1 + rank of the passage in hybrid retrieval); 0 when not retrieved
    "dense_gap",  # sentence_dense minus the best candidate's
    "coverage_gap",  # sentence_coverage minus the best candidate's
    "speaker_match",  # the question names a speaker; the sentence is by or about them
    "speaker_other",  # the question names a speaker; this sentence is someone else's
    "who_person",  # a who-question and the sentence names a person
    "introduces",  # asks who a named speaker is (or where they work); the sentence that
    # introduces them (their passage's first, with name and role)
    "type_missing",  # asks for a named thing (query.answer_type); the sentence has none
    "type_present",  # ... the sentence has one (an entity of that type the question lacks)
    "type_clause",  # ... coverage of the question's terms in that entity's clause (best one;
    # the words naming the kind asked, query.cue_terms, left out)
    "type_clause_missing",  # ... the rarest question term (that the collection uses) absent
    # from that clause, as a share of the largest idf: "women" asked, "one-third ... are
    # children" offered
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
    "introduces",
    "type_missing",
    "type_present",
    "type_clause",
    "type_clause_missing",
    "log_words",
)
RANK_FEATURES = (
    *RANK_BASE,
    "rerank",  # the cross-encoder's logit for (question, rerank_text)
    "rerank_gap",  # rerank minus the best reranked candidate's
)
_RANK_COLUMNS = [BASE_FEATURES.index(name) for name in RANK_BASE]
_DENSE, _COVERAGE = BASE_FEATURES.index("sentence_dense"), BASE_FEATURES.index("sentence_coverage")
_DENSE_GAP, _COVERAGE_GAP = BASE_FEATURES.index("dense_gap"), BASE_FEATURES.index("coverage_gap")

_PERSON = re.compile(r"\b(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.)\s+[A-ZÀ-Þ]")


@dataclass(frozen=True)
class Candidates:
    """Candidate sentences and their features (one row each, columns as BASE_FEATURES)."""

    sentence_ids: tuple[int, ...]
    features: np.ndarray

    def __len__(self) -> int:
        return len(self.sentence_ids)


def candidates(gathered: Gathered, qv: np.ndarray, hits: list[PassageHit]) -> Candidates:
    """Every candidate sentence for the question, with its features (read from each
    candidate's facts, ``gathered``)."""
    index, query = gathered.index, gathered.query
    ids = _candidate_ids(index, query, qv, hits)
    if gathered.within is not None:  # only the statements that may answer
        ids = [sid for sid in ids if index.sentences[sid].passage_id in gathered.within]
    ids = [sid for sid in ids if sid not in gathered.shown]
    if not ids:
        return Candidates((), np.zeros((0, len(BASE_FEATURES)), dtype=np.float32))
    weights = _term_weights(index, query.terms)
    bonus = {
        t: w for t, w in _term_weights(index, query.optional_terms).items() if t not in weights
    }
    texts = {sid: _texts(index, sid) for sid in ids}
    families = _families({**weights, **bonus}, [t for pair in texts.values() for t in pair])
    # A typed entity's clause need not repeat the words that name the kind asked.
    subject = {t: w for t, w in weights.items() if t not in query.cue_terms}
    seen = {t: w for t, w in subject.items() if index.sentence_bm25.term_idf(t) is not None}
    unseen = index.sentence_bm25.unseen_idf()
    rank = {hit.passage_id: r for r, hit in enumerate(hits)}
    introducing = bool(query.speakers) and (
        query.kind == "who" or query.answer_type in ("person", "organisation")
    )
    rows = []
    for sid in ids:
        sentence = index.sentences[sid]
        pid = sentence.passage_id
        speaker = bool(query.speakers) and _by_or_about(sentence, query.speakers)
        typed = gathered(sid).typed_in_context
        clause, clause_missing = _best_clause(
            subject, bonus, families, seen, typed.values(), unseen
        )
        cue = frozenset(query.cue_terms if typed else ())  # a date covers "what date"
        rows.append(
            (
                float(index.sentence_vectors[sid] @ qv),
                float(index.passage_vectors[pid] @ qv),
                _coverage(weights, bonus, families, texts[sid][0] | cue),
                _coverage(weights, bonus, families, texts[sid][1] | cue),
                1.0 / (1.0 + rank[pid]) if pid in rank else 0.0,
                0.0,
                0.0,
                float(speaker),
                float(bool(query.speakers) and not speaker),
                float(query.kind == "who" and _names_person(index, sentence)),
                float(introducing and _introduces(index, sentence, query.speakers)),
                float(bool(query.labels) and not typed),
                float(bool(typed)),
                clause,
                clause_missing,
                math.log(1 + len(words(sentence.text))),
            )
        )
    features = np.array(rows, dtype=np.float32)
    features[:, _DENSE_GAP] = features[:, _DENSE] - features[:, _DENSE].max()
    features[:, _COVERAGE_GAP] = features[:, _COVERAGE] - features[:, _COVERAGE].max()
    return Candidates(tuple(ids), features)


def _best_clause(
    subject: dict[str, float],
    bonus: dict[str, float],
    families: dict[str, frozenset[str]],
    seen: dict[str, float],
    clauses: Iterable[str],
    unseen: float,
) -> tuple[float, float]:
    """For the typed entity whose clause covers the question best (then misses the least):
    that coverage, and the rarest question term its clause lacks (as a share of ``unseen``,
    the largest idf)."""
    coverage, missing = max(
        (
            (
                _coverage(subject, bonus, families, present),
                -_rarest_missing(seen, families, present),
            )
            for present in (_term_set(text) for text in clauses)
        ),
        default=(0.0, 0.0),
    )
    return coverage, -missing / unseen


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


def _rarest_missing(
    seen: dict[str, float], families: dict[str, frozenset[str]], present: frozenset[str]
) -> float:
    """The largest idf among the question terms in ``seen`` whose word family is absent."""
    return max((w for t, w in seen.items() if families[t].isdisjoint(present)), default=0.0)


def _by_or_about(sentence: Sentence, speakers: tuple[str, ...]) -> bool:
    if sentence.speaker in speakers:
        return True
    tokens = set(words(sentence.text))
    return any(key in tokens for s in speakers for key in name_keys(s) if " " not in key)


def _names_person(index: Index, sentence: Sentence) -> bool:
    passage = index.passages[sentence.passage_id]
    opener = sentence.speaker is not None and passage.sentence_ids[0] == sentence.id
    return opener or bool(_PERSON.search(sentence.text))


def _introduces(index: Index, sentence: Sentence, speakers: tuple[str, ...]) -> bool:
    """Is this the first sentence of a passage by one of ``speakers`` (where the document
    gives their name, role and organisation)?"""
    passage = index.passages[sentence.passage_id]
    return sentence.speaker in speakers and passage.sentence_ids[0] == sentence.id


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
    missing = _rarest_missing(seen, _families(seen, [present]), present)
    unseen = total - sum(seen.values())
    return unseen / total, missing / index.sentence_bm25.unseen_idf()
