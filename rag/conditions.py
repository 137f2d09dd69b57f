"""Sentences that answer another question than the one asked: answer (score, **conditions**) -> cite.

What it does: the checks rag/signals.py `features` makes of each candidate sentence, each a
condition of the question the sentence breaks:
  - it is about another person or section: it names none of the asked names after a sentence
    opening with another one (`about_another`, `names_another`, `under_another_section`:
    "an entrepreneur living in France" after "Mukhtar Ablyazov is ..." does not answer where
    Nazarbayev lives), or states another owner's attribute (`another_owner`, `lacks_attribute`);
  - it states another amount or date than the one the question sets as a condition
    (`other_values`), other days, months or years (`other_days`, `no_asked_day`,
    `other_months`, `other_years`; a sentence naming none is dated by its title, `dated_by`);
  - it names another rank than the asked one ("the first step" for "the third step":
    `other_rank`);
  - for a why-question it gives no cause of the asked effect (`no_cause`, `states_cause_of`);
  - in a table, another row (`other_row`) or a cell saying "no" (`negative_cell`).
Some are read once per question before the candidates: the tables keyed by an asked value
(`keyed_tables`), the sections named after an asked name (`named_sections`), and the documents
that mention the question's subject noun (`about_subject`).

What it deliberately doesn't: mark a sibling's value of the asked kind ("the deuterium lamp"
for the tungsten lamp: rag/rivals.py does, over all the retrieved units at once); read
meaning beyond words, names, numbers and dates (no entailment model ships offline).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .kinds import REASON, STRICT_KINDS, asked_or_calendar
from .question import Question, asks_only_why, days_meant, days_spoken_of, months, ordinals_of, years
from .structure import table_header
from .text import COMPARED_WITH, contains, name_runs, opening_name, terms, words
from .types import SentenceHit, cells, heading_path, row_header


def names_another(row: str, question: str, asked_names: list[list[str]]) -> bool:
    """True when a table row names none of the question's names, not even in part, and
    something the question does not (a capitalised run of its own, a weekday or a month aside):
    "Yoga | Harrowdale Central | Saturday | ..." for a question about Fenwick Park Pavilion, not
    "S02 | Spay | Cat | £125.00 | Kestleford only" for one about the Kestleford Clinic."""
    row_terms = set(terms(row))
    if any(set(n) & row_terms for n in asked_names):
        return False
    asked = asked_or_calendar(question)
    return any(set(terms(run)) - asked for run in name_runs(row, first=True))


def about_another(h: SentenceHit, s_seq: list[str], asked_names: list[list[str]], previous: str) -> bool:
    """True when the sentence names none of the question's names and speaks of someone else:
    it opens with no name of its own ("In an interview, an entrepreneur living in France
    declares ...") and the sentence `previous` opens with another (rag.text.opening_name:
    "Mukhtar Ablyazov is the enemy of Nursultan Nazarbayev."). No answer to "Where does
    Nazarbayev live?", though that sentence and the title name him."""
    if any(contains(s_seq, n) for n in asked_names) or opening_name(h.text):
        return False
    referent = opening_name(previous, h.passage.text)
    return referent is not None and not any(set(n) <= set(terms(referent)) for n in asked_names)


def named_sections(hits: list[SentenceHit], asked_names: list[list[str]]) -> dict[str, list[list[str]]]:
    """Per document, the heading paths of the retrieved units whose innermost heading holds one
    of the question's names ("Fares > Fennay" for "... to Fennay?")."""
    out: dict[str, list[list[str]]] = {}
    for h in hits:
        path = heading_path(h.context)
        if path and any(contains(terms(path[-1]), n) for n in asked_names):
            if path not in out.setdefault(h.source, []):
                out[h.source].append(path)
    return out


