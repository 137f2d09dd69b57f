"""Which language a question or a passage is written in, so that a non-English one gets an honest
statement instead of an invented reason to refuse.

What it does: `detect(text)` returns an ISO 639-1 code. Plain ASCII text with a fair share of
English function words is English without further ado (the common case costs nothing);
anything else goes to py3langid (Lui & Baldwin 2012, "langid.py: an off-the-shelf language
identification tool": a naive Bayes model over byte n-grams, 4.5 MB, offline), loaded on first
use only, restricted to widely written languages so that a short English question full of
names is not read as Xhosa. `is_cjk(text)` says whether a text is mostly Chinese, Japanese or
Korean characters, and `fragment(text)` whether a unit is too short to state anything, counted
in its script (words, or CJK characters). `notice(code)` is the sentence said to the user.

`detect_question(text)` is `detect` for a question that may be
a few keywords ("Öffnungszeiten Sauna?", "Horaires piscine ?") that `detect` has too few words
to judge: it is then another language when nearly all its words, names included, are unknown to
the English model's own whole-word vocabulary (the 30k word pieces of all-MiniLM-L6-v2's
bert-base-uncased tokenizer, which hold English words, common names and loanwords) and
py3langid is sure of one other language. Two signals, both data: a German compound or a French
noun is no English word piece; "Müller", "Zoë", "Doppelgänger" among English words are either
known pieces or a minority. A question `detect` reads as another language keeps that verdict,
and one with MIN_WORDS words or more besides names stays English. Its verdict only words a refusal
(rag.answer.in_question_language) and keeps the typo corrector off a question: it never drops
an answer, since English dish names and jargon read as keywords too ("Panna cotta?": it,
"Metformin contraindications?": fr); a question's own language (`Question.language`) is `detect`'s.

What it deliberately doesn't: translate, or answer across languages: the default embedder
(all-MiniLM-L6-v2), the Snowball stemmer and the punkt sentence splitter read English. Nor tell
the language of a one-word question ("Zeitgeist?"), of a keyword pair with an English loanword
("Precio parking?": half its words are English), or of one py3langid is unsure of ("Parkplatz
Kosten?": de 0.25, "Tarifs piscine ?": fr 0.26): those are read as English. A query of foreign
names only ("Kowalczyk Wójcik") is read as their language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .text import STOPWORDS

# Widely written languages: a question in one of them is told apart from English reliably.
LANGUAGES = (
    "en de fr es it pt nl sv da no fi pl cs sk sl hr sr hu ro bg ru uk el tr ar he fa hi bn ur "
    "zh ja ko vi th id ms ca eu gl et lv lt"
).split()
NAMES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech",
    "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "sr": "Serbian", "hu": "Hungarian", "ro": "Romanian",
    "bg": "Bulgarian", "ru": "Russian", "uk": "Ukrainian", "el": "Greek", "tr": "Turkish", "ar": "Arabic",
    "he": "Hebrew", "fa": "Persian", "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "th": "Thai", "id": "Indonesian", "ms": "Malay",
    "ca": "Catalan", "eu": "Basque", "gl": "Galician", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian",
    "en": "English",
}  # fmt: skip
_WORDS = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
ENGLISH_SHARE = 0.3  # function words among the words of an English question, at least
# A question in Latin letters is another language only when its common words (names left out)
# are at least this many and the model is at least this sure; other scripts say it themselves.
MIN_WORDS = 3
MIN_CONFIDENCE = 0.4
# A keyword question ("Öffnungszeiten Sauna?") is too short for that, and its nouns are capitalised
# like names; it is another language only when at least this share of its words are no whole
# word of the English model's vocabulary (see `detect_question`).
MIN_UNKNOWN_SHARE = 0.75
# Latin-script words at least this share of which the English model knows whole are English
# unless the model is at least SURE of another language.
ENGLISH_WORDS_SHARE = 0.75
SURE = 0.7
SHORT_WORDS = 6
# The words an English question opens with: an auxiliary or a question word.
_ENGLISH_OPENERS = frozenset(
    "do does did is are was were can could will would should shall may might must has have had "
    "what when where who whom whose which why how".split()
)


@lru_cache(maxsize=1)
def wordpieces() -> frozenset[str]:
    """The English embedder's whole-word vocabulary (30k word pieces of bert-base-uncased,
    all-MiniLM-L6-v2's tokenizer): the words, names and loanwords of English text, lower-case
    and without accents ("café" is "cafe", "Müller" is "muller")."""
    from .embed_onnx import _tokenizer

    return frozenset(w for w in _tokenizer().get_vocab() if w.isalpha())


def _english_word(word: str) -> bool:
    """True when the English model knows `word` whole, read as its tokenizer reads it."""
    bare = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in bare if unicodedata.category(c) != "Mn") in wordpieces()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LANGUAGES)
    return ident


def looks_english(text: str) -> bool:
    """True when a fair share of the text's words are English function words (no model needed)."""
    words = _WORDS.findall(text)
    return bool(words) and sum(w.lower() in STOPWORDS for w in words) / len(words) >= ENGLISH_SHARE


