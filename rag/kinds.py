"""Does a sentence hold the asked-for kind of value: answer (score, **kind**) -> cite.

What it does: `type_match(kind, sentence, question)` reads whether a sentence holds what the
question asks for (its kind from rag/question.py `answer_type`): "how many" a number near a
word of the question (a percentage does not answer "what is the population"), "how much does
it cost" a sum in a currency (or "free"), "when" or "opening hours" a date, clock time or
weekday, "who"/"which bank" a name, "which N" a name said to be an N (`_named_one_of`),
"which version" a version, an e-mail address, URL or phone number, a colour, an age, a cause
(`REASON`), an end (`states_end`). `STRICT_KINDS` are the kinds rag/signals.py `features`
makes a hard filter of: a sentence holding none is no answer. A number naming a manual page, a
numbered part or a protocol ("gitignore(5)", "Section 6.1", "HTTP/1.1") is no amount
(`naming_free`); `reference_spans` / `reference_share` find such cross-references, so an
answer that mostly points elsewhere is flagged.

What it deliberately doesn't: decide whose value it is (rag/conditions.py, rag/rivals.py) or
weigh the kind against other signals (the learned scorer, rag/scorer.py, does).
Method: answer-type matching as in factoid QA (Hovy et al. 2001, "Toward semantics-based
answer pinpointing"), by patterns over the sentence's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .question import (
    CALENDAR,
    HOW_MANY,
    MONEY_WORDS,
    asked_dimension,
    asks_age,
    asks_clock,
    asks_end,
    asks_measure,
    asks_number_to_call,
    priced,
    question_names,
    which_head,
)
from .text import (
    ADDRESS,
    CURRENCY,
    EMAIL,
    HEADER_CURRENCY,
    HONORIFICS,
    MONTH_NAMES,
    NUMBER_WORD_FORMS,
    SPAN,
    SUM,
    URL,
    count_nouns,
    name_runs,
    opening_word_name,
    phone_spans,
    terms,
    undated,
    within_span,
    without_contacts,
)
from .types import cells, row_header

# Questions for an amount, a date, a version, an address, a colour or a name ("What is the name
# of ...?") are not answered by a sentence with none in it.
STRICT_KINDS = ("money", "number", "percent", "date", "version", "email", "url", "phone", "colour", "name")


_NUMBER_WORDS = "|".join(NUMBER_WORD_FORMS)
# A token that is a number: "$200", "3,000", "thousand", "sixty", "seventeen"; not "Charter97".
_NUMBER_TOKEN = re.compile(rf"\$?\d|({_NUMBER_WORDS})\b", re.I)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?\s*(?:%|per ?cent\b)", re.I)
_MONTH_NAMES = "|".join(MONTH_NAMES)
# A clock time in words: "half past ten", "quarter to 8", "ten past six"; not "five to ten",
# as often a range.
_HOURS = "1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_SPOKEN_TIME = rf"\b(?:(?:half|quarter) (?:past|to)|(?:five|ten|twenty|twenty-five) past) (?:{_HOURS})\b"
_HAS_DATE = re.compile(  # years and decades ("1870s"), month names
    rf"\b(1[89]\d0s|20\d0s|1[89]\d\d|20\d\d|{_MONTH_NAMES})\b"
    # Weekdays (also "on Sundays", "weekdays"), relative days, and clock times ("7:30", "9 pm",
    # "noon"): a "when" or "what time" question about a schedule is answered by these.
    r"|(?i:\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekdays?|weekends?|yesterday|today|tomorrow|tonight"
    r"|ago|noon|midnight|o'clock)\b|\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\b(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w))"
    # The rest of how schedules are written: seasons and parts of the day ("in winter", "every
    # evening", "before dawn", "works mornings only"), holidays, month abbreviations, "half past
    # six", a clock time with a dot or an h after a time preposition ("at 21.30", "from 15h"), and a time span
    # counted from an event ("within 14 days of delivery", "30 days after the invoice").
    r"|(?i:\b(?:in|at|on|every|each|before|after|by|until|till|from|during|around|this|next|last|tonight|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?: the| a| an| early| late)? (?:spring|summer|autumn|winter|"
    r"mornings?|afternoons?|evenings?|nights?|dawn|dusk|sunrise|sunset|midday|lunchtime|holidays?|christmas|"
    r"easter|new year)\b|\b(?:overnight|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually|"
    rf"hourly)\b|\b(?:works?|working|opens?|open|closed?|available|runs?|meets?|teaches|sees|free|busy|quiet)\s+"
    rf"(?:mornings|afternoons|evenings)\b|{_SPOKEN_TIME}|\b(?:half|quarter) (?:past|to) (?:the|each|every) hour\b"
    r"|\b(?:at|from|until|till|to|by|before|after)\s+(?:[01]?\d|2[0-3])(?:[.h][0-5]\d|h)\b"
    r"|\b(?:within|after|before|in|for)\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
    r"|fifteen|twenty|thirty)\s+(?:working |business |calendar )?(?:days?|weeks?|months?|years?|hours?|minutes?)\b"
    r"|\b(?:days?|weeks?|months?|years?|hours?|minutes?)\s+(?:after|before|later|earlier|prior)"
    # A day of every month ("on the 1st of every month", "the last working day of the month").
    r"|\b(?:(?:[12]?\d|3[01])(?:st|nd|rd|th)|first|last)(?: working| business)?(?: day)? of "
    r"(?:every|each|the|this|next|a) month\b)"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d"
    # Months in lower case (auto-captions, chat logs); "may" and "march" only after a preposition.
    r"|(?i:\b(?:january|february|april|june|july|august|september|october|november|december)\b"
    r"|\b(?:in|on|of|by|until|since|from|early|late|mid|end of)\s+(?:may|march)\b)"
)


_DAY_OF_MONTH = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)\b|\b(?:{_MONTH_NAMES})\s+\d{{1,2}}\b(?!,?\s*\d)|\b\d{{1,2}}\s+(?:{_MONTH_NAMES})\b"
)
_FREQUENCY = re.compile(
    r"\b(every|each|daily|weekly|fortnightly|monthly|quarterly|yearly|annually|hourly|nightly|once|twice|"
    r"\w+ times|per (?:day|week|month|year|hour|quarter)|a (?:day|week|month|year))\b",
    re.I,
)


_DURATION = re.compile(
    rf"(?:\d+(?:[.,]\d+)?|\b(?:{_NUMBER_WORDS}|a|an|one))[\s-]+(?:\w+[\s-]+)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?)\b",
    re.I,
)


_COLOURS = (
    "red|green|blue|yellow|orange|purple|violet|pink|brown|black|white|gr[ae]y|cyan|magenta|silver|gold|golden|"
    "beige|navy|teal|maroon|turquoise|amber|crimson|scarlet|indigo|lime|olive|khaki|ivory|bold|dim"
)
_FREE = re.compile(r"\b(?:free|no (?:extra |additional )?(?:charge|cost)|complimentary)\b", re.I)
_COLOUR = re.compile(rf"\b(?:{_COLOURS})\b|#[0-9a-f]{{3}}(?:[0-9a-f]{{3}})?\b", re.I)


AMOUNT_KINDS = ("money", "number", "percent")
# A sentence that gives a cause or a purpose: the explicit causal and purpose connectives
# (the Penn Discourse Treebank's Contingency.Cause and .Purpose senses, Prasad et al. 2008) and
# the nouns and verbs that name a cause ("the reason", "led to", "needed to cover"). "since"
# is left out, and "as" read only after a comma: their temporal and comparative senses are the
# commoner ones.
REASON = re.compile(
    r"\b(?:because|cause[sd]?|caused by|owing to|thanks to|on account of|as a result"
    r"|due to(?! be\b| start\b| open\b| close\b| begin\b| end\b| finish\b| arrive\b)"  # "due to start": a schedule
    r"|results? (?:in|from)|resulted (?:in|from)|leads? to|led to"
    r"|reasons?|(?:the|its|our|their|whose) purpose|purpose (?:of|is|was)|motives?|motivated|rationale"
    r"|so that|so as to|in order (?:to|that)"
    r"|therefore|hence|thus|consequently|accordingly|which is why|that is why|this is why|this is (?:so|to)"
    r"|given that|now that|in case|too \w+ (?:to|for)"  # "too narrow for coaches to turn": a degree too great
    # A closing and what it is for: "closed for repairs", "will close for their annual maintenance
    # shutdown", "closed for cleaning" (not "closed for two weeks", a length).
    r"|(?:close[sd]?|closing|shut|cancell?ed|suspended|postponed|delayed) for (?:\w+ ){0,3}?"
    r"(?:repairs?|maintenance|cleaning|refurbishment|renovations?|works|safety|security|training|inspections?"
    r"|upgrades?|(?!even|morn)\w+ing)"
    r"|to (?:make sure|ensure|avoid|prevent|protect|allow|enable|reduce|keep|cover|comply|meet)"
    r"|(?:needed|required|designed|intended|meant) (?:to|for))\b"
    r"|,\s*so\b"
    # "as" after a comma, opening a clause ("..., as the current lease ends in 2026"), is causal
    # far more often than temporal; "as well as", "such as" and "as a ..." open no clause.
    r"|,\s*as (?:the|it|its|they|their|we|our|he|his|she|her|this|these|those|there|most|many|all)\b",
    re.I,
)
# What answers "how old": an age ("aged 54", "a 9-year-old", "54 years old", "Declan Moss, 54,")
# or when a thing was born, made or founded.
_AN_AGE = r"aged?|ages|\d+[- ]years?[- ]old|years? old|born|birthday"
_AGE = re.compile(
    rf"\b(?:{_AN_AGE}|built|founded|established|erected|constructed|dat(?:es|ing|ed) (?:from|back))\b"
    r"|,\s?\d{1,3},",  # "Declan Moss, 54, retires"
    re.I,
)
# A person's age: never when something was made ("Dr Pryce founded the practice in 2009").
_PERSON_AGE = re.compile(rf"\b(?:{_AN_AGE})\b|,\s?\d{{1,3}},", re.I)
# A question naming someone by title ("Dr Eleanor Pryce", "Mrs. Okafor") asks about a person.
_HONORIFIC_Q = re.compile(rf"\b(?i:{'|'.join(sorted(HONORIFICS))})\.?\s+[A-Z]")
# A time told from an event rather than the clock: "45 minutes before closing", "an hour after
# sunset", "half an hour prior to departure". It answers "what time is last entry?" and "when
# must I check in?" as a clock time or a date would (the event's own time is the reader's); a
# stretch of time is none ("do not swim for 30 minutes after eating", "allow 2 hours after").
_RELATIVE = re.compile(
    r"(?<!\bfor )(?<!\bwithin )(?<!\bwait )(?<!\ballow )(?<!\blasts )(?<!\btakes )(?<!\bup to )"
    r"\b(?:\d+|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty(?:-five)?|ninety"
    r"|half an?)\s*(?:minutes?|mins?|hours?|hrs?)\s+(?:before|after|prior to)\s+(?:the\s+|each\s+|your\s+)?[a-z]",
    re.I,
)
# What answers "what time": a clock time ("19:00", "7.30pm", "9 am", "noon", "half past ten",
# "quarter to 8", "ten past six": _SPOKEN_TIME), or that it is closed (type_match takes _RELATIVE too).
_CLOCK_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b|\b(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)"
    r"|\b(?:noon|midday|midnight|o'clock|closed)\b"
    rf"|{_SPOKEN_TIME}",
    re.I,
)

# What answers "what time does it finish": a span of clock times ("19:30-22:00", "9am to 5pm"),
# an ending word beside a clock time ("finishes at 22:00", "until 16:00", "last orders 22:30"),
# a start and how long it lasts, or that it is closed.
_CLOCK = rf"(?:{_CLOCK_TIME.pattern})"
_CLOCK_END = re.compile(
    rf"{_CLOCK}\s*(?:-|\u2013|\u2014|to|till|until)\s*{_CLOCK}"
    rf"|\b(?:until|till|finish\w*|end\w*|close\w*|shut\w*|last orders|latest|by)\b[^.;]{{0,30}}?{_CLOCK}"
    rf"|{_CLOCK}[^.;]{{0,20}}?\b(?:finish\w*|end\w*|close\w*|shut\w*)\b|\bclosed\b"
    # a start and how long it lasts: "starts at 18:00 and lasts 75 minutes"
    rf"|{_CLOCK}[^.;]{{0,40}}?\b(?:lasts?|lasting|runs? for)\s+(?:about\s+|around\s+)?"
    r"(?:\d+|an?|one|two|three|half an)\s*(?:minutes?|mins?|hours?|hrs?)\b",
    re.I,
)


# What answers "when does it end" with a date: an ending word ("ends on 28 March", "runs until
# 4 June", "closing date") or a span ("from 6 January to 28 March") beside the date.
_DATE_END = re.compile(
    r"\b(?:until|till|finish\w*|end(?:s|ed|ing)?|clos\w*|shut\w*|expir\w*|deadline|last day)\b"
    r"|\b(?:from|between)\b[^.;]{1,40}?\b(?:to|until|till|and)\b|\d\s*(?:-|\u2013|\u2014)\s*\d",
    re.I,
)
# A table column of end times: "Day | Opens | Closes", "Session | Start | Finish".
_END_COLUMN = re.compile(r"\b(?:clos\w*|ends?|finish\w*|until|till|to|shuts?)\b", re.I)


def states_end(sentence: str, context: str = "", clock: bool = True) -> bool:
    """True when the sentence says when something ends: a clock time with an ending word or as
    the end of a span (_CLOCK_END: "finishes at 22:00", "19:30-22:00", "closed"), or, where
    `clock` is False (a when-question, which a date may answer), a date or time beside an ending
    word or in a span (_DATE_END: "ends on 28 March", "runs until 4 June"). A table row states
    an end when its cell under a column naming one holds a time (a date too, where not `clock`):
    "Saturday | 10:00 | 18:00" under "Day | Opens | Closes" (rag.types.row_header), not "Pumpkin
    carving | 10:30 | -" under "Event | Start | Finish"."""
    if _CLOCK_END.search(sentence):
        return True
    if not clock and _HAS_DATE.search(sentence) and _DATE_END.search(sentence):
        return True
    header = row_header(sentence, context)
    if not header:
        return False
    value, heads, row = (_CLOCK_TIME if clock else _HAS_DATE), cells(header), cells(sentence)
    return len(heads) == len(row) and any(_END_COLUMN.search(h) and value.search(c) for h, c in zip(heads, row))


