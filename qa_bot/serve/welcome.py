"""What the page says before the first question: the collection's title, description,
placeholder and example questions, from settings, the corpus folder or the index."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_bot.clean import clean_input
from qa_bot.config import Settings
from qa_bot.format import escape_md, short_title
from qa_bot.index.load import Index
from qa_bot.ingest.safe_read import read_inside
from qa_bot.safe_json import JsonFileError, parse_json

log = logging.getLogger(__name__)

TITLE = "Ask the documents"  # an empty collection's page title
INTRO = (
    "Answers come only as **verbatim quotes** from the documents, each cited by document, "
    "section and speaker."
)
WELCOME_FILE = "qa-bot.json"  # in the corpus folder: the collection's own title, examples


@dataclass(frozen=True)
class Welcome:
    """What the page says before the first question: title, description, the question
    box's placeholder and example questions (each asks at once when clicked)."""

    title: str
    description: str
    placeholder: str
    examples: tuple[str, ...]


def welcome(settings: Settings, index: Index) -> Welcome:
    """Settings first (QA_BOT_UI_*), then the corpus folder's ``qa-bot.json``, then what
    the index says: the documents' titles. So the page follows the collection."""
    own = _welcome_file(settings.corpus, WELCOME_FILE)
    titles = sorted({p.title for p in index.passages})
    if len(titles) == 1:
        collection = derived = titles[0]
    else:
        named = ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
        collection = f"{len(titles)} documents: {named}"
        derived = f"{titles[0]} and {len(titles) - 1} more" if titles else TITLE
    examples = [e for e in settings.ui_examples.split("|") if e.strip()]
    return Welcome(
        title=settings.ui_title or own.get("title") or short_title(derived),
        description=settings.ui_description or own.get("description")
        or f"{INTRO} The collection: {escape_md(collection)}.",
        placeholder=settings.ui_placeholder or own.get("placeholder")
        or "Ask about the documents…",
        examples=tuple(e.strip() for e in examples) or tuple(own.get("examples", ())),
    )  # fmt: skip


# A whole message of these words is a greeting or a call for help, not a question about the
# documents: it gets the help message, not "the documents don't say".
GREETING_WORDS = frozenset(
    "hi hello hey hiya howdy greetings good morning afternoon evening day thanks thank you "
    "there help please helpme start ok okay".split()
)
HELP_ASKS = ("what can you do", "what do you do", "how does this work", "how do i use this",
             "who are you", "what are you", "what is this", "how can you help")  # fmt: skip


def is_small_talk(message: str) -> bool:
    """Is ``message`` a greeting or a request for help ("hello", "help", "what can you
    do?") rather than a question about the documents?"""
    said = " ".join(re.sub(r"[^\w\s]", " ", message.casefold()).split())
    if not said:
        return False
    if all(w in GREETING_WORDS for w in said.split()):
        return True
    return any(said == ask or said.startswith(ask + " ") for ask in HELP_ASKS)


def help_markdown(page: Welcome) -> str:
    """What a greeting gets: what the assistant does, for which collection, and example
    questions to try (escaped: they come from settings or the corpus folder)."""
    tried = "\n".join(f"- {escape_md(e)}" for e in page.examples[:4])
    try_these = f"\n\nTry, for example:\n{tried}" if tried else ""
    return (
        f"Hello. I answer questions about **{escape_md(page.title)}** by quoting the documents "
        "word for word, with the document, section and speaker of each quote. When they do "
        "not answer a question, I say so rather than guess. Under Sources you can see the "
        f"documents and tick the ones to search.{try_these}"
    )


WELCOME_MAX_BYTES = 64 * 1024


def _welcome_file(corpus: Path, name: str) -> dict[str, Any]:
    """The corpus's page texts, or nothing (a bad file is logged and ignored). Read like a
    document: inside the corpus folder, never through a link that leads out of it."""
    path = corpus / name
    if not path.is_file():
        return {}
    try:
        data = parse_json(read_inside(corpus, name, WELCOME_MAX_BYTES), str(path))
    except OSError as err:  # too large, a link out, unreadable
        log.warning("ignoring %s: %s; using the default page texts", path, err)
        return {}
    except JsonFileError as err:
        log.warning("ignoring %s; using the default page texts", err)
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring %s: not a JSON object", path)
        return {}
    texts = {k: clean_input(v) for k in ("title", "description", "placeholder")
             if isinstance(v := data.get(k), str)}  # fmt: skip
    examples = data.get("examples", [])
    if isinstance(examples, list):
        texts["examples"] = [clean_input(e) for e in examples if isinstance(e, str)]
    return texts
