"""Question analysis: clean the text, match it to the question forms, find the speakers it
names and what it leans on from the chat history."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from qa_bot.answer import lexicon as lx
from qa_bot.answer.forms import (
    ANSWER_TYPES,
    FormMatch,
    answer_type_of,
    is_strict,
    kind_of,
    match_forms,
)
from qa_bot.answer.numbers import asked_code_names, asked_numbers
from qa_bot.answer.pronouns import leaning_pronoun, with_name
from qa_bot.clean import clean_input
from qa_bot.index.spelling import Speller
from qa_bot.ingest.speakers import name_keys, speaker_name, speaker_parties, speaker_role
from qa_bot.text import FRAMING, kin, question_terms, stem, terms, without_possessive, words

_PRONOUNS = frozenset(
    (*lx.SUBJECT_PRONOUNS, *lx.OBJECT_PRONOUNS, *lx.POSSESSIVES, *lx.DEMONSTRATIVES)
)


@dataclass(frozen=True)
class Query:
    """A question made ready for retrieval and answer selection."""

    text: str
    retrieval_text: str
    terms: tuple[str, ...]
    optional_terms: tuple[str, ...]
    context_terms: tuple[str, ...]
    speakers: tuple[str, ...]
    kind: str  # "who", "quantity", "when" or "other"
    followup: bool
    notes: tuple[str, ...] = ()
    answer_type: str = ""  # a key of forms.ANSWER_TYPES, or "" when no named thing is asked
    asked: str = ""  # the question as the user typed it (cleaned), when spelling changed it
    strict: bool = False  # only a sentence holding the asked kind can answer
    # The question's words that name the kind asked ("percentage", "which country"): an
    # answer's clause need not repeat them ("one-third of victims" answers "what share").
    cue_terms: tuple[str, ...] = ()
    # Numbers the question states ("in 2024", "version 2.0"): part of the fact asked.
    numbers: tuple[str, ...] = ()
    # Names from code, as the user typed them ("numpy.ma.multiply"): likewise.
    code_names: tuple[str, ...] = ()
    # The question forms it has (forms.FORMS), each with its named groups.
    forms: tuple[FormMatch, ...] = ()
    # Whose statements answer it: the speakers a question about what someone said names
    # ("What did Ms. Chumbow say about ...?", or "she" after a question naming her).
    scope: tuple[str, ...] = ()
    # A party named as a speaker who is no speaker of the documents ("What did Governor
    # Waller say?"): only a sentence reporting their words can answer.
    party: str = ""
    # A personal pronoun nothing in the conversation resolves ("What did she call for?" in
    # a new chat, in a collection of several speakers): the bot asks who is meant.
    unresolved: str = ""
    # The person a follow-up's pronoun means when they are no speaker ("Who moderated the
    # panel?" - "Ms. Delphine Schantz"; "What is her role?"): only passages naming them.
    about: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels that can answer the question (none: no type asked)."""
        return ANSWER_TYPES.get(self.answer_type, ())

    @property
    def typed(self) -> str:
        """The question as the user typed it (cleaned)."""
        return self.asked or self.text

    def form(self, form_id: str) -> FormMatch | None:
        """The match of the form ``form_id`` (forms.FORMS), or None."""
        return next((found for found in self.forms if found.id == form_id), None)

    def names(self, phrase: str) -> bool:
        """Does the question itself say ``phrase`` (case aside)? An entity the question
        names is no answer to it ("In 2024, how much ..." is not answered by "2024")."""
        return phrase.lower() in self.text.lower()


def clean(question: str, limit: int) -> tuple[str, list[str]]:
    """Plain, bounded text: invalid Unicode replaced, terminal escapes and control
    characters dropped (qa_bot/clean.py), whitespace folded, length capped."""
    notes = []
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in clean_input(question)
    )
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
        notes.append(f"The question was longer than {limit} characters; only the words within "
                     f"the first {limit} were read.")  # fmt: skip
    return text, notes


