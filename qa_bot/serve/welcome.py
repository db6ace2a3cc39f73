"""What the page says before the first question: the collection's title, description,
placeholder and example questions, from settings, the corpus folder or the index."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_bot.clean import clean_input
from qa_bot.config import Settings
from qa_bot.format import escape_md
from qa_bot.index.load import Index
from qa_bot.ingest.safe_read import read_inside
from qa_bot.safe_json import JsonFileError, parse_json

log = logging.getLogger(__name__)

TITLE = "qa_bot — ask the documents"
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
        collection = titles[0]
    else:
        named = ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
        collection = f"{len(titles)} documents: {named}"
    examples = [e for e in settings.ui_examples.split("|") if e.strip()]
    return Welcome(
        title=settings.ui_title or own.get("title") or TITLE,
        description=settings.ui_description or own.get("description")
        or f"{INTRO} The collection: {escape_md(collection)}.",
        placeholder=settings.ui_placeholder or own.get("placeholder")
        or "Ask about the documents…",
        examples=tuple(e.strip() for e in examples) or tuple(own.get("examples", ())),
    )  # fmt: skip


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