# A name as a program or a text writes it: a short quotation ('git branch', "Harbour Lights"; not
# the apostrophes of "don't", nor the inch marks of 15" and 17"), a dotfile or a file name
# (".gitignore", "index.html", "conf.d"), a path ("/etc/fstab"), a manual page ("git-branch(1)")
# or a word with digits after letters ("eth0", "ttyS0"). Not "daily/weekly" nor "fig.3".
_CODE_NAME = re.compile(
    r"`[^`]+`|(?<![\w\d])[\"\u201c\u2018'](?:[^\s\"\u201d\u2019']+\s?){1,4}[\"\u201d\u2019'](?!\w)"
    r"|(?<![\w.])\.[A-Za-z][\w-]+|\b[A-Za-z][\w-]*\.[a-z]{1,5}\b|(?<![\w.])[~.]?/[\w.-]+(?:/[\w.-]+)*"
    r"|[\w.+-]+\(\d[a-z]*\)|\b[a-z]+\d+\w*\b|\b[a-z]+[A-Z]\w*\d\w*\b"
)


# The units a sentence states a measure of each dimension (rag.question.asked_dimension) in,
# after digits or a number word ("150 kg", "sixty metres", "two and a half metres", "6'2\"").
_UNIT_END = r")(?![\w/])"
_QUANTITY = rf"(?:\d|\b(?:{_NUMBER_WORDS}|half|a|an))[\s-]*"
_UNITS = {
    "mass": re.compile(
        _QUANTITY
        + r"(?:kg|kgs|kilos?|kilogram(?:me)?s?|mg|g|grams?|gram(?:me)?s|t|tonnes?|tons?|lbs?|pounds?|oz|ounces?"
        r"|stones?" + _UNIT_END,
        re.I,
    ),
    "length": re.compile(
        r"\d\s*(?:'|\u2032|ft\b|feet\b)|"
        + _QUANTITY
        + r"(?:mm|cm|m|metres?|meters?|millimet(?:re|er)s?|centimet(?:re|er)s?|km|kilomet(?:re|er)s?|miles?|ft"
        r"|feet|foot|inch|inches|yards?" + _UNIT_END,
        re.I,
    ),
}