def searched_for(changes: list[tuple[str, str]]) -> str:
    """The note that says how the question was read, naming only the words changed:
    'Searched for “moderator” (typed “moderater”); left out “abt”.'"""
    swapped = [f"“{new}” (typed “{old}”)" for old, new in dict.fromkeys(changes) if new]
    dropped = [f"“{old}”" for old, new in dict.fromkeys(changes) if not new]
    parts = ([f"Searched for {', '.join(swapped)}"] if swapped else []) + (
        [f"left out {', '.join(dropped)}"] if dropped else []
    )
    said = "; ".join(parts)
    return said[:1].upper() + said[1:] + "."


def analyse(
    question: str,
    history: list[str],
    speakers: list[str],
    limit: int = 1000,
    speller: Speller | None = None,
    referent: str = "",
) -> Query:
    """Clean the question, match words the collection never uses to ones it does
    (``speller``), match it to the question forms, and resolve what it leans on from the
    chat history: a personal pronoun means ``referent``, the person the last answer named
    or quoted (a speaker, or a name), else a speaker the earlier questions named."""
    text, notes = clean(question, limit)
    asked, changed = "", []
    if speller is not None and text:
        corrected, changes = speller.correct(text, type_cue_terms(text))
        folded, names = speller.fold_names(corrected or text)
        if (changes and corrected) or names:
            asked, text, changed = text, folded, [*changes, *names]
    followup = bool(history) and _leans_on_context(text)
    previous = ""
    if followup:
        previous = clean(next((h for h in reversed(history) if clean(h, limit)[0]), ""), limit)[0]
        followup = bool(previous)
    pronoun = leaning_pronoun(text)
    named = _named_speakers(text, speakers) or _role_speakers(text, speakers)
    person = _person_meant(pronoun, referent, previous, history, named, speakers)
    about = ""
    if person:  # the pronoun stands for them: ask about them by name
        asked = asked or text
        text = with_name(text, speaker_name(person) if person in speakers else person)
        changed.append((pronoun, speaker_name(person) if person in speakers else person))
        named = [person] if person in speakers else _named_speakers(person, speakers)
        about = "" if named else person
    if asked and changed:
        notes.append(searched_for(changed))
    found = match_forms(text, asked)
    kind = kind_of(found)
    answer_type, cue = answer_type_of(found)
    context_terms: tuple[str, ...] = ()
    retrieval_text = text
    if followup:
        retrieval_text = f"{text} {previous}"
        context_terms = tuple(terms(previous))
        if about:  # a person the last answer named, no speaker: search for them
            retrieval_text, context_terms = f"{text} {about}", tuple(terms(about))
        if not named and not person:
            named = _named_speakers(previous, speakers) or _named_in_history(history, speakers)
    # With no earlier question, a pronoun means no one: ask whom (with one, the search
    # leans on that question's words instead), where the question is about a speaker.
    unresolved = (
        pronoun
        if pronoun
        and not previous
        and not named
        and not person
        and len(speakers) >= 2
        and _about_a_speaker(found, text)
        else ""
    )
    scope, party = _whose_statements(found, named, speakers)
    return Query(
        text=text,
        retrieval_text=retrieval_text,
        terms=tuple(_content_terms(text, named, kind)),
        optional_terms=_framing_terms(text),
        context_terms=context_terms,
        speakers=tuple(named),
        kind=kind,
        followup=followup,
        notes=tuple(notes),
        answer_type=answer_type,
        asked=asked,
        strict=is_strict(answer_type, found),
        cue_terms=_cue_terms(found, cue, answer_type),
        numbers=asked_numbers(text),
        code_names=asked_code_names(asked or text),
        forms=found,
        scope=scope,
        party=party,
        unresolved=unresolved,
        about=about,
    )


# The forms that name the party whose words are asked ("What did Governor Waller say",
# "according to X", "X's position").
PARTY_FORMS = ("said_by", "according_to", "party_view", "statement_said")