def under_another_section(
    h: SentenceHit, s_seq: list[str], prev_seq: list[str], asked_names: list[list[str]], named: dict
) -> bool:
    """True when the unit stands in a section parallel to one headed by a question's name, naming
    none of them itself (nor the unit before it): its heading is the named one's sibling, with
    another name in the asked name's place. The "Bicycle | £2.00" row under "Fares > Inchmara"
    does not answer "How much is a bicycle to Fennay?" when "Fares > Fennay" holds Fennay's
    fares; a unit under "Fares" itself, or under "Booking", may."""
    sections = named.get(h.source)
    if not sections:  # most questions: no retrieved heading names what they ask about
        return False
    path = heading_path(h.context)
    if not path or any(contains(s_seq, n) or contains(prev_seq, n) for n in asked_names):
        return False
    mine = set(terms(path[-1]))
    capitalised = {t for w in path[-1].split() if w[:1].isupper() for t in terms(w)}
    asked = {t for n in asked_names for t in n}
    for s in sections:
        if len(s) != len(path) or s[:-1] != path[:-1] or s == path:
            continue
        theirs = set(terms(s[-1]))
        if theirs - mine <= asked and mine - theirs and (mine - theirs) <= capitalised:
            return True
    return False


def about_subject(q: Question, hits: list[SentenceHit], seq_at: dict) -> set[str]:
    """The documents among the hits that mention the question's subject noun (rag.question
    `subject_of`: "shop" in "Is the shop open on Sundays?") in a sentence, title or heading;
    empty (no restriction) when the question shows no subject or no document mentions it."""
    if not q.subject:
        return set()
    return {
        h.source
        for h in hits
        if q.subject in seq_at[(h.source, h.index)] or q.subject in terms(f"{h.title} {h.context}")
    }


GENERIC_ATTRIBUTES = frozenset(terms("name names kind type part"))


def lacks_attribute(q: Question, seq: list[str]) -> bool:
    """True when "what is the N of Name?" asks for a thing (not an amount or a date, which the
    type filter checks) and the sentence never names N: a sentence about Kazakhstan that never
    says "capital" does not say what its capital is."""
    if not q.attribute or q.kind in STRICT_KINDS:
        return False
    attr = q.attribute[0]
    return attr not in GENERIC_ATTRIBUTES and attr not in seq


# "What is the weekend rate for the hedge trimmer?", "How much is the deposit for Room B?": the
# asked attribute, the words between the article and "of"/"for" (an amount asked of a thing).
_ASKED_FIELD = re.compile(
    r"^\W*(?:what(?:'s|\u2019s|\s+is|\s+are|\s+was)|how much(?:\s+is|\s+are))\s+the\s+"
    r"((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:of|for)\s+"
    # how long a thing lasts ("How long is the journey to Manchester?", "... does the crossing take")
    r"|^\W*how long (?:is|are|was|does|do|will)\s+the\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+"
    r"(?:of|for|to|from|at|take|last)\b",
    re.I,
)
# What any price is called: an amount asked as one of these says no field of its own ("the fare
# for a child" may be the Single column's); "weekend" in "weekend rate" does.
_AMOUNT_WORDS = frozenset(
    terms("price prices cost costs fee fees charge charges rate rates fare fares amount total number")
)
# Words that qualify an amount without naming a field of its own ("the standard rate", "the
# maximum capacity", "the entry fee", "the Saturday rate" of a Weekend rate column).
_QUALIFIERS = frozenset(
    terms(
        "current usual standard normal regular full typical basic maximum minimum max min entry ticket admission "
        "monday tuesday wednesday thursday friday saturday sunday"
    )
)


# What a column of how long things last is called, or its cells say ("Duration", "Time", "25 min").
_HOW_LONG = frozenset(
    terms("duration time times length long minute minutes min mins hour hours hr hrs h day days week")
)