# A length that says how far one thing is from another, not how tall, wide or deep a thing is:
# "200 m from the pier", "a mile away", "500 m north of the harbour", "within 2 km".
_DISTANCE_AFTER = re.compile(
    r"\W{0,2}(?:from|away|off|offshore|inland|beyond|past|along|(?:to\s+the\s+)?(?:north|south|east|west)\w*"
    r"|(?:up|down)(?:stream|hill|river)|walk|drive|ride)\b",
    re.I,
)
_DISTANCE_BEFORE = re.compile(
    r"\b(?:within|walk(?:ing)?|drive|ride|distance\s+of)\s+(?:of\s+|about\s+|some\s+)?$", re.I
)


def _states_measure(dimension: str, sentence: str) -> bool:
    """True when the sentence states a measure in the dimension's units that is no distance."""
    for m in _UNITS[dimension].finditer(sentence):
        if dimension != "length" or not (
            _DISTANCE_AFTER.match(sentence, m.end())
            or _DISTANCE_BEFORE.search(sentence[max(0, m.start() - 30) : m.start()])
        ):
            return True
    return False


# A short number said as one to call or text: an emergency or service number ("call 112",
# "dial 999", "Dial 9 for an outside line"), too short for rag.text.PHONE; not a count ("Phone
# 300 customers", "Call 3 times a day"): what follows it is no noun.
_SHORT_NUMBER = re.compile(
    r"\b(?:call|dial|ring|phone|telephone|text)(?:s|ing)?\s+(?:us\s+(?:on|at)\s+|on\s+)?\d{1,5}(?![.,]?\d)"
    r"(?=\s*(?:[.,;:!)]|$)|\s+(?:for|if|in|to|from|and|or|first|now|immediately|at|when|after|before)\b)",
    re.I,
)
# The clauses of a sentence: a price in one says nothing of a thing named in another ("Parking
# costs nothing for guests; a lost ticket costs 20 pounds").
_CLAUSES = re.compile(r"[;:]|,\s+(?:but|while|whereas|and)\s+|\s+but\s+")


