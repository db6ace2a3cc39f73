"""The words the answer layer reads, each list written once.

Question forms (``forms.py``), the facts gathered about a sentence (``facts.py``) and the
checks build their regular expressions from these lists with ``alt``, so a word added here
is seen by every pattern that names its list. A list's order is its alternation's order;
an entry may be a small regular expression of one word ("panell?ist", "organi[sz]ation").
Lists that share words are built from one another, never copied: ``tests/test_lexicon.py``
checks that no two lists share two words and that no other module of ``qa_bot/answer``
writes a list of its own inside a pattern.
"""

from __future__ import annotations


def alt(*lists: tuple[str, ...]) -> str:
    """A non-capturing alternation of the words of ``lists``, in order: "(?:a|b|c)"."""
    return "(?:" + either(*lists) + ")"


def either(*lists: tuple[str, ...]) -> str:
    """The words of ``lists`` joined by "|", to stand beside other alternatives in a group."""
    return "|".join(word for words in lists for word in words)


def plural(word: str) -> str:
    """The plural of a unit of time ("centuries", "days")."""
    return word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"


def optional_plural(word: str) -> str:
    """A pattern for the word and its plural ("days?", "centur(?:y|ies)")."""
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "(?:y|ies)"
    return word + "s?"


def by_length(*lists: tuple[str, ...]) -> str:
    """An alternation of the words of ``lists``, longest first (so that "risen" is tried
    before "rise" where no word boundary follows)."""
    words = sorted((w for ws in lists for w in ws), key=len, reverse=True)
    return "(?:" + "|".join(words) + ")"


# --- Grammar ----------------------------------------------------------------------------
BE = ("is", "was", "are", "were")
PAST_AUX = ("did", "was", "were")
DO = ("did", "does", "do")
HAVE = ("has", "have", "had")
WILL = ("will",)
FUTURE_MODALS = ("will", "shall")
# Modals after "who" that ask who ought to act, not who did ("Who should protect victims?").
MODALS = ("should", "must", "can", "could", "would", "may", "might")
ARTICLES = ("the", "a", "an")
WHICH = ("which", "what")
POSSESSIVES = ("his", "her", "its", "their")
OBJECT_PRONOUNS = ("him", "hers", "them", "theirs")
SUBJECT_PRONOUNS = ("he", "she", "they", "it")
DEMONSTRATIVES = ("this", "that", "these", "those")
QUANTIFIERS = ("one", "some", "any", "many", "several", "each", "none")
# Words before a noun that mention one without saying which: "an energy company", "one of
# the most listened to stations", "a certain commission", "my grandfather".
# (With the possessives and "this", "these", "those". "any version" is an answer: "you
# may choose any version"; "that" opens clauses too.)
VAGUE_DETERMINERS = ("a", "an", "another", "certain", "some", "my", "our", "your")
# A count mentions things without naming them: "the father of two children".
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "several", "many", "both")  # fmt: skip
# Words that open a clause or a phrase after a noun: "which flag did the author ...".
PHRASE_LINKS = ("with", "that", "who")
CONJUNCTIONS = ("and", "or")
# Words after a noun that go on to say which it is: "a station called WSB", "a firm known as
# Acme", "their enablers - including ...".
NAMING_WORDS = ("called", "named", "known as", "titled", "entitled", "including", "such as",
                "namely", "like")  # fmt: skip
# Words right after an abstract noun that say what it is of: "a shift toward forced labour",
# "a link between trafficking flows and ...".
# ("to" is no such word: "his brother to market their jam" is for a purpose.)
DESCRIBING_PREPOSITIONS = ("toward", "towards", "from", "between", "of", "on", "against",
                           "about", "with", "into", "over", "for")  # fmt: skip
# The pronouns that stand for one person ("What did she call for?", "What is her role?").
PERSONAL_PRONOUNS = ("he", "she", "him", "her", "his", "hers")
# A sentence that opens with one of these leans on the one before (a quote includes it).
LEANING_OPENINGS = ("It", "Its", *(w.capitalize() for w in DEMONSTRATIVES), "Such", "They",
                    "Their", "Both", "However", "Further", "Furthermore", "Additionally",
                    "Moreover", "In particular", "On the other hand", "Also")  # fmt: skip