def field_missing(q: Question, row_terms: set[str], schema: str) -> bool:
    """True when an amount question asks a field of a thing ("What is the capacity of the hedge
    trimmer?", "What is the replacement cost of the Orchard Barn?", "How long is the journey to
    Manchester?") and a table row's header, its
    headings and the row itself say none of that field's words (amount words and qualifiers such
    as "standard" or "maximum" aside): the row's
    table has no such column, so none of its numbers is the asked one (a relation's attributes are
    its header: Codd's relational model). `schema` is the row's header row and heading path."""
    if q.kind not in ("money", "number") or not schema:
        return False
    m = _ASKED_FIELD.match(q.text)
    if not m:
        return False
    said = row_terms | set(terms(schema))
    if m.group(2) and said & _HOW_LONG:
        return False  # "How long is the journey to Leeds?" of "Destination | Duration", "Leeds | 25 min"
    wanted = set(terms(m.group(1) or m.group(2))) - _AMOUNT_WORDS - _QUALIFIERS
    return bool(wanted) and not wanted & said


def another_owner(sentence: str, attr: str, owner: tuple[str, ...]) -> bool:
    """True when the sentence states the asked attribute of someone else and never of the
    owner: for "What is the capital of Kazakhstan?", "European capitals like Paris" and "the
    UAE capital Abu Dhabi" (a capitalised word before the attribute) or "the capital of France"
    (a name after "of") are about other capitals. "Kazakhstan's capital", "its capital" and
    "the economic capital of the country" are not ruled out. A hand rule: no learned signal
    reads whose attribute a sentence states."""
    tokens = re.findall(r"[\w'\u2019-]+", sentence)
    owned, other = False, False
    for i, tok in enumerate(tokens):
        if terms(tok) != [attr]:
            continue
        before = tokens[i - 1] if i else ""
        after = [t for t in tokens[i + 1 : i + 4] if t.lower() != "the"]
        whose = []
        if before[:1].isupper() and terms(before):
            whose.append(before)
        if len(after) >= 2 and after[0].lower() == "of" and after[1][:1].isupper():
            whose.append(after[1])
        for w in whose:
            # The owner's own adjective counts as the owner ("Kazakh" / "Kazakhstan", "Norwegian"
            # / "Norway"): a shared stem of four letters; "French" / "France" is missed.
            if any(t[:4] == o[:4] and min(len(t), len(o)) >= 4 or t == o for t in terms(w) for o in owner):
                owned = True
            else:
                other = True
    return other and not owned


def other_values(q: Question, s_amounts: set[str], s_dates: set[str]) -> bool:
    """True when the question states an amount (or a date) as a condition and the sentence
    states others of that kind but not it: "orders over 500 euros" does not answer "what
    happens to orders over 3,000 euros?". Not for an amount the question claims (a false
    premise, "Why did the CSTO send 50,000 soldiers?", is met with the sentence saying 3
    thousand), nor for yes/no questions, nor for the kind asked for ("how much ..." is
    answered by another amount)."""
    if q.yes_no or not q.conditional:
        return False
    if q.amounts and s_amounts and q.kind not in ("money", "number", "percent") and not (q.amounts & s_amounts):
        return True
    return bool(q.dates and s_dates and q.kind != "date" and not (q.dates & s_dates))


def other_days(q: Question, sentence: str, context: str = "") -> bool:
    """True when the question names days of the week and the sentence names others only:
    "The café opens at 7:30 on weekdays" says nothing about Sundays, so it answers neither
    "Is the café open on Sundays?" (quoted, it reads as a yes) nor "What time does it open on
    Sundays?". Yes/no questions included: unlike an amount, another day is no contradiction.
    A sentence naming no day has its headings' (`context`, rag.types.heading_path): the rows
    under "## Weekday timetable (Monday to Friday)" say nothing about Saturdays."""
    return _said_otherwise(q.days, days_spoken_of, sentence, context)