def _another_dimension(question: str, sentence: str) -> bool:
    """True when the question asks a measure of one dimension (rag.question.asked_dimension) and
    the sentence states none in its units: "Mobility scooters up to 120 cm long" and "The Lorne
    Venture carries 22 cars" give no weight; "up to 150 kg", "150 pounds", "sixty metres" and
    "6'2\"" do. A distance is no height, width or depth ("200 m from the pier", "within 2 km")."""
    dimension = asked_dimension(question)
    return dimension is not None and not _states_measure(dimension, sentence)


def header_measures(row: str, context: str) -> str:
    """A table row's bare numbers with the unit their column's header gives in brackets: "12.5 kg
    25 km" for "Zip 1 | 12.5 | 25" under "Model | Weight (kg) | Range (km)"; "" for no such cell."""
    header = row_header(row, context)
    if not header:
        return ""
    out = []
    for head, cell in zip(cells(header), cells(row)):
        unit = re.search(r"\(([^()]{1,12})\)\s*$", head.strip())
        if unit and re.fullmatch(r"\s*\d[\d,.]*\s*", cell):
            out.append(f"{cell.strip()} {unit.group(1)}")
    return " ".join(out)


# A table column whose header names a price: its bare numbers ("Croissant | 1.80 | 2.10") are sums.
_PRICE_COLUMN = re.compile(rf"\b(?:{MONEY_WORDS}|rates?|tariffs?)\b", re.I)


