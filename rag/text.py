"""Words as the lexical side of the engine sees them: tokens for BM25 and for term coverage.

What it does: `terms(text)` lower-cases, strips accents, joins digit groups ("10,000" ->
"10000"), drops stop words, stems with Snowball (PyStemmer), then folds transliteration
variants so that spellings of one name meet: y->i, ou->u, doubled letters single
("Ablyazov"/"Abliazov" -> "abliazov", "Kassym"/"Kasym" -> "kasim", "Moukhtar" ->
"mukhtar"). The fold applies to every word on both sides (index and query), so it can
only merge, never miss; the cost is a few harmless collisions between English words.

What it deliberately doesn't: fuzzy matching by edit distance, or synonyms; the vector
side of the hybrid retrieval covers paraphrase.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['\u2019][^\W\d_]+)*", re.UNICODE)
_DOUBLE = re.compile(r"(.)\1+")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also said says say told tell according us let may might must shall s t don
    ever get got one""".split()
)

_stemmer = Stemmer.Stemmer("english")

# Snowball leaves irregular past forms alone ("fled" != "flee"), and agent nouns apart from
# their verbs ("leader" != "lead"); the common ones are mapped to the base form before
# stemming, so a question's "lead" meets a source's "led" and "leader".
IRREGULAR = dict(
    pair.split(":")
    for pair in """fled:flee ran:run led:lead gave:give given:give sent:send paid:pay left:leave took:take
    taken:take told:tell held:hold won:win sold:sell bought:buy fought:fight brought:bring began:begin
    begun:begin came:come went:go gone:go made:make met:meet saw:see seen:see shot:shoot thought:think
    spent:spend stood:stand stole:steal stolen:steal fell:fall fallen:fall kept:keep knew:know known:know
    lost:lose sought:seek struck:strike wrote:write written:write chose:choose chosen:choose rose:rise
    risen:rise hid:hide hidden:hide broke:break broken:break drove:drive driven:drive ate:eat grew:grow
    grown:grow threw:throw thrown:throw built:build caught:catch dealt:deal felt:feel found:find fought:fight
    heard:hear hung:hang lay:lie laid:lay lent:lend meant:mean rode:ride rang:ring sang:sing slept:sleep
    spoke:speak spoken:speak swore:swear sworn:swear taught:teach understood:understand woke:wake wore:wear
    worn:wear leader:lead leaders:lead ruler:rule rulers:rule owner:own owners:own founder:found
    supporter:support supporters:support protester:protest protesters:protest""".split()
)


def plural(n: int, word: str) -> str:
    """'1 document', '12,448 documents': a count as a person says it (messages of the CLI and page)."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def fold(term: str) -> str:
    """Collapse transliteration variants of one word (applied after stemming)."""
    if term.isdigit():
        return term
    term = term.replace("ou", "u").replace("y", "i")
    return _DOUBLE.sub(r"\1", term)


@lru_cache(maxsize=65536)
def _normal(word: str) -> str:
    return fold(_stemmer.stemWord(IRREGULAR.get(word, word)))


# "DVDs", "PDFs", "GPUs": an acronym's plural is read as the acronym, since the stemmer leaves
# "dvds" whole and "DVD" asked would miss "DVDs" written; "GPS", "SMS" and "kbps" are no plurals.
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")


def words(text: str) -> list[str]:
    """Lower-cased, accent-free words and numbers, in order, stop words kept; an acronym's
    plural ("DVDs") is the acronym."""
    text = unicodedata.normalize("NFKD", _ACRONYM_PLURAL.sub(r"\1", text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        if w[0].isdigit():
            # "10,000" and "10000" are one number; "3.5" keeps its point.
            w = re.sub(r",(?=\d{3}\b)", "", w).rstrip(".,")
        else:
            w = w.replace("\u2019", "'").split("'")[0]  # "Kazakhstan's" -> "kazakhstan"
        out.append(w)
    return out


# Chinese and Japanese write no spaces between words: a run of their characters is matched by
# its overlapping character pairs, the usual indexing unit for CJK text without a segmenter
# (Kwok 1997, "Comparing representations in Chinese information retrieval").
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# Chinese interrogatives (what, where, who, question particles) are the stop words of a pair.
_CJK_ASKING = frozenset("哪什么吗呢谁")


def _cjk_pairs(run: str) -> list[str]:
    pairs = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return [p for p in pairs if not _CJK_ASKING.intersection(p)]


def terms(text: str) -> list[str]:
    """Content terms for matching: stop words out, stemmed and folded; a CJK run as character pairs."""
    out = []
    for w in words(text):
        if _CJK_CHAR.match(w):
            out.extend(_cjk_pairs(w))
        elif w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
            out.append(_normal(w))
    return out


@lru_cache(maxsize=256)
def passage_terms(title: str, text: str) -> tuple[str, ...]:
    """terms() of a passage with its title, computed once per passage: the answerer's "never
    mentioned" check and the scorer's coverage features read the same retrieved passages."""
    return tuple(terms(f"{title} {text}"))


