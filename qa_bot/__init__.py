"""qa_bot: answers questions about a document collection by quoting it verbatim."""

from __future__ import annotations

from qa_bot.bot import QABot, ask
from qa_bot.config import Settings
from qa_bot.types import Answer, Passage, Quote, Sentence

__all__ = ["Answer", "Passage", "QABot", "Quote", "Sentence", "Settings", "ask"]
__version__ = "0.1.0"