# A whole number with a unit of size, time or share after it states a measure, never a version:
# "64-bit", "32 bits", "4 KB", "100 ms", "30 seconds", "50 %". A dotted number stays a version
# ("Since 1.6 bytes in BLOB keys are compared ...", "Version 4.1 times out idle connections").
_MEASURED = re.compile(
    r"(?<![\d.])\d+(?![.,]?\d)\s*-?\s*(?:bits?|bytes?|[KMGTP]i?B|ms|milliseconds?|seconds?|minutes?|hours?|days?"
    r"|%|percent|per\s?cent)(?!\w)",
    re.I,
)


def type_match(kind: str | None, sentence: str, question: str, context: str = "", around: str = "") -> float:
    """1.0 when the sentence holds what the question asks for, 0.0 when not, 0.5 if no kind.
    `context` is the unit's heading path: a changelog entry's version is its heading ("## 3.1.0"
    over "- Added CSV export."), so a version there counts (the citation's section shows it).
    `around` is the text of the sentence's passage: a one-word name the sentence opens with
    ("Putin benefits from it.") counts where it is capitalised after a lower-case word there."""
    if kind is None:
        return 0.5
    if kind in ("money", "number", "percent", "version"):
        sentence = naming_free(sentence)
    if kind in AMOUNT_KINDS:
        # A contact value states no amount: "Reception: 01632 960 844" does not answer "how many
        # lanes?", and a count is no clock time or date ("Lane swimming 06:30-09:00").
        sentence = without_contacts(sentence)
        if HOW_MANY.search(question):
            # "a waiting list for Stages 1 and 2" states no count ("how many dollars" asks a sum)
            if asks_measure(question) and not count_nouns(sentence):
                return 0.0
            sentence = _IN_YEAR.sub(" ", undated(sentence))
            if kind == "number" and not CURRENCY.search(question):
                sentence = SUM.sub(" ", sentence)  # a sum counts nothing: "Staff costs | £58,700" counts no staff
        elif _HOW_MUCH.search(question):  # a sum: "open during the 08:30 to 12:00 swim" states none
            sentence = undated(sentence)
            # "How much is a bicycle on the ferry?": "A bicycle travels free" says it costs nothing;
            # "members swim free" says nothing of the sibling discount asked about.
            if kind == "number" and _FREE.search(sentence) and (item := priced(question)):
                if _number_near(_FREE.sub(" 0 ", sentence), set(terms(item))):
                    return 1.0
            # A sum in a sentence naming the priced thing prices it, however far apart the sentence
            # puts them: "Croissants are made with butter and cost 1.80 euros each."
            if kind == "number" and (item := priced(question)) and SUM.search(sentence):
                asked = set(terms(item))
                if any(asked <= set(terms(clause)) and SUM.search(clause) for clause in _CLAUSES.split(sentence)):
                    return 1.0
    if kind == "money":
        # A sum of money, its currency in the sentence or its table's header ("Price (EUR)", "price_gbp");
        # or none at all: "Parking is free."
        if not (
            CURRENCY.search(sentence)
            or CURRENCY.search(context)
            or HEADER_CURRENCY.search(context)
            or _PRICE_COLUMN.search(row_header(sentence, context))  # "Item | Old price | New price"
        ):
            return 1.0 if _FREE.search(sentence) else 0.0
        kind = "number"
    elif kind == "number" and asks_age(question):
        # An age, or when a thing was made: "After 22 years with the Trust" says no one's age.
        # A person's ("How old is Dr Eleanor Pryce?") is never when something was made: "Dr
        # Pryce founded the practice in 2009" dates the practice.
        age = _PERSON_AGE if _HONORIFIC_Q.search(question) else _AGE
        return 1.0 if age.search(sentence) else 0.0
    elif kind == "number" and asks_measure(question):
        # "How long is the battery warranty?": "TOTAL .... £10,300.00" holds no number that answers it
        sentence = SUM.sub(" ", sentence)
    if kind == "version":
        # A version the question names is not the one it asks for ("Which version removed RSS
        # 0.91?" is not answered by "RSS 0.91 will be removed in a future release."), nor is a year,
        # nor a size or a measure ("a 64-bit signed integer", "pages of 4 KB", "50 %").
        asked = set(re.findall(r"\d+(?:\.\d+)*", question))
        text = _MEASURED.sub(" ", _HAS_DATE.sub(" ", undated(f"{sentence}\n{naming_free(context)}")))
        found = re.findall(r"\d+(?:\.\d+)*", text)
        return 1.0 if set(found) - asked else 0.0
    if kind == "email":
        return 1.0 if EMAIL.search(sentence) else 0.0
    if kind == "url":
        return 1.0 if URL.search(sentence) else 0.0
    if kind == "phone":
        # A date ("2024-03-15") is no number to call; a short one is, said as one ("call 112"),
        # when the question asks what to call, not someone's number.
        short = asks_number_to_call(question) and _SHORT_NUMBER.search(sentence)
        return 1.0 if phone_spans(sentence) or short else 0.0
    if kind == "colour":
        return 1.0 if _COLOUR.search(sentence) else 0.0
    if kind == "percent":
        return 1.0 if _PERCENT.search(sentence) else 0.0
    if kind == "number":
        if _another_dimension(question, f"{sentence}\n{header_measures(sentence, context)}"):
            return 0.0
        # A share ("90% of the population") does not answer "what is the population", and a
        # number far from every word of the question ("... protests which have left dozens
        # dead", fourteen words after "Kazakhstan") is about something else.
        # A day of the month ("January 7th", "on the 2nd") is a date, not an amount either.
        amount_text = _DAY_OF_MONTH.sub(" ", _PERCENT.sub(" ", sentence))
        # A band that holds the question's number speaks of it: "Child (5-16) | £4.25" prices entry
        # for "a 10-year-old", though it shares no word with the question.
        asked = set(terms(question))
        if any(t[:1].isdigit() and within_span(t, amount_text) for t in asked) and _NUMBER_TOKEN.search(
            SPAN.sub(" ", amount_text)
        ):
            return 1.0  # the band and a value beside it ("Children aged 5-16 must be accompanied" has none)
        return 1.0 if _number_near(amount_text, asked) or _number_under(amount_text, context, asked) else 0.0
    if kind == "date":
        if asks_end(question):  # "doors open 19:00, first round at 19:30" says no finishing time
            return 1.0 if states_end(sentence, context, clock=asks_clock(question)) else 0.0
        if asks_clock(question):  # a day or a date says no clock time ("Last match day: Saturday 16 May")
            return 1.0 if _CLOCK_TIME.search(sentence) or _RELATIVE.search(sentence) else 0.0
        return 1.0 if _HAS_DATE.search(sentence) or _RELATIVE.search(sentence) else 0.0
    if kind == "frequency":
        return 1.0 if _FREQUENCY.search(sentence) else 0.0
    if kind == "duration":
        return 1.0 if _DURATION.search(sentence) else 0.0
    if kind == "which":
        return _named_one_of(sentence, question, context)
    if kind == "name":
        asked = set(terms(question))
        if any(set(terms(m.group())) - asked for m in _CODE_NAME.finditer(ADDRESS.sub(" ", sentence))):
            return 1.0  # a name written as code or quoted (".gitignore", `eth0`, "Harbour Lights"); no address
    if kind == "reason":
        # A cause stated is evidence; none stated is no evidence against (a cause may be put
        # without a connective: "the charges have a political motive" / "It was a record year.").
        return 1.0 if REASON.search(sentence) else 0.5
    # A name the question does not already hold: "Prime Minister Alikhan Smailov" answers
    # "who is the prime minister?" by its last two words.
    # Spellings fold together ("Moukhtar Abliazov" is the asked "Mukhtar Ablyazov"), and a month
    # or a weekday is no person or place.
    asked = asked_or_calendar(question)
    own = _name_terms(question)
    for run in name_runs(sentence, first=True):
        new_words = [w for w in run.split() if set(terms(w)) - asked]
        # The asked name with one more word is the asked thing's longer name ("Harbourside Community
        # Choir" for "who leads the Harbourside choir?"), not a person who answers.
        if new_words and not (own & set(terms(run)) and len(new_words) < 2):
            # One capitalised word after "the" names a body, not a person: "with the Trust",
            # "the Council" answer no "who" ("the BTA bank" may: an acronym is a name).
            if kind == "person" and run.istitle() and " " not in run and not _bare_name(run).search(sentence):
                continue
            return 1.0
    opening = opening_word_name(sentence, around) if kind in ("person", "place") else None
    if opening and not set(terms(opening)) & asked:
        return 1.0
    # Text written without capitals (auto-captions: "the new manager is called peter walsh") shows
    # no name by its case: no evidence either way, as for a cause.
    return 0.5 if kind in ("person", "place") and _uncased(sentence, around) else 0.0


