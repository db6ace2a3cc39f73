"""QABot: one ask() path shared by the Python API, the CLI and the chat UI."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa_bot.answer import answer, rank
from qa_bot.config import Settings
from qa_bot.corpus import DocumentError, decode
from qa_bot.embedding import Embedder, SentenceTransformerEmbedder
from qa_bot.index import BuildReport, CorpusError, Index, build_index, load_index
from qa_bot.manifest import IndexError_, current_folder, stale_reason
from qa_bot.query import Query, analyse
from qa_bot.query_encoder import FOLDER as QUERY_ENCODER
from qa_bot.query_encoder import EncoderExportError, OnnxQueryEncoder
from qa_bot.rerank import CrossEncoder, OnnxCrossEncoder
from qa_bot.retrieval import PassageHit, retrieve
from qa_bot.selection import SelectionModel, load_model
from qa_bot.types import Answer, Quote

log = logging.getLogger(__name__)

EMPTY_QUESTION = "Please type a question about the documents."
PASSAGES_PER_QUESTION = 8


@dataclass(frozen=True)
class Retrieved:
    """A question made ready for answer selection."""

    index: Index
    query: Query
    vector: np.ndarray
    hits: list[PassageHit]


class QABot:
    """Answers questions about one corpus by quoting it."""

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        reranker: CrossEncoder | None = None,
        selection: SelectionModel | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.embedder = embedder or SentenceTransformerEmbedder(self.settings.model)
        self.reranker = reranker or OnnxCrossEncoder()
        self._selection = selection
        self._questions: Embedder | None = None
        self.last_build: BuildReport | None = None
        self._index: Index | None = None
        self._lock = threading.Lock()

    @property
    def selection(self) -> SelectionModel:
        """The fitted answer-selection model (qa_bot/learned/selection.json), read once."""
        if self._selection is None:
            self._selection = load_model()
        return self._selection

    @property
    def question_encoder(self) -> Embedder:
        """What encodes questions: the torch-free ONNX export of the model when the index
        folder holds a good one, else the embedder itself (said once in the log)."""
        if self._questions is None:
            encoder: Embedder = self.embedder
            if hasattr(self.embedder, "export_query_encoder"):
                try:
                    encoder = OnnxQueryEncoder.load(
                        self.settings.index / QUERY_ENCODER, self.embedder.model_id
                    )
                except EncoderExportError as err:
                    log.warning("encoding questions with sentence-transformers: %s", err)
            self._questions = encoder
        return self._questions

    @property
    def threshold(self) -> float:
        """Below this confidence the bot refuses: QA_BOT_MIN_CONFIDENCE, else the fitted one."""
        chosen = self.settings.min_confidence
        return self.selection.threshold if chosen is None else chosen

    @property
    def index(self) -> Index:
        """The loaded index, refreshed from the corpus on first use."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._load_fresh()
        return self._index

    def warm_up(self) -> None:
        """Load everything a first question needs (index, both models, the selection
        model) and answer one, so that a server's first user does not wait for it."""
        self.ask("What is this collection about?")

    def refresh(self) -> BuildReport | None:
        """Re-read the corpus and rebuild what changed; returns the build report."""
        with self._lock:
            self._index = self._load_fresh()
            self._questions = None  # a rebuild may have exported the encoder anew
        return self.last_build

    def _load_fresh(self) -> Index:
        s = self.settings
        exportable = hasattr(self.embedder, "export_query_encoder")
        reason = stale_reason(s.index, s, self.embedder.model_id, exportable=exportable)
        if reason is not None:
            log.info("index needs a build: %s", reason)
            self._build(force=False)
        try:
            return load_index(s.index)
        except IndexError_ as err:
            log.warning("index cannot be used (%s); rebuilding it", err)
            self._build(force=True)
            return load_index(s.index)

    def _build(self, force: bool) -> None:
        try:
            self.last_build = build_index(self.settings, self.embedder, force=force)
        except CorpusError as err:
            if current_folder(self.settings.index) is None:
                raise
            log.error("%s; answering from the existing index", err)

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        top_k: int | None = None,
        min_confidence: float | None = None,
    ) -> Answer:
        """Answer ``question`` with verbatim quotes.

        Args:
            question: the user's question.
            history: earlier user questions of the conversation, oldest first (for
                follow-ups such as "What did she call for?"). Default none.
            top_k: at most this many quotes. Default ``settings.top_k``.
            min_confidence: refuse below this probability that the first quote answers.
                Default ``self.threshold``; 0 always returns the best quotes found.
        """
        found = self.retrieve(question, history)
        if found is None:
            return Answer(question if isinstance(question, str) else "", False,
                          message=EMPTY_QUESTION)  # fmt: skip
        ranking = rank(
            found.index, found.query, found.vector, found.hits, self.reranker, self.selection
        )
        result = answer(
            found.index, found.query, ranking, self.selection, top_k or self.settings.top_k,
            self.threshold if min_confidence is None else min_confidence,
        )  # fmt: skip
        return self._verified(result)

    def retrieve(self, question: str, history: list[str] | None = None) -> Retrieved | None:
        """The analysed question, its vector and its passages; None for an empty question.

        The first half of ``ask``, shared with the fitting script so that the learned model
        sees exactly the candidates the bot will later give it.
        """
        if not isinstance(question, str) or not question.strip():
            return None
        index = self.index
        query = analyse(
            question,
            [h for h in (history or []) if isinstance(h, str)],
            index.speakers,
            self.settings.max_question_chars,
        )
        if not query.text:
            return None
        vector = self.question_encoder.encode([query.retrieval_text])[0]
        terms = list(query.terms) + list(query.context_terms if query.followup else ())
        return Retrieved(
            index, query, vector, retrieve(index, vector, terms, k=PASSAGES_PER_QUESTION)
        )

    def _verified(self, result: Answer) -> Answer:
        """Drop (and log) any quote that is not the document's text at its offsets."""
        good = tuple(q for q in result.quotes if self.is_verbatim(q))
        if len(good) == len(result.quotes):
            return result
        log.error(
            "dropped %d quote(s) not matching their documents", len(result.quotes) - len(good)
        )
        if good:
            return Answer(result.question, True, good, result.related, result.message,
                          result.confidence, result.notes)  # fmt: skip
        return Answer(result.question, False, (), result.related,
                      "The index is out of date with the documents; run qa-bot build.",
                      result.confidence, result.notes)  # fmt: skip

    def is_verbatim(self, quote: Quote) -> bool:
        """Is ``quote.text`` exactly the document's text at its offsets (modulo whitespace)?"""
        text = document_text(self.settings.corpus / quote.document)
        if text is None:
            return False
        return " ".join(text[quote.start : quote.end].split()) == quote.text


@lru_cache(maxsize=256)
def _read(path: Path, mtime_ns: int) -> str | None:
    try:
        return decode(path.read_bytes(), path.name)
    except (OSError, DocumentError):
        return None


def document_text(path: Path) -> str | None:
    """A corpus file's text as indexed (cached until the file changes)."""
    try:
        return _read(path, path.stat().st_mtime_ns)
    except OSError:
        return None


_default: QABot | None = None
_default_lock = threading.Lock()


def default_bot() -> QABot:
    """The process-wide bot over QA_BOT_CORPUS / QA_BOT_INDEX, created once."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = QABot()
    return _default


def ask(
    question: str,
    history: list[str] | None = None,
    top_k: int | None = None,
    min_confidence: float | None = None,
) -> Answer:
    """Answer a question about the default corpus with verbatim, attributed quotes."""
    return default_bot().ask(question, history=history, top_k=top_k, min_confidence=min_confidence)
