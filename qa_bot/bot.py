"""QABot: one ask() path shared by the Python API, the CLI and the chat UI."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import replace

from qa_bot.answer import pipeline
from qa_bot.answer.checks.registry import Fired, UnknownCheckError, known
from qa_bot.answer.conversation import earlier_questions, follows, leans_on_a_person
from qa_bot.answer.explain import explain
from qa_bot.answer.pipeline import Retrieved
from qa_bot.answer.rerank import CrossEncoder, OnnxCrossEncoder
from qa_bot.answer.selection import SelectionModel, load_model
from qa_bot.clean import clean_input
from qa_bot.config import Settings, SettingsError
from qa_bot.index.build import BuildReport, build_index
from qa_bot.index.embedding import Embedder, SentenceTransformerEmbedder
from qa_bot.index.freshness import (
    RETRY_FIRST_S,
    RETRY_MAX_S,
    Status,
    as_of_notes,
    corpus_signature,
    file_hash,
    plain_cause,
    skipped_note,
    still_in_file,
)
from qa_bot.index.load import Index, load_index
from qa_bot.index.manifest import IndexError_, current_folder, stale_reason
from qa_bot.index.question_encoding import QuestionEncoding
from qa_bot.index.sources import chosen, searched_note
from qa_bot.types import Answer, Quote

log = logging.getLogger(__name__)

EMPTY_QUESTION = "Please type a question about the documents."
DOCUMENT_CHANGED = (
    "The document that answers this changed after it was indexed; the index is being "
    "brought up to date (or run qa-bot build). Please ask again."
)


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
        try:
            self.checks_off = known(self.settings.checks_off)
        except UnknownCheckError as err:
            raise SettingsError(f"QA_BOT_WITHOUT_CHECKS: {err}") from None
        self.embedder = embedder or SentenceTransformerEmbedder(self.settings.model)
        self.reranker = reranker or OnnxCrossEncoder(threads=self.settings.onnx_threads)
        self._selection = selection
        self.encoding = QuestionEncoding(self.embedder, self.settings)
        self.last_build: BuildReport | None = None
        self._index: Index | None = None
        self._lock = threading.RLock()
        self._seen: tuple | None = None
        self._retry_at = 0.0  # when the watcher tries a failed build again (monotonic)
        self._retry_wait = RETRY_FIRST_S
        self.status = Status("ready")

    @property
    def selection(self) -> SelectionModel:
        """The fitted answer-selection model (qa_bot/learned/selection.json), read once."""
        if self._selection is None:
            self._selection = load_model()
        return self._selection

    @property
    def question_encoder(self) -> Embedder:
        """What encodes questions: the torch-free ONNX export of the model when the index
        folder holds a good one, else the embedder itself (qa_bot/index/question_encoding.py)."""
        return self.encoding.encoder

    @property
    def threshold(self) -> float:
        """Below this confidence the bot refuses: QA_BOT_MIN_CONFIDENCE, else the fitted one."""
        chosen = self.settings.min_confidence
        return self.selection.threshold if chosen is None else chosen

    @property
    def index(self) -> Index:
        """The loaded index, refreshed from the corpus on first use.

        Requests take this once and keep it to the end, so a swap (``refresh``) never
        changes the index under a request in flight."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._load_fresh()
        return self._index

    def open_as_is(self) -> Index:
        """Load the index on disk even if the corpus changed since it was built (a server
        then answers at once and its watcher rebuilds in the background); build only when
        there is no usable index at all."""
        with self._lock:
            if self._index is None:
                try:
                    self._index = load_index(self.settings.index)
                    self.status = Status("building", "waiting to look at the corpus")
                except IndexError_:
                    self._index = self._load_fresh()
        return self._index

    def warm_up(self) -> None:
        """Load everything a first question needs (index, both models, the selection
        model) and answer one, so that a server's first user does not wait for it."""
        self.ask("What is this collection about?")

    def refresh(self) -> BuildReport | None:
        """Bring the index in line with the corpus now: build what changed (or take a build
        another process made) and swap it in atomically. A failed build keeps the last good
        index answering and says why in ``status``. Returns the last build's report."""
        with self._lock:
            fresh = self._load_fresh()
            if self._index is None or fresh is not self._index:
                self._index = fresh
                log.info("answering from %s", fresh.folder.name)
            self.encoding.heal()  # a build may have exported the question encoder anew
            if self.status.state == "building":  # nothing needed building after all
                self.status = Status("ready")
        return self.last_build

    def _load_fresh(self) -> Index:
        """The index for the corpus as it is: built if stale, loaded unless it is the one
        already loaded, the loaded one if a new one cannot be had."""
        s = self.settings
        exportable = hasattr(self.embedder, "export_query_encoder")
        try:
            reason = stale_reason(s.index, s, self.embedder.model_id, exportable=exportable)
        except OSError as err:
            reason = f"the corpus cannot be read ({err})"
        if reason is not None and s.read_only:
            log.info("index differs from the corpus (%s); a replica waits for a new build", reason)
            if current_folder(s.index) is None:
                raise IndexError_(f"no index in {s.index}, and a read-only replica never builds")
        elif reason is not None:
            log.info("index needs a build: %s", reason)
            self._build(force=False)
        current = self._index
        if current is not None and current_folder(s.index) == current.folder:
            return current
        try:
            return load_index(s.index)
        except IndexError_ as err:
            if current is not None:
                self._failed(f"the index in {s.index} cannot be used ({err})")
                return current
            log.warning("index cannot be used (%s); rebuilding it", err)
            self._build(force=True)
            return load_index(s.index)

    def _build(self, force: bool) -> None:
        self.status = Status("building", "starting")

        def progress(done: int, total: int) -> None:
            self.status = Status("building", f"{done}/{total} documents")

        try:
            self.last_build = build_index(
                self.settings, self.embedder, force=force, on_document=progress
            )
        except Exception as err:
            if current_folder(self.settings.index) is None:
                self.status = Status("failed", plain_cause(err))
                raise
            self._failed(f"{plain_cause(err)}; answering from the last good index")
            return
        self.status = Status("ready", skipped_note(self.last_build.problems))

    def _failed(self, message: str) -> None:
        log.error("build failed: %s", message)
        self.status = Status("failed", message)

    def due(self) -> bool:
        """Is a look due even if no corpus file changed? Before the first look, after a
        corpus that changed during the last build, when another process made a build, or
        when a failed build is due for another try, or when the question encoder's export
        was damaged and must be written again. Costs a small read or two."""
        if self._seen is None:
            return True
        live = current_folder(self.settings.index)
        return (live.name if live else None) != self._seen[1] or self._due_unchanged()

    def _due_unchanged(self) -> bool:
        """A look due with nothing changed: a failed build's retry, or the question
        encoder's export damaged and removed (a build exports it again)."""
        if self.status.state == "failed":
            return time.monotonic() >= self._retry_at
        return self.encoding.wants_export()

    def follow(self) -> bool:
        """One look at the corpus and the index folder: refresh if either changed since the
        last look (a cheap listing of names, sizes, times and inodes; nothing is read or
        hashed when nothing changed), or when a failed build is due for another try.
        Returns whether it refreshed.

        The corpus is looked at *before* the refresh and that look is what counts as seen:
        an edit saved while the build runs differs from it, so the next look builds again
        (until a look finds the corpus as the last build started from)."""
        seen = corpus_signature(self.settings)
        if seen == self._seen and not self._due_unchanged():
            return False
        self.refresh()
        now = corpus_signature(self.settings)
        self._seen = (seen[0], now[1])  # the corpus as the build began; the build it made
        if self.status.state == "failed":
            self._retry_at = time.monotonic() + self._retry_wait
            self._retry_wait = min(RETRY_MAX_S, self._retry_wait * 2)
        else:
            self._retry_wait = RETRY_FIRST_S
            if now[0] != seen[0]:  # changed while it built: the next look builds again
                # Even if the corpus then returns to how the build began (a link switched
                # back, an edit undone): what the build read in between is unknown.
                self._seen = None
                self.status = Status("building", "the corpus changed during the last build")
        return True

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        top_k: int | None = None,
        min_confidence: float | None = None,
        speaker: str | None = None,
        documents: Sequence[str] | None = None,
    ) -> Answer:
        """Answer ``question`` with verbatim quotes.

        Args:
            question: the user's question.
            history: earlier user questions of the conversation, oldest first (for
                follow-ups such as "What did she call for?"). Default none.
            top_k: at most this many quotes. Default ``settings.top_k``.
            min_confidence: refuse below this probability that the first quote answers.
                Default ``self.threshold``; 0 always returns the best quotes found.
            speaker: answer only from this speaker's statements, named by name, role,
                title or the party they speak for ("Chumbow", "the Special Rapporteur").
                Raises ``UnknownSpeakerError`` (a ``ValueError``) naming the speakers when
                none is meant.
            documents: answer only from these documents, each named by its path in the
                corpus, file name, stem or title; the answer says how many were searched.
                Raises ``UnknownDocumentError`` (a ``ValueError``) naming the documents.
        """
        found = self.retrieve(question, history, speaker, documents)
        if found is None:
            typed = clean_input(question) if isinstance(question, str) else ""
            return Answer(typed, False, message=EMPTY_QUESTION)
        result = pipeline.answer(
            found,
            self.reranker,
            self.selection,
            encode=self.question_encoder.encode,
            top_k=top_k or self.settings.top_k,
            min_confidence=self.threshold if min_confidence is None else min_confidence,
            without=self.checks_off,
        )
        if found.documents is not None:
            note = searched_note(found.index, found.documents)
            result = replace(result, documents=tuple(sorted(found.documents)),
                             notes=(*result.notes, note))  # fmt: skip
        return self._verified(result, found.index)

    def retrieve(
        self,
        question: str,
        history: list[str] | None = None,
        speaker: str | None = None,
        documents: Sequence[str] | None = None,
    ) -> Retrieved | None:
        """The analysed question, its vector and its passages; None for an empty question.

        The first half of ``ask``, shared with the fitting script so that the learned model
        sees exactly the candidates the bot will later give it.
        """
        if not isinstance(question, str) or not question.strip():
            return None
        index = self.index
        held = chosen(index, documents)
        earlier = earlier_questions(history)
        referent, shown = self._conversation(index, question, earlier, held)
        return pipeline.prepare(
            index, question, earlier, self.question_encoder.encode,
            self.settings.max_question_chars, referent, shown, speaker, held,
        )  # fmt: skip

    def _conversation(
        self, index: Index, question: str, history: list[str], documents: frozenset[str] | None
    ) -> tuple[str, frozenset[int]]:
        """Whom a pronoun of ``question`` means and what the conversation has shown, from
        the last answer (``conversation.follows``); only a question that leans on a
        personal pronoun pays for asking the last question again."""
        if not history or not leans_on_a_person(question):
            return "", frozenset()
        return follows(index, self.ask(history[-1], history[-3:-1], documents=documents))

    def explain(
        self,
        question: str,
        sentence: str,
        history: list[str] | None = None,
        speaker: str | None = None,
    ) -> list[Fired]:
        """Every check that fires on ``sentence`` (the text of an indexed sentence, or any
        sentence, read by the NER, said by ``speaker``) as an answer to ``question``, by id
        with its reason, in registry order; switched-off checks too."""
        return explain(
            self.index, question, sentence, earlier_questions(history), self.question_encoder.encode,
            self.selection.part_floor, self.settings.max_question_chars, speaker,
        )  # fmt: skip

    def _verified(self, result: Answer, index: Index) -> Answer:
        """Drop (and log) any quote or related passage that is not the current text of its
        document: the file changed since ``index`` was built, or the offsets disagree. A
        quote whose document changed elsewhere (its text is still in the file) stays, noted
        as of the build that answers: while an edit is being indexed its document still
        answers, and nothing removed is shown as current."""
        good = tuple(q for q in result.quotes if self.is_current(q, index, as_of=True))
        related = tuple(q for q in result.related if self.is_current(q, index))
        dropped = len(result.quotes) - len(good) + len(result.related) - len(related)
        if dropped:
            log.warning("left out %d quote(s) from documents changed since the index was "
                        "built", dropped)  # fmt: skip
        if result.found and not good:
            return Answer(result.question, False, (), related, DOCUMENT_CHANGED,
                          result.confidence, result.notes)  # fmt: skip
        older = sorted({q.document for q in good if not self.document_current(index, q.document)})
        if not dropped and not older:
            return result
        notes = (*result.notes, *as_of_notes(older, index.built_at))
        return replace(result, quotes=good, related=related, notes=notes)

    def is_verbatim(self, quote: Quote) -> bool:
        """Is ``quote.text`` exactly its document's current text at its offsets?"""
        return self.is_current(quote, self.index)

    def is_current(self, quote: Quote, index: Index, as_of: bool = False) -> bool:
        """Is the quote its indexed text at the offsets (modulo whitespace), and its
        document unchanged since ``index`` was built (``as_of``: or its text still in it)?"""
        text = index.texts.get(quote.document)
        if text is None or " ".join(text[quote.start : quote.end].split()) != quote.text:
            return False
        return self.document_current(index, quote.document) or (
            as_of and still_in_file(self.settings.corpus, quote.document, quote.text)
        )

    def document_current(self, index: Index, document: str) -> bool:
        """Is ``document`` on disk still the file ``index`` was built from (same hash)?"""
        if self.settings.read_only and not self.settings.corpus.is_dir():
            return True  # a replica without the corpus: the index's stored text is the source
        return file_hash(self.settings.corpus, document) == index.sha256_of(document)


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
    speaker: str | None = None,
    documents: Sequence[str] | None = None,
) -> Answer:
    """Answer a question about the default corpus with verbatim, attributed quotes (only
    from ``speaker``'s statements and from ``documents``, if given)."""
    return default_bot().ask(question, history, top_k, min_confidence, speaker, documents)