UNCASED_RATIO = 20  # English prose capitalises about one word in ten (sentence starts, names)


def _uncased(sentence: str, around: str) -> bool:
    """The sentence has no capital letter, nor does more than one word in UNCASED_RATIO around
    it (one, at least: a caption's title line)."""
    if any(c.isupper() for c in sentence):
        return False
    said = around.split()
    return len(said) >= 8 and sum(w[:1].isupper() for w in said) <= max(1, len(said) // UNCASED_RATIO)


_TOKEN_EDGES = ".,;:'’`\"/~"  # punctuation around a word or a path ("~/.gitconfig.") that is not part of it
WHICH_WINDOW = 3  # words between the asked kind's noun and a name said to be one ("the band, The Skerry Boys")


def _named_one_of(sentence: str, question: str, context: str = "") -> float:
    """type_match of a "which N ...?" question: 1.0 when the sentence names something the
    question does not, as an N: the name beside the noun ("the band, The Skerry Boys"), a number
    after it ("Route 3") or under it as its table's column ("Venue | band" over "Saltby Hall | The
    Skerry Boys"); 0.5 otherwise: one of a kind of things need not be named ("Which post ...?":
    the president's), so none is no evidence against, as for a cause. A month or a weekday is
    no name."""
    head = which_head(question)
    if head is None:
        return 0.5
    noun = set(terms(head))
    if noun & set(terms(row_header(sentence, context) or "")):
        return 1.0
    asked = asked_or_calendar(question)
    tokens = [tok.strip(_TOKEN_EDGES) for tok in re.findall(r"[\w.'’/~-]+", sentence)]
    at = [i for i, tok in enumerate(tokens) if set(terms(tok)) & noun]
    if not at:
        return 0.5
    if any(j + 1 < len(tokens) and any(c.isdigit() for c in tokens[j + 1]) for j in at):
        return 1.0  # numbered: "Route 3", "platform 2"
    text = ADDRESS.sub(" ", sentence)
    names = [m.group() for m in _CODE_NAME.finditer(text)] + list(name_runs(text, first=True))
    for name in names:
        if not set(terms(name)) - asked - noun:
            continue  # nothing the question does not say ("The Party Band" for which band plays at the party)
        # where the name stands: its first word that is no stop word ("The Skerry Boys" at "Skerry")
        key = next((w for w in (w.strip(_TOKEN_EDGES) for w in name.split()) if terms(w)), "")
        where = [i for i, tok in enumerate(tokens) if key and (tok == key or tok.endswith("/" + key))]
        if any(abs(i - j) <= WHICH_WINDOW + len(name.split()) for i in where for j in at):
            return 1.0
    return 0.5


@lru_cache(maxsize=4096)
def _bare_name(word: str) -> re.Pattern:
    """A word said with no "the" before it."""
    return re.compile(rf"(?<!\bthe )(?<!\bThe )(?<!\bTHE )\b{re.escape(word)}\b")


@lru_cache(maxsize=1024)
def asked_or_calendar(question: str) -> frozenset[str]:
    """The question's terms and every weekday's and month's: words a name that answers it is not
    made of. Read once per question, not per candidate."""
    return frozenset(terms(question)) | CALENDAR_TERMS


CALENDAR_TERMS = frozenset(terms(" ".join(CALENDAR)))


@lru_cache(maxsize=1024)
def _name_terms(question: str) -> frozenset[str]:
    """The terms of the names a question asks about (rag.question.question_names: no weekday or
    month, nothing in a question capitalised throughout), read once per question, not per candidate."""
    return frozenset(t for _, seq in question_names(question) for t in seq)


# A year after a preposition of time is when, not how many: "founded the practice in 2009 after
# many years" counts no staff, nor does "from 2009 to 2012" (rag.text.undated leaves a bare year:
# "2009" may count things, and "rose by 2000" does).
_A_YEAR = r"(?:1[89]|20)\d\d\b(?![.,]?\d)"
_IN_YEAR = re.compile(
    rf"\b(?:in|since|until|till|during|before|after|from|between)\s+(?:(?:early|late|mid)[- ])?{_A_YEAR}"
    rf"(?:\s*(?:-|\u2013|to|and|until)\s*{_A_YEAR})?",
    re.I,
)
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)


