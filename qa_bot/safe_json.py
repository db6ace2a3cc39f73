"""One way to read a JSON file the app did not just build in memory, and one way to seal one.

Every JSON file the app reads (the index's manifest, the question encoder's record, a
corpus's ``qa-bot.json``, a batch of questions) can be damaged: cut short, flipped bits,
another encoding, ``[[[[...`` nested past the parser's recursion, or far too large. Reading
goes through ``load_json`` (or ``parse_json`` for text already in hand), which turns every
such failure into one ``JsonFileError`` naming the file and the problem. Nothing else is
caught.

A file whose damage would otherwise pass as data is *sealed* (``sealed_json``): it carries
the SHA-256 of its own content under ``"checksum"``. ``load_json(..., sealed=True)`` checks
it, so a one-bit change (a passage range ``[3,35]`` read as ``[2,35]``) is damage, not data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

CHECKSUM = "checksum"
MAX_JSON_BYTES = 256 << 20  # far above any file the app writes: a bigger one is not ours


class JsonFileError(ValueError):
    """A JSON file that cannot be used; the message names it (``what``) and says why
    (``problem``, which alone suits a place that names the file itself)."""

    def __init__(self, what: str, problem: str) -> None:
        super().__init__(f"{what}: {problem}")
        self.what, self.problem = what, problem


def parse_json(text: str | bytes, what: str) -> Any:
    """The JSON value in ``text`` (from ``what``, named in errors), or JsonFileError."""
    try:
        return json.loads(text)
    except UnicodeDecodeError as err:
        raise JsonFileError(what, f"not UTF-8 text (byte {err.start})") from None
    except RecursionError:
        raise JsonFileError(what, "nested too deeply to be read") from None
    except json.JSONDecodeError as err:
        at = f"line {err.lineno}, column {err.colno}" if err.lineno > 1 else f"column {err.colno}"
        raise JsonFileError(what, f"not valid JSON: {err.msg} ({at})") from None
    except ValueError as err:  # the decoder's other refusals
        raise JsonFileError(what, f"not valid JSON ({err})") from None


def load_json(path: Path, sealed: bool = False, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """The JSON value stored in ``path``; with ``sealed``, only if its checksum matches its
    content (the checksum itself is removed). Raises JsonFileError naming the problem."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as err:
        raise JsonFileError(str(path), f"cannot be read ({err.strerror or err})") from None
    if len(raw) > max_bytes:
        raise JsonFileError(str(path), f"over {max_bytes:,} bytes, too large to be ours")
    value = parse_json(raw, str(path))
    return unsealed(value, str(path)) if sealed else value


def unsealed(value: Any, what: str) -> dict[str, Any]:
    """A sealed object's content, if its checksum matches it; else JsonFileError."""
    if not isinstance(value, dict) or not isinstance(value.get(CHECKSUM), str):
        raise JsonFileError(what, "carries no checksum")
    body = {k: v for k, v in value.items() if k != CHECKSUM}
    if _digest(body) != value[CHECKSUM]:
        raise JsonFileError(what, "does not match its checksum (damaged)")
    return body


def sealed_json(value: dict[str, Any]) -> str:
    """``value`` as indented JSON text with the checksum of its content added."""
    return json.dumps({**value, CHECKSUM: _digest(value)}, indent=2)


def _digest(value: dict[str, Any]) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
