"""Labelled candidates for fitting: the bot's own candidates and features, per question.

Each question goes through ``QABot.retrieve`` and ``features.candidates`` exactly as in
``ask``; every candidate is labelled by the eval harness's own test (does a quote of this
sentence answer the item?) and scored by the cross-encoder once, with the scores cached on
disk so that refitting is quick.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa_bot.answer.compose import quote_of
from qa_bot.answer.facts import Gathered
from qa_bot.answer.features import candidates, rerank_text
from qa_bot.answer.query import Query
from qa_bot.answer.rerank import CrossEncoder
from qa_bot.bot import QABot
from qa_bot.evaluate import hit
from qa_bot.index.load import Index
from qa_bot.questions import Item

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    """One question's candidates with their features, labels and cross-encoder logits."""

    source: str  # the question set
    group: str  # the unit of cross-validation: a SQuAD article, or the question set
    collection: str  # the corpus folder the question is about
    item: Item
    index: Index
    query: Query
    sentence_ids: tuple[int, ...]
    base: np.ndarray  # BASE_FEATURES, one row per candidate
    labels: np.ndarray  # does a quote of the candidate answer the item?
    rerank: np.ndarray  # cross-encoder logits, one per candidate

    @property
    def answerable(self) -> bool:
        return self.item.kind != "unanswerable"


class RerankCache:
    """Cross-encoder logits by (model, pairing, question, text), kept in a JSON file."""

    def __init__(self, path: Path, reranker: CrossEncoder, pairing: str) -> None:
        self.path = path
        self.reranker = reranker
        self.pairing = pairing
        self._scores: dict[str, float] = {}
        if path.exists():
            self._scores = json.loads(path.read_text(encoding="utf-8"))
        self._dirty = 0

    def _key(self, question: str, text: str) -> str:
        raw = "\x1f".join((self.reranker.model_id, self.pairing, question, text))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:24]

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        keys = [self._key(question, t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._scores]
        if missing:
            fresh = self.reranker.score(question, [texts[i] for i in missing])
            for i, value in zip(missing, fresh, strict=True):
                self._scores[keys[i]] = round(float(value), 5)
            self._dirty += len(missing)
            if self._dirty > 20_000:
                self.save()
        return np.array([self._scores[k] for k in keys], dtype=np.float64)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._scores), encoding="utf-8")
        tmp.replace(self.path)
        self._dirty = 0


def examples(bot: QABot, items: list[Item], source: str, cache: RerankCache) -> list[Example]:
    """Candidates, features, labels and cross-encoder logits for every item."""
    out = []
    for n, item in enumerate(items, 1):
        found = bot.retrieve(item.question, list(item.history))
        if found is None:
            continue
        index, query = found.index, found.query
        cands = candidates(Gathered(index, query), found.vector, found.hits)
        ids = cands.sentence_ids
        labels = _labels(item, index, ids)
        texts = [rerank_text(index, sid, cache.pairing) for sid in ids]
        out.append(
            Example(
                source,
                item.group or source,
                str(bot.settings.corpus),
                item,
                index,
                query,
                ids,
                cands.features,
                labels,
                cache.score(query.text, texts),
            )
        )
        if n % 500 == 0:
            log.info("%s: %d/%d questions", source, n, len(items))
    cache.save()
    return out


def _labels(item: Item, index: Index, ids: tuple[int, ...]) -> np.ndarray:
    """Which candidates answer the item. A sentence that states the answer beats one that
    only carries it in its speaker attribution ("Who is X?" is best answered by the
    sentence that introduces X), so attribution counts only when no sentence states it."""
    if item.kind == "unanswerable":
        return np.zeros(len(ids), dtype=bool)
    quotes = [quote_of(index, [sid]) for sid in ids]
    stated = np.array([hit(replace(item, kind="factoid"), q) for q in quotes], dtype=bool)
    if stated.any() or item.kind != "speaker":
        return stated
    return np.array([hit(item, q) for q in quotes], dtype=bool)