# A question may open with a preposition: "In what year ...", "On what date ...".
LEAD_PREPOSITIONS = ("on", "in", "at", "by", "for", "from", "since", "until", "during", "to",
                     "of")  # fmt: skip
# Openings of a follow-up that leans on the question before ("And what about ...?").
CONTINUATIONS = ("and ", "what about", "how about", "what else", "anything else", "also ",
                 "more on")  # fmt: skip
# Titles before a name, lower case.
NAME_TITLES = ("mr", "ms", "mrs", "dr")
OTHER_TITLES = ("sir", "dame")

# --- Who -----------------------------------------------------------------------------------
WHO_WORDS = ("who", "whom", "whose")
# The words that open a question, or a question set inside a sentence ("asked when ...").
WH_WORDS = (*WHO_WORDS, "what", "which", "when", "where", "why", "how")
# "Which panellist ...?" asks a person, as "who" does.
PERSON_NOUNS = (
    "panell?ist", "speaker", "person", "official", "representative", "ambassador",
    "director", "survivor", "participant", "man", "woman",
)  # fmt: skip
# "Which moderator / chair ...?" asks a person by name (the answer type) but was never a
# who-question to the learned features (its kind is "other"): typing it kept the fitted
# figures, and making it a who-question is a change to measure and refit, not a refactor.
MEETING_ROLES = ("moderator", "chair")
# "Which artist / character ...?" is a who-question but asks no type: SQuAD answers it by
# descriptions as often as by names (typing it moves the fitted figures).
WORK_ROLES = ("character", "actor", "author", "artist")

# Kinds asked in the plural ("which countries", "which two speakers"): every one that
# answers is marked.
SEVERAL_KINDS = ("countries", "nations", "cities", "places", "companies", "organi[sz]ations",
                 "people", "persons", "speakers", "panell?ists", "delegations", "members",
                 "names", "dates", "years")  # fmt: skip

# --- Speech -----------------------------------------------------------------------------
# What someone says, in a question ("What did X say / stress / call for ...?") or in a
# sentence that reports it ("the Bank of Canada ... said, ..."): a statement asked of, or
# told of, a speaker.
SPEECH_VERBS = (
    "say", "says", "said", "saying", "state", "states", "stated", "stress", "stressed",
    "stresses", "highlight", "highlighted", "highlights", "note", "noted", "notes",
    "emphasi[sz]e", "emphasi[sz]ed", "emphasi[sz]es", "underline", "underlined", "call",
    "called", "calls", "urge", "urged", "urges", "ask", "asked", "asks", "mention",
    "mentioned", "mentions", "describe", "described", "warn", "warned", "warns", "argue",
    "argued", "recommend", "recommended", "suggest", "suggested", "express", "expressed",
    "raise", "raised", "explain", "explained", "answer", "answered", "reply", "replied",
    "respond", "responded", "add", "added", "observe", "observed", "welcome", "welcomed",
    "announce", "announced", "acknowledge", "acknowledged", "reiterate", "reiterated",
    "speak", "spoke", "spoken", "talk", "talked", "comment", "commented", "insist",
    "insisted", "report", "reported", "tell", "told", "think", "thinks", "thought",
    "believe", "believes", "believed", "propose", "proposed", "point out", "pointed out",
    "write", "writes", "wrote", "written",
)  # fmt: skip
# What a party's statement is called ("Mexico's position", "her remarks").
VIEW_NOUNS = ("view", "views", "position", "remarks", "opinion")
# What a party's words come in ("What did the Secretary's statement / Malley's tweet say?").
STATEMENT_NOUNS = ("statement", "statements", "tweet", "tweets", "letter", "speech",
                   "message", "announcement", "comments", "testimony", "post")  # fmt: skip
