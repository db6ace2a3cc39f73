"""SQuAD 2.0 files as a corpus of markdown documents plus a question set.

Each article becomes one document (its title as the heading, one paragraph per SQuAD
context, whitespace folded), so the bot answers over whole articles as it would over any
collection. A question counts as answered when a gold answer lies inside the first quote.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qa_bot.evaluate import Item, QuestionSetError, read_json


def is_squad(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("data"), list) and "version" in data


def read_squad(path: Path) -> dict[str, Any]:
    data = read_json(path)
    if not is_squad(data):
        raise QuestionSetError(f"{path}: not a SQuAD file (no 'version' and 'data')")
    return data


def titles(data: dict[str, Any]) -> list[str]:
    return [str(article["title"]) for article in data["data"]]


def write_corpus(data: dict[str, Any], folder: Path, only: list[str] | None = None) -> list[Item]:
    """Write the articles (all, or those titled in ``only``) to ``folder``; their questions."""
    folder.mkdir(parents=True, exist_ok=True)
    items: list[Item] = []
    for article in data["data"]:
        title = str(article["title"])
        if only is not None and title not in only:
            continue
        heading = title.replace("_", " ")
        paragraphs = [" ".join(p["context"].split()) for p in article["paragraphs"]]
        text = f"# {heading}\n\n" + "\n\n".join(paragraphs) + "\n"
        path = folder / f"{_file_name(title)}.md"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible")) or not qa.get("answers")
                gold = tuple(sorted({" ".join(a["text"].split()) for a in qa.get("answers", [])}))
                items.append(
                    Item(
                        id=str(qa["id"]),
                        kind="unanswerable" if impossible else "factoid",
                        question=str(qa["question"]),
                        gold=() if impossible else gold,
                        group=title,
                    )
                )
    return items


def _file_name(title: str) -> str:
    return re.sub(r"[^\w.-]+", "_", title).strip("_") or "article"