NUMBER_WINDOW = 6  # words between a number and a word of the question, at most


# A code is no amount: a postcode's halves ("HD9 3TA"), a part number ("A12"); a number with
# its unit is one ("40MB", "2GHz", "10KW").
_CODE_TOKEN = re.compile(r"\d+(?!(?:[KMGTP]i?B|[KMG]?HZ|[KMG]?W|[KMC]?M|KG|MPH|KPH|AM|PM)\b)[A-Z]{2,}|[A-Z]+\d[A-Z\d]*")


_TOKEN = re.compile(r"[\w$%\u2019'-]+")


def _is_number(tok: str) -> bool:
    """A token that is a number and no code (_CODE_TOKEN): "£30", "six", not "HD9"."""
    return bool(_NUMBER_TOKEN.match(tok)) and not _CODE_TOKEN.fullmatch(tok)


def _number_near(sentence: str, q_terms: set[str]) -> bool:
    tokens = _TOKEN.findall(sentence)
    near = [i for i, tok in enumerate(tokens) if set(terms(tok)) & q_terms]
    return any(_is_number(tok) and any(abs(i - j) <= NUMBER_WINDOW for j in near) for i, tok in enumerate(tokens))


def _number_under(row: str, context: str, q_terms: set[str]) -> bool:
    """A table row holding a number in a column whose header holds a question term: "Main hall |
    120 | £22 per hour | £30 per hour" under "Room | Capacity | Weekday rate | Weekend rate" for
    "How much is it at the weekend?" (the header is the cell's label, however far the row's words)."""
    header = row_header(row, context)
    if not header:
        return False
    heads, values = cells(header), cells(row)
    return len(heads) == len(values) and any(
        set(terms(head)) & q_terms and any(map(_is_number, _TOKEN.findall(value))) for head, value in zip(heads, values)
    )