# A body that speaks, named by what qualifies it ("What did the Chinese government say?").
SPEAKING_BODIES = ("government", "authorities", "ministry", "administration", "embassy",
                   "mission", "delegation", "officials", "spokesperson", "spokesman",
                   "spokeswoman", "leadership", "military")  # fmt: skip

# --- Kinds of things asked -------------------------------------------------------------------
ORG_NOUNS = ("organi[sz]ation", "company", "agency", "institution", "body", "ngo", "fund",
             "foundation", "firm", "entity")  # fmt: skip
# A university or college is asked for by name (answer type: organisation).
SCHOOL_NOUNS = ("university", "college")
# Places that are cities: a region ("Southeast Asia") or a building is none.
CITY_NOUNS = ("city", "town", "capital")
PLACE_NOUNS = (*CITY_NOUNS, "country", "place", "region", "location", "venue",
               "(?:member )?state", "continent", "nation")  # fmt: skip
# Units of the calendar: a date is named in them ("what year"), and a length measured.
CALENDAR_UNITS = ("year", "day", "month", "decade", "century")
DATE_NOUNS = ("date", *CALENDAR_UNITS)
# The nouns that name a share; "percent" and "fraction" name it too, but are no measure of
# a subject ("the share of victims" is about victims; ``MEASURE_NOUNS``).
SHARE_NOUNS = ("percentage", "share", "proportion")
SHARE_WORDS = (*SHARE_NOUNS, "percent", "fraction")
# What a sum of money is called ("what is the annual budget / the fee for ...").
PRICE_NOUNS = ("budget", "cost", "price", "salary", "revenue", "fees?", "fares?", "rent",
               "wages?", "tuition", "royalt(?:y|ies)", "tolls?")  # fmt: skip
MONEY_NOUNS = ("amount", "funding")
# "What total number ...", "what is the current number of ...": a count however qualified.
COUNT_QUALIFIERS = ("total", "approximate", "exact", "overall", "estimated")
NOW_QUALIFIERS = ("current", "present")
# Verbs of money spent or earned: "How much did X pay / cost / donate ...?"
MONEY_VERBS = (
    "pay", "pays", "paid", "cost", "costs", "spend", "spends", "spent", "earn", "earns",
    "earned", "donate", "donates", "donated", "raise", "raises", "raised", "charge", "charges",
    "charged", "invest", "invests", "invested", "fund", "funds", "funded", "gross", "grossed",
    "contribute", "contributes", "contributed", "sell for", "sold for", "owe", "owes", "owed",
)  # fmt: skip
# "Where was X held / located ...": a place, by name.
# Events held somewhere, at some time.
EVENT_DEEDS = ("held", "hosted", "convened")
WHERE_DEEDS = (*EVENT_DEEDS, "located", "based", "born", "situated", "headquartered")
WHERE_EVENTS = ("take place", "took place", "meet", "met", "opened")
# What happens at a time of day ("At what time did the hearing begin?"): without one,
# "what time" is a musical metre or a deadline ("By what time did Apple project ...").
TIMED_VERBS = ("begin", "began", "begun", "begins", "start", "starts", "started", "open",
               "opens", "close", "closes", "closed", "end", "ends", "ended", "finish",
               "finished", "arrive", "arrived", "leave", "left", "happen", "happened",
               "occur", "occurred", "air", "aired", "depart", "departed", *EVENT_DEEDS,
               *WHERE_EVENTS)  # fmt: skip
# Deeds done once, on a date and by someone: "when was it ratified", "who ratified it".
RECORDED_DEEDS = ("appointed", "elected", "ratified", "signed", "established", "launched")
# "When was X adopted ...": the date of a deed done once (as are the events held, and a
# birth, which are asked where as often as when).
WHEN_DEEDS = ("adopted", "founded", "published", "released", "died")

