"""Each check's evidence, kept beside the registry: what it demands and its examples
(``checks.toml``, written by hand), and what it was measured to do (``checks.json`` in
``benchmarks/results/``, written by ``python -m qa_bot.learned.ablate``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from qa_bot.safe_json import JsonFileError, load_json

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

EXAMPLES = Path(__file__).with_name("checks.toml")
MEASURED = Path(__file__).resolve().parents[3] / "benchmarks" / "results" / "checks.json"


class EvidenceError(ValueError):
    """The evidence file is missing or malformed; the message names the file and the fault."""


def load_evidence(path: Path = EXAMPLES) -> list[dict[str, Any]]:
    """The [[check]] entries of ``checks.toml``, in file order, each with its examples."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise EvidenceError(f"{path}: cannot be read ({err.strerror})") from None
    except tomllib.TOMLDecodeError as err:
        raise EvidenceError(f"{path}: not valid TOML ({err})") from None
    entries = data.get("check")
    if not isinstance(entries, list):
        raise EvidenceError(f"{path}: no [[check]] entries")
    for entry in entries:
        for key in ("id", "why", "example"):
            if key not in entry:
                raise EvidenceError(f"{path}: a check has no {key!r} ({entry.get('id', '?')})")
        for example in entry["example"]:
            missing = {"question", "sentence", "reason"} - set(example)
            if missing:
                raise EvidenceError(f"{path}: an example of {entry['id']} has no {sorted(missing)}")
    return entries


def load_measured(path: Path = MEASURED) -> dict[str, Any]:
    """The last ablation's figures ({} when none was measured here)."""
    if not path.is_file():
        return {}
    try:
        return load_json(path)
    except JsonFileError as err:
        raise EvidenceError(str(err)) from None