def no_asked_day(q: Question, around: tuple[str, ...]) -> bool:
    """True when a question asks the time of something on given days ("What time does the
    clinic open on Sundays?") and the nearest text that names days, of the sentence, its
    headings, the sentence before it and its document's title (`around`, in that order), names
    other days only ("... carried out here on weekday mornings. Patients booked for surgery are
    admitted between 08:00 and 08:45."), or none of them names a day, not even "daily": such a
    time says nothing about Sundays, nor does one that excepts the asked days ("The branch is
    closed for lunch from 12:45pm to 1:30pm, except on Wednesdays": rag.question.days_meant).
    A question about every day or any weekday ("On what weekday ...?") asks for the day, so it
    is left alone. So is a which- or who-question on given days ("Which lessons are on
    Sundays?"): "Lessons run in 10-week terms." names no lesson of Sundays."""
    if q.kind not in ("date", "which", "person") or not q.days or len(q.days) >= 5:
        return False
    return not _first_said(days_meant, around) & q.days


def other_months(q: Question, sentence: str, context: str = "", title: str = "") -> bool:
    """True when the question names months and the sentence (or, naming none, its table's
    header row, its headings or its document's `title`) dates itself in others only: "Quiz
    night, 14 March" does not answer "What is on in September?", nor "The meeting closed at
    20:47." in the minutes titled "... 12 March 2025". Not for a question counting from its
    month ("When is the next meeting after the one held in March?", rag.question.counts_from)."""
    return not q.relative and _said_otherwise(q.months, months, sentence, context, title)


def other_years(q: Question, sentence: str, context: str = "", title: str = "") -> bool:
    """As `other_months`, for years: "214 animals were rehomed in 2023" does not answer "How
    many dogs were rehomed in 2022?", nor the row "Total income | £184,300 | £169,800" under
    the header "| 2023 | 2022" a question about 2021. A year a sentence compares with is not
    its own: "We received 41 complaints in the quarter, compared with 35 in Q3 2024" is dated by
    its headings and title, not by 2024 (it still answers a question about 2024)."""
    if q.relative or not q.years or years(sentence) & q.years:
        return False
    return _said_otherwise(q.years, years, _COMPARED.sub(" ", sentence), context, title)


# "compared with 35 in Q3 2024", "up from 197 in 2022", "than in 2019": a year compared with.
_COMPARED = re.compile(rf"\b(?:{COMPARED_WITH}|against)\s[^.;,]{{0,30}}?\b(?:19|20)\d\d\b", re.I)


@lru_cache(maxsize=1024)
def dated_by(title: str, source: str) -> str:
    """A document's title and its file's name, its separators read as spaces: what dates a
    sentence that names no time, in no dated section ("annual_review_2024.txt", "board-minutes-
    2024-03-12.md")."""
    stem = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"{title}\n{stem} {re.sub(r'[_-]+', ' ', stem)}"


def _said_otherwise(asked: frozenset[int], read, sentence: str, context: str, title: str = "") -> bool:
    """True when `read` (weekdays, months, years) finds some in the sentence, or naming none, in
    its table's header row, its headings or `title`, the first of those naming any, and none of
    them is `asked`; False when nothing is asked."""
    if not asked:
        return False
    said = _first_said(read, (sentence, row_header(sentence, context), " > ".join(heading_path(context)), title))
    return bool(said) and not (said & asked)