# --- Changes --------------------------------------------------------------------------------
RISE_WORDS = (
    "rise", "rises", "rose", "risen", "rising", "increase", "increases", "increased",
    "increasing", "growth", "grow", "grows", "grew", "grown", "growing", "gain", "gains",
    "gained", "jump", "jumped", "climb", "climbed", "surge", "surged",
)  # fmt: skip
FALL_WORDS = (
    "fall", "falls", "fell", "fallen", "falling", "decrease", "decreases", "decreased",
    "decreasing", "decline", "declines", "declined", "declining", "drop", "drops", "dropped",
    "dropping", "reduction", "reductions", "reduce", "reduced", "cut", "cuts", "shrink",
    "shrank", "shrunk", "dip", "dipped",
)  # fmt: skip
DIRECTION = {**dict.fromkeys(RISE_WORDS, "rise"), **dict.fromkeys(FALL_WORDS, "fall")}
# Words that only say "how much" of a subject: "the number of victims" is "victims".
MEASURE_NOUNS = ("number", "numbers", "amount", "level", "rate", "total", "count", "figure",
                 *SHARE_NOUNS)  # fmt: skip

# --- Time -----------------------------------------------------------------------------------
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept",
                       "oct", "nov", "dec")  # fmt: skip
# Units of time, singular: a length of them ("one year"), or a count ("how many nights").
TIME_UNITS = (*CALENDAR_UNITS, "week", "hour")
OTHER_TIME_UNITS = ("night", "minute", "second", "season", "time", "generation")
# A unit of time written after a number the NER leaves bare ("2.69 ms per loop").
TIME_SYMBOLS = ("(?:milli|micro|nano)?seconds?", "[mµun]s", "secs?", "minutes?", "mins?",
                "hours?", "hrs?")  # fmt: skip
# A date line's label: "Release date: 15-Aug-2000", "Updated 3 May 2001".
DATE_LINE_LABELS = ("release", "released", "publication", "published", "updated",
                    "last updated", "revised", "revision", "date", "dated")  # fmt: skip
FREQUENCIES = ("annually", "yearly", "monthly", "weekly", "daily")
# Where a length of time starts: "since 2003" is a length, "in 2003" a point.
LENGTH_STARTS = ("since", "from", "between")
POINT_WORDS = ("today", "yesterday", "tomorrow")
# A sentence that speaks of the future.
UPCOMING = ("upcoming", "next", "forthcoming")
FUTURE_WORDS = ("would", *UPCOMING, "future", "scheduled",
                "to be held", "going to", "(?:expected|due|plans?|planned|intends?|set) to")  # fmt: skip
NOW_WORDS = ("today", "currently", "current", "now", "at present", "presently", "nowadays")
# A limit worded around a number: "up to 8 Developers", "at least 4 members".
LIMIT_WORDS = (
    "up to", "at least", "at most", "no more than", "not more than", "no fewer than",
    "fewer than", "more than", "less than", "maximum of", "minimum of", "or fewer", "or more",
    "or less",
)  # fmt: skip

# --- Numbers -----------------------------------------------------------------------------------
# What makes a number an ordinal ("24th"); a day of the month is written so too ("26th").
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
# Ordinals that state a count ("the twenty-fourth Bond film"); "first" says too little.
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
LATER_ORDINALS = ("tenth", "eleventh", "twelfth")
LARGE_ORDINALS = ("hundredth", "thousandth", "millionth", "billionth")
# Fractions: a fraction states a share ("one-third"), and is never an age.
FRACTIONS = ("half", "halves", "thirds?", "quarters?", "fifths?", "sixths?", "eighths?",
             "tenths?")  # fmt: skip
SHARE_MARKERS = ("per ?cent", "out of")
CURRENCIES = ("euros?", "dollars?", "pounds?", "francs?", "yen", "yuan", "rupees?", "usd",
              "eur", "gbp", "chf")  # fmt: skip