def contains(seq: list[str], sub: list[str]) -> bool:
    """True when the term list `seq` holds `sub` as a contiguous run (a phrase)."""
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


# Contact values: an e-mail address (or one spelled out against spam: "ines at example dot org"),
# a URL, a phone number (six digits or more; rag.kinds.type_match leaves dates out).
EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b\w+\s*[\[(<]?\s*at\s*[\])>]?\s*[\w-]+\s*[\[(<]?\s*dot\s*[\])>]?\s*\w+", re.I
)
URL = re.compile(
    r"\b(?:https?|ftp)://|\bwww\.\w|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|edu|gov|info|int|[a-z]{2})/", re.I
)
# A whole e-mail or web address, to its last character: URL matches only its opening
# ("www.k" of "www.kelmail.net/help"), whose digits further on are no amount. Tried from a
# token's start only, (?<!\S): the same spans, while a bare "\S*" first made a long unbroken token
# (a base64 blob, minified code) cost cubic time, 18 s for 2,000 characters.
ADDRESS = re.compile(rf"(?<!\S)\S*?(?:{EMAIL.pattern}|{URL.pattern})\S*", re.I)
# Not a code's digits after a letter and a hyphen ("Our reference: CS-2025-0817").
PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d ().-]{5,}\d(?!\w)")
# Money: a currency by symbol, ISO 4217 code (in capitals: "try" and "cad" are words) or name,
# and pence ("50p"); SUM is an amount of it as written ("\u00a310,300.00", "$3k", "40 euros", "EUR 12").
_CURRENCY_SIGN = "[$\u00a3\u20ac\u00a5\u20b9\u20bd\u20a9\u20ba\u20aa\u20b4\u20a6\u0e3f\u20b8]"
_CURRENCY_CODES = "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|INR|CNY|RUB|KZT|TRY|ZAR|BRL|MXN"
_CURRENCY_CODE = rf"\b(?:{_CURRENCY_CODES})\b"
_CURRENCY_NAME = (
    r"\b(?i:euros?|pounds?|dollars?|pence|cents?|yen|yuan|rupees?|roubles?|rubles?|tenge|francs?|kronor|krona|"
    r"kroner|krone|pesos?|lira|zloty|forints?)\b"
)
CURRENCY = re.compile(rf"{_CURRENCY_SIGN}|\d\s?p\b|{_CURRENCY_CODE}|{_CURRENCY_NAME}")
# In a table's header a code names a column's currency in lower case too, joined to the column's
# name as identifiers are ("price_gbp", "cost-eur") or in brackets ("Amount (usd)"); alone it may
# be a word ("Things to try"), so there only capitals count (CURRENCY).
HEADER_CURRENCY = re.compile(rf"[_-](?i:{_CURRENCY_CODES})(?![A-Za-z])|\((?i:{_CURRENCY_CODES})\)")
SUM = re.compile(
    rf"(?:{_CURRENCY_SIGN}|{_CURRENCY_CODE})\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?\b"
    rf"|\b\d[\d,.]*\s?(?:p\b|{_CURRENCY_CODE}|{_CURRENCY_NAME})"
)

