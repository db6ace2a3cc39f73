"""qa_bot: answers questions about a document collection by quoting it verbatim."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa_bot.bot import QABot, ask
    from qa_bot.config import Settings
    from qa_bot.types import Answer, Passage, Quote, Sentence

__all__ = ["Answer", "Passage", "QABot", "Quote", "Sentence", "Settings", "ask"]
__version__ = "0.1.0"

_HOMES = {
    "QABot": "qa_bot.bot",
    "ask": "qa_bot.bot",
    "Settings": "qa_bot.config",
    "Answer": "qa_bot.types",
    "Passage": "qa_bot.types",
    "Quote": "qa_bot.types",
    "Sentence": "qa_bot.types",
}


def __getattr__(name: str) -> Any:
    """Import on first use, so `qa-bot build` with nothing to do stays fast."""
    if name not in _HOMES:
        raise AttributeError(f"module 'qa_bot' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)