def _person_meant(
    pronoun: str,
    referent: str,
    previous: str,
    history: list[str],
    named: list[str],
    speakers: list[str],
) -> str:
    """The one person a personal pronoun of a follow-up means: the person the last answer
    named or quoted (``referent``), else the one speaker the earlier questions named; ""
    when the question names someone itself, has no pronoun, or the person is not one."""
    if not pronoun or named or not previous:
        return ""
    if referent:
        return referent
    earlier = _asked_speakers(previous, speakers) or _named_in_history(history, speakers)
    return earlier[0] if len(earlier) == 1 else ""


def _about_a_speaker(found: tuple[FormMatch, ...], text: str) -> bool:
    """Is the question about a speaker: what they said, or nothing but them ("What is her
    role?")? "After how many days was his sentence suspended?" says enough to be looked
    up as it stands."""
    return any(f.id == "speech" for f in found) or len(question_terms(text)) <= 1


def speakers_meant(name: str, speakers: list[str]) -> list[str]:
    """The speakers a name given on its own means ("Mayor Doe", "Chumbow", "the Special
    Rapporteur", "Tajikistan"): by their label, name, role, title or party."""
    given = " ".join(name.split())
    if given in speakers:
        return [given]
    return (
        _named_speakers(given, speakers)
        or _role_speakers(given, speakers)
        or list(_proper_names_match(given, speakers))
    )


def _asked_speakers(text: str, speakers: list[str]) -> list[str]:
    """The speakers a question names, by name or role, or as the party whose words it asks
    ("What did the Tajik ambassador say?")."""
    named = _named_speakers(text, speakers) or _role_speakers(text, speakers)
    return named or list(_whose_statements(match_forms(text), [], speakers)[0])


def _cue_terms(found: tuple[FormMatch, ...], cue: str, answer_type: str) -> tuple[str, ...]:
    """The words that name the kind asked, which an answer need not repeat: the answer
    type's cue ("what percentage"), and the head asked ("who is the chief of UNODC" is
    answered by its Executive Director, a head by another title)."""
    out = list(question_terms(cue)) if answer_type else []
    head = next((m.group("noun") for m in found if m.id == "head" and m.group("noun")), None)
    return tuple(dict.fromkeys([*out, *question_terms(head or "")]))


def _whose_statements(
    found: tuple[FormMatch, ...], named: list[str], speakers: list[str]
) -> tuple[tuple[str, ...], str]:
    """The speakers whose statements answer the question, and a party named as a speaker
    who is none of the documents' speakers. Only a question about what someone said (a
    speech verb, "according to X", "X's position") is scoped; the speaker may be named by
    name, role or the party they speak for ("What did Tajikistan say?")."""
    forms = {m.id: m for m in found}
    party = next((m.group("party") or "" for k in PARTY_FORMS if (m := forms.get(k))), "")
    if "speech" not in forms and not party:
        return (), ""
    if named:
        return tuple(named), ""
    if not party or not speakers:
        # Documents that record no speakers (an article, a report) say "according to X"
        # in every form of reported speech; only a record of who said what is held to it.
        return (), ""
    asked = " ".join(words(re.sub(r"^(?i:the)\s+", "", party)))
    spoken_for = tuple(s for s in speakers if asked in speaker_parties(s) or asked in name_keys(s))
    spoken_for = spoken_for or _proper_names_match(party, speakers)
    return (spoken_for, "") if spoken_for else ((), party)


_TITLES = frozenset({"mr", "ms", "mrs", "dr", "h.e", "prof"})


def _proper_names_match(party: str, speakers: list[str]) -> tuple[str, ...]:
    """The one or two speakers whose name and role hold every proper name the party is
    named by, a word of one family counting ("the Tajik ambassador" is the Permanent
    Representative of Tajikistan; "the President" the President of the General Assembly)."""
    proper = [w.lower().strip(".,") for w in party.split() if w[:1].isupper()]
    proper = [w for w in proper if w not in _TITLES and w != "the"]
    if not proper:
        return ()
    found = tuple(s for s in speakers if all(any(kin(p, w) for w in words(s)) for p in proper))
    return found if len(found) <= 2 else ()


