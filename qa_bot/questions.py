"""Question sets for evaluation and fitting: the project's JSON format (a list of
questions, or a corpus folder with its questions) and SQuAD 2.0 files.

A SQuAD article becomes one document (its title as the heading, one paragraph per SQuAD
context, whitespace folded), so the bot answers over whole articles as it would over any
collection. A question counts as answered when a gold answer lies inside the first quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_bot.safe_json import JsonFileError, load_json

KINDS = ("factoid", "speaker", "pagebreak", "followup", "unanswerable")


class QuestionSetError(ValueError):
    """The question file is not in the expected format; the message says where."""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    question: str
    gold: tuple[str, ...]
    history: tuple[str, ...] = ()
    group: str = ""  # the unit of a fitting/validation split (a SQuAD article)


@dataclass(frozen=True)
class QuestionSet:
    """Questions and the corpus they are about (None: the bot's configured corpus)."""

    name: str
    items: list[Item]
    corpus: Path | None = None


def read_json(path: Path) -> Any:
    """A question file's JSON, or QuestionSetError naming the file and the problem."""
    try:
        return load_json(path)
    except JsonFileError as err:
        raise QuestionSetError(str(err)) from None


def load_set(path: Path, work: Path) -> QuestionSet:
    """A question file of any supported shape.

    - a list of questions (tests/data/dev.json): about the bot's own corpus;
    - ``{"corpus": "folder", "questions": [...]}``: about that folder (relative to the file);
    - a SQuAD 2.0 file: its articles are written as documents to ``work/<name>/corpus``.
    """
    data = read_json(path)
    name = path.stem if path.stem != "questions" else path.parent.name
    if is_squad(data):
        corpus = work / name / "corpus"
        return QuestionSet(name, write_squad_corpus(data, corpus), corpus)
    if isinstance(data, dict) and "questions" in data:
        corpus = (path.parent / str(data.get("corpus", ""))).resolve()
        if not corpus.is_dir():
            raise QuestionSetError(f"{path}: its corpus folder {corpus} does not exist")
        return QuestionSet(name, parse_questions(data["questions"], path), corpus)
    return QuestionSet(name, parse_questions(data, path))


def load_questions(path: Path) -> list[Item]:
    """Read a question set in the format of tests/data/dev.json."""
    return parse_questions(read_json(path), path)


def parse_questions(data: Any, path: Path) -> list[Item]:
    if not isinstance(data, list):
        raise QuestionSetError(f"{path}: expected a JSON list of questions")
    items = []
    for i, row in enumerate(data):
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            raise QuestionSetError(f"{path}: item {i} has no 'question' string")
        kind = row.get("kind", "factoid")
        if kind not in KINDS:
            raise QuestionSetError(f"{path}: item {i} has unknown kind {kind!r}")
        gold = tuple(row.get("gold", []))
        if kind != "unanswerable" and not gold:
            raise QuestionSetError(f"{path}: item {i} ({kind}) has no gold phrases")
        items.append(
            Item(str(row.get("id", i)), kind, row["question"], gold, tuple(row.get("history", [])))
        )
    return items


# ---------------------------------------------------------------- SQuAD 2.0


def is_squad(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("data"), list) and "version" in data


def read_squad(path: Path) -> dict[str, Any]:
    data = read_json(path)
    if not is_squad(data):
        raise QuestionSetError(f"{path}: not a SQuAD file (no 'version' and 'data')")
    return data


def titles(data: dict[str, Any]) -> list[str]:
    return [str(article["title"]) for article in data["data"]]


def write_squad_corpus(
    data: dict[str, Any], folder: Path, only: list[str] | None = None
) -> list[Item]:
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