# Titles before a surname ("Dr Achterberg", "Mrs. Okafor"): no part of the name to find, and
# their full stop ends no sentence.
HONORIFICS = frozenset("dr mr mrs ms miss mx prof professor sir dame rev revd".split())
# A run of capitalised words; "of" may join two ("Democratic Choice of Kazakhstan") and a
# possessive ends one ("Kazakhstan's GDP" is two names). Capitals with accents count ("Zoë Müller").
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_RUN = re.compile(rf"(?<![\w'\u2019-])[{_UPPER}][\w-]*(?:\s+(?:of\s+)?[{_UPPER}][\w-]*)*")
# A capital letter hyphened to a lower-case word is a common noun ("X-ray", "T-shirt", "U-turn"),
# no name alone; in a run it is part of one ("the X-ray Department"; "T-Mobile" is a name).
_LETTER_NOUN = re.compile(r"[A-Z]-[a-z]+")
# What may stand before a text's first word: space, quotes, brackets, Spanish ¿ and ¡.
_OPENERS = " \t\n\"'\u201c\u2018\u00ab([\u00bf\u00a1*#>-"


def name_runs(text: str, first: bool = False) -> list[str]:
    """The package's one name finder: runs of capitalised words in `text`, as written, in order.

    A sentence's (or question's) first word is capitalised anyway, so it says nothing alone:
    with `first=False` (questions) it is dropped from its run ("Is Kazakhstan's GDP ..." ->
    "Kazakhstan"); with `first=True` (source sentences) a run at the start counts whole when
    it has two words or more ("Mukhtar Ablyazov said") or a comma or a table's bar follows it
    ("Ablyazov, who ...", "Filey | Finn Garcia"). A single letter ("I", "A") is never a name.
    Letter case is all it reads: a text in ALL CAPS or Headline Case names everything
    (rag/question.py `cased_throughout`)."""
    out = []
    for m in _RUN.finditer(text):
        run = m.group()
        before = text[: m.start()].rstrip(_OPENERS)
        stopped = before[:-1].split()[-1:] if before.endswith(".") else []  # "Mrs." opens no sentence
        if not before or (before[-1] in ".?!:;\n" and not (stopped and stopped[0].lower() in HONORIFICS)):
            words_ = run.split()
            if first:
                # "The CSTO troops ..." names the CSTO; "Can I ..." names nothing.
                kept = words_[next((i for i, w in enumerate(words_) if w.lower() not in STOPWORDS), len(words_)) :]
                # a table row's first cell ends at its bar: "Filey | Finn Garcia | 01005 550005"
                if not kept or (len(words_) < 2 and not text[m.end() :].lstrip(" \t").startswith((",", "|"))):
                    continue
                run = " ".join(kept)
            else:
                rest = run[len(words_[0]) :].strip()
                if rest.startswith("of "):
                    rest = rest[3:]
                if not rest:
                    continue
                run = rest
        if len(run) < 2 or _LETTER_NOUN.fullmatch(run):
            continue
        out.append(run)
    return out


# A sentence's end: a full stop, question or exclamation mark, then closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
# One title or more before a name ("Dr", "Mrs.", "Prof Dr"), as words.
_TITLES = rf"(?:(?i:{'|'.join(sorted(HONORIFICS))})\.?(?:\s+|$))+"
_TITLES_FIRST = re.compile(rf"^{_TITLES}")


def without_title(name: str) -> str:
    """The name without the titles it opens with: "Dr Achterberg" -> "Achterberg" (the documents
    may write "Dr Helen Achterberg"), "Mrs." -> ""."""
    return _TITLES_FIRST.sub("", name)


@lru_cache(maxsize=8192)
def opening_name(text: str, known: str = "") -> str | None:
    """The name a sentence opens with, as name_runs(first=True) reads it, or None: in English
    that is its subject, and what a following sentence's pronoun or description most likely
    refers to ("Mukhtar Ablyazov is the enemy of Nursultan Nazarbayev. An entrepreneur living
    in France, he ..." is about Ablyazov). Method: the subject preference of centering theory
    (Grosz, Joshi & Weinstein 1995). A sentence opening with a preposition ("In Paris, ...")
    or a pronoun opens with no name; so does a heading or a table row (no sentence: no full
    stop, question or exclamation mark at its end), whose capitals are no subject. One word
    ("Soil, rubble and waste cannot.") is a name only where `known` (the text around) writes it
    with a capital after a lower-case word too."""
    if not SENTENCE_END.search(text):
        return None
    runs = name_runs(text, first=True)
    if not runs:
        return None
    # "Dr. Ana Silva is ..." and "Mrs Okafor runs ..." open with Ana Silva and Okafor
    name = without_title(runs[0])
    if not name or not without_title(text.lstrip(_OPENERS)).startswith(name):
        return None
    if " " not in name and not re.search(rf"[a-z,;]\s+(?:{_TITLES})?{re.escape(name)}\b", known):
        return None
    return name