def is_cjk(text: str) -> bool:
    """True when most letters of the text are Chinese, Japanese or Korean characters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) > len(letters) / 2


def fragment(text: str) -> bool:
    """True for a unit too short to state anything on its own: fewer than four words (a CJK
    sentence, written without spaces: fewer than six characters). A piece of minified text or
    a long token run ('"limits":{"max_body_mb":25,...') has no spaces but many words: it is
    not a fragment."""
    if is_cjk(text):
        return len(text.strip()) < 6
    return len(text.split()) < 4 and len(re.findall(r"\w+", text)) < 8


def _common_words(text: str) -> list[str]:
    """The words that tell a language: names (capitalised after the first word) say nothing,
    "Zoë Müller" or "Café Rivière" in an English question least of all."""
    words = _WORDS.findall(text)
    # A question typed in capitals throughout ("WAS FRISST DER GRASKARPFEN?") shows no names
    # by its case: every word tells.
    long_words = [w for w in words if len(w) > 1]
    if len(long_words) >= MIN_WORDS and all(w.isupper() for w in long_words):
        return [w.lower() for w in words]
    return words[:1] + [w for w in words[1:] if not w[0].isupper()]


@lru_cache(maxsize=4096)
def detect(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" when unsure (too short, no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters or looks_english(text):
        return "en"
    # A question that also says itself in English ("כמה מרוויחים ...؟ How much do ... earn?")
    # is read in English: its English words carry it.
    words = _WORDS.findall(text)
    ascii_words = [w for w in words if w.isascii()]
    if MIN_WORDS < len(ascii_words) < len(words) and detect(" ".join(ascii_words)) == "en":
        return "en"
    if is_cjk(text):
        kana = sum("\u3040" <= c <= "\u30ff" for c in letters)
        hangul = sum("\uac00" <= c <= "\ud7af" for c in letters)
        return "ja" if kana else "ko" if hangul else "zh"
    latin = sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) > len(letters) / 2
    words = _common_words(text)
    if latin and len(words) < MIN_WORDS:
        return "en"  # "Ablyazov's nephew?", "SQLite VACUUM command": too little to tell
    code, prob = _identifier().classify(" ".join(words))
    if code == "en" or (latin and prob < MIN_CONFIDENCE):
        return "en"
    # A short question opening as English ones do, of English words, that the model is unsure of
    # ("Do guest passes expire?": fr 0.52) is English; "Was kostet ein Ticket?" (de 0.72) and "Le
    # chat est sur la table ?" (fr 0.99) are sure enough, "Hay clases de yoga?" (es 0.55) opens
    # with no English word of a question.
    if (
        latin
        and prob < SURE
        and len(words) <= SHORT_WORDS
        and words[0].lower() in _ENGLISH_OPENERS
        and _english_share(words) >= ENGLISH_WORDS_SHARE
    ):
        return "en"
    return code


def _english_share(words: list[str]) -> float:
    """The share of `words` (of two letters or more) the English model knows whole."""
    longer = [w for w in words if len(w) > 1]
    return sum(map(_english_word, longer)) / len(longer) if longer else 0.0


@lru_cache(maxsize=4096)
def detect_question(text: str) -> str:
    """`detect` for a question, which may be a few keywords: "Öffnungszeiten Sauna?", "Horaires
    piscine ?", "Openingstijden zwembad?". `detect` reads those as English (fewer than MIN_WORDS
    words that are no name); a question is then another language when nearly all its words
    (MIN_UNKNOWN_SHARE, names included) are no whole word of the English model's vocabulary and
    py3langid, reading all of them, gives one other language MIN_CONFIDENCE. An English keyword
    question has English words ("Sauna hours?", "SQLite VACUUM command"), a foreign name among
    English ones ("Café Zoë opening times?") is a known word or a minority, and a lone word
    ("Zeitgeist?") is too little to tell."""
    code = detect(text)
    if code != "en" or looks_english(text):
        return code
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) <= len(letters) / 2:
        return code  # other scripts say their language in `detect` already
    words = [w for w in _WORDS.findall(text) if len(w) > 1]
    # Only where `detect` had too few words to ask the model: a longer question it read as
    # English stays English.
    if len(words) < 2 or len(_common_words(text)) >= MIN_WORDS:
        return code
    if 1 - _english_share(words) < MIN_UNKNOWN_SHARE:
        return code
    # As written (German nouns are capitalised: "Sind Hunde erlaubt?" is de 0.41 so, da 0.52 in
    # lower case), unless typed in capitals throughout.
    said = " ".join(words)
    found, prob = _identifier().classify(said.lower() if said.isupper() else said)
    return found if found != "en" and prob >= MIN_CONFIDENCE else code


# A short text the identifier is unsure of may be in the question's language when it gives that
# language at least this probability ("Читатели берут до пяти книг.": bg 0.49, ru 0.29).
MIN_AGREEMENT = 0.2


def identify(text: str, sample: int = 5000) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of a text's language among LANGUAGES, read from its first
    `sample` characters' common words (names left out); None when they are fewer than MIN_WORDS
    or the model gives no language MIN_CONFIDENCE. Unlike `detect`, English is no default."""
    words = _common_words(text[:sample])
    if len(words) < MIN_WORDS:
        return None
    code, prob = _identifier().classify(" ".join(words))
    return (code, prob) if prob >= MIN_CONFIDENCE else None