def answer_type(text: str) -> str:
    """What kind of named thing the question asks for (a key of ANSWER_TYPES), or ""."""
    return answer_type_of(match_forms(text))[0]


def type_cue_terms(text: str) -> tuple[str, ...]:
    """The terms of the words that say which kind is asked ("What percentage", "In which
    city", "how long", "where ... held"): the speller leaves them as they are."""
    kind, cue = answer_type_of(match_forms(text))
    return tuple(question_terms(cue)) if kind else ()


def _content_terms(text: str, named: list[str], kind: str) -> list[str]:
    """Question terms minus what only identifies a named speaker (scored apart).

    Names always go; roles go too unless the question asks who holds them
    ("What did the President of the General Assembly say about X?" is about X).
    """
    names = {t for s in named for key in name_keys(s) for t in terms(key)}
    if kind != "who":
        names |= {t for s in named for t in terms(speaker_role(s))}
    return [t for t in question_terms(text) if t not in names]


def _framing_terms(text: str) -> tuple[str, ...]:
    """Framing words ("panellists", "mentioned"): credit when an answer has them, never required."""
    return tuple(dict.fromkeys(stem(w) for w in words(text) if w in FRAMING))


def _leans_on_context(text: str) -> bool:
    lowered = text.lower()
    if lowered.startswith(lx.CONTINUATIONS):
        return True
    tokens = words(text)
    return any(t in _PRONOUNS for t in tokens) or len(terms(text)) <= 1


def _named_speakers(text: str, speakers: list[str]) -> list[str]:
    """The speakers the text names. Where one name holds another ("Michelle Smith" and
    "Smith" of Colby Smith), the longer names the speaker."""
    # "Isakson's grandfather" names Isakson.
    tokens = " " + " ".join(without_possessive(w) for w in words(text)) + " "
    best = {}
    for speaker, phrases in _name_phrases(tuple(speakers)).items():
        matched = [phrase for phrase in phrases if phrase in tokens]
        if matched:
            best[speaker] = max(matched, key=len)
    return [
        speaker
        for speaker, phrase in best.items()
        if not any(phrase in other and len(other) > len(phrase) for other in best.values())
    ]


@lru_cache(maxsize=8)
def _name_phrases(speakers: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each speaker's names as space-delimited word phrases (per index, not per question)."""
    return {s: tuple(f" {' '.join(words(key))} " for key in sorted(name_keys(s))) for s in speakers}


def _named_in_history(history: list[str], speakers: list[str]) -> list[str]:
    for previous in reversed(history):
        found = _asked_speakers(previous, speakers)
        if found:
            return found
    return []


def _role_speakers(text: str, speakers: list[str], threshold: float = 0.6) -> list[str]:
    """Speakers referred to by role ("the Special Rapporteur"), when that is unambiguous."""
    asked = set(terms(text))
    found = []
    for speaker, weights in _role_weights(tuple(speakers)).items():
        total = sum(weights.values())
        matched = [t for t in weights if t in asked]
        if total and len(matched) >= 2 and sum(weights[t] for t in matched) / total >= threshold:
            found.append(speaker)
    return found if len(found) <= 2 else []


@lru_cache(maxsize=8)
def _role_weights(speakers: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Each speaker's role terms, weighted by how rare they are among all roles (per index)."""
    roles = {s: set(terms(speaker_role(s))) for s in speakers}
    df: dict[str, int] = {}
    for role_terms in roles.values():
        for term in role_terms:
            df[term] = df.get(term, 0) + 1
    return {
        s: {t: math.log(1 + len(speakers) / df[t]) for t in role_terms}
        for s, role_terms in roles.items()
    }