# A sentence's first word alone, before a lower-case word ("Putin benefits from it."): a name or
# not, its capital does not say (name_runs leaves it out).
_OPENING_WORD = re.compile(r"^\W*([A-Z][a-z]+)\s+[a-z]")
_ARTICLES = frozenset({"the", "a", "an"})


@lru_cache(maxsize=8192)
def opening_word_name(sentence: str, around: str) -> str | None:
    """The one word a sentence opens with ("Putin" of "Putin benefits from it."), when `around`
    (its passage) writes it with a capital after a lower-case word on the same line, not after
    an article ("the Council" is a body's common noun); None otherwise, and for a stop word. Stricter
    than opening_name's one-word test (which reads across a heading's end and after "the"): this
    one decides whether a who- or where-question's candidate names anyone at all."""
    m = _OPENING_WORD.match(sentence)
    if m is None or not around or not terms(m.group(1)):
        return None
    word = m.group(1)
    before = re.findall(rf"(\S+)[ \t]+{word}\b", around)
    if any(w[-1] in ",;" or (w[-1].islower() and w.lower() not in _ARTICLES) for w in before):
        return word
    return None


# What comes before a word that opens a sentence, a line, a list item, a table cell or a part
# of a list run together ("Children under 5 travel free.", "- Children ...", "a) Children ...",
# "Adults 16 \u00b7 Children 8", "14 pounds, Children 7", "(Children under five go free)"): its
# capital says nothing of the word. A full stop after an initial or a short title ends no
# sentence ("M.V. Orion", "St. Ives", "Dr. Smith"). Read in the last _OPENING_REACH characters.
_OPENS = re.compile(
    r"(?:^|[\n!?:;|\t(,/\u00b7\u2013\u2014]|(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})\."
    r"|\n\s*(?:[-*+\u2022]|\d{1,2}[.)]|[a-z][.)]))[\s*_#>|\"'(\u201c\u2018]*$"
)
_OPENING_REACH = 40


def opens_unit(text: str, start: int) -> bool:
    """True when the word at `start` of `text` opens a sentence, a line, a list item, a table
    cell or a part of a list (_OPENS): a capital there says nothing of whether it is a name.
    Unlike opening_word_name, which looks for the word after a lower-case one, it reads only
    what stands right before this occurrence."""
    return bool(_OPENS.search(text[max(0, start - _OPENING_REACH) : start]))


def name_phrases(text: str) -> list[str]:
    """The names a (short) text such as a question mentions, as written, in order."""
    return name_runs(text.strip(), first=False)


# Normalised amounts and dates, so that "€3,000" meets "3000 euros", "15 March 2024" meets
# "2024-03-15" and "7:30" meets "07:30". Hand-written for English; dateparser or
# babel would cover more forms at the cost of a slow import on every cold question.
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ],
        1,
    )
    for m in names.split()
}
# The months as written in full, in order: one list for the package (rag.question, rag.kinds).
MONTH_NAMES = tuple("January February March April May June July August September October November December".split())
MONTH_PATTERN = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE_FORMS = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), lambda m: (m[1], m[2], m[3])),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{MONTH_PATTERN},?\s+(\d{{4}})\b", re.I), lambda m: (m[3], m[2], m[1])),
    (re.compile(rf"\b{MONTH_PATTERN}\s+{_DAY},?\s+(\d{{4}})\b", re.I), lambda m: (m[3], m[1], m[2])),
]
# "17/02/2025" (day first, as most of the world writes it) or "02/17/2025" (month first, as
# the US does): a slash date is read both ways, each reading that is a real date counts
# ("03/02/2025" states 3 February or 2 March; "17/02/2025" only the first).
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_CLOCK = re.compile(
    r"\b([01]?\d|2[0-3])(?::([0-5]\d))?\s?(am|pm|a\.m\.|p\.m\.)(?!\w)|\b([01]?\d|2[0-3]):([0-5]\d)\b", re.I
)
_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
NUMBER_WORDS = tuple(_SMALL[1:]) + tuple(_TENS) + tuple(_SCALE)
# ... with the plurals that state a number vaguely ("hundreds of", "dozens")
NUMBER_WORD_FORMS = (*NUMBER_WORDS, "hundreds", "thousands", "millions", "billions", "dozen", "dozens")
_AMOUNT = re.compile(
    r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w.,]\d)(?:\s*(hundred|thousand|million|billion|k|m|bn)\b)?"
    rf"|\b((?:{'|'.join(_SMALL + list(_TENS))})(?:[- ](?:{'|'.join(_SMALL[1:10])}))?)\b"
    r"(?:\s+(hundred|thousand|million|billion)\b)?",
    re.I,
)


