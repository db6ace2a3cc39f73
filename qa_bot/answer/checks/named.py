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
from collections.abc import Callable

from qa_bot.answer import lexicon as lx
from qa_bot.answer.facts import Facts
from qa_bot.answer.forms import FormMatch
from qa_bot.answer.lexicon import alt, either
from qa_bot.answer.query import Query
from qa_bot.text import in_family, names_all, same_root, stem, without_possessive, words
from qa_bot.types import Sentence

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


# The answer types other checks read: a date, a number, a place is checked by its kind.
_TYPED_ELSEWHERE = frozenset(("date", "time", "duration", "age", "money", "share", "count",
                              "change", "place", "nationality"))  # fmt: skip
# Words that end the phrase naming the thing asked: "which nominee did ...", "which case
# about ...", "which Senator from Hawaii ...".
_ENDS_THING = frozenset((*lx.DO, *lx.BE, *lx.HAVE, *lx.WILL, *lx.MODALS, *lx.ARTICLES,
                         *lx.LEAD_PREPOSITIONS, *lx.PHRASE_LINKS, *lx.CONJUNCTIONS, "about"))  # fmt: skip
_TOKEN = re.compile(r"[\w'’-]+")
_VAGUE = frozenset((*lx.VAGUE_DETERMINERS, *lx.NUMBER_WORDS, *lx.POSSESSIVES,
                    *(d for d in lx.DEMONSTRATIVES if d != "that")))  # fmt: skip
_NAMED_AFTER = re.compile(
    rf"^\s*(?:[:–—]|-\s|(?:[,(]\s*)?(?:(?-i:[A-Z0-9])|{alt(lx.NAMING_WORDS)}\b)"
    rf"|{alt(lx.DESCRIBING_PREPOSITIONS)}\b)",
    re.I,
)
# A sentence whose doer is only a pronoun: "He announced ...", "Later, she said ...".
_PRONOUN_DOER = re.compile(rf"^(?:[^,]{{0,60}},\s*)?{alt(lx.SUBJECT_PRONOUNS)}\b", re.I)
_NAMING_LABELS = frozenset(("PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"))
_PERSON_LABELS = frozenset(("PERSON",))
_PERSON_NOUN = alt(lx.KIN_NOUNS, lx.PEOPLE_KINDS)
_QUOTED = re.compile(r"[\"“]([^\"“”]{1,80})[\"”]")
# "X is a ...", "X was one of the ...": the sentence says what its subject is.
_DEFINED_AS = re.compile(rf"\b{alt(lx.BE, ('becomes', 'became', 'remains', 'remained'))}\s*$", re.I)
_SOME = frozenset(lx.QUANTIFIERS)
# Words that end the phrase a determiner opens: "a meeting with energy companies".
# ("to" may stand in one: "the most listened to stations".)
_NOT_IN_PHRASE = frozenset((*lx.BE, *lx.LEAD_PREPOSITIONS, *lx.PHRASE_LINKS, *lx.CONJUNCTIONS,
                            *lx.WHICH)) - {"to"}  # fmt: skip
_CAPITALISED_RUN = re.compile(r"^\s*[,(]?\s*((?:[A-Z0-9][\w'’.-]*\s*)+)")
_NAMED_BEFORE = re.compile(r"(?-i:[A-Z])[\w'’.-]*\s*,\s*$")


def asked_thing(query: Query) -> tuple[list[str], bool]:
    """The words naming the thing a "which X" or "the name of X" question asks to be named,
    its head last ("radio station" of "Which radio station interviewed him?", "commission"
    of "Which commission's nominees ...", "grandfather" of "the name of Isakson's
    grandfather"), and whether it is the doer of a past deed asked ("Which Senator placed
    a hold ...?"); ([], False) when the question asks none, or a kind another check reads."""
    if query.answer_type in _TYPED_ELSEWHERE:
        return [], False
    for form_id, owner_ends in (("which_thing", True), ("name_of", False)):
        found = query.form(form_id)
        if found is None:
            continue
        thing: list[str] = []
        doer = False
        said = _TOKEN.findall(found.group("words") or "")
        while said and said[0].lower() in lx.ARTICLES:  # "the name of the energy company"
            said = said[1:]
        for word in said[:4]:
            bare = without_possessive(word)
            if bare.lower() in _ENDS_THING:
                break
            if len(bare) > 4 and bare.endswith("ed"):  # "which Senator placed ..."
                doer = owner_ends and bool(thing)
                break
            if thing and thing[-1].islower() and not bare.islower():  # "company Isakson met"
                break
            if bare != word:  # "commission's nominees" asks which commission
                if owner_ends:
                    thing.append(bare)
                    break
                thing = []  # "Isakson's grandfather" asks the grandfather
                continue
            thing.append(bare)
        if thing:
            return thing, doer
    return [], False


