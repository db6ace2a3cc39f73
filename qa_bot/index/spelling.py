"""Question words the collection never uses, matched to words it does ("moderater" →
"moderator", "pannel" → "panel"), before lexical retrieval and features.

A word is corrected only when the collection lacks it *and* it is not a common English word:
"budget" asked of a text that never mentions one stays "budget" (the honest answer is that
the documents don't say), while a typo or a casual spelling ("wat") is matched to the
nearest word of the collection by edit distance (SymSpell, MIT), the more frequent word
winning a tie. Short words need a closer match than long ones.
"""

from __future__ import annotations

import importlib.resources
import re
from collections import Counter
from collections.abc import Collection
from functools import lru_cache
from typing import Any

from qa_bot.text import STOPWORDS, stem, without_possessive

# A word at least this frequent in symspellpy's English list (counts from a web corpus of
# about a trillion words) is a real word, never a typo: "budget" 59M, "wat" 2.9M,
# "panellist" 35k. Typos of common words ("moderater", "pannel") are not listed at all.
COMMON_WORD_COUNT = 10_000_000
MIN_WORD_CHARS = 3  # shorter words are left alone ("wat" is the shortest corrected)
SHORT_WORD_CHARS = 5  # words up to this long may be one edit away; longer ones two
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_LONG_NAME = re.compile(r"\b[A-Z][\w-]*(?:\s+(?:(?:of|on|and|for|the|in)\s+)*[A-Z][\w-]*){2,}")


class Speller:
    """Corrects question words towards one collection's vocabulary."""

    def __init__(self, texts: list[str]) -> None:
        self.vocabulary = Counter(w.lower() for text in texts for w in _WORD.findall(text))
        self._symspell: Any = None
        self._stems: frozenset[str] | None = None

    def correct(
        self, question: str, keep: Collection[str] = ()
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The question with unknown words replaced, and each (word, replacement) made
        (an empty replacement: a short casual word with no match, such as "abt", dropped).
        Words whose term (``text.stem``) is in ``keep`` stay as asked: the words that name
        the kind of thing asked ("fraction" is no typo of "action", "headquartered" none of
        "headquarters")."""
        changes: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            lower = word.lower()
            base = without_possessive(lower)  # "organisation's" is "organisation"
            if len(lower) < MIN_WORD_CHARS or self._known(lower, base) or stem(base) in keep:
                return word
            better = self._nearest(lower)
            if better is None:
                if len(lower) > MIN_WORD_CHARS or word.isupper():
                    # A rare word of its own ("budgetary") or an acronym ("PGA"): as asked.
                    return word
                changes.append((word, ""))
                return ""
            if word[0].isupper():
                better = better[0].upper() + better[1:]
            changes.append((word, better))
            return better

        corrected = " ".join(_WORD.sub(fix, question).split())
        return corrected, tuple(changes)

    def fold_names(self, question: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The question with each long name the collection writes only as its acronym
        written so ("the United Nations Office on Drugs and Crime" -> "the UNODC"): three
        or more capitalised words, joined by "of", "on", "and", "for", "the" or "in", whose
        initials the collection uses as a word, and one of whose words it never uses (a
        collection that spells the name out is searched as asked)."""
        changes: list[tuple[str, str]] = []

        def fold(match: re.Match[str]) -> str:
            words = match.group(0).split()
            capitals = [i for i, w in enumerate(words) if w[:1].isupper()]
            spans = [(a, b) for a in capitals for b in capitals if b - a >= 2]
            for a, b in sorted(spans, key=lambda s: s[0] - s[1]):  # the longest name first
                name = words[a : b + 1]
                initials = "".join(w[0] for w in name if w[:1].isupper())
                spelled = all(w.lower() in self.vocabulary for w in name)
                if len(initials) >= 3 and initials.lower() in self.vocabulary and not spelled:
                    changes.append((" ".join(name), initials))
                    return " ".join([*words[:a], initials, *words[b + 1 :]])
            return match.group(0)

        return _LONG_NAME.sub(fold, question), tuple(changes)

    def _known(self, word: str, base: str) -> bool:
        """Is ``word``, or ``base`` (the word without a possessive "'s"), the collection's
        own, in any form ("urge" where it writes "urged"), or a common English word?"""
        if self._stems is None:
            self._stems = frozenset(stem(w) for w in self.vocabulary)
        return (
            word in self.vocabulary or base in self.vocabulary or stem(base) in self._stems
            or _common(base)
        )  # fmt: skip

    def _nearest(self, word: str) -> str | None:
        """The collection's content word closest to ``word``: fewest edits, then the same
        consonants ("moderater" is "moderator", not "moderated"), then the most frequent."""
        from symspellpy import Verbosity

        distance = 1 if len(word) <= SHORT_WORD_CHARS else 2
        found = self._index().lookup(word, Verbosity.ALL, max_edit_distance=distance)
        found = [f for f in found if f.term not in STOPWORDS and len(f.term) >= MIN_WORD_CHARS]
        if not found:
            return None
        skeleton = _consonants(word)
        best = min(found, key=lambda f: (f.distance, _consonants(f.term) != skeleton, -f.count))
        return best.term

    def _index(self) -> Any:
        if self._symspell is None:
            from symspellpy import SymSpell

            index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
            for word, count in self.vocabulary.items():
                if len(word) >= MIN_WORD_CHARS - 1:
                    index.create_dictionary_entry(word, count)
            self._symspell = index
        return self._symspell


def _consonants(word: str) -> str:
    return re.sub(r"[aeiouy]", "", word)


def _common(word: str) -> bool:
    """Is ``word`` a common English word (see COMMON_WORD_COUNT)?"""
    text = _english()
    at = text.find(f"\n{word} ")
    if at < 0:
        if not text.startswith(f"{word} "):
            return False
        at = -1
    end = text.find("\n", at + 1)
    return int(text[at + 1 + len(word) + 1 : end if end > 0 else None]) >= COMMON_WORD_COUNT


@lru_cache(maxsize=1)
def _english() -> str:
    """symspellpy's English word list ("word count" lines), read once as one string."""
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    return path.read_text(encoding="utf-8")