def month_number(word: str) -> int:
    """1 for "January", "Jan" or "jan.", ... 12 for "December"; KeyError for no month."""
    word = word.lower().rstrip(".")
    return _MONTHS[word if word in _MONTHS else word[:3]]


def _date_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for pattern, parts in _DATE_FORMS:
        for m in pattern.finditer(text):
            y, mo, d = parts(m)
            try:
                month = int(mo) if mo.isdigit() else month_number(mo)
            except KeyError:
                continue
            if 1 <= month <= 12 and 1 <= int(d) <= 31:
                out.append((m.start(), m.end(), f"{int(y):04d}-{month:02d}-{int(d):02d}"))
    for m in _SLASH_DATE.finditer(text):
        for d, mo in dict.fromkeys([(int(m[1]), int(m[2])), (int(m[2]), int(m[1]))]):
            if 1 <= mo <= 12 and 1 <= d <= 31:
                out.append((m.start(), m.end(), f"{int(m[3]):04d}-{mo:02d}-{d:02d}"))
    for m in _CLOCK.finditer(text):
        if m[3]:
            hour = int(m[1]) % 12 + (12 if m[3].lower().startswith("p") else 0)
            out.append((m.start(), m.end(), f"{hour:02d}:{int(m[2] or 0):02d}"))
        else:
            out.append((m.start(), m.end(), f"{int(m[4]):02d}:{m[5]}"))
    return out


def dates(text: str) -> set[str]:
    """Calendar dates ("2024-03-15") and clock times ("07:30", "21:00") a text states, normalised."""
    return {canon for _, _, canon in _date_spans(text)}


def spoken_dates(text: str, prefer: frozenset[str] | set[str] = frozenset()) -> str:
    """The text with each calendar date written out as a reader says it ("2024-03-15" ->
    "15 March 2024"; a slash date read both ways is said in its reading among `prefer`, the
    dates asked about, else day first): for the embedder,
    which reads digits poorly ("What happens on 15 March 2024?" is cosine 0.32 from the row
    "2024-03-15 | Spring market", 0.52 from "15 March 2024 | Spring market"). Clock times
    stay as written."""
    spans: dict[tuple[int, int], str] = {}
    for start, end, canon in _date_spans(text):
        if len(canon) == 10 and ((start, end) not in spans or canon in prefer):  # a date, not a clock time
            spans[(start, end)] = canon
    for (start, end), canon in sorted(spans.items(), reverse=True):
        year, month, day = canon.split("-")
        text = f"{text[:start]}{int(day)} {MONTH_NAMES[int(month) - 1]} {year}{text[end:]}"
    return text


PHONE_MIN_DIGITS = 6  # fewer digits is no number to call ("12-34")