def lacks_identity(query: Query, facts: Facts) -> str:
    """ "it does not name the energy company" when the sentence mentions the thing asked
    only as one of its kind ("an energy company that is regulated", "one of the most
    listened to stations", "my grandfather") and names none, or when the doer asked is only
    "He" ("He announced ... a hold on nominees" for "Which Senator placed a hold?"); else
    "". Either only when the sentence names no one else (``_names_another``). A sentence
    that never mentions the thing is otherwise left to the other checks (SQuAD's answers
    often give the thing as the subject alone: "Scion offers ...")."""
    thing, doer = asked_thing(query)
    if not thing:
        return ""
    sentence = facts.sentence
    text = sentence.text
    tokens = list(_TOKEN.finditer(text))
    head = stem(thing[-1].lower())
    mentions = [i for i, t in enumerate(tokens) if same_root(head, stem(_bare(t.group())))]
    given = {stem(w) for w in words(query.text)}

    def asked(word: str) -> bool:
        return stem(word.lower()) in given

    vague = bool(mentions) and all(_vague(tokens, i, text, asked) for i in mentions)
    only_he = not mentions and doer and _PRONOUN_DOER.match(text) is not None
    person = re.fullmatch(_PERSON_NOUN, thing[-1].lower()) is not None
    if (vague or only_he) and not _names_another(query, sentence, person):
        return f"it does not name the {' '.join(thing)}"
    return ""


def _names_another(query: Query, sentence: Sentence, person: bool) -> bool:
    """Does the sentence name someone or something the question does not: an entity that
    is a name of a person, a body, a work or an event, or a title in quotes? Then its vague
    mention may be that one ("featuring Jay Z ... as a solo artist", "'Miss a Meal', a
    food-donation campaign", "his godfather ... was Fryderyk Skarbek"); a place is not
    ("one of the stations in the city of Atlanta"). A person asked (a kin, a leader) is
    named by a person's name only: "Peppperjam.com" names no brother."""
    text = sentence.text
    labels = _PERSON_LABELS if person else _NAMING_LABELS
    if any(
        label in labels and not query.names(text[start:end])
        for label, start, end, *_ in sentence.entities
    ):
        return True
    return not person and any(not query.names(quoted) for quoted in _QUOTED.findall(text))


def _bare(word: str) -> str:
    """The word in lower case without its possessive ("grandmother's" -> "grandmother")."""
    return re.sub(r"['’]s?$", "", word.lower())


def _named_after(after: str, asked: Callable[[str], bool]) -> bool:
    """Does the text after a mention go on to name it ("a station called WSB", "an energy
    company, Enron,", "a shift toward forced labour"), and not with a name the question
    gave ("two children, Master Sergeant Luksic also ..." names the father)?"""
    found = _NAMED_AFTER.match(after)
    if found is None:
        return False
    run = _CAPITALISED_RUN.match(after)
    return run is None or not any(asked(w) for w in _TOKEN.findall(run.group(1)))


def _named_before(text: str) -> bool:
    """Does the text before a vague mention name it: "WSB, a radio station", "The Millrose
    Games is an annual track and field meet"?"""
    return bool(_NAMED_BEFORE.search(text) or _DEFINED_AS.search(text))


def _vague(tokens: list[re.Match[str]], i: int, text: str, asked: Callable[[str], bool]) -> bool:
    """Is the mention at token ``i`` one of a kind, named neither in it nor beside it: a
    vague determiner up to five lower-case words before it, which only repeat the question
    (``asked``), and no name after it ("a station called WSB", "an energy company, Enron,")
    nor before it ("WSB, a radio station")? "One of the most listened to stations" is one
    of a kind, however it is told."""
    # After a possessive comes what it owns: "their grandmother's 50-year-old recipes".
    possessive = _bare(tokens[i].group()) != tokens[i].group().lower()
    if not possessive and _named_after(text[tokens[i].end() :], asked):
        return False
    for j in range(i - 1, max(i - 7, -1), -1):
        word = tokens[j].group()
        lower = word.lower()
        if lower == "the":  # "the station" is a definite one, "one of the stations" is not
            some = j >= 2 and tokens[j - 1].group() == "of" and tokens[j - 2].group().lower()
            return some in _SOME and not _named_before(text[: tokens[j - 2].start()])
        if lower in _VAGUE or lower.isdigit():
            # "an energy company" repeats the question; "an instrumental version" answers
            # "which version" by a word of its own
            told = any(not asked(tokens[k].group()) for k in range(j + 1, i))
            return not told and not _named_before(text[: tokens[j].start()])
        if not word.islower() or lower in _NOT_IN_PHRASE:  # "the WSB station", "a talk with"
            return False
    return False
