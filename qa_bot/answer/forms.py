"""What questions ask for: one ordered table of question forms.

Each row is a pattern with an id. A row with an ``answer_type`` says what kind of named
thing the question asks: the first such row that matches gives ``Query.answer_type``, and
its ``cue`` group (else the whole match) holds the words that name the kind ("what
percentage"). A ``strict`` row says that only a sentence holding that kind can answer. A
row with a ``kind`` gives the question's kind for the learned features (who / quantity /
when). The other rows are the forms the checks look for ("which country", "who founded",
"when will"). ``analyse`` (``query.py``) matches every row once and keeps the matches on
the ``Query``; no check reads the question text again.

Patterns are built from ``lexicon``. A row reads the question as searched (after the
speller) unless ``reads`` says "typed" (as the user typed it: "Who elects ...?" asks a rule,
though the speller may make it "elected") or "typed_only" (only when the speller changed
it: what the user asked in their own words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_bot.answer import lexicon as lx
from qa_bot.answer.lexicon import alt, by_length, either, optional_plural, plural

# What a question asks for, as entity labels (OntoNotes, as spaCy's NER gives them at build
# time). Only where the answer is a named thing: bare "where" ("online"), plural "which
# companies" ("technology companies") and "who should" ("Member States") are answered by
# common nouns, so they ask for no type.
ANSWER_TYPES = {
    "person": ("PERSON",),
    "organisation": ("ORG", "NORP", "FAC"),
    "place": ("GPE", "LOC", "FAC"),
    "date": ("DATE", "TIME"),
    "time": ("TIME",),  # a time of day: "at what time"; a date is none
    "duration": ("DATE", "TIME"),
    "age": ("DATE", "CARDINAL"),  # "nine years old" is a date to the NER, "at 14" a number
    "nationality": ("NORP", "GPE"),  # "Egyptian", "from Egypt"
    "money": ("MONEY",),
    "share": ("PERCENT",),
    "count": ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"),
    "change": ("PERCENT", "CARDINAL", "QUANTITY", "MONEY"),  # by how much something grew
}

# A question's opening: a preposition may come first ("In what year ...").
LEAD = r"^\s*(?:" + alt(lx.LEAD_PREPOSITIONS, (r"as of \w+,?",)) + r"\s+)?"
_LEAD_PREPOSITION = rf"^\s*(?:{alt(lx.LEAD_PREPOSITIONS)}\s+)?"
WHICH = alt(lx.WHICH)
BE = alt(lx.BE)
_BE_OR_WILL_BE = alt(lx.BE, ("will be",))
AUX = alt(lx.DO, lx.HAVE, lx.BE, lx.WILL)
# "What number", "what total number", "what is the current number of".
NUMBER_OF = (
    rf"(?:what (?:{alt(lx.COUNT_QUALIFIERS)} )?number"
    rf"|what {BE} the (?:{alt(lx.COUNT_QUALIFIERS, lx.NOW_QUALIFIERS)} )?number of)"
)
_ORGS = (*lx.ORG_NOUNS, *lx.SCHOOL_NOUNS)
_MONEY = ("money", "funding")
# "What was the date of the hearing?", "the closing date for ...?" (not "the day like?").
_DATE_OF = rf"(?=\s+{alt(lx.LEAD_PREPOSITIONS, ('when', 'that'))}\b|\s*\?)"
CHANGE_WORDS = by_length(lx.RISE_WORDS, lx.FALL_WORDS)
# "How much did X pay / cost / donate ...?" asks an amount of money; "how much" alone also
# asks amounts of energy or water ("How much solar energy is captured ...?").
_SPENT = rf"how much\b(?! of\b| more\b| less\b)[^?]*\b{alt(lx.MONEY_VERBS)}\b"
# Words that do not narrow a kind asked: "the area which includes most countries", "what
# should Member States do".
_NOT_NARROWING = alt(lx.BE, lx.DO, lx.ARTICLES, ("of", "in"), lx.MODALS, lx.FUTURE_MODALS,
                     lx.HAVE, ("member",))  # fmt: skip
_WHO_OR_WHICH_PEOPLE = r"^\s*(?:who|which(?:\s+[a-z][\w-]*){1,2}?)\s+"
_ADVERB = rf"(?:{alt(lx.DEED_ADVERBS)}\s+)?"
# Words that end a kind's phrase: "which flag did the author ..." asks no author.
_NOT_MODIFIER = alt(lx.DO, lx.BE, lx.HAVE, lx.WILL, lx.MODALS, lx.ARTICLES, lx.LEAD_PREPOSITIONS,
                    lx.PHRASE_LINKS)  # fmt: skip
_WHEN = rf"(?:when|what (?:{either(lx.DATE_NOUNS)}|time)|which {alt(lx.DATE_NOUNS)})\b"
_SHARE_WORD = alt(lx.SHARE_WORDS, ("per cent",))
# A party named as a speaker: "Governor Waller", "the Bank of England", "Ms. Chumbow".
_PARTY = (
    r"(?:(?i:the)\s+)?(?:(?:Mr|Ms|Mrs|Dr|H\.E)\.\s+)?[A-ZÀ-Þ][\w.'’\-]*"
    r"(?:\s+(?:(?:of|the|and|for|on|de|van|von)\s+)*[A-ZÀ-Þ][\w.'’\-]*){0,6}"
)
_REFERENCE = (
    rf"^\s*(?:{alt(lx.LEAD_PREPOSITIONS, ('under',))} )?{WHICH} "
    rf"(?P<noun>{either(lx.REFERENCE_NOUNS)})s?\b"
    r"(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Form:
    """One row of the table: a pattern and what a question of that form asks."""

    id: str
    pattern: re.Pattern[str]
    answer_type: str = ""  # a key of ANSWER_TYPES: the kind of named thing asked
    strict: bool = False  # only a sentence holding the asked kind can answer
    kind: str = ""  # "who", "quantity" or "when", for the learned features
    cue: str = ""  # the group naming the kind asked ("": the whole match)
    anchored: bool = False  # matched at the start, else searched anywhere
    reads: str = "text"  # "text", "typed" or "typed_only" (see the module's docstring)
    blocks_type: bool = False  # a question of this form asks for no type at all
    doc: str = ""


@dataclass(frozen=True)
class FormMatch:
    """A form a question has: its id, the matched text and its named groups."""

    id: str
    text: str
    groups: tuple[tuple[str, str | None], ...] = ()

    def group(self, name: str) -> str | None:
        return dict(self.groups).get(name)


def _row(id_: str, pattern: str, flags: int = re.I, **what: object) -> Form:
    return Form(id_, re.compile(pattern, flags), **what)  # type: ignore[arg-type]


def _named_kind(id_: str, kinds: tuple[str, ...]) -> Form:
    """ "Which technology companies / religious leaders ...?": a kind whose members have
    names, with up to three words narrowing it."""
    return _row(
        id_,
        r"^\s*(?:" + alt(lx.LEAD_PREPOSITIONS, ("with",)) + r" )?which (?P<phrase>(?:(?!"
        rf"{_NOT_MODIFIER}\b)[\w'-]+ ){{0,3}}?(?P<kind>{alt(kinds)}))\b",
        anchored=True,
    )


# fmt: off
FORMS: tuple[Form, ...] = (
    # --- Who is asked about, not for -------------------------------------------------------
    _row("who_is_name", rf"^\s*(?i:who {BE}) (?:(?i:{either(lx.TITLE_ABBREVIATIONS)})\.? )?[A-Z]", 0,
         anchored=True, blocks_type=True,
         doc="'Who is Catherine Kirkendall?' asks who a named person is (a role): no type"),
    # --- The kind of named thing asked: the first row that matches gives it --------------
    _row("person", LEAD + rf"{alt(lx.WHO_WORDS)}\b(?!\s+{alt(lx.MODALS, lx.WILL)}\b)",
         answer_type="person", doc="'who ...', not 'who should ...' ('Member States')"),
    _row("which_person", LEAD + rf"which {alt(lx.PERSON_NOUNS, lx.MEETING_ROLES)}\b",
         answer_type="person", doc="'which panellist / speaker / moderator ...'"),
    _row("which_office", LEAD + rf"(?i:which) (?P<role>{by_length(lx.OFFICE_TITLES)})\b(?!s)", 0,
         answer_type="person", strict=True, doc="'which Vice-President ...': a holder, by name"),
    _row("organisation", LEAD + rf"{WHICH} {alt(_ORGS)}\b(?!s)", answer_type="organisation",
         doc="'which organisation / company / university' (singular: plurals ask kinds)"),
    _row("place", LEAD + rf"{WHICH} {alt(lx.PLACE_NOUNS)}\b(?!s)", answer_type="place",
         doc="'which city / country / venue' (singular)"),
    _row("where_held", rf"^\s*where\b.*\b(?P<cue>{alt(lx.WHERE_DEEDS, lx.WHERE_EVENTS)})\b",
         answer_type="place", cue="cue", doc="'where ... held / based / met' (not bare 'where')"),
    _row("age", LEAD + r"how old\b|^\s*at what age\b", answer_type="age"),
    _row("nationality", r"\b(?:nationality|citizenship)\b", answer_type="nationality", strict=True,
         doc="'what is X's nationality': a people or a country, stated of X"),
    _row("time_of_day", LEAD + rf"what (?:time|hour)\b(?! (?:of|in) (?:the )?{alt(lx.CALENDAR_UNITS)}\b)"
         rf"(?=.*\b{alt(lx.TIMED_VERBS)}\b|\s+on\s+(?:{either(lx.WEEKDAYS, lx.MONTHS)})\b)",
         answer_type="time", strict=True,
         doc="'at what time did it begin', 'what time on Sunday': a time of day"),
    _row("how_much_time", LEAD + r"how much time\b", answer_type="duration", strict=True,
         doc="'how much time': a length of time, not money"),
    _row("duration", LEAD + r"how long\b|^\s*how many "
         rf"{alt(tuple(plural(unit) for unit in lx.TIME_UNITS))}\b", answer_type="duration"),
    _row("date", LEAD + _WHEN, answer_type="date", doc="'when', 'what year', 'which day'"),
    _row("how_much_changed", LEAD + rf"(?:by )?how much {AUX}\b.*\b{CHANGE_WORDS}\b",
         answer_type="change", strict=True, doc="'by how much did X grow?': a change's size"),
    _row("money", LEAD + rf"(?:how much {alt(_MONEY, lx.DO, lx.WILL, ('would',), lx.BE)}"
         rf"|what {alt(lx.MONEY_NOUNS, lx.PRICE_NOUNS, ('sum',))}|how much)\b",
         answer_type="money"),
    _row("price", rf"^\s*what {_BE_OR_WILL_BE} the (?:\w+ )?(?P<cue>"
         rf"{either(lx.PRICE_NOUNS, lx.MONEY_NOUNS)})\b", answer_type="money", cue="cue",
         doc="'what is the annual budget / the fee ...'"),
    _row("date_of", rf"^\s*what {_BE_OR_WILL_BE} the (?:\w+ )?(?P<cue>{alt(lx.DATE_NOUNS)})"
         + _DATE_OF, answer_type="date", cue="cue", doc="'what was the date of the hearing?'"),
    _row("share", LEAD + rf"what {alt(lx.SHARE_WORDS)}\b", answer_type="share"),
    _row("count", LEAD + rf"(?:how many|{NUMBER_OF})\b", answer_type="count"),
    # --- Forms whose answer is always a named thing of the asked kind --------------------
    # Bare "when" ("when do my licenses end?") and bare "who" ("who elects the Leader?") are
    # answered by clauses and roles; but when something was held, adopted or founded, or
    # when someone did something, is a date.
    _row("strict_which", LEAD + rf"{WHICH} "
         rf"{alt(lx.PLACE_NOUNS, lx.DATE_NOUNS, lx.SHARE_WORDS, _ORGS)}\b(?!s)", strict=True),
    _row("strict_how", LEAD + r"(?:how (?:long|old)\b|at what age\b|how many\b"
         rf"|{NUMBER_OF}\b|how much {alt(_MONEY)}\b|{_SPENT})", strict=True),
    _row("strict_what_the", LEAD + rf"what {_BE_OR_WILL_BE} the (?:\w+ )?"
         rf"(?:{alt(lx.PRICE_NOUNS)}\b|{alt(lx.DATE_NOUNS)}{_DATE_OF})", strict=True),
    _row("strict_where", LEAD + rf"where\b.*\b{alt(lx.WHERE_DEEDS)}", strict=True),
    _row("strict_when", LEAD + rf"(?:when {alt(lx.PAST_AUX, lx.FUTURE_MODALS)}\b|when\b[^,]*\b"
         rf"{alt(lx.EVENT_DEEDS, lx.WHEN_DEEDS, lx.RECORDED_DEEDS, ('born',))}\b[^,]*$)",
         strict=True),
    # --- The question's kind, for the learned features: who, then quantity, then when ---
    _row("kind_who", LEAD + rf"(?:{either(lx.WHO_WORDS)}"
         rf"|which {alt(lx.PERSON_NOUNS, lx.WORK_ROLES)})\b", kind="who", anchored=True),
    _row("kind_quantity", LEAD + r"(?:how (?:many|much|often)"
         rf"|what {alt(lx.SHARE_WORDS, ('amount',))}|{NUMBER_OF})\b", kind="quantity",
         anchored=True),
    _row("kind_when", LEAD + _WHEN, kind="when", anchored=True),
    # --- Forms the checks look for -------------------------------------------------------
    _row("country", rf"\b{WHICH} (?:(?!{_NOT_NARROWING}\b)(?![\w-]*(?:s|ed)\b)[\w-]+ ){{0,2}}"
         rf"(?:{either(lx.COUNTRY_NOUNS)}|(?P<states>states))\b",
         doc="'which country / countries / Member States / states' (states by name)"),
    _row("born", r"\bborn\b"),
    _row("asks_several", rf"\b{WHICH}\s+(?:[\w'’-]+\s+){{0,2}}?{alt(lx.SEVERAL_KINDS)}['’]?(?=\W)"
         r"|\bwho (?:are|were)\b", doc="'which two countries': several answer"),
    _row("asks_city", rf"\b{WHICH} {alt(lx.CITY_NOUNS)}\b", doc="'in which city': a city, not a region"),
    _row("will", r"^\s*(?:\w+\s+){0,4}?(?<!their )(?<!his )(?<!her )(?<!the )will\b",
         anchored=True, doc="'when will ...', not 'in their will'"),
    _row("when_or_where", _LEAD_PREPOSITION + r"(?:when|where)\b", anchored=True),
    _row("asks_more", r"\b(?:else|more|other|another)\b", doc="'what else did she say'"),
    _row("who_made", _WHO_OR_WHICH_PEOPLE + _ADVERB + rf"{alt(lx.MAKING_DEEDS, lx.MAKER_VERBS)}\b"
         rf"|^\s*who {BE} (?:the )?(?:{alt(lx.MAKER_QUALIFIERS, ('first',))} )?"
         rf"{alt(lx.MAKER_NOUNS)}s? of\b"
         rf"|^\s*who (?:is|are) (?:the )?{alt(lx.NOW_QUALIFIERS, ('incumbent',))}\b"
         r"|^\s*who (?:(?:currently|presently) \w+|(?:is|are) (?:currently|presently))\b",
         anchored=True, reads="typed", doc="'who wrote / founded ...', 'who is the current ...'"),
    _row("who_did", _WHO_OR_WHICH_PEOPLE + _ADVERB
         + rf"(?P<deed>{alt(lx.MAKING_DEEDS, lx.ONE_OFF_DEEDS)})\b"
         rf"|^\s*who\s+{alt(lx.FUTURE_MODALS)}\s+(?P<future>(?!be\b|have\b)[a-z][\w-]*)",
         anchored=True, reads="typed", doc="'who founded / appointed ...', 'who will chair ...'"),
    _row("who_holds", rf"^\s*(?i:who {BE} the|what (?:is|was) the name of the"
         r"|name the) (?P<role>(?:[A-Z][\w-]* ){0,3}?[A-Z][\w-]*)"
         rf"(?: {alt(lx.LEAD_PREPOSITIONS, ('when', 'while', 'before', 'after', 'who', 'that'))}"
         r"\b|\s*\?)", 0, anchored=True, doc="'who is the <Office> of ...' (capitalised)"),
    _row("became_office", rf"^\s*(?i:when {alt(lx.PAST_AUX)}) .+? (?i:"
         rf"{either(lx.BECOME_VERBS, ('appointed', 'named', 'elected', 'made'))}) (?:(?i:as) )?"
         r"(?:(?i:the) )?(?P<role>(?:[A-Z][\w-]* ){0,3}[A-Z][\w-]*)", 0, anchored=True,
         doc="'when did X become <Office>' (a capitalised office)"),
    _row("headquarters", rf"^\s*(?:where|(?:in )?{WHICH} {alt(lx.PLACE_NOUNS)})\b.*"
         r"\bheadquarter", anchored=True),
    _row("from_which", rf"^\s*from {WHICH} {alt(lx.ORIGIN_PLACES)}\b", anchored=True),
    _row("reference", _REFERENCE, anchored=True, doc="'which article / resolution ...'"),
    _row("reference_typed", _REFERENCE, anchored=True, reads="typed_only"),
    _row("company_office", rf"^\s*who (?:is|was) (?:the )?(?:{alt(lx.NOW_QUALIFIERS)} )?"
         rf"(?P<office>{either(lx.COMPANY_OFFICES)}) (?:of|at)\b", anchored=True,
         doc="'who is the chief executive / treasurer of X' (lower case)"),
    _row("head", rf"^\s*who (?:{either(lx.LEAD_VERBS)}|is (?:at )?the (?:current )?"
         rf"(?P<noun>{either(lx.HEAD_NOUNS)}) of) (?P<body>[^?]+?)\s*\??$", anchored=True,
         doc="'who leads / heads / runs X', 'who is the head of X'"),
    _row("majority", r"^\s*(?:by )?(?:what|which) (?:\w+ )?(?:super)?majority\b"
         r"|\bhow (?:large|big) (?:a )?(?:super)?majority\b", doc="'what majority is needed'"),
    _row("now", rf"\b{alt(lx.NOW_WORDS)}\b", doc="'... today', 'currently'"),
    _row("school", rf"\b{WHICH} (?:[\w-]*[^\Ws] )?(?P<kind>{either(lx.SCHOOL_KINDS)})\b"),
    _row("address", rf"^\s*{WHICH} (?:{BE} )?(?:the |{alt(lx.POSSESSIVES)} )?"
         r"(?:(?P<kind>[\w-]+) )?address\b", anchored=True),
    _row("which_thing", r"\bwhich\s+(?P<words>[^?]+)", doc="'which radio station ...'"),
    _row("name_of", r"\bnames? of\s+(?P<words>[^?]+)", doc="'what is the name of X'"),
    _named_kind("named_companies", lx.COMPANY_KINDS),
    _named_kind("named_people", lx.PEOPLE_KINDS),
    _named_kind("named_communities", lx.COMMUNITY_KINDS),
    _row("become", rf"\b{alt(lx.BECOME_VERBS, ('appointed', 'elected'))}\s+(?:"
         rf"{alt(lx.ARTICLES, lx.POSSESSIVES)}\s+|[\w.-]+['’]s\s+)?(?:[\w-]+\s+){{0,3}}?"
         rf"(?P<office>{either(lx.BECOME_OFFICES)})\b", doc="'when did X become the maintainer'"),
    _row("numbered", rf"\b{WHICH} (?:[\w-]+ )?(?:versions? of (?!"
         rf"{alt(lx.ARTICLES, lx.POSSESSIVES)} (?-i:[a-z]))(?![^?]*['’]s\b)|number\b(?! of\b))",
         doc="'which version of X', 'what port number'"),
    _row("measure", rf"^\s*what {_BE_OR_WILL_BE} {alt(lx.ARTICLES, lx.POSSESSIVES)} (?:[\w-]+ ){{0,3}}?"
         rf"{alt(lx.MEASURES_ASKED)}\b", doc="'what is the default maximum line length'"),
    _row("counts_time", r"\bhow many\b(?:\s+\w+){0,2}?\s+"
         rf"{alt(tuple(optional_plural(u) for u in (*lx.TIME_UNITS, *lx.OTHER_TIME_UNITS)))}\b",
         doc="'how many nights': a count of time units, which the NER calls a date"),
    _row("counts_share", r"\bhow many of\b|\bper ?cent|%", doc="a share counts a part"),
    _row("length", rf"^\s*how long {alt(lx.BE, lx.MODALS, lx.WILL)} (?:"
         rf"{alt(lx.ARTICLES, ('each', 'every'), lx.POSSESSIVES)} )?(?!\w+ (?:"
         rf"{either(lx.LASTING_VERBS)}|be (?:in|on|valid|open|held|kept)))", anchored=True,
         doc="'how long is X': a length as often as a time ('how long did X last': a time)"),
    _row("share_of", rf"\b{alt(lx.SHARE_WORDS)} of (?P<whole>.+?) "
         r"(?:are|is|were|was|involved?|involves|concerns?|concerned|affects?|affected"
         r"|c[oa]mes? from|consists? of|included?|includes) (?P<part>[^?]+?)\s*\??$",
         doc="'what percentage of X are Y': the share of a part"),
    _row("change_by", rf"\b(?:by (?:what|how much|how many)(?: {_SHARE_WORD})?|how much) {AUX} "
         rf"(?P<subject>.+?) (?P<change>{CHANGE_WORDS})\b", reads="typed",
         doc="'by what percentage did X rise'"),
    _row("change_what", rf"\bwhat (?:\w+ )?{_SHARE_WORD} (?P<change>{CHANGE_WORDS}) (?:in|of) "
         rf"(?P<subject>.+?)(?: (?:{AUX}|according)\b|\s*\?|\s*$)", reads="typed",
         doc="'what percentage increase in X'"),
    # --- Whose statement is asked -----------------------------------------------------
    _row("speech", rf"\b{alt(lx.SPEECH_VERBS)}\b", doc="'what did X say / stress / call for'"),
    _row("said_by", rf"\b{alt(lx.DO, lx.HAVE, lx.WILL, ('would',), lx.BE)}\s+(?P<party>{_PARTY}"
         rf"(?:\s+{alt(lx.PERSON_NOUNS, lx.PUBLIC_OFFICES, lx.MEETING_ROLES, lx.SPEAKING_BODIES)})?)\s+"
         rf"(?:(?:{alt(lx.DEED_ADVERBS)}|also|just|ever)\s+)?{alt(lx.SPEECH_VERBS)}\b", 0,
         doc="'what did Governor Waller / the Tajik ambassador say': a party, named, as the speaker"),
    _row("according_to", rf"\b(?i:according to) (?P<party>{_PARTY})", 0,
         doc="'according to the Bank of Canada, ...'"),
    _row("party_view", rf"\b(?P<party>{_PARTY})['’]s (?i:{alt(lx.VIEW_NOUNS)})\b", 0,
         doc="'what was Mexico's position on ...'"),
    _row("statement_said", rf"\b(?P<party>{_PARTY})['’]s (?i:{alt(lx.STATEMENT_NOUNS)})\s+"
         rf"(?:{alt(lx.DEED_ADVERBS)}\s+)?{alt(lx.SPEECH_VERBS)}\b", 0,
         doc="'what did Malley's tweet say' (not 'which line did the Fed's statement remove')"),
    _row("step_started", rf"\b{alt(lx.STEP_STARTED_ASKED)}\b", reads="typed"),
    _row("step_settled", rf"\b{alt(lx.STEP_SETTLED_ASKED)}\b", reads="typed"),
)
# fmt: on
BY_ID = {form.id: form for form in FORMS}
assert len(BY_ID) == len(FORMS), "form ids must be unique"


def match_forms(text: str, typed: str = "") -> tuple[FormMatch, ...]:
    """Every form the question has. ``text`` is the question as searched, ``typed`` as the
    user typed it when the speller changed it (else "")."""
    found = []
    for form in FORMS:
        if form.reads == "typed_only" and not typed:
            continue
        subject = typed or text if form.reads != "text" else text
        hit = form.pattern.match(subject) if form.anchored else form.pattern.search(subject)
        if hit is not None:
            found.append(FormMatch(form.id, hit.group(0), tuple(hit.groupdict().items())))
    return tuple(found)


def answer_type_of(found: tuple[FormMatch, ...]) -> tuple[str, str]:
    """The kind of named thing asked and the words that name it (the cue), from the forms
    a question has; ("", "") when it asks none."""
    if any(BY_ID[m.id].blocks_type for m in found):
        return "", ""
    for match in found:
        form = BY_ID[match.id]
        if form.answer_type:
            return form.answer_type, (match.group(form.cue) if form.cue else None) or match.text
    return "", ""


def is_strict(answer_type: str, found: tuple[FormMatch, ...]) -> bool:
    """Does the question's form demand a named thing of its answer type?"""
    if not answer_type:
        return False
    return answer_type == "change" or any(BY_ID[m.id].strict for m in found)


def kind_of(found: tuple[FormMatch, ...]) -> str:
    """The question's kind for the learned features: "who", "quantity", "when" or "other"."""
    kinds = {BY_ID[m.id].kind for m in found}
    return next((kind for kind in ("who", "quantity", "when") if kind in kinds), "other")