def agrees(text: str, code: str) -> bool:
    """True when `text` is in language `code`, or may well be: its detected language, or one the
    identifier gives at least MIN_AGREEMENT (closely related languages of one script, such as
    Russian and Bulgarian, are told apart unreliably on a sentence)."""
    if detect(text) == code:
        return True
    if code == "en" or not any(c.isalpha() for c in text):
        return False
    return dict(_identifier().rank(text)).get(code, 0.0) >= MIN_AGREEMENT


def name(code: str) -> str:
    return NAMES.get(code, code)


def notice(question_lang: str, documents_langs: list[str], sources: list[str] = ()) -> str:
    """What a refused question in another language (or on documents in another language) is
    told, instead of "the documents don't say" with an invented reason. `documents_langs`:
    the languages of the passages retrieved; `sources`: the files of those in the question's
    language, named so the reader can look there. Such a passage may well answer it ("Wann gibt
    es Abendessen?": "Das Abendessen wird um 18:30 Uhr serviert."), only too weakly matched to
    quote: the notice says it cannot tell, never that none answers."""
    model = "the default model (all-MiniLM-L6-v2) reads English only"
    if question_lang != "en":
        said = f"This question looks {name(question_lang)} ({question_lang}) and {model}"
        others = [name(c) for c in documents_langs if c != question_lang]
        if question_lang in documents_langs:
            said += f", so it cannot tell whether the passages in {name(question_lang)} found answer it"
            if sources:
                said += f" (see {', '.join(dict.fromkeys(sources))})"
            if others:
                said += f", and passages in {' and '.join(others)} cannot be matched with it"
        else:
            said += f", so passages in {' and '.join(others) or 'English'} cannot be matched with it"
        return said + ". Please ask in the documents' language, in English if you can."
    langs = " and ".join(f"{name(c)} ({c})" for c in documents_langs if c != "en")
    return f"No answer found. The passages found are in {langs} and {model}, so an answer there may be missed."