LENGTH_UNITS = (
    "words?", "characters?", "letters?", "pages?", "lines?", "bytes?", "bits?",
    "kilo(?:metre|meter)s?", "km", "miles?", "(?:centi|milli)?(?:metre|meter)s?", "m", "cm",
    "mm", "feet", "foot", "ft", "inch(?:es)?", "yards?",
)  # fmt: skip
# A measure asked ("the default maximum line length") is a number.
MEASURES_ASKED = (
    "length", "size", "width", "height", "depth", "limit", "capacity", "weight", "speed",
    "distance", "population", "temperature", "elevation", "altitude", "diameter", "volume",
)  # fmt: skip
# Abbreviations of titles that may stand before a name asked about ("Who is Dr. X?").
TITLE_ABBREVIATIONS = (*NAME_TITLES, r"h\.e")
# Numbered parts of a text ("Article 6", "resolution 79/286").
TEXT_PARTS = ("article", "section", "clause", "paragraph", "chapter", "resolution")
# A number after these names what it follows ("version 2", "Article 5", "No. 2").
REFERENCE_WORDS = (
    "version", r"v\.", "release", *TEXT_PARTS, "§", "part", r"no\.", "number", "rule",
    "phase", "season", "episode", "volume", r"vol\.", "book", "act", "level", "stage",
    "series", "generation",
)  # fmt: skip
# "Which article / section / resolution ...?" asks one by its number.
REFERENCE_NOUNS = (*TEXT_PARTS, "amendment", "annex", "appendix", "rfc", "pep")
# What a reference is asked to cover: the words after "covers", "deals with" ...
COVER_VERBS = (
    "covers?", "deals? with", "concerns?", "is about", "are about", "address(?:es)?",
    "governs?", "regulates?", "provides? for", "sets? out", "defines?", "describes?",
)  # fmt: skip
MAJORITY_SIZES = ("simple", "absolute", "qualified", "two-thirds", "three-quarters?",
                  "three-fourths", r"unanimous\w*")  # fmt: skip

# --- Makers, deeds and offices ------------------------------------------------------------
# Deeds that make a work: who did them is a maker ("who wrote"), and each is a deed a
# sentence must state ("who founded").
MAKING_DEEDS = ("composed", "founded", "co-founded", "invented", "authored", "designed",
                "painted", "discovered", "directed")  # fmt: skip
# "Who wrote / proposed ...?": a work's maker, which only a name answers.
MAKER_VERBS = ("wrote", "proposed", "contributed", "coded", "implemented", "programmed")
MAKER_NOUNS = ("author", "creator", "founder", "co-founder", "inventor", "designer",
               "architect", "composer", "writer", "maker", "originator")  # fmt: skip
# Verbs of lasting: "how long did the tremor last?" asks a time, never a length.
LASTING_VERBS = ("last", "take", "run", "remain", "stay", "serve", "hold")
# Adverbs between "who" and a deed: "who first wrote ...".
DEED_ADVERBS = ("first", "originally", "later", "also", "actually")
MAKER_QUALIFIERS = ("original", "main", "principal")
# Deeds done once that a sentence must state (besides the making deeds): "who appointed".
ONE_OFF_DEEDS = (
    "succeeded", "preceded", "replaced", "nominated", "drafted", "hired", "selected",
    "organi[sz]ed", "chaired", "moderated", "developed", "built", "engineered", "constructed",
    "produced", "introduced", "coined", "pioneered", "sculpted", "commissioned", "funded",
    "sponsored", "financed", *RECORDED_DEEDS,
)  # fmt: skip
# Roles a company, a society or a state has ("the director of X", "X became its head"): the
# first three are a head's titles, the third to the fifth also a unit's.
ROLES = ("chair(?:man|woman|person)?", "president", "director", "head", "manager", "secretary")
# "Who is the chief executive of X?": an office a company or a society has, in lower case.
COMPANY_OFFICES = ("chief executive(?: officer)?", "ceo", "treasurer", *ROLES,
                   "executive director", "managing director", "deputy director",
                   "general manager", "vice[- ]president", "founder", "owner")  # fmt: skip