def phone_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each phone number the text states: PHONE with PHONE_MIN_DIGITS digits or
    more, dates and clock times excepted ("2025-03-03" and "9:00-17:00" are no numbers to call)."""
    return [m.span() for m in PHONE.finditer(undated(text)) if sum(c.isdigit() for c in m.group()) >= PHONE_MIN_DIGITS]


# "1 250 000 000" or "192.168.100.200": groups of thousands, not a phone number's
_THOUSANDS = re.compile(r"\d{1,3}(?:[ .]\d{3})+")
DIALLED_MIN_DIGITS = 9  # a number as dialled, long enough that no amount is written so


def without_contacts(text: str) -> str:
    """The text with its contact values blanked, whose digits are no amount: e-mail and web
    addresses, and phone numbers as dialled, DIALLED_MIN_DIGITS digits or more, written with a
    leading "+", "(" or "0" or in groups that are no thousands ("01632 960 844", "+44 20 7946
    0000", "555-123-4567"; not "2147483647" or "1 250 000 000")."""

    def blank(m: re.Match) -> str:
        number = m.group()
        grouped = bool(re.search(r"[ ().-]", number)) and not _THOUSANDS.fullmatch(number)
        dialled = number[0] in "+(0" or grouped
        return " " if dialled and sum(c.isdigit() for c in number) >= DIALLED_MIN_DIGITS else number

    return PHONE.sub(blank, ADDRESS.sub(" ", text))


def undated(text: str) -> str:
    """The text with its dates and clock times blanked: their words ("15", "march", "2024") are
    one value, which `dates` gives however it is written; counted as separate terms they would
    be missing from a text that writes the date another way ("2024-03-15")."""
    for start, end, _ in sorted(_date_spans(text), reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


_NUM = r"(\d+(?:[.,]\d+)?)"
# A span of values: "25-40 kg", "floors 4 to 6", "between 25 and 40", "Child (5\u201316)". A bound
# ("more than 10 minutes", "up to 10 kg") is not read: "If you are more than 10 minutes late ..."
# holds 45 minutes but says nothing of a 45-minute appointment.
SPAN = re.compile(rf"{_NUM}\s*(?:-|\u2013|\u2014|to|and)\s*{_NUM}", re.I)


def within_span(number: str, text: str) -> bool:
    """True when the text gives a span that holds `number` (a term: "30"): "Large dog (25-40
    kg)" states the price for a 30 kg dog, "Child (5\u201316)" for a 10-year-old."""
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return False
    for m in SPAN.finditer(undated(text)):  # "2025-03-03" and "12:00-13:30" are no spans
        low, high = sorted(float(x.replace(",", "")) for x in m.groups())
        if low <= value <= high:
            return True
    return False


def _number_word(phrase: str) -> int:
    total = 0
    for part in re.split(r"[- ]", phrase.lower()):
        total += _TENS.get(part, 0) or (_SMALL.index(part) if part in _SMALL else 0)
    return total


def amounts(text: str) -> set[str]:
    """The amounts a text states, normalised: "€3,000", "3000 euros" and "3 thousand" -> "3000",
    "seventeen" -> "17", "3.50" -> "3.5". Dates and clock times are not amounts (see dates())."""
    out = set()
    for m in _AMOUNT.finditer(undated(text)):
        if m[1]:
            value = float(m[1].replace(",", ""))
            scale = (m[2] or "").lower()
        else:
            if m[3].lower() in ("one", "zero") and not m[4]:  # "one of them" states no amount
                continue
            value = float(_number_word(m[3]))
            scale = (m[4] or "").lower()
        value *= {"k": 1000, "m": 10**6, "bn": 10**9}.get(scale, _SCALE.get(scale, 1))
        out.add(f"{value:.6f}".rstrip("0").rstrip("."))
    return out


def numbers(text: str) -> set[str]:
    """The numbers a text states, normalised like terms() does."""
    return {w for w in words(text) if w[0].isdigit()}


_SCALE_WORDS = frozenset(_SCALE) | {f"{w}s" for w in _SCALE}  # "19 million people": the scale is the number's
# A count: a number standing alone, in digits or words; not a share ("90%"), a code ("3TA"), a
# range's bound read apart, nor (blanked first) a date, a clock time or a contact value.
_COUNT = re.compile(
    r"(?<![\w.,$\u00a3\u20ac#/-])(\d+(?:,\d{3})*(?:\.\d+)?|"
    rf"(?:{'|'.join(w for w in NUMBER_WORD_FORMS if w not in _SCALE_WORDS and w != 'one')}))(?![\w%/]|[.,]\d)",
    re.I,
)
COUNT_WORDS = 3  # "six free counselling sessions": a counted noun and its modifiers, not the clause after it
# Prepositions the stop words lack, which end a counted noun phrase ("64 staff across three sites").
_COUNT_BREAK = frozenset(
    """across along among amongst around behind beside besides beyond per since towards toward via
    within without including like onto upon amid""".split()
)

_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# "at 9", "until 5", "opens 10": a bare number after these, counting nothing, is an hour.
_CLOCK_HOUR_BEFORE = re.compile(r"\b(?:at|until|till|before|after|opens?|closes?|from)\s+$", re.I)
# "compared with 95", "up from 197": a count compared with the one before counts the same thing.
COMPARED_WITH = r"compared (?:with|to)|than|up from|down from|versus|vs\.?"  # words before what is compared with
_COMPARED_BEFORE = re.compile(rf"\b(?:{COMPARED_WITH})\s+$", re.I)
# The label right before a count, back to the line's, sentence's or bracket's start: "Members: 120".
_COUNT_LABEL = re.compile(r"([^\n(;|.:]{1,60}):\s*$")
# "... from Stage 1", "Court no. 2", "for Stages 1 and 2": a capitalised word's number is a label.
_LABEL_BEFORE = re.compile(r"\S\s+[A-Z][\w'\u2019-]*\s*(?:no\.?|#)?\s*(?:\d+\s*(?:,|and|or|to|&|-|\u2013)\s*)*$")


@lru_cache(maxsize=4096)
def count_nouns(sentence: str) -> tuple[tuple[str, ...], ...]:
    """The words each count of a sentence counts, one tuple per count, up to COUNT_WORDS words to
    the next stop word ("of" and one more word kept: "members of staff"): "The Trust employs 64 staff across ..." ->
    (("staff",),); "Children progress through seven stages, from Stage 1 (...) to Stage 7 (200
    metres ...)" -> (("stages",), ("metres",)) (a capitalised word's number is a label, a year no
    count); a count followed by no word has its label's words ("Cars carried: 21,475" -> (("cars",
    "carried"),)), or none ("The hall seats 300." -> ((),))."""
    text = undated(without_contacts(sentence))
    out = []
    for m in _COUNT.finditer(text):
        if _YEAR.fullmatch(m.group(1)) or _LABEL_BEFORE.search(text[: m.start()]):
            continue
        said: list[str] = []
        for w in re.findall(r"[^\W\d_][\w'\u2019-]*|\S", text[m.end() :])[: COUNT_WORDS + 3]:
            low = w.lower()
            if low in _SCALE_WORDS and not said:
                continue
            if (
                not w[0].isalpha()
                or (low in STOPWORDS and low != "of")
                or low in _COUNT_BREAK
                or _COUNT.fullmatch(w)
                or len(said) == COUNT_WORDS + ("of" in said)
            ):
                break
            said.append(low)
        while said and said[-1] == "of":
            said.pop()
        if not said and _CLOCK_HOUR_BEFORE.search(text[: m.start()]) and m.group(1).isdigit() and int(m.group(1)) <= 24:
            continue  # "opens at 9 for blood tests": an hour, not a count
        if not said and out and _COMPARED_BEFORE.search(text[: m.start()]):
            said = list(out[-1])  # "120 volunteers, compared with 95 in 2024": 95 volunteers
        if not said:  # "Cars carried on the Port Ardle route: 21,475": the label says what is counted
            label = _COUNT_LABEL.search(text[: m.start()])
            said = (
                [w.lower() for w in re.findall(r"[^\W\d_][\w'\u2019-]*", label.group(1)) if w.lower() not in STOPWORDS]
                if label
                else []
            )
        out.append(tuple(said))
    return tuple(out)


# A sentence that opens with a pronoun ("It is a fishing village.") leans on the one before.
PRONOUN_START = re.compile(r"^\W*(it|its|this|these|those)\b", re.I)


def leans_back(pattern: re.Pattern, text: str) -> bool:
    """Whether `text` opens with one of `pattern`'s pronouns. "IT support is run by Tomasz" and
    "THIS Act ..." open with an acronym or a name: a pronoun in capitals counts only where the
    words after it are in capitals too (a heading or a shouted line)."""
    m = pattern.match(text)
    if m is None:
        return False
    word, after = m.group(1), text[m.end() : m.end() + 40]
    return not (len(word) > 1 and word.isupper() and any(c.islower() for c in after))