# A cross-reference: a numbered part of the document ("Section 6.1", "Chapter 13", "Appendix B")
# with the quoted title after it, however far the sentence splitter let it run ('Section 6.1,
# "How many Debian distributions are there?"'); a manual page ("git-bisect(1)", "gitignore(5)").
_REF_PART = re.compile(
    r"\b(?:sections?|chapters?|appendix|appendices|parts?|\u00a7)\s*(?:[\dIVX]+[a-z]?(?:\.\d+)*|[A-Z])\b"
    r"(?:,?\s*[\"\u201c'\u2018][^\"\u201d\u2019]*(?:[\"\u201d\u2019]|$))?",
    re.I,
)
_MAN_PAGE = re.compile(r"[\w.+-]+\(\d[a-z]*\)")
# Words that send the reader elsewhere ("see", "refer to", "consult", "check out", "review").
_REF_CUE = re.compile(
    r"\b(?:see|refer to|consult|check out|review|read|described in|documented in|explained in|covered in)\b", re.I
)
# A sentence that opens by sending the reader elsewhere ("See gitignore(5) for the details.",
# "For more information see Section 10.2, ...", "(Also see ...", "Please see ..."): all of it is the reference.
_POINTER_OPENING = re.compile(
    r"^\W*(?:(?:also|please|and|but|or|so)\W+)*(?:see|refer to|consult|check out)\b"
    r"|^\W*for (?:more|further|additional|other|full|the)?\s*(?:\w+\s+){0,4}?(?:information|details|info|possibilities|"
    r"examples?|discussion|explanations?)\b[^.]{0,60}?\b(?:see|refer to|consult|check out|review|read)\b",
    re.I,
)


def reference_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of `text` that only refer elsewhere: the whole sentence
    when it opens with a pointer ("See git-bisect(1) for more information ..."), else each
    cross-reference with its quoted title ('see Section 5.9, "How does Debian support ...?"')
    and each manual page name; a reference following a cue ("see", "refer to") takes the cue
    with it. Empty for a sentence that refers nowhere."""
    if _POINTER_OPENING.search(text):
        return [(0, len(text))]
    spans = []
    for m in [*_REF_PART.finditer(text), *_MAN_PAGE.finditer(text)]:
        start = m.start()
        cue = None
        for c in _REF_CUE.finditer(text[max(0, start - 40) : start]):
            cue = c
        if cue is not None:
            start = max(0, start - 40) + cue.start()
        spans.append((start, m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


# A number that names a place in the documents ("Section 6.1", "git-bisect(1)") or a protocol's
# version ("HTTP/1.1") states no amount and no version of what was asked.
_NAMING_NUMBER = re.compile(rf"{_MAN_PAGE.pattern}|\b[A-Za-z]+/\d+(?:\.\d+)*")


def naming_free(sentence: str) -> str:
    """The sentence with its naming numbers blanked (`_NAMING_NUMBER`, the numbered parts of
    `reference_spans`): what is left states amounts and versions."""
    text = _NAMING_NUMBER.sub(" ", sentence)
    return _REF_PART.sub(" ", text)


def reference_share(text: str) -> float:
    """The share of a sentence's words that only refer elsewhere (`reference_spans`), in [0, 1]:
    1.0 for "See gitignore(5) for the details.", about half for "Debian has very good support
    for non-English users, see Section 5.9, "How does Debian support non-English languages?"",
    0.0 for a sentence that refers nowhere. Such a sentence points to the answer; it does not give it."""
    spans = reference_spans(text)
    if not spans:
        return 0.0
    words = list(re.finditer(r"\S+", text))
    if not words:
        return 0.0
    inside = sum(1 for w in words if any(a <= w.start() < b for a, b in spans))
    return inside / len(words)