def titled(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words capitalised, as titles are written ("Director")."""
    return tuple(w[:1].upper() + w[1:] for w in words)


# The titles of a head: "who is the head of UNODC" is answered by its Executive Director.
GENERAL_TITLES = ("Secretary-General", "Commissioner", "Administrator")
HEAD_TITLES = (*titled(ROLES[:3]), "Chief", "Leader", *GENERAL_TITLES, "Governor")
# "Who leads / heads / runs X?", "Who is the head / leader / director / chief of X?"
LEAD_VERBS = ("leads", "heads", "runs", "directs")
HEAD_NOUNS = ("head", "leader", "director", "chief")
# A unit's title of X ("Program Director at X") heads a part of X, not X.
UNIT_TITLES = (*titled(ROLES[2:5]), "Lead", "Coordinator", "Officer",
               "Chair")  # fmt: skip
HEAD_UNITS = ("executive", "managing", "chief", "acting", "interim", "founding")
# "When did X become IDLE's maintainer?": offices someone becomes.
# Offices a state or an international body gives.
PUBLIC_OFFICES = ("minister", "governor", "mayor", "rapporteur", "representative", "ambassador")
BECOME_OFFICES = ("maintainer", *ROLES, "leader", *PUBLIC_OFFICES, "editor", "captain", "coach")
# Offices a person holds, as titles are written ("Which Vice-President delivered ...?").
OFFICE_TITLES = (*titled(ROLES[:3]), *titled(PUBLIC_OFFICES), *GENERAL_TITLES, "Vice-President",
                 "Vice President", "Prime Minister", "Secretary", "Permanent Representative",
                 "Special Rapporteur", "Co-Chair", "Co-facilitator", "Senator", "Judge",
                 "Chancellor")  # fmt: skip
BECOME_VERBS = ("become", "became", "becomes")

# What a step of a text's life is called, as asked: proposed, then adopted.
STEP_STARTED_ASKED = ("proposed", "drafted", "submitted", "tabled")
STEP_SETTLED_ASKED = ("ratified", "adopted", "approved", "passed", "enacted", "signed")
# "Where is X headquartered?": a seat.
SEAT_WORDS = (r"headquarter\w*", "based", "seat", "located", "head office")
# "From which country ...?": a place of origin ("from Ghana", "a native of").
ORIGIN_WORDS = ("from", "of", "native", "born", "hails?")
ORIGIN_PLACES = (*PLACE_NOUNS, "countries")
# A country asked: "which country / countries / nations / Member States".
COUNTRY_NOUNS = ("countr(?:y|ies)", "nations?", "member states?")

# --- Kinds whose members have names ---------------------------------------------------------
COMPANY_KINDS = (
    "compan(?:y|ies)", "firms?", "corporations?", "manufacturers?", "makers?",
    "agenc(?:y|ies)", "ngos?", "charit(?:y|ies)", "banks?", "platforms?", "websites?", "apps?",
    "publishers?", "studios?", "newspapers?", "broadcasters?", "airlines?", "brands?",
    "retailers?", "carriers?",
)  # fmt: skip
PEOPLE_KINDS = (
    "leaders?", "officials?", "authors?", "writers?", "artists?", "musicians?", "singers?",
    "composers?", "actors?", "actress(?:es)?", "politicians?", "scientists?", "players?",
    "rappers?", "producers?", "directors?", "critics?", "lawyers?", "judges?",
)  # fmt: skip
# Kin, named by a person's name only: "the name of Jones's brother" is no company's name.
KIN_NOUNS = ("brothers?", "sisters?", "siblings?", "mothers?", "fathers?", "parents?",
             "grandmothers?", "grandfathers?", "grandparents?", "sons?", "daughters?",
             "child(?:ren)?", "grandsons?", "granddaughters?", "grandchild(?:ren)?", "wife",
             "wives", "husbands?", "spouses?", "uncles?", "aunts?", "cousins?", "nephews?",
             "nieces?", "godfathers?", "godmothers?")  # fmt: skip
COMMUNITY_KINDS = ("communit(?:y|ies)", "minorit(?:y|ies)", "tribes?", "ethnic groups?",
                   "nationalit(?:y|ies)")  # fmt: skip
SCHOOL_KINDS = ("universit(?:y|ies)", "colleges?", "schools?")
SCHOOL_NAME_STEMS = ("universit", "college", "school", "institut", "academ", "polytechnic",
                     "conservato", "seminar")  # fmt: skip
ONLINE_KINDS = ("web", "website", "e-mail", "email", "mail", "internet", "ip", "url")
