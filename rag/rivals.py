"""Another thing's value: a sentence naming a sibling of what a question asks about.

What it does: for a question asking for a kind of value (rag.question.answer_type: a date, an
amount, a colour, a person ...), flags each candidate sentence that states such a value of a
sibling instead: "The deuterium lamp has a rated life of 2,000 hours." for "How many hours
does the tungsten-halogen lamp last?", "Floor 4: Pernille Soutar (fire warden)" for "Who is
the fire warden for floor 5?", "Our classic pedal bikes are painted teal" for "What colour
are the cargo bikes?". The kind filter (rag.kinds.type_match) passes all three: they hold a
value of the asked kind, but of something else. rag.signals.features drops flagged sentences.

How: the question's noun phrases are read as runs of side-by-side content words (no
part-of-speech tagger ships offline); where the sentence names a phrase's head with another
word in the asked modifier's place, and never with the asked one, that word is a rival unless
MiniLM reads the two as synonyms ("exclude patterns" for "ignore patterns"), or the sentence
gives a span holding the asked number ("Large dog (25-40 kg)" for a 30 kg dog; `rag.text.within_span`).

It also flags, for a question asking for a contact value (an e-mail address, a URL, a phone
number) of a named owner ("the phone number for the membership team", "Graham Pike's phone
number"), a line giving that kind of value under another owner's label ("Reception: 0161 496
0732"; `labelled_for_another`), or where the line, the one before it and its document's title
and headings say under half of the owner's words (`owned_elsewhere`).

It also flags, for any question naming a name, a sentence naming a sibling of it and never the
name ("the Kestleford Clinic" for "the Brindle Cross clinic"; `names_sibling`); for a "how many"
question, a sentence whose every count is of another noun ("The Trust employs 64 staff" for
lifeguards; a bare count in a table row counts its column's header and its row's label,
`row_count_nouns`; `counts_another`), and, for a "how much" question, a "who is the <role>?"
one or a when-question, a sentence stating an amount, naming someone or giving a time where
neither it nor its headings, the sentence before it in its section or its title name the priced
thing, the role or the timed event (rag.question.timed: its head noun and verb), nor any word
near the value or in its table header a synonym of one ("rackets ... £2.50" for shuttlecocks,
"Councillor Janet Poole (council representative)" for the vice-chair, "Coaches' meeting ...
19:30" for when matches kick off; `lacks_asked`). Synonyms are read by the same
MiniLM cosine (SYNONYM_COSINE): "staff" / "employees" 0.72 and "therapy" / "treatment" 0.74
are one word, "lifeguards" / "staff" 0.30 and "children" / "pupils" 0.48 are not (a hypernym the
model reads apart is a false refusal this accepts).

It also flags, for any question, a table row lacking an asked word that a short cell of another
retrieved row of the same table holds, its own cell in that column naming something else
("S02 | Spay | Cat | £125.00" for a dog spay, where "Dog up to 20 kg" fills the column in the
dog's row; `other_rows`), and a row whose cell in the asked column is empty (`empty_asked_cell`).
And, for any question, kind or none (yes/no questions included where they can be read so):
a sentence stating only other age bands ("under 16" for under-18s; `other_age_band`), naming
the asked thing by another letter ("Room A" for Room B; `other_letter`), under a title or
heading naming another place after the asked preposition ("to Inchmore" for a ferry to
Kerrisay; `other_place`), or naming another of the things a retrieved table's first column
lists and not the asked one ("Books" for DVDs; `table_siblings`, `names_listed_sibling`);
a sentence speaking of all or of the rest ("all members", "other loans", "except Room A")
is spared. A yes/no question's subject is read for another modifier (`_subject_phrase`:
"full-time employees" for part-time ones), its object never ("We offer private lessons only"
answers "Do you offer group lessons?").

What it deliberately doesn't: judge a sentence that names the asked thing and another thing's
value together ("your general waste bin ... your blue bin"), a head said another way ("club
jersey" for "club shorts"), or prose naming a contact value's owner another way ("written by
Mark Lord <mlord@...>" for the author's address) when its surroundings hold the asked owner's
words.
Questions of no particular kind ("What is the rated life of ...?") are left alone by all but
`other_rows` (a table's key cells select its rows whatever is asked of them): measured
on every question, the rule refused right answers phrased apart from their sentence. Measured
on held-out sets and the evaluation: issue 13's closing note of 2026-12-03.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .question import (
    QUANTITY_WORDS,
    YES_NO_AUXILIARIES,
    Question,
    calendar_word,
    cased_throughout,
    kind_words,
    weekdays,
)
from .text import (
    EMAIL,
    HONORIFICS,
    IRREGULAR,
    NUMBER_WORD_FORMS,
    PHONE,
    PRONOUN_START,
    SENTENCE_END,
    STOPWORDS,
    SUM,
    URL,
    amounts,
    contains,
    count_nouns,
    dates,
    leans_back,
    name_runs,
    phone_spans,
    terms,
    within_span,
    without_title,
    words,
)
from .types import SentenceHit, cells, heading_path, row_header

_PHRASE_BREAK = re.compile(r"[,;:()\[\]{}<>/\"|!?=*]|\.(?:\s|$)|\s[-\u2013\u2014]\s")
_WH = frozenset({"what", "which", "how", "whose"})
_NUMBER_TERMS = frozenset(t for w in NUMBER_WORD_FORMS for t in terms(w))


def _digits(t: str) -> bool:
    """A number in digits: "ten" and "10" are one number written two ways, "2.4" and "5" two."""
    return any(c.isdigit() for c in t)


def _numeric(t: str) -> bool:
    """A number, in digits or words (a term or a word)."""
    return _digits(t) or t in _NUMBER_TERMS or t in NUMBER_WORD_FORMS


@lru_cache(maxsize=65536)
def _word_terms(word: str) -> tuple[str, ...]:
    """terms() of one word, read once per process: the same words recur in every sentence."""
    return tuple(terms(word))


@lru_cache(maxsize=4096)
def _sentence(text: str) -> tuple[frozenset[str], tuple[tuple[list[str], list[str]], ...]]:
    """A candidate sentence's (or heading's) terms and runs, read once: the hits of one passage
    recur across questions and follow-ups."""
    return frozenset(terms(text)), tuple((run, ws) for run, ws, _ in term_runs(text))


def term_runs(text: str) -> list[tuple[list[str], list[str], bool]]:
    """(terms, their words, whether the run follows a wh-word) for each run of content words
    that stand side by side in the text, no stop word or punctuation between them: roughly its
    noun phrases ("the [tungsten halogen lamp]"). A lone content word is a run of one."""
    out = []
    for phrase in _PHRASE_BREAK.split(text):
        run, said, after_wh, last = [], [], False, ""
        for w in [*words(phrase), ""]:
            t = _word_terms(w) if w else ()
            if len(t) == 1:
                if not run:
                    after_wh = last in _WH
                run.append(t[0])
                said.append(w)
            else:
                if run:
                    out.append((run, said, after_wh))
                run, said = [], []
            last = w
    return out


RUN_MAX = 4  # a longer run of content words is a clause, not a noun and its modifiers
SYNONYM_COSINE = 0.65  # two words this close (MiniLM, each embedded alone) are one word said twice


def rival_words(question: str, sentence: str, around=frozenset(), names=frozenset()) -> list[tuple[str, list[str]]]:
    """(the question's word, the sentence's words in its place) wherever the sentence names a
    sibling of the thing the question asks about: a word before the head noun in the question
    ("tungsten-halogen lamp") is missing from the sentence, which puts another word there each
    time it names the head ("The deuterium lamp has a rated life of 2,000 hours"); or a number
    after or before the head differs ("floor 5" / "Floor 4: Pernille Soutar", "the 2.4 GHz
    band" / "On the 5 GHz band"), the words then being the numbers. Such a sentence states a
    value of the asked kind, but of something else, unless the words mean the same
    (`mark_rivals` reads them: "ignore patterns" / "exclude patterns").

    The question's noun phrases are read as runs of side-by-side content words (`term_runs`, at
    most RUN_MAX); each word modifies those after it in its run. Not asked words: the one after
    "what/which/how" (its slot holds the value: "what colour label" / "Black label"), one the
    sentence, `around` (its heading, the sentence before, its document's title) or the question's `names` (terms)
    hold ("Nazarbayev's nephew" / "the former president's nephew"). Not rivals: numbers before
    the head ("2 lamps", "hundred search strings") and a word sharing its first four letters
    with the asked one ("Kazakh" / "Kazakhstan"). A head the sentence also names bare ("a short
    line ... a blank line") may be the asked one. A hand rule for the ownership no learned
    signal reads; with no part-of-speech tagger offline, runs stand in for noun phrases."""
    return _rivals_in(_phrases(question), set(terms(question)), sentence, around, names)


def _phrases(question: str) -> list[tuple[list[str], list[str], bool]]:
    """The question's runs that can be a noun and its modifiers (two to RUN_MAX words); a gloss
    in brackets is read as said and as left out: "a back (molar) tooth" asks for a back tooth."""
    runs = term_runs(question)
    unglossed = _GLOSS.sub("", question)
    if unglossed != question:
        runs += [r for r in term_runs(unglossed) if r not in runs]
    return [r for r in runs if 1 < len(r[0]) <= RUN_MAX]


_GLOSS = re.compile(r"\s*\([^()]*\)")


# An age band a text states: "under 16", "under-18s", "over 65", "65 and over", "18+", "aged
# 8-12", "ages 13 to 16", "5-15 year olds", "(5-15)", "a 10-year-old". Not "under 16 kg" nor
# "over 100 people": a unit or a counted noun after the number makes it no age.
_NOT_AGE = (
    r"(?!\s*%|[\s-]*(?:kg|g|lbs?|pounds?|km|m|cm|mm|miles?|metres?|meters?|euros?|dollars?|minutes?|mins?"
    r"|hours?|hrs?|days?|weeks?|months?|people|persons?|guests?|items?|pages?)\b)"
)
_AGE_BAND = re.compile(
    rf"\b(?P<dir>under|below|over|above)[\s-](?P<n>\d{{1,3}})(?![.,]\d)(?:s|'s)?\b{_NOT_AGE}"
    r"|\b(?P<up>\d{1,3})\s*(?:\+|and\s+(?:over|above|older|up)\b|or\s+(?:over|above|older)\b)"
    r"|\bup\s+to\s+(?P<upto>\d{1,3})[\s-]*years?[\s-]*old"
    r"|\b(?:aged?|ages)\s+(?P<a>\d{1,3})\s*(?:-|\u2013|to)\s*(?P<b>\d{1,3})\b"
    r"|\b(?P<c>\d{1,3})\s*(?:-|\u2013|to|and|or|&)\s*(?P<d>\d{1,3})[\s-]*(?:years?[\s-]*olds?|yrs?)\b"
    r"|\((?P<e>\d{1,2})\s*(?:-|\u2013)\s*(?P<f>\d{1,2})\)"
    r"|\b(?P<one>\d{1,3})[\s-]*years?[\s-]*olds?\b",
    re.I,
)


def age_bands(text: str) -> list[tuple[int, int]]:
    """[(youngest, oldest)] of each age band the text states (_AGE_BAND), 999 for no upper
    bound: "Children under 16" -> [(0, 15)], "users aged 18 and over" -> [(18, 999)]."""
    out = []
    for m in _AGE_BAND.finditer(text):
        g = m.groupdict()
        if g["dir"]:
            n = int(g["n"])
            out.append((0, n - 1) if g["dir"].lower() in ("under", "below") else (n, 999))
        elif g["up"]:
            out.append((int(g["up"]), 999))
        elif g["upto"]:
            out.append((0, int(g["upto"])))
        elif g["one"]:
            out.append((int(g["one"]), int(g["one"])))
        else:
            lo, hi = (int(x) for x in (g["a"] or g["c"] or g["e"], g["b"] or g["d"] or g["f"]))
            if lo <= hi:
                out.append((lo, hi))
    return out


# A noun and the capital letter naming which one ("Room B", "hepatitis A", "Plan C"); not "I".
_LETTERED = re.compile(r"\b([A-Za-z][a-z]{2,})\s+([A-HJ-Z])\b(?![\w'\u2019&.-])")


# A sentence that speaks of every one, or of the rest ("All tickets, including child tickets,
# ...", "all members get ...", "All meeting rooms except Room A ...", "other loans"): no sibling's only.
_COVERS_OTHERS = re.compile(r"\b(?:all|every|other|others|including|except|excluding)\b", re.I)
# A letter on a scale ("grade C or above"): a range, no sibling.
_SCALE = re.compile(r"\b[A-Z]\*?\s+or\s+(?:above|higher|better|below|lower|worse)\b|\bgrades?\b", re.I)


def other_letter(question: str, sentence: str) -> bool:
    """True when the question names a thing by a letter ("Room B", "hepatitis B") and the
    sentence names the same thing by another letter and never the asked one: "Hepatitis A
    vaccine (per dose) | £55" prices no hepatitis B vaccine, "Room A | 12 | £15 per hour" is
    no Room B's row. Numbers are read so by `_rivals_in` ("floor 5"); a lone letter is no term."""
    asked = {(tuple(terms(m.group(1))), m.group(2)) for m in _LETTERED.finditer(question)}
    if not asked or _COVERS_OTHERS.search(sentence) or _SCALE.search(sentence) or _SCALE.search(question):
        return False
    said = {(tuple(terms(m.group(1))), m.group(2)) for m in _LETTERED.finditer(sentence)}
    if said & asked:  # "Can Zone A permit holders park in Zone B?": Zone A's sentence speaks of one
        return False
    for noun, letter in asked:
        others = {x for n, x in said if n == noun and x != letter}
        if others and not re.search(rf"\b{letter}\b", sentence):
            return True
    return False


# A place or party named after a preposition: "the first ferry to Kerrisay", "parking in Soho".
_PLACED = re.compile(r"\b(to|from|in|at)\s+([A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)*)")


def other_place(question: str, sentence: str, around: str) -> bool:
    """True when the question names a place after "to", "from", "in" or "at", the title or
    headings over the sentence (`around`) name another after the same preposition, and neither
    they nor the sentence name the asked one: "The 07:15 weekday sailing ..." under the title
    "Port Allan to Inchmore timetable" times no ferry to Kerrisay. A sentence's own places are
    not read so: "extradited to Russia" may answer "hand him over to Moscow". Calendar words
    are no places ("in January")."""
    asked = [
        (m.group(1), m.group(2))
        for m in _PLACED.finditer(question)
        if not any(calendar_word(w) for w in m.group(2).split())
    ]
    if not asked or cased_throughout(question):  # "How To Install It": its capitals name nothing
        return False
    text = f"{sentence}\n{around}"
    said = set(terms(text))
    for prep, name in asked:
        if set(terms(name)) <= said:
            continue
        if any(
            m.group(1) == prep and not any(calendar_word(w) for w in m.group(2).split())
            for m in _PLACED.finditer(around)
        ):
            return True
    return False


def other_age_band(question: str, sentence: str, yes_no: bool) -> bool:
    """True when the question asks about one age band and the sentence states bands none of
    which holds it: "Children and teenagers under 16 pay no overdue fines." says nothing of
    under-18s (16 and 17 are left out). For a yes/no question only a band that overlaps the
    asked one counts: "They are for users aged 18 and over." answers "Can 16-year-olds use the
    sauna?" (no)."""
    asked = age_bands(question)
    if not asked and not yes_no:
        return _other_band_word(question, sentence)
    said = age_bands(sentence) if len(asked) == 1 else []
    if not said:
        return False
    lo, hi = asked[0]
    if any(a <= lo and hi <= b for a, b in said):
        return False
    return not yes_no or any(a <= hi and lo <= b for a, b in said)


# Age groups said in words: each a sibling of the others ("children" are no adults).
_BAND_WORDS = {
    t: band
    for band, said in {
        "child": "child children kid kids junior juniors",
        "teen": "teen teens teenager teenagers",
        "adult": "adult adults",
        "senior": "senior seniors pensioner pensioners",
    }.items()
    for t in terms(said)
}


def _other_band_word(question: str, sentence: str) -> bool:
    """True when the question names one age group in words ("How many books can children
    borrow?") and the sentence names others only ("Adult members can borrow up to 12 books"):
    helper 96's FU08, the adults' rule quoted first for children."""
    asked = {_BAND_WORDS[t] for t in terms(question) if t in _BAND_WORDS}
    said = {_BAND_WORDS[t] for t in terms(sentence) if t in _BAND_WORDS}
    return len(asked) == 1 and bool(said) and not said & asked


# A yes/no question's subject: the words after its auxiliary and a determiner ("Do part-time
# employees get sick pay?", "Can under-16s use the gym?").
_YES_NO_SUBJECT = re.compile(
    rf"^\W*(?:{YES_NO_AUXILIARIES})\s+(?:(?:the|a|an|our|your|their|its|his|her|all)\s+)?([^\W\d_][\w'\u2019-]*)",
    re.I,
)


def _subject_phrase(q: Question) -> list:
    """The phrase (as _phrases gives it) that is a yes/no question's subject, or []: "part-time
    employees" in "Do part-time employees get sick pay?", whose sentence about full-time
    employees says nothing of them; not its object ("Do you offer group lessons?": "We offer
    private lessons only" answers it), nor a pronoun subject."""
    m = _YES_NO_SUBJECT.match(q.text) if q.yes_no else None
    if not m:
        return []
    first = m.group(1).lower()
    runs = [(r[:RUN_MAX], w[:RUN_MAX], a) for r, w, a in term_runs(q.text)]  # its words from the subject on
    return [p for p in runs if len(p[0]) > 1 and first.startswith(p[1][0].lower())][:1]


def _rivals_in(phrases, asked: set[str], sentence: str, around, names) -> list[tuple[str, list[str]]]:
    """`rival_words` for a question read once: its `phrases` and its terms (`asked`)."""
    sentence_terms, runs = _sentence(sentence)
    said = sentence_terms | set(around)
    bare = {run[0] for run, _ in runs}  # terms the sentence names somewhere with no word before them
    out = []
    for run, ws, after_wh in phrases:
        for i, m in enumerate(run[:-1]):
            if _numeric(run[i + 1]) and not _numeric(m):  # "floor 5": the number names which floor
                number = run[i + 1]
                pairs = [
                    (r[j + 1], w[j + 1]) for r, w in runs for j in range(len(r) - 1) if r[j] == m and _numeric(r[j + 1])
                ]
                # The asked number said elsewhere in the sentence ("Floor 4 ... £5") is no "floor 5".
                if pairs and number not in {t for t, _ in pairs} | set(around) and not within_span(number, sentence):
                    out.append((ws[i + 1], [x for _, x in pairs]))
                continue
            if _digits(m) and not _numeric(run[i + 1]):  # "2.4 GHz band": the number names which band
                head = run[i + 1]
                pairs = [
                    (r[j - 1], w[j - 1])
                    for r, w in runs
                    for j in range(1, len(r))
                    if r[j] == head and _digits(r[j - 1])
                ]
                # "Large dog (25-40 kg) ... £45" pairs "kg" with 40 only: it is no price for a 45 kg dog.
                if pairs and m not in {t for t, _ in pairs} | set(around) and not within_span(m, sentence):
                    out.append((ws[i], [x for _, x in pairs]))
                continue
            if (i == 0 and after_wh) or _numeric(m) or m in said or m in names:
                continue
            # the words it modifies, each with the word the question puts before it: the
            # sentence's "plan cost" after "Basic" says nothing of "Standard plan cost" (the
            # question's own word before "cost"); its "Basic plan" does
            if run[i + 1] in bare:  # "Residents park free ...": said of all residents, local ones too
                continue
            heads = {h: run[k - 1] for k, h in enumerate(run) if k > i and h not in bare}
            before = [
                (r[j - 1], w[j - 1], r[j])
                for r, w in runs
                for j in range(1, len(r))
                if r[j] in heads and r[j - 1] != heads[r[j]]
            ]
            # The word it modifies decides when the sentence puts another word before it: "Colour
            # printing on A4 costs 50p" has "colour" where "black-and-white printing" has "white",
            # whatever number comes before "costs".
            before = [(b, w) for b, w, h in before if h == run[i + 1]] or [(b, w) for b, w, _ in before]
            if before and not any(_numeric(b) or b in asked or b[:4] == m[:4] for b, _ in before):
                out.append((ws[i], sorted({w for _, w in before})))  # "tungsten" asked, "deuterium" said
    return out


# The kinds of value a contact line gives under its owner's label ("Reception: 0161 496 0732").
_CONTACT = {"email": EMAIL, "url": URL, "phone": PHONE}
_OTHER_VALUES = re.compile(f"(?:{EMAIL.pattern})|(?:{URL.pattern})\\S*", re.I)
_PERSONAL = re.compile(r"\b(?:he|she|they|him|her|them|his|their)\b", re.I)


@lru_cache(maxsize=4096)
def value_spans(kind: str, text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each e-mail address, URL or phone number (rag.text.phone_spans) the text
    states; () for other kinds. Cached: each of mark_rivals's owner rules asks it of the same line."""
    if kind == "phone":
        return tuple(phone_spans(text))
    pattern = _CONTACT.get(kind)
    return tuple(m.span() for m in pattern.finditer(text)) if pattern is not None else ()


# Whose contact value a question asks for: after the kind, "for"/"of" a phrase ("the phone
# number for the membership team"); before it, a possessive ("Graham Pike's phone number").
_KIND_NOUN = r"(?:e-?mail|phone|telephone|mobile|number|address|url|website|web ?site|extension|contact)"
_OWNER_AFTER = re.compile(rf"\b{_KIND_NOUN}(?:\s+(?:number|address|details))?\s+(?:for|of)\s+([^?]+)", re.I)
_OWNER_BEFORE = re.compile(rf"((?:[\w-]+\s+){{0,3}}[\w-]+)['\u2019]s\s+(?:direct\s+)?{_KIND_NOUN}\b", re.I)


def owner_terms(q: Question, topic: str) -> frozenset[str]:
    """Whose contact value a question asks for: the terms of the phrase after "<kind> for/of" or
    of the possessive before the kind, but the kind's words and the words the document's
    `topic` (title, headings) holds, which every line of it shares ("What's the phone number for
    the parking appeals team?" in the parking scheme -> {"appeal", "team"}); when that leaves
    nothing, only the names it holds ("the Spokes & Sprockets workshop" in the workshop's price
    list -> {"workshop"}); empty when the question names no owner ("What URL hosts Quillmark?")."""
    asked = _asked_owner(q.text)
    if not asked:
        return asked
    topic_terms = _text_terms(topic)
    # Words the whole document shares say nothing of one line's owner ("parking" in the
    # parking scheme's "appeals team"), unless they are all the question has ("workshop").
    return (asked - topic_terms) or (asked - (topic_terms & {t for seq in q.name_seqs for t in seq}))


_TITLES = frozenset(t for w in HONORIFICS for t in terms(w))


@lru_cache(maxsize=1024)
def _asked_owner(question: str) -> frozenset[str]:
    """The terms of the owner phrase a question names (`owner_terms` before the topic), read once."""
    m = _OWNER_AFTER.search(question) or _OWNER_BEFORE.search(question)
    return frozenset(terms(m.group(1))) - kind_words(question) - _TITLES if m else frozenset()  # "Dr" names no one


@lru_cache(maxsize=4096)
def _text_terms(text: str) -> frozenset[str]:
    """terms() of a title and heading path, read once: every line under it shares them."""
    return frozenset(terms(text))


# A label of these words alone ("Tel:", "Email:") names the kind, not whose value it is.
_CONTACT_WORDS = frozenset(
    terms("e-mail email mail address phone telephone tel mobile fax number url web website site contact")
)


def labelled_for_another(kind: str, text: str, owner: frozenset[str], before: str = "") -> bool:
    """True when every value of the asked kind (`value_spans`) in `text` is given for someone
    else: the stretch from the value before it (or the start) to the value after it (or the
    end) holds its label ("Reception: 0161 496 0732" for the membership team's number; "Main
    switchboard: 01632 960 000 PALS: 01632 960 255" has one for PALS; a label of contact words
    alone, "Phone: ...", has its owner in the line `before`, "**Parking Services**", unless that
    is a sentence), or a personal pronoun whose sentence is `before` ("You can reach him on
    ..."), and neither names an `owner` term (a word sharing its first four letters counts:
    "musical" / "music"). Prose naming its owner
    another way ("written by Mark Lord <mlord@...>" for hdparm's author) is not judged. False
    when the text holds no such value or `owner` is empty. A hand rule, as rival_words."""
    spans = value_spans(kind, text)
    if not spans or not owner:
        return False
    for i, (start, end) in enumerate(spans):
        lo = spans[i - 1][1] if i else 0
        hi = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        stretch = _OTHER_VALUES.sub(" ", text[lo:start] + " " + text[end:hi])  # "Email: a@b.org" names no owner
        if _PERSONAL.search(stretch):
            stretch += " " + before
        elif ":" not in text[lo:start] and "|" not in text[lo:start]:
            return False  # no label (nor a table row's cells): prose, whose owner this rule cannot read
        said = {t for t in terms(stretch) if not _numeric(t)} - _CONTACT_WORDS
        if not said and not SENTENCE_END.search(before):  # "Phone: ..." under "**Parking Services**"
            said = {t for t in terms(before) if not _numeric(t)} - _CONTACT_WORDS
        if not said or _owner_said(owner, said):
            return False  # no owner said ("Tel: ... Email: ..." after a sentence), or the asked one
    return True


def owned_elsewhere(kind: str, text: str, owner: frozenset[str], around: str) -> bool:
    """True when `text` gives a value of the asked kind (`value_spans`) while it, the sentence
    before it and its document's title and headings (`around`) say under half of the `owner`
    terms (a word sharing its first four letters counts): "General enquiries should go to Graham
    at secretary@... or on 07700 900 331" in a choir's handbook is not the number of a tenants'
    association's chair, though the sentence before it names the choir's chair. False when
    `owner` is empty. A hand rule, as rival_words."""
    if not owner or not value_spans(kind, text):
        return False
    return 2 * len(_owner_said(owner, set(terms(f"{text} {around}")))) < len(owner)


def _owner_said(owner: frozenset[str], said: set[str]) -> set[str]:
    """The `owner` terms that `said` holds, or a word sharing their first four letters ("musical"
    for "music", "headteach" for "head")."""
    prefixes = {t[:4] for t in said}
    return {t for t in owner if t in said or t[:4] in prefixes}


def named_for_another(kind: str, text: str, asked_names: list[list[str]], owner: frozenset[str] = frozenset()) -> bool:
    """True when `text` gives a value of the asked kind (`value_spans`) in a sentence that names
    a person or body but none of the question's names (term sequences, `Question.name_seqs`):
    "Her registrar, Dr Tom Hale, can be reached on 01632 960 777." under "## Dr Ellen Frost" is
    Dr Hale's number, not hers. False when the question names no one, or the sentence names
    one of its names ("Call Tom on ..." for Tom Reilly) or nobody ("Phone: 01632 960 555"), or
    says a word of the asked `owner` phrase that is no name ("the maintainer, Ines Parvaz" for
    the Quillmark maintainer). A hand rule, as rival_words."""
    if not asked_names or not value_spans(kind, text):
        return False
    asked = {t for n in asked_names for t in n}
    blanked = _OTHER_VALUES.sub(" ", text)
    if set(terms(blanked)) & (owner - asked):
        return False
    named = [set(terms(without_title(run))) for run in name_runs(blanked, first=True)]
    named = [n for n in named if n]
    return bool(named) and not any(n & asked for n in named)


def names_sibling(question: str, names: list[tuple[str, list[str]]], sentence: str, common=frozenset()) -> bool:
    """True when the sentence names a sibling of a name the question asks about (`names`:
    Question.name_seqs_named) and never the name itself: a capitalised run sharing the name's
    head with a word of its own beside ("On Saturdays the Kestleford Clinic is open ..." for
    "the Brindle Cross clinic"; "Harrowdale Sports Hall" for "Millbrook Sports Hall"). The
    head is a common noun: the word after "the <name>" when the question writes it in lower
    case ("clinic"; not "live" in "Where does Mukhtar Ablyazov live?"), or the name's last
    word when it is in `common` (terms the retrieved text writes in lower case: "hall"); never
    a surname ("Kazakh President Tokayev" is no sibling of "Kassym-Jomart Tokayev"). The sibling's
    own words stand before the head, as a name's do: "Branch Lead Nurse" names no branch. Not a
    run holding every other word of the name. A hand rule, as rival_words."""
    said = terms(sentence)
    for name, seq in names:
        if contains(said, seq):
            continue
        after = re.search(rf"\b(?:the|our|its|their)\s+{re.escape(name)}\s+([a-z][\w'\u2019-]*)", question, re.I)
        heads = ({seq[-1]} & set(common)) | (set(terms(after.group(1))) if after else set())
        own = set(seq) - heads - _TITLES
        if not heads or not own:
            continue
        for run, nxt in _runs_with_next(sentence):
            seq_ = [t for t in terms(run) if t not in _TITLES]
            # the words before the head name which one: "Kestleford Clinic", "Senior Nurse";
            # "Branch Lead Nurse" (a job's title) puts none before "branch"
            at = len(seq_) if nxt in heads else next((i for i, t in enumerate(seq_) if t in heads), None)
            if at is not None and set(seq_[:at]) - heads - own and not own <= set(seq_):
                return True
    return False


# A person named by an honorific and a surname ("Dr. Novak", "Mrs Pyke"), and an owner's mark.
_TITLED = re.compile(rf"\b({'|'.join(sorted(HONORIFICS, key=len, reverse=True))})\.?\s+([A-Z][\w'\u2019-]+)", re.I)
_OWNER_MARK = re.compile(r"['\u2019]s?$")  # "Achterberg's", "Jones'"


@lru_cache(maxsize=4096)
def _titled(text: str) -> frozenset[tuple[str, str]]:
    """(honorific, surname) of each person the text names so, lower case, owner's mark dropped."""
    return frozenset((t.lower(), _OWNER_MARK.sub("", n.lower())) for t, n in _TITLED.findall(text) if n[:1].isupper())


def titled_sibling(question: str, sentence: str) -> bool:
    """True when the question names someone by an honorific and a surname ("When does Dr. Novak
    see patients?") and the sentence names another person by the same honorific and never that
    surname ("Dr. Patel sees patients on Mondays."): it is about a colleague, not the one asked
    about. "Dr. Patel covers for Dr. Novak" names both and is not flagged."""
    asked = _titled(question)
    if not asked:
        return False
    said = _titled(sentence)
    words_ = {w.lower() for w in re.findall(r"[\w'\u2019-]+", sentence)}
    return any(surname not in words_ and any(t == title and n != surname for t, n in said) for title, surname in asked)


def lower_case_terms(texts, wanted) -> frozenset[str]:
    """Those of the `wanted` terms that `texts` write in lower case: common nouns, not names. A
    word is stemmed only when a part of it begins as a wanted term does (its first three letters)
    or is an irregular form ("sold"), so a question naming one person does not stem every word
    of fifty retrieved sentences (8 ms)."""
    wanted = set(wanted)
    starts = tuple({t[:3] for t in wanted})
    if not starts:
        return frozenset()
    said = {
        t
        for text in texts
        for w in re.findall(r"(?<![\w'\u2019-])[a-z][a-z'\u2019-]*", text)
        if any(p.startswith(starts) or p in IRREGULAR for p in re.split(r"['\u2019-]", w))
        for t in terms(w)
    }
    return frozenset(said & wanted)


def _runs_with_next(sentence: str) -> list[tuple[str, str]]:
    """Each capitalised run of the sentence (rag.text.name_runs) with the term of the word after
    it ("Kestleford" and "clinic" in "the Kestleford clinic"), "" when none."""
    out = []
    for run in name_runs(sentence, first=True):
        m = re.search(rf"{re.escape(run)}\s+([^\W\d_][\w'\u2019-]*)", sentence)
        nxt = terms(m.group(1)) if m else []
        out.append((run, nxt[0] if nxt else ""))
    return out


def counts_another(counted: str, sentence: str, context: str, synonyms) -> bool:
    """True when every count the sentence states counts something other than `counted` (the
    words a "how many" question counts, rag.question.counted): "The Trust employs 64 staff" for
    "How many lifeguards ...?". A count of no stated thing ("The hall seats 300."), or the counted
    words in the sentence's context (a table's header "Site | Parking spaces"), leave it be.
    `synonyms(a, b)` says whether two words are one said twice (term or MiniLM cosine)."""
    counts = row_count_nouns(sentence, context)
    if not counts or any(not c for c in counts):
        return False
    # The head noun is what is counted: "31 cats" counts no cat cages.
    head = counted.split()[-1]
    if set(terms(head)) & set(terms(context)):
        return False
    return not any(synonyms(head, w) for c in counts for w in c)


def row_count_nouns(sentence: str, context: str) -> tuple[tuple[str, ...], ...]:
    """rag.text.count_nouns, where a table row's count of no stated thing counts what its
    column's header and its row's other cells say ("Fenwick Park | 12" under "Site | Parking
    spaces" -> (("parking", "spaces", "fenwick", "park"),); "Blue Badge parking spaces | 6 | 10"
    under "Facility | Brennick Pier | Port Ardle" counts parking spaces), unless the header names
    a quantity only ("Capacity"); `context` as a unit's (its last line a table row's header row)."""
    header = row_header(sentence, context)
    if not header:
        return count_nouns(sentence)
    heads, row = cells(header), cells(sentence)
    if len(heads) != len(row):
        return count_nouns(sentence)
    # a row's label is its other cells: the first ("Fenwick Park") or another ("A-102 | Wing nut M8")
    return tuple(
        nouns or _column_nouns(head, " ".join(c for j, c in enumerate(row) if j != i) if i else "")
        for i, (head, cell) in enumerate(zip(heads, row))
        for nouns in count_nouns(cell)
    )


def _column_nouns(head: str, label: str) -> tuple[str, ...]:
    """What a bare count in a column headed `head`, on a row labelled `label`, counts; () when
    the header names a quantity only ("Capacity": of people, seats or places, it does not say)."""
    said = [w for w in words(head) if w not in STOPWORDS and not w[0].isdigit()]
    if all(w in QUANTITY_WORDS for w in said):
        return ()
    return tuple(said + [w for w in words(label) if w not in STOPWORDS and not w[0].isdigit()])


def lacks_asked(head: str, sentence: str, around: str, synonyms, labels: str = "", anywhere: bool = False) -> bool:
    """True when neither the sentence nor `around` (its headings or table header, the sentence
    before it, its document's title) names `head` (the noun a question asks the value of: what a
    "how much" question prices, rag.question.priced; the role a "who is the ...?" question asks
    the holder of, rag.question.role; the event a when-question times, rag.question.timed) with
    all its terms, and no word of the sentence nor of its `labels` (its headings and table header,
    rag.types.SentenceHit.context) is a synonym of it (`synonyms(a, b)`): "Badminton and squash
    rackets can be hired from reception for £2.50 each" prices no shuttlecocks; "Councillor Janet
    Poole (Borough Council representative)" is no vice-chair, nor is "Our chair is Margaret
    Lindqvist" (a part of the head is no synonym); the row "Thursday | 08:00 to 19:30" under the
    header "Day | Kestleford Clinic" times a hospital's hours (clinic / hospital: cosine 0.74).
    A head of several words ("deputy safeguarding lead") wants the words before its last one
    said, and its last one said or a synonym of it: "Safeguarding lead | Grace Mensah" is no deputy.
    `anywhere`: the sentence's words anywhere count, not only those beside a value (_content_words)."""
    said = _sentence(sentence)[0] | _sentence(around)[0]
    if _all_said(head, said):
        return False
    *modifiers, last = head.split()
    if modifiers and not _all_said(" ".join(modifiers), said):
        return True
    parts = set(_word_terms(last))
    # A part of the head is no synonym of it: a chair is no vice-chair.
    candidates = _content_words(sentence, anywhere) + _label_words(labels)
    return not any(synonyms(last, w) and not set(_word_terms(w)) < parts for w in candidates)


@lru_cache(maxsize=4096)
def _label_words(labels: str) -> tuple[str, ...]:
    """The content words of a hit's headings and table header (rag.text.words, numbers left
    out), lower-cased, one term each."""
    out = (w for w in words(labels) if not w[0].isdigit() and w not in STOPWORDS)
    return tuple(dict.fromkeys(w for w in out if len(_word_terms(w)) == 1))


def _all_said(head: str, said: frozenset[str]) -> bool:
    """Every term of `head` is in `said`, as it is or as the start of a longer word, or the longer
    word's start ("chair" in "Chairman: ...", "chairman" for "Chair: ..."), four letters at least."""
    return all(
        t in said or any(len(min(t, x, key=len)) >= 4 and (x.startswith(t) or t.startswith(x)) for x in said)
        for t in _word_terms(head)
    )


VALUE_WINDOW = 8  # words either side of a stated value that may name what it is the value of


@lru_cache(maxsize=4096)
def _content_words(text: str, anywhere: bool = False) -> tuple[str, ...]:
    """The words, one term each (no stop word), lower-cased, within VALUE_WINDOW words of a value
    the text states (a number, or a capitalised word): "Badminton and squash rackets can be
    hired from reception for £2.50 each" -> its words from "squash" on ("Badminton" is ten words
    off). What a value is the value of is said beside it; the words further off cost a model call
    each. `anywhere`: every word ("Staff are paid ... on the last Thursday": a time is its
    sentence's subject's, said at its start)."""
    tokens = re.findall(r"[^\W_][\w'\u2019.,-]*", text)
    anchors = [i for i, t in enumerate(tokens) if t[0].isdigit() or (i and t[0].isupper())]
    if anywhere or not anchors:
        anchors = range(len(tokens))
    near = {j for i in anchors for j in range(i - VALUE_WINDOW, i + VALUE_WINDOW + 1)}
    out = []
    for i, t in enumerate(tokens):
        w = t.rstrip(".,").lower()
        if i in near and w and not w[0].isdigit() and len(_word_terms(w)) == 1 and not _numeric(w):
            out.append(w)
    return tuple(dict.fromkeys(out))


def mark_rivals(hits: list[SentenceHit], q: Question, embed) -> None:
    """`_mark_rivals`, then `other_rows` (rows of a table about another thing), then
    `_mark_continuations`: what a rival's next sentence says of "it" is the rival's too."""
    _mark_rivals(hits, q, embed)
    if not q.yes_no:  # "Is the gym open on Sunday?": its words are claims to check, not a row's key
        for h in other_rows(hits, set(q.terms) - rate_terms(q.text)):
            h.rival = True
    # "Room B | 40 | | £45 per hour" gives no community groups' price, and says nothing of
    # "Does Room B have a projector?" when the projector's cell is the empty one
    for h in hits:
        header = row_header(h.text, h.context)
        if header and h.text.strip() != header.strip() and empty_asked_cell(set(q.terms), h.text, header):
            h.rival = True
    _mark_continuations(hits, set(q.terms))


KEY_CELL_WORDS = 5  # a cell of at most this many words is a value of its column, not a note
# A cell that covers every value of its column ("All species", "Both clinics", "Any age").
_COVERS_ALL = re.compile(r"^\W*(?:all|any|every|each|both|either)\b", re.I)


def _key_cell(cell: str) -> bool:
    """True for a cell that names what its row is about ("Spay", "Dog up to 20 kg"): short, not
    covering every value, and no price, date, time or day ("£4.95", "23:00 last bus", "Daily":
    what a row says of its thing, which a question may ask without selecting the row by it)."""
    return (
        len(cell.split()) <= KEY_CELL_WORDS
        and not _COVERS_ALL.match(cell)
        and not (SUM.search(cell) or dates(cell) or weekdays(cell))
    )


def _holds(held: set[str], t: str) -> bool:
    """The row's terms hold `t`, or a longer form of it ("children" for "child": the stemmer
    leaves irregular plurals apart)."""
    return t in held or (len(t) >= 4 and any(h.startswith(t) or t.startswith(h) for h in held if len(h) >= 4))


_RATE = re.compile(
    r"\b(?:per|each|every)\s+\w+|\b(?:a|an)\s+(?:day|night|week|month|year|hour|session|visit|person|head)\W*$", re.I
)


def rate_terms(question: str) -> set[str]:
    """The terms of the rate a question asks in ("per month", "each visit", "... a week?"; not "a
    day pass"): they select no table row ("2 per week" in a cell says nothing of the Family
    plan's monthly fee)."""
    return {t for m in _RATE.finditer(question) for t in terms(m.group())}


def other_rows(hits: list[SentenceHit], asked: set[str]) -> list[SentenceHit]:
    """The retrieved table rows that give another row's thing: a row lacking an asked term that
    a short cell (KEY_CELL_WORDS) of another retrieved row of the same table holds, while its own
    cell in that column names something else. For "How much is a dog spay?" the row "S02 | Spay |
    Cat | £125.00" is the cat's ("Dog up to 20 kg" fills its column in the dog's row); a cell
    covering every value ("All species"), an empty one, one stating a price, date, time or day
    (`_key_cell`), or a term of the header spares a row. The rows of one table are those sharing
    a document, a heading and a header row. Not for yes/no questions (mark_rivals). Method: a
    table's rows are records and its columns their fields (Codd's relational model): a value
    asked of one field selects the rows holding it."""
    tables: dict[tuple, list[SentenceHit]] = {}
    for h in hits:
        header = row_header(h.text, h.context)
        if header and h.text.strip() != header.strip():
            tables.setdefault((h.source, h.context), []).append(h)
    out = []
    for rows in tables.values():
        if len(rows) < 2:
            continue
        header = set(terms(row_header(rows[0].text, rows[0].context)))
        grid = [[set(terms(c)) for c in cells(r.text)] for r in rows]
        keys = [[t if _key_cell(c) else set() for c, t in zip(cells(r.text), ts)] for r, ts in zip(rows, grid)]
        for i, r in enumerate(rows):
            held = set().union(*grid[i])
            for t in (t for t in asked - header if not _holds(held, t)):
                # the columns where another row holds t as its value, and this row another value
                cols = {j for k, other in enumerate(keys) if k != i for j, c in enumerate(other) if _holds(c, t)}
                if any(j < len(keys[i]) and keys[i][j] for j in cols):
                    out.append(r)
                    break
    return out


def table_siblings(hits: list[SentenceHit]) -> list[list[frozenset[str]]]:
    """The things each retrieved table lists, one per row: the terms of each row's first cell
    (a gloss in brackets and numbers left out), for tables of at least two rows whose first
    cells are key cells (_key_cell). The loan table "Books | 3 weeks", "DVDs | 1 week",
    "Magazines | 1 week" lists {book}, {dvd}, {magazin}: siblings, of which a sentence naming
    one speaks of that one. Method: a table's first column holds its records' keys (as
    other_rows reads it); the documents, not a word list, say which things are siblings."""
    tables: dict[tuple, set[frozenset[str]]] = {}
    for h in hits:
        header = row_header(h.text, h.context)
        row = cells(h.text)
        if not header or h.text.strip() == header.strip() or len(row) < 2 or not _key_cell(row[0]):
            continue
        key = frozenset(t for t in terms(_GLOSS.sub("", row[0])) if not _numeric(t))
        if key:
            tables.setdefault((h.source, h.context), set()).add(key)
    return [sorted(keys, key=sorted) for keys in tables.values() if len(keys) >= 2]


def names_listed_sibling(asked: set[str], sentence: set[str], siblings: list[list[frozenset[str]]]) -> bool:
    """True when a table lists (table_siblings) a thing the question names and the sentence
    names another of the table's things and none the question names: "Books can be renewed up
    to 3 times" says nothing of DVDs when the loan table lists both. `asked`, `sentence`: terms."""
    for keys in siblings:
        named = [k for k in keys if k <= asked]
        if named and any(k <= sentence for k in keys if k not in named) and not any(k <= sentence for k in named):
            return True
    return False


_NO_VALUE = re.compile(r"^\W*(?:n/?a|none|-|\u2013|\u2014)?\W*$", re.I)  # "", "-", "n/a": no value


def empty_asked_cell(asked: set[str], row: str, header: str) -> bool:
    """True when the question asks a column of the row's table that the row leaves empty: for
    "How much does Room B cost for community groups?" the row "Room B | 40 | | £45 per hour"
    under "Room | Seats | Community groups | Commercial bookings" gives no community price (the
    £45 is a commercial one). A column is asked when a term only its header holds among the
    value columns (not the first, which names the row) is a question term; a row with fewer
    cells than its header leaves the rest empty. When every asked column is empty, the row
    states nothing asked."""
    heads = [set(terms(c)) for c in cells(header)]
    if len(heads) < 3:  # a key and one value: the value column is what every row gives
        return False
    values = cells(row)
    asked_cols = []
    for j in range(1, len(heads)):
        others = set().union(*(heads[k] for k in range(1, len(heads)) if k != j))
        if (heads[j] - others) & asked:
            asked_cols.append(j)
    return bool(asked_cols) and all(j >= len(values) or _NO_VALUE.match(values[j]) for j in asked_cols)


def _mark_continuations(hits: list[SentenceHit], asked: set[str]) -> None:
    """Set `rival` on each hit that opens with a pronoun (rag.text.PRONOUN_START) right after a
    rival in its section and says no asked term the rival does not: "Full-time staff are
    entitled to 25 days of annual leave. This rises to 28 days after five years." gives
    part-timers neither figure; "This also applies to part-time staff" speaks of them."""
    at = {(h.source, h.index): h for h in hits}
    for h in sorted(hits, key=lambda h: (h.source, h.index)):  # in reading order: a chain follows its head
        before = at.get((h.source, h.index - 1))
        if (
            before is not None
            and before.rival
            and before.context == h.context
            and leans_back(PRONOUN_START, h.text)
            and not (set(terms(h.text)) & asked) - set(terms(before.text))
        ):
            h.rival = True


# A word negated by its prefix ("non-members", "non members", "uninsured"): the complement of
# what the word names, no synonym of it however near MiniLM puts the two.
_NEGATED = re.compile(r"\b(?:non[-\s]|un)([a-z]{4,})\b", re.I)
_NEGATION = re.compile(r"\b(?:not|without|no|never)\b|n't\b", re.I)


def negated_only(question: str, sentence: str) -> list[str]:
    """The question's terms (rag.text.terms) the sentence says only negated by a prefix, the
    question never: "members" in "Pilates costs 8 euros per session for non-members." for "How
    much does Pilates cost for members?", "insured" in "... 60 euros for uninsured patients.".
    Such a sentence states the value for the complement of what was asked. Not "until", "unit"
    or "union" (no question term after the prefix)."""
    if _NEGATED.search(question) or _NEGATION.search(question):  # "without insurance", "who are not members"
        return []
    asked = set(terms(question))
    negated = {t for m in _NEGATED.finditer(sentence) for t in terms(m.group(1)) if t in asked}
    if not negated:
        return []
    plain = set(terms(_NEGATED.sub(" ", sentence)))
    return sorted(negated - plain)


def _mark_rivals(hits: list[SentenceHit], q: Question, embed) -> None:
    """Set `rival` on each hit that names a sibling of a name the question asks about and never
    that name (`names_sibling`), or that gives the asked contact value under another owner's label
    (`labelled_for_another`), or names a sibling of what a question asking for a kind of
    value (rag.question.answer_type) is about (`rival_words`), its words not synonyms of the
    asked one: each rival word's cosine to it under `embed` (texts -> (n, dim) unit vectors, all
    words in one batch) is below SYNONYM_COSINE. "deuterium" / "tungsten" (0.30) and "pedal" /
    "cargo" (0.37) are rivals; "exclude" / "ignore" (0.74) and "annual" / "yearly" (0.82) are
    not. SYNONYM_COSINE was read off 23 such pairs, none from the evaluation's corpora."""
    text_at = {(h.source, h.index): h.text for h in hits}
    if q.names:  # "the Kestleford Clinic" says nothing about "the Brindle Cross clinic", nor Dr. Patel of Dr. Novak
        common = lower_case_terms((h.text for h in hits), {seq[-1] for _, seq in q.name_seqs_named if seq})
        for h in hits:
            if names_sibling(q.text, q.name_seqs_named, h.text, common) or titled_sibling(q.text, h.text):
                h.rival = True
    if q.kind in _CONTACT and _asked_owner(q.text):  # "Reception: 0161 ..." is not the membership team's number
        for h in hits:
            topic, before = f"{h.title} {h.context}", text_at.get((h.source, h.index - 1), "")
            owner = owner_terms(q, topic)
            if (
                labelled_for_another(q.kind, h.text, owner, before)
                or owned_elsewhere(q.kind, h.text, owner, f"{before} {topic}")
                or named_for_another(q.kind, h.text, q.name_seqs, _asked_owner(q.text))
            ):
                h.rival = True
    if q.counted and q.kind in ("number", "money"):  # "64 staff" is no count of lifeguards
        _mark_other_counts(hits, q.counted, embed)
    if q.priced and q.kind in ("number", "money"):  # racket hire's price is no shuttlecock's
        _mark_lacking(hits, q.priced, embed, amounts)
    if q.role and q.kind == "person":  # a council representative is no vice-chair
        _mark_lacking(hits, q.role, embed, lambda text: bool(name_runs(text, first=True)))
    if q.timed and q.kind == "date":  # a coaches' meeting at 19:30 is no kick-off time
        # the timed event is the subject; a bare line of hours under "Opening hours" is its document's
        _mark_lacking(hits, q.timed, embed, _states_time, anywhere=True, spared=_schedule_of(hits, q.timed[0]))
    # A cause is no value another thing may hold: "because their quote was lower" answers "why
    # did they choose Darrow & Sons to repair the roof?" though it names no roof. Nor is a name
    # read off its sentence's phrases: "The old ticket machines will be replaced by the FareSmart
    # T4" names the new one.
    siblings, asked_terms = table_siblings(hits), set(q.terms)
    for h in hits:  # the fine for under-16s is no fine for under-18s, Room A's price no Room B's
        if (
            other_age_band(q.text, h.text, q.yes_no)
            or other_letter(q.text, h.text)
            or other_place(q.text, h.text, f"{h.title}\n{h.context}")
            or (
                siblings
                and not _COVERS_OTHERS.search(h.text)
                and names_listed_sibling(asked_terms, _sentence(h.text)[0], siblings)
            )
        ):
            h.rival = True
    if q.kind not in (None, "reason"):  # the price for non-members is no members' price
        for h in hits:
            if negated_only(q.text, h.text):
                h.rival = True
    phrases = _phrases(q.text) if q.kind not in (None, "reason", "name", "which") else _subject_phrase(q)
    if not phrases:  # most questions: nothing to read in any sentence
        return
    asked, names = set(terms(q.text)), {t for seq in q.name_seqs for t in seq}
    found = {}
    for h in hits:
        before = text_at.get((h.source, h.index - 1), "")
        # A document titled "Private fees 2025" says "private" of each of its rows: its "Laboratory
        # fee included" names no rival of the asked "private fee".
        around = _sentence(h.context)[0] | _sentence(before)[0] | _sentence(h.title)[0]
        conflicts = _rivals_in(phrases, asked, h.text, around, names)
        if conflicts:
            found[id(h)] = conflicts
    if not found:
        return
    vec = _word_vectors({w for cs in found.values() for m, rs in cs for w in (m, *rs) if not _numeric(w)}, embed)

    def synonyms(a: str, b: str) -> bool:  # numbers are no synonyms of each other ("4" / "5")
        return a == b or (a in vec and b in vec and float(vec[a] @ vec[b]) >= SYNONYM_COSINE)

    for h in hits:
        for m, rs in found.get(id(h), ()):
            if not any(synonyms(m, r) for r in rs):
                h.rival = True
                break


def _mark_other_counts(hits: list[SentenceHit], counted: str, embed) -> None:
    """Set `rival` on each hit whose every count is of something else (`counts_another`), the
    words compared as stems, then by MiniLM cosine (SYNONYM_COSINE), all embedded in one batch."""
    counts = {id(h): row_count_nouns(h.text, h.context) for h in hits if not h.rival}
    open_ = [h for h in hits if counts.get(id(h)) and all(counts[id(h)])]
    if not open_:
        return
    # counts_another compares the counted head noun only, so only it is embedded
    synonyms = _synonym_reader({w for h in open_ for c in counts[id(h)] for w in c} | {counted.split()[-1]}, embed)
    for h in open_:
        if counts_another(counted, h.text, h.context, synonyms):
            h.rival = True


def _states_time(text: str) -> bool:
    """The text states a date, a clock time or a weekday (what a when-question asks for)."""
    return bool(dates(text) or weekdays(text))


# Words that say when, not what: a title "Opening hours" or a heading "Timetable" names no event.
_SCHEDULE_TERMS = frozenset(
    terms("open opening opens close closing closes hours hour times time timetable schedule days day daily weekly")
)


def bare_schedule(h: SentenceHit) -> bool:
    """True for a line that states times and names nothing else ("Saturday: 08:00 to 18:00",
    "Mon-Fri 9am-5pm") under a title and headings that say only when ("Opening hours"): the
    hours of whatever its document is about, so it lacks no asked venue ("What time does the
    centre open on Saturday?"). A heading naming something ("Pool hours") or a line naming
    something ("Sauna: 07:00 to 21:30") is no bare schedule."""
    said = [w for w in _content_words(h.text, anywhere=True) if not weekdays(w) and not _numeric(w)]
    if said or not _states_time(h.text):
        return False
    labels = " ".join([h.title, *heading_path(h.context)])
    return all(t in _SCHEDULE_TERMS for t in terms(labels))


def _schedule_of(hits: list[SentenceHit], head: str):
    """spared(hit) for _mark_lacking: a bare schedule (bare_schedule) in a document that gives
    the asked thing no section of its own: under "## Sauna and steam room" a sauna's hours are
    said, so the building's "Saturday: 08:00 to 18:00" are not the sauna's."""
    sectioned = {h.source for h in hits if _all_said(head, frozenset(terms(" ".join(heading_path(h.context)))))}
    return lambda h: h.source not in sectioned and bare_schedule(h)


def _mark_lacking(
    hits: list[SentenceHit], asked: str | tuple[str, ...], embed, states, anywhere: bool = False, spared=None
) -> None:
    """Set `rival` on each hit that `states(text)` a value of the asked kind (an amount, a name,
    a time) of something other than `asked` (`lacks_asked`): a head, or several words that each
    name the asked thing (a timed event's head noun and verb: the hit must lack them all). What
    is around a hit is its title, its headings and the sentence before it in the same section
    (the last line of the section above says nothing of a table's first row). The words are
    compared as stems, then by MiniLM cosine (SYNONYM_COSINE), all embedded in one batch.
    `spared(hit)`: True for a hit that names no other thing whatever it lacks (bare_schedule)."""
    heads = (asked,) if isinstance(asked, str) else asked
    hit_at = {(h.source, h.index): h for h in hits}

    def around(h: SentenceHit) -> str:
        before = hit_at.get((h.source, h.index - 1))
        return f"{h.title} {h.context} {before.text if before and before.context == h.context else ''}"

    def said(h: SentenceHit) -> frozenset[str]:
        return _sentence(h.text)[0] | _sentence(around(h))[0]

    open_ = [
        h
        for h in hits
        if not h.rival
        and states(h.text)
        and not any(_all_said(x, said(h)) for x in heads)
        and not (spared and spared(h))
    ]
    if not open_:
        return
    words_ = {w for h in open_ for w in _content_words(h.text, anywhere) + _label_words(h.context)}
    synonyms = _synonym_reader(words_ | {x.split()[-1] for x in heads}, embed)
    for h in open_:
        if all(lacks_asked(x, h.text, around(h), synonyms, h.context, anywhere) for x in heads):
            h.rival = True


_WORD_VECTORS: dict[str, object] = {}  # word -> its MiniLM vector, embedded alone; kept for the process
_WORD_VECTORS_MAX = 50_000


def _word_vectors(words_: set[str], embed) -> dict:
    """Each word's MiniLM vector, embedded alone by `embed`, the words not yet seen in one batch
    (a word's vector is kept for the process: the same words recur across questions)."""
    new = sorted(w for w in words_ if w not in _WORD_VECTORS)
    if new:
        if len(_WORD_VECTORS) + len(new) > _WORD_VECTORS_MAX:
            _WORD_VECTORS.clear()
        _WORD_VECTORS.update(zip(new, embed(new)))
    return {w: _WORD_VECTORS[w] for w in words_}


def _synonym_reader(words_: set[str], embed):
    """synonyms(a, b) over `words_`: the same stem, or a MiniLM cosine of SYNONYM_COSINE or more
    (`_word_vectors`)."""
    vec = _word_vectors(words_, embed)

    def synonyms(a: str, b: str) -> bool:
        return bool(set(_word_terms(a)) & set(_word_terms(b))) or float(vec[a] @ vec[b]) >= SYNONYM_COSINE

    return synonyms
