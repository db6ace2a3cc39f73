"""The status line under the chat, and /status: what answers now, how fresh it is, and
whether the index is being brought up to date or the last update failed."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from qa_bot.format import escape_html

if TYPE_CHECKING:
    from qa_bot.bot import QABot


def status_record(bot: QABot) -> dict[str, Any]:
    """The status line's facts as data: state ("ready", "building", "failed"), the line a
    person reads, the live build and its counts, and what encodes questions ("onnx", or
    "sentence-transformers" with the reason the export is not used)."""
    counts = bot.index.manifest.get("counts", {})
    return {
        "state": bot.status.state,
        "line": bot.status.line(),
        "build": bot.index.folder.name,
        "built_at": bot.index.built_at,
        **{key: counts.get(key, 0) for key in ("documents", "passages", "sentences")},
        "question_encoder": bot.encoding.name,
        "question_encoder_note": bot.encoding.note,
    }


def status_line(bot: QABot, now: datetime | None = None) -> str:
    """The footer as HTML, in plain words: what answers now and how fresh it is, and whether
    the index is being brought up to date or the last update failed (and why)."""
    record = status_record(bot)
    documents, sentences = record["documents"], record["sentences"]
    what = (
        f"{documents} document{'' if documents == 1 else 's'}, "
        f"{sentences} sentence{'' if sentences == 1 else 's'}, "
        f"updated {_ago(record['built_at'], now)}"
    )
    status = bot.status
    if status.state == "building":
        line = f"Updating the index ({status.detail}); answering from {what}"
    elif status.state == "failed":
        line = f"The last update failed: {status.detail}. Answering from {what}"
    else:
        line = f"Ready: {what}; up to date with the documents" + (
            f". {status.detail}" if status.detail else ""
        )
    return f"<small>{escape_html(line)}</small>"


def _ago(built_at: str, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago" for an ISO time."""
    try:
        then = datetime.fromisoformat(built_at)
    except ValueError:
        return "at an unknown time"
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    seconds = ((now or datetime.now(timezone.utc)) - then).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'' if n == 1 else 's'} ago"
    return "just now"
