"""Each word list of the answer layer is written once (``qa_bot/answer/lexicon.py``): no list
literal and no alternation of words inside a pattern, anywhere in ``qa_bot/answer``,
repeats another. A list built from others (``(*SHARE_NOUNS, "percent")``) repeats nothing:
only words written out count."""

from __future__ import annotations

import ast
import re
from itertools import combinations
from pathlib import Path

from tests.conftest import ROOT

ANSWER = ROOT / "qa_bot" / "answer"
# An alternation of three or more words; not a suffix group ("chair(?:man|woman|person)").
_ALTERNATION = re.compile(
    r"(?<!(?<!\\)\w)\(\?(?:[a-zA-Z-]*:)?((?:[A-Za-z][A-Za-z' -]*\|){2,}[A-Za-z][A-Za-z' -]*)\)"
)
# A word, or a phrase of words: not an entity label ("PERSON") nor a feature's name.
_WORD = re.compile(r"(?![A-Z_]+$)[A-Za-z][A-Za-z' -]*")
SHARED = 3  # two lists sharing this many words, and half of the smaller one, repeat


def word_lists(path: Path) -> list[tuple[str, frozenset[str]]]:
    """Every literal list of words in ``path``: tuple, list and set literals of three or
    more strings, "a b c".split(), and alternations of three or more words in a pattern."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    where = path.relative_to(ROOT)
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant)
                       and isinstance(e.value, str)]  # fmt: skip
            if len(strings) >= 3 and all(_WORD.fullmatch(_plain(s, False)) for s in strings):
                found.append((f"{where}:{node.lineno}", frozenset(map(_plain, strings))))
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".split"):
            owner = node.func.value  # type: ignore[attr-defined]
            if isinstance(owner, ast.Constant) and isinstance(owner.value, str):
                words = owner.value.split()
                if len(words) >= 3:
                    found.append((f"{where}:{node.lineno}", frozenset(words)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for group in _ALTERNATION.findall(node.value):
                found.append((f"{where}:{node.lineno}", frozenset(map(_plain, group.split("|")))))
    return found


def _plain(word: str, fold: bool = True) -> str:
    """A list entry without its small regular expression ("panell?ist" -> "panellist")."""
    plain = re.sub(r"\(\?:[^)]*\)|[?()\[\]\\]|\\[ws]\*?", "", word).strip()
    return plain.lower() if fold else plain


def all_lists() -> list[tuple[str, frozenset[str]]]:
    return [found for path in sorted(ANSWER.rglob("*.py")) for found in word_lists(path)]


def test_no_word_list_of_the_answer_layer_repeats_another():
    repeats = [
        f"{a} and {b} share {sorted(wa & wb)}"
        for (a, wa), (b, wb) in combinations(all_lists(), 2)
        if len(wa & wb) >= SHARED and len(wa & wb) * 2 >= min(len(wa), len(wb))
    ]
    assert not repeats, "\n".join(repeats)


def test_the_lists_are_read_from_the_source(tmp_path):
    """The finder itself: a copied list, written out in a pattern, is found."""
    probe = tmp_path / "qa_bot" / "answer" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        'MONTHS = ("January", "February", "March")\n'
        'PATTERN = r"\\b(?:January|February|March|April)\\b"\n'
        'BUILT = (*MONTHS, "May")\n'
    )
    import tests.test_lexicon as me

    root, me.ROOT = me.ROOT, tmp_path
    try:
        lists = word_lists(probe)
    finally:
        me.ROOT = root
    assert [words for _, words in lists] == [
        frozenset({"january", "february", "march"}),
        frozenset({"january", "february", "march", "april"}),
    ]
