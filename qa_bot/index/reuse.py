"""What an index built before lends the next build: the documents it holds unchanged, and
the vectors and entity readings of texts read before (a vector depends on the model and the
text alone; a reading on the text and the annotation version)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from qa_bot.config import Settings
from qa_bot.index.embedding import Embedder
from qa_bot.index.load import Index, load_index
from qa_bot.index.manifest import VECTOR_PARAMS, IndexError_, current_folder, index_params
from qa_bot.index.write import DocRows
from qa_bot.ingest.corpus import renumber
from qa_bot.ingest.entities import ANNOTATION

log = logging.getLogger(__name__)


def load_for_reuse(
    root: Path, settings: Settings, embedder: Embedder
) -> tuple[Index | None, Index | None]:
    """The existing index as (documents to keep, vectors to reuse by text). Both are it when
    nothing but the corpus changed; a new way of reading documents (parsing, cleaning,
    chunking) re-reads every document but keeps the vectors of texts read the same, so
    only changed texts are embedded; a new model or format: (None, None), a full rebuild."""
    if current_folder(root) is None:
        return None, None
    try:
        old = load_index(root)
    except IndexError_ as err:
        log.warning("rebuilding the index from scratch: %s", err)
        return None, None
    changed = [k for k, v in index_params(settings, embedder.model_id).items()
               if old.manifest.get(k) != v]  # fmt: skip
    if any(key in VECTOR_PARAMS for key in changed):
        log.info("rebuilding the index from scratch: %s changed", ", ".join(changed))
        return None, None
    if changed:
        log.info("reading every document again (%s changed); unchanged texts keep their "
                 "vectors", ", ".join(changed))  # fmt: skip
        return None, old
    return old, old


def reused(old: Index, rel: str) -> DocRows:
    meta = old.manifest["documents"][rel]
    p0, pn = meta["passages"]
    s0, sn = meta["sentences"]
    passages, sentences = renumber(
        tuple(old.passages[p0 : p0 + pn]), tuple(old.sentences[s0 : s0 + sn]), -p0, -s0
    )
    return DocRows(
        rel, meta["title"], meta["sha256"], old.texts[rel], old.pages.get(rel, ()),
        tuple(passages), tuple(sentences),
        np.asarray(old.passage_vectors[p0 : p0 + pn]), np.asarray(old.sentence_vectors[s0 : s0 + sn]),
    )  # fmt: skip


def known_readings(old: Index | None, changed: list[str] | None) -> dict[str, tuple]:
    """The entities and tense of the sentences those documents had, by text, when they
    were read the way the build reads now (the same ``ANNOTATION``)."""
    if old is None or old.manifest.get("annotation") != ANNOTATION:
        return {}
    return {
        s.text: (s.entities, s.tense) for d in _documents(old, changed) for s in old.sentences_of(d)
    }


def known_vectors(old: Index | None, changed: list[str] | None) -> dict[str, np.ndarray]:
    """Vectors of the texts that changed documents had before the change, by text: an
    edit of one paragraph re-embeds that paragraph and its sentences, not the document.
    ``changed`` None: every document's (the documents are read again another way)."""
    if old is None:
        return {}
    docs = _documents(old, changed)
    known = {
        p.embedding_text(): old.passage_vectors[p.id] for d in docs for p in old.passages_of(d)
    }
    known.update((s.text, old.sentence_vectors[s.id]) for d in docs for s in old.sentences_of(d))
    return known


def _documents(old: Index, changed: list[str] | None) -> list[str]:
    """The documents whose texts are lent: those changed, or (None) every one."""
    return list(old.manifest["documents"]) if changed is None else changed