def no_cause(q: Question, h: SentenceHit, names_found: list[bool], s_amounts: frozenset[str]) -> bool:
    """True when a why-question's candidate gives no cause of what is asked.

    - It gives no cause: neither the sentence (`states_cause_of`) nor the one after it in its
      section ("... no published league tables. This is to keep the focus on learning") says
      one (`REASON`), and no heading above it or its document's title asks or gives one about
      something asked ("## Why we do home checks", an FAQ entry titled "Why do I get ...?").
      "Lucy Tran announced that she will step down" restates "Why is Lucy Tran stepping down?"
      and answers nothing. A why-question weighing one choice against another is also answered by a
      comparison (`_CONTRASTED`, `_COMPARATIVE`).
    - Or the cause is another thing's: neither the sentence, nor the one before it in its
      section, nor its heading shares a word with the question ("This is to replace the worn
      carpet." after a sentence about the reading room, asked about DVDs).

    A sentence about the asked thing that does not confirm the premise may correct it instead,
    and is kept: "The CSTO will send about 3 thousand" for "Why did the CSTO send 50,000
    soldiers?" (another amount than the asked one), "Nazarbayev ... fled to Abu Dhabi" for "Why
    did Nazarbayev flee to Moscow?" (of the asked names, `names_found`, some found and some
    not: one naming none is about something else). A premise corrected in words ("life" for
    "twenty years") is not seen. Method: the discourse connectives of `REASON`; the window (a
    sentence and its neighbours) follows the Penn Discourse Treebank's finding that a connective's arguments
    mostly lie within its sentence or the adjacent one (Prasad et al. 2008)."""
    if q.kind != "reason" or not asks_only_why(q.text):
        return False
    heading = h.section
    asked = set(q.terms)
    before = _in_section(h, -1)
    before = "" if before.strip() == h.title.strip() else before  # a document's title line is every sentence's
    own = asked & set(terms(h.text))
    if not own and not asked & set(terms(f"{before} {heading}")):
        return True  # "This is to replace the carpet." after a sentence about something else
    if own and ((any(names_found) and not all(names_found)) or (q.amounts and s_amounts and not q.amounts & s_amounts)):
        return False  # it may correct the premise
    following = _in_section(h, 1)
    if states_cause_of(h.text, asked) or REASON.search(following):
        return False
    if _CONTRASTED.search(q.text) and any(
        _COMPARATIVE.search(t) and asked & set(terms(t)) for t in (h.text, following)
    ):
        return False  # "Why export over HTTP rather than git://?" "... HTTP exports may be simpler"
    return not any(_WHY_HEADING.search(t) and asked & set(terms(t)) for t in (heading, h.title))


# Connectives with the cause before them ("X, so Y", "X; therefore Y", "X led to Y"); the rest of
# REASON put it after ("Y because X", "Y, as X", "Y so that X").
_CAUSE_FIRST = re.compile(
    r",\s*so\b(?! that| as)|\b(?:therefore|hence|thus|consequently|accordingly|as a result|which is why"
    r"|that is why|this is why|leads? to|led to|results? in|resulted in)\b",
    re.I,
)


def states_cause_of(sentence: str, asked: set[str]) -> bool:
    """True when the sentence gives a cause (`REASON`) of what the question's terms (`asked`)
    describe: the asked words stand on the effect's side of the connective at least as much as
    on the cause's. "The branch no longer opens on Saturdays, so there will be no Saturday runs"
    gives what the closing caused, not why the branch closed; "We do not rehome rabbits on their
    own, because rabbits are social animals" gives why. Each side is read to the nearest full
    stop or semicolon. A connective opening its sentence ("This is so that seats are kept free")
    counts: its effect is the sentence before. So does one with no asked word either side in a
    sentence naming nothing asked, but not in one naming it elsewhere ("You sign the adoption
    contract ... Please allow an hour, as we go through feeding ...")."""
    for m in REASON.finditer(sentence):
        left = _STOP.split(sentence[: m.start()])[-1]
        if not words(left):
            return True  # it opens its sentence ("This is so that ..."): its effect is the sentence before
        before = asked & set(terms(left))
        after = asked & set(terms(_STOP.split(sentence[m.end() :])[0]))
        if not before and not after:
            if not asked & set(terms(sentence)):
                return True
            continue
        cause, effect = (before, after) if _CAUSE_FIRST.match(sentence, m.start()) else (after, before)
        if len(effect) >= len(cause):
            return True
    return False


_STOP = re.compile(r"[.;!?](?:\s|$)")


