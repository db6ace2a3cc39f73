"""A question that names the specific thing it asks is answered only by a sentence that
names one:

- "which article / section / resolution ..." asks for one by its number ("Article 6",
  "resolution 79/286", "§4.1(3)"): "the principle of non-punishment needs to be respected"
  names none. When the question also says what it covers ("... covers the prevention of
  trafficking"), the numbered sentence must name that too: "the protection and recovery of
  victims under Article 6" does not say which article covers prevention;
- "which technology companies / religious leaders / minority communities ..." asks for
  members of a kind that have names: a sentence that names none of that kind (an entity of
  a fitting label the question does not give) and does not even speak of the kind ("He
  stressed that artificial intelligence must be deployed with strong safeguards") does not
  say which. One that speaks of the kind in general may ("technology companies" answers
  "which companies should ..."). Only a plural kind: "which car company first offered ..."
  is answered by "Scion offers ...", a name the NER misses (a singular kind lost 2 SQuAD
  right answers so, for 1 held-out near miss caught). The speaker's line does not count:
  "Which companies did Colin Ward name?" is not answered by the one he works for.
"""

from __future__ import annotations

import re

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.forms import FormMatch
from qa_bot.answer.lexicon import alt, either
from qa_bot.answer.query import Query
from qa_bot.text import in_family, names_all

# What a reference is asked to cover: the words after "covers", "deals with", ...
_COVERS = re.compile(rf"\b{alt(lx.COVER_VERBS)}\b(?P<topic>[^?]*)", re.I)
# A number beside the reference's word: "Article 6", "resolution 79/286", "Section IV",
# "the Fifth Amendment", "§4.1(3)".
_NUMBERED = r"(?-i:\d[\w./()-]*|[IVXLC]+\b|[A-Z]\b)"
_ORDINAL = (
    rf"(?:(?:\w+-)?{alt(('first',), lx.ORDINALS)}|{either(lx.LATER_ORDINALS)}"
    rf"|\w+teenth|\w+tieth|\d+{alt(lx.ORDINAL_SUFFIXES)})"
)
_SECTION_SIGN = re.compile(r"§\s*\d")
# Each kind whose members have names, with the entity labels that name one.
_NAMED_KINDS = {
    "named_companies": frozenset({"ORG", "PRODUCT", "FAC", "NORP", "PERSON", "WORK_OF_ART"}),
    "named_people": frozenset({"PERSON", "NORP", "ORG"}),
    "named_communities": frozenset({"NORP", "GPE", "LOC", "ORG", "LANGUAGE"}),
}


def lacks_reference(query: Query, facts: Facts) -> str:
    """ "no article is named by its number", "it names no article on prevention", else ""."""
    found = query.form("reference")
    if found is None:
        return ""
    noun = found.group("noun") or ""
    noun = noun.upper() if noun.lower() in ("rfc", "pep") else noun.lower()
    text = facts.sentence.text
    if not _numbered(noun, text):
        return f"no {noun} is named by its number"
    covers = _COVERS.search(found.group("rest") or "")
    if covers is None:
        return ""
    topic = covers.group("topic").strip()
    if names_all(topic, text):
        return ""
    return f"it names no {noun} on {_topic_as_typed(query.form('reference_typed')) or topic}"


def _topic_as_typed(typed: FormMatch | None) -> str:
    """What the reference is asked to cover in the user's words (the speller may have
    changed "preventing" to "prevention"), or "" when they do not say it the same way."""
    covers = _COVERS.search(typed.group("rest") or "") if typed else None
    return covers.group("topic").strip() if covers else ""


def _numbered(noun: str, text: str) -> bool:
    """Does ``text`` name a ``noun`` (an article, a section, ...) by its number?"""
    if noun == "section" and _SECTION_SIGN.search(text):
        return True
    word = rf"{noun}s?"
    if noun in ("RFC", "PEP"):  # "RFC 5322", "PEP 8", ":rfc:`5322`"
        return re.search(rf"\b{noun}[\s:`-]*\d", text, re.I) is not None
    pattern = rf"\b{word}\s+{_NUMBERED}|\b{_ORDINAL}\s+{word}\b"
    return re.search(pattern, text, re.I) is not None


def lacks_named_kind(query: Query, facts: Facts) -> str:
    """ "it names no technology companies" when the sentence neither names one of the kind
    asked nor speaks of the kind, else ""."""
    sentence = facts.sentence
    for form_id, labels in _NAMED_KINDS.items():
        found = query.form(form_id)
        if found is None or not re.search(r"[^s]s$", found.group("kind") or ""):
            continue
        named = any(
            label in labels and not query.names(sentence.text[start:end])
            for label, start, end, *_ in sentence.entities
        )
        kind = found.group("kind") or ""
        return (
            ""
            if named or in_family(kind, sentence.text)
            else f"it names no {found.group('phrase')}"
        )
    return ""
