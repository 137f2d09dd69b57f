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
_IRREGULAR = dict(
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


def fold(term: str) -> str:
    """Collapse transliteration variants of one word (applied after stemming)."""
    if term.isdigit():
        return term
    term = term.replace("ou", "u").replace("y", "i")
    return _DOUBLE.sub(r"\1", term)


@lru_cache(maxsize=65536)
def _normal(word: str) -> str:
    return fold(_stemmer.stemWord(_IRREGULAR.get(word, word)))


def words(text: str) -> list[str]:
    """Lower-cased, accent-free words and numbers, in order, stop words kept."""
    text = unicodedata.normalize("NFKD", text)
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


def terms(text: str) -> list[str]:
    """Content terms for matching: stop words out, stemmed and folded."""
    return [_normal(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


# A run of capitalised words, not the text's first word; "of" may join two ("Democratic
# Choice of Kazakhstan") and a possessive ends one ("Kazakhstan's GDP" is two names).
_NAME_RUN = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w-]*(?:\s+(?:of\s+)?[A-Z][\w-]*)*")


def name_phrases(text: str) -> list[str]:
    """The names a (short) text such as a question mentions, as written, in order."""
    return [m.group() for m in _NAME_RUN.finditer(text.strip())]


def numbers(text: str) -> set[str]:
    """The numbers a text states, normalised like terms() does."""
    return {w for w in words(text) if w[0].isdigit()}