# A why-question that weighs one choice against another ("rather than the Git protocol", "when
# another firm was cheaper") is answered by what sets the chosen one apart: a comparison that names
# something asked ("HTTP exports may be simpler to set up", "Darrow & Sons were the only firm to offer
# a 15-year guarantee"). "Rather than" and "other than" restate a choice; they compare nothing.
_CONTRASTED = re.compile(
    r"\b(?:rather than|instead of|in preference to|over|than|better|worse|cheaper|dearer|faster|slower"
    r"|simpler|easier|safer|quicker|larger|smaller|lower|higher)\b",
    re.I,
)
_COMPARATIVE = re.compile(
    r"\b(?:better|worse|simpler|easier|cheaper|faster|quicker|safer|(?!rather\b|other\b)\w+er than"
    r"|(?:more|less) \w+ than|the only (?:one|\w+) (?:to|that|which|with))\b",
    re.I,
)
# A heading that gives or asks causes: "Why we do home checks", "Reasons for the fare rise". It
# counts for the question it shares a word with: "## Why we close on Mondays" says nothing of
# why the café went card-only.
_WHY_HEADING = re.compile(r"\b(?:why|reasons?|because|purpose)\b", re.I)


def _in_section(h: SentenceHit, step: int) -> str:
    """The sentence after (`step` 1) or before (-1) `h` in its passage, under the same
    headings; "" when there is none."""
    p = h.passage
    spans = p.sentences if step > 0 else p.sentences[::-1]
    for span in spans:
        if (span.start >= h.end) if step > 0 else (span.end <= h.start):
            if span.section != h.section:
                return ""
            return p.text[span.start - p.start : span.end - p.start]
    return ""


def _first_said(read, texts: tuple[str, ...]) -> frozenset[int]:
    """What `read` (weekdays, months, years) finds in the first of `texts`, nearest first, that
    names any; empty when none does."""
    for text in texts:
        if said := read(text):
            return said
    return frozenset()


_NEGATIVE_CELL = {"no", "none", "0", "-", "\u2013", "\u2014", "n/a", "na", "false", "\u2717", "\u2718", "x", "never"}


def other_rank(q: Question, sentence: str) -> bool:
    """True when the question names an ordinal ("the third step") and the sentence names only
    others ("The first step is ..."): a sentence of another rank is no answer."""
    if not q.ordinals:
        return False
    named = ordinals_of(sentence)
    return bool(named) and not (named & q.ordinals)


def negative_cell(q: Question, h: SentenceHit) -> bool:
    """True for a table row (its context holds the header row) whose cell under a column the
    question names says no ("Parking: No"): the row cannot answer "which plan includes
    parking?". A yes/no question is answered by either row."""
    header_row = table_header(h)
    if q.yes_no or not header_row:
        return False
    header = [set(terms(cell)) for cell in cells(header_row)]
    row = [cell.strip().lower() for cell in cells(h.text)]
    if len(header) != len(row):
        return False
    asked = set(q.terms)
    return any(col and col <= asked and cell in _NEGATIVE_CELL for col, cell in zip(header, row))


def _row_key(h: SentenceHit) -> frozenset[str]:
    """The terms of a table row's first cell ("Basic | 25 euros" -> {"basic"}); empty for other units."""
    if not table_header(h):
        return frozenset()
    return frozenset(terms(cells(h.text)[0]))


def keyed_tables(q: Question, hits: list[SentenceHit]) -> set[tuple[str, str]]:
    """The tables (source, header row) one of whose rows the question names by its first cell
    ("What does the Basic plan cost?" names the Basic row)."""
    asked = set(q.terms)
    return {(h.source, table_header(h)) for h in hits if (key := _row_key(h)) and key <= asked}


def other_row(q: Question, h: SentenceHit, keyed: set[tuple[str, str]]) -> bool:
    """True for a row of a table whose row the question names, when this row is another one: the
    Standard row does not answer "What does the Basic plan cost?" (the table's "another owner")."""
    key = _row_key(h)
    return bool(key) and (h.source, table_header(h)) in keyed and not key <= set(q.terms)
