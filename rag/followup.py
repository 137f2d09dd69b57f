"""Resolve a follow-up question against the chat history, without an LLM.

What it does: when a question leans on earlier turns (a pronoun such as "he" or "there",
an opener such as "and" / "what about", or too few content words to stand alone), the
names and content words of the most recent earlier question are appended to the text
retrieval searches for: "Where does he live now?" after "Who is Mukhtar Ablyazov?"
searches for "Where does he live now? Mukhtar Ablyazov". A question that stands on its
own is searched as it is.

A chain of follow-ups ("How much is a kayak per day?", "And for a canoe?", "What about per
hour?") is resolved turn by turn: each earlier follow-up is read as it was resolved, so the
last one changes "per day" of "How much is for a canoe per day?", not the kayak question.

What it deliberately doesn't: rewrite the question the user sees, or guess whom a
pronoun means beyond the last turn that named someone. With an LLM configured, a
condense step would do better; this is the offline method.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .question import (
    ADJUNCT_PREPOSITIONS,
    CALENDAR,
    CONDITION_PREPOSITIONS,
    MONTHS,
    ORDINALS,
    Question,
    is_participle,
    parse,
    word_classes,
)
from .text import STOPWORDS, name_phrases, name_runs, terms, words

OWN_WORDS = 2  # content words a follow-up needs to say for itself what it asks

_ANAPHORA = re.compile(
    r"\b(he|him|his|she|her|hers|they|them|their|it|its|there|that|this|those|these|the same)\b", re.I
)
_OPENER = re.compile(r"^\s*(and|also|what about|how about|but|so|then)\b", re.I)
_QUESTION_WORDS = {
    "who",
    "what",
    "when",
    "where",
    "why",
    "how",
    "which",
    "whom",
    "whose",
    "is",
    "are",
    "do",
    "does",
    "did",
}


def _content_words(text: str) -> list[str]:
    """Surface words worth carrying: names first (capitalised), then other content words."""
    names, others = [], []
    for m in re.finditer(r"[^\W\d_][\w'\u2019-]*|\d[\d,.]*", text):
        w = m.group()
        low = w.lower()
        if low in STOPWORDS or low in _QUESTION_WORDS or len(low) < 3:
            continue
        (names if w[0].isupper() else others).append(w)
    seen, out = set(), []
    for w in names + others:
        if w.lower() not in seen:
            seen.add(w.lower())
            out.append(w)
    return out


_IT = re.compile(r"\b(?:it|its)\b", re.I)
_DO = frozenset(("do", "does", "did"))
# An auxiliary before the subject: "do", or a modal ("How many books can adult members borrow?").
_AUX = _DO | frozenset(("can", "could", "may", "might", "must", "shall", "should", "will", "would"))
_DO_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(_AUX))})\s+(?:the|a|an)\s+$", re.I)
_ARTICLE_PHRASE = re.compile(r"\b(?:the|a|an)\s+((?:[^\W\d_][\w'\u2019-]*\s*){1,3})", re.I)
_OF_ARTICLE_PHRASE = re.compile(r"\bof\s+(?:the|a|an)\s+((?:[^\W\d_][\w'\u2019-]*\s*){1,3})", re.I)


def _after_article(question: str) -> list[str]:
    """The content words of the question's first phrase opened by an article, up to three words
    and the next stop word: "How big is the main hall?" -> ["main", "hall"]; the one after "of"
    when there is one ("What is the monthly price of the premium plan?" -> ["premium", "plan"]:
    an attribute's owner is what the question is about)."""
    m = _OF_ARTICLE_PHRASE.search(question) or _ARTICLE_PHRASE.search(question)
    if not m:
        return []
    out = []
    for w in m.group(1).split():
        if w.lower() in STOPWORDS or w.lower() in _QUESTION_WORDS:
            break
        out.append(w)
    # After "does the", the question's main verb follows its subject: "How many people does the
    # small room hold?" is about the small room, "What time does the pottery class start?" the class.
    if len(out) > 1 and _DO_BEFORE.search(question[: m.start(1)]) and "VERB" in word_classes(out[-1].lower()):
        out.pop()
    return out


def opens_follow_up(question: str) -> bool:
    """True when the question opens as a follow-up does ("What about ...?", "And ...?")."""
    return bool(_OPENER.search(question))


def restated(question: Question, history: list[str] | None, query: str) -> Question:
    """The question to answer: `query` (`resolve`'s, or a model's condensed question) parsed,
    when it is the earlier question asked again about what a "What about X?" or "And X?"
    follow-up names and asks the price of it, or a sum of money ("How much is dog to Marrow Island?" for "What
    about a dog?", after "How much is a single adult ticket to Marrow Island?"): then it, not the
    follow-up's words alone, says that an amount is asked for and of what (a dog, so a bicycle's
    fare is another item's: rag.rivals). Else `question` itself: "What about the pool?" after
    "How long will the work take?" asks what happens to the pool, not how long it takes. Either
    way its `item` is X without its preposition and article ("dog"; "in April" is kept whole)."""
    text = question.text
    x = _about(text) if history else None
    if x is None:
        return question
    # A time or a place ("in April", "per person") stays a phrase: no thing is named (rag.answer).
    item = x if x.split()[0].lower() in CONDITION_PREPOSITIONS else _item(x)
    if query == text or query.startswith(text):
        return replace(question, item=item)
    again = parse(query)
    restates = again.priced or again.kind == "money"
    return replace(again, pasted=question.pasted, item=item) if restates else replace(question, item=item)


def needs_context(question: str) -> bool:
    content = [w for w in words(question) if w not in STOPWORDS and w not in _QUESTION_WORDS]
    return bool(_ANAPHORA.search(question) or opens_follow_up(question) or len(content) < 2)


# Only pronouns for people are replaced by a name: "it" or "there" may mean the topic.
_PRONOUN = re.compile(r"\b(he|she|him|his|they|them|their)\b", re.I)
_POSSESSIVE = {"his", "their"}


# "What about X?", "How about X?", "And for X?", "And X?": the same question again, about X.
_ABOUT = re.compile(r"^\W*(?:and\s+|but\s+)?(?:what|how)\s+about\s+(?P<x>.+?)[\s?.!]*$", re.I)
_AND = re.compile(r"^\W*and\s+(?:(?P<prep>for|with|in|on|at|of|per|by)\s+)?(?P<x>.+?)[\s?.!]*$", re.I)
# Prepositions open the phrases a follow-up swaps ("for a kayak" -> "for a canoe", "per day" ->
# "per hour"): grammar's closed class, the same for any topic.
_PREPOSITIONS = frozenset(
    "for with in on at of per by from to during before after within without under over about".split()
)
_FRAME = {"much", "many", "long", "often", "far", "old", "a", "an", "the", "is", "are", "was", "were", "do", "does"}
_FRAME |= _QUESTION_WORDS
# The verbs a "do" question most often ends with ("How much does X cost?", "When does X open?",
# "How long does X take?"): after the subject, the last word is the verb only when it is one of
# these or the subject is one word ("Do they take cards?" ends with its object, not its verb).
_FINAL_VERBS = frozenset(
    "cost costs take open close start begin finish end leave arrive last run cover mean apply work happen".split()
)


# What a "be" question says of its subject at its end ("When is the swimming pool open in
# winter?"): a state, kept after a new subject ("When is the gym open in winter?").
_PREDICATES = frozenset(
    "open closed shut available free busy due valid allowed included needed required welcome made".split()
)
_BE = frozenset(("is", "are", "was", "were"))


def _predicate(word: str) -> bool:
    """A word a "be" question ends with that says something of its subject: one of _PREDICATES,
    or, in lemminflect's lemma tables, no noun but an adjective ("refundable") or a verb's past
    participle ("heated", "made"). Not "timetable", "convertible" or "hundred": nouns too."""
    w = word.lower()
    if w in _PREDICATES:
        return True
    lemmas = word_classes(w)
    if "NOUN" in lemmas:
        return False
    return "ADJ" in lemmas or is_participle(w)


def _ends_with_verb(span: list[str]) -> bool:
    """True when a "do" question's words after the auxiliary are a subject and its verb: two
    words ("microchipping cost"), or a longer subject before one of _FINAL_VERBS ("the ferry
    crossing take"); never a capitalised last word (a name: "leave Oban")."""
    said = [t for t in span if t.lower() not in _ARTICLES]
    if len(said) < 2 or said[-1][:1].isupper():
        return False
    return len(said) == 2 or said[-1].lower() in _FINAL_VERBS or _only_verb(said[-1])


def _swap_object(x: str, tokens: list[str], at: int, length: int) -> str:
    """The question with the object of its verb phrase tokens[at:at + length] replaced by `x`,
    its article too ("Do I need a visa?", "Do we get free parking?" after "... a discount?")."""
    obj = _object_start(tokens, at, at + length)
    if tokens[obj - 1].lower() in _ARTICLES:
        obj -= 1
    return " ".join([*tokens[:obj], x, *tokens[at + length :]]) + "?"


def _verb_at(tokens: list[str], start: int, end: int) -> int | None:
    """Where the main verb of a "do" question stands: the first word from `start` on that
    lemminflect knows as a verb's base form and either not as a noun ("have") or with an article
    or the clause's end after it ("need" in "Do dogs need a lead?", "meet" in "Does the swim club
    meet on Sundays?", not "swim" or "club"), else None."""
    for i in range(start, end):
        w = tokens[i].lower()
        follows = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        lemmas = word_classes(w)
        if w in lemmas.get("VERB", ()) and ("NOUN" not in lemmas or i + 1 == end or follows in _ARTICLES):
            return i
    return None


def _only_verb(word: str) -> bool:
    """A verb's base form that lemminflect's tables list as no noun ("include", "require",
    "provide"; not "lead" or "cover", which a "do" question may end with as its object)."""
    lemmas = word_classes(word.lower())
    return "NOUN" not in lemmas and word.lower() in lemmas.get("VERB", ())


_ARTICLES = frozenset(("a", "an", "the"))
# An owner's mark ("the manager's"), and the contractions that end like one ("What's", "it's").
_OWNED = re.compile(r"['\u2019]s$")
_CONTRACTIONS = frozenset(
    f"{w}{a}s" for w in "what who where when how it that there here he she let".split() for a in "'\u2019"
)
# A subject that names nothing: a follow-up's phrase cannot take its place.
_PRONOUNS = frozenset(("it", "i", "we", "you", "they", "he", "she", "this", "that", ""))
_PERSONS = frozenset(("i", "we", "you", "they", "he", "she"))  # who does what a "do" question asks
_DETERMINERS = frozenset("his her its their my your our".split())  # "And her email?" names no owner


def _item(x: str) -> str:
    """X of "what about X?" without its preposition and article: "for a canoe" -> "canoe"."""
    said = x.split()
    if said and said[0].lower() in _PREPOSITIONS:
        said = said[1:]
    if len(said) > 1 and said[0].lower() in _ARTICLES:
        said = said[1:]
    return " ".join(said)


def _about(question: str) -> str | None:
    """X of "what about X?" (or of a short "and X?", with its preposition: "for a canoe"), else None."""
    m = _ABOUT.match(question)
    if m:
        return m.group("x")
    m = _AND.match(question)
    if m and len(m.group("x").split()) <= 4 and not any(w in _QUESTION_WORDS for w in words(m.group("x"))):
        return f"{m.group('prep')} {m.group('x')}" if m.group("prep") else m.group("x")
    return None


def _phrases(tokens: list[str], start: int) -> list[tuple[int, int]]:
    """(start, end) token ranges of the prepositional phrases from `start` on: each runs from a
    preposition to the next one or the end."""
    at = [i for i in range(start, len(tokens)) if tokens[i].lower() in _PREPOSITIONS]
    return [(a, b) for a, b in zip(at, [*at[1:], len(tokens)])]


# Days and months (and "weekdays", "weekends", "holidays"): when something happens, a phrase of
# its own in a question ("on weekdays"), never what the question is about.
_SEASONS = frozenset({"spring", "summer", "autumn", "winter"})  # "in winter" is a time, as "on Sundays" is
_WHEN_WORDS = CALENDAR | _SEASONS | {"weekday", "weekend", "holiday"}


def _is_when(tokens: list[str]) -> bool:
    """Every word a day, a month or a season, plural or not ("Sundays", "May", "weekends", "winter")."""
    bare = [_plain(t) for t in tokens]
    return bool(bare) and all(t in _WHEN_WORDS or (t.endswith("s") and t[:-1] in _WHEN_WORDS) for t in bare)


def _plain(token: str) -> str:
    return token.lower().strip(",.?!")


def _time_phrase(tokens: list[str]) -> bool:
    """A phrase's words name a day or a month, or end with a season: "on weekdays", "in winter";
    not "of the winter coat" (a season before a noun says which coat)."""
    last = len(tokens) - 1
    return any(_is_when([t]) and (i == last or _plain(t).rstrip("s") not in _SEASONS) for i, t in enumerate(tokens))


def _swap(x: str, previous: str, names_subject=None, closeness=None) -> str | None:
    """The earlier question asked again about `x`: an `x` opened by a preposition the earlier
    question has replaces that phrase ("for a canoe" -> "What is the deposit for a canoe?"); a
    name replaces the earlier question's name ("How much is a tyre change for the Orion?");
    anything else replaces what was asked about, keeping the question's frame, its
    prepositional phrases and its names ("How much is service for the Vega Estate?"), or, given
    `closeness`, the object of the phrase it is clearly nearer in meaning to (`_like_object`).
    A name typed in lower case ("and the orion?") is known by `names_subject(x)` (the corpus's
    titles). The earlier question's grammar is kept: after an opening "do" its main verb stays
    (`_ends_with_verb`: "How much does nail clip cost?"); "one" stands for the noun asked about
    or the aligned phrase's object; a phrase of time or place, or any phrase after a question
    about "it", is added as a condition ("... open in the evening?")."""
    prep = x.split()[0].lower() if x.split()[0].lower() in _PREPOSITIONS else None
    bare = _item(x)
    old_names = name_phrases(previous)
    tokens = previous.rstrip("?.! ").split()
    n = next((i for i, w in enumerate(tokens) if w.lower() not in _FRAME), len(tokens))
    if n == 1 and tokens[0].lower() == "who" and len(tokens) > 2 and tokens[1].lower() != "else":
        # "Who teaches the yoga class?": the word after "who" is its verb, part of the frame.
        n = next((i for i in range(2, len(tokens)) if tokens[i].lower() not in _FRAME), len(tokens))
    phrases = _phrases(tokens, n)
    # With "do" ("How much does microchipping cost?", "What time does the pool open on Sundays?")
    # what was asked about runs from the auxiliary to the main verb, which stays ("How much does
    # a nail clip cost?"): English puts the subject between them.
    end = phrases[0][0] if phrases else len(tokens)
    # An opening "do" or modal; not a modal after "who", its subject ("Who can use the pool?").
    aux = next(
        (
            i
            for i in range(min(end, n + 2))
            if tokens[i].lower() in _DO or (tokens[i].lower() in _AUX and not (i and tokens[i - 1].lower() == "who"))
        ),
        None,
    )
    verb = []
    if aux is not None and _ends_with_verb(tokens[aux + 1 : end]):
        n, verb = aux + 1, tokens[end - 1 : end]
        phrases = _phrases(tokens, n)
    elif aux is not None and aux + 2 < end and tokens[aux + 1].lower() in _PRONOUNS:
        # "Do you take cards?": after a pronoun comes the verb; what is asked about is its object.
        n, verb = aux + 1, tokens[aux + 2 : end]
    elif aux is not None and (at := _verb_at(tokens, aux + 2, end)):
        # "Do dogs need a lead?": the verb and its object stay ("Do cats need a lead?").
        n, verb = aux + 1, tokens[at:end]
        phrases = _phrases(tokens, n)
    elif aux is None and any(t.lower() in _BE for t in tokens[:n]) and end - n >= 2 and _predicate(tokens[end - 1]):
        verb = tokens[end - 1 : end]
    stop = (phrases[0][0] if phrases else len(tokens)) - len(verb)  # what was asked about ends here
    subject = _bare(tokens[n:stop])
    said = bare.lower().split()
    aligned = prep and any(tokens[a].lower() == prep for a, _ in phrases)
    if len(said) > 1 and said[-1] in ("one", "ones"):
        # "And an extended one?" after "How much is a standard consultation?": "one" stands for
        # the noun asked about ("an extended consultation"), or for the object of the phrase
        # the same preposition opens ("for a big one" after "... for a night?": a big night).
        if aligned:
            a, b = [(a, b) for a, b in phrases if tokens[a].lower() == prep][-1]
            noun = _bare(tokens[_object_start(tokens, a, b) : b])
        else:
            noun = "" if subject.lower() in _PRONOUNS else subject
        if noun:
            bare = f"{bare.rsplit(None, 1)[0]} {noun.split()[-1]}"
            x = f"{x.rsplit(None, 1)[0]} {noun.split()[-1]}"
    if _is_when(bare.split()):
        # "What about Sundays?" after "When does the café open on weekdays?": the day takes the
        # place of the earlier question's day phrase, or is added to a question that had none
        # ("Is the café open on Sundays?"); what was asked about stays.
        said = f"{prep or ('in' if bare.lower().rstrip('s') in MONTHS | _SEASONS else 'on')} {bare}"
        days = [(a, b) for a, b in phrases if _time_phrase(tokens[a + 1 : b])]
        if days:
            a, b = days[-1]
            return " ".join([*tokens[:a], said, *tokens[b:]]) + "?"
        return " ".join([*tokens, said]) + "?"
    # A day or a month ("on Saturdays") is capitalised but names no subject to swap for.
    capitalised = any(w[0].isupper() and w.lower().rstrip("s") not in CALENDAR for w in bare.split())
    named = capitalised or bool(names_subject and names_subject(bare))
    if named and old_names and not aligned:
        # "And the York office?" after "When does the Leeds office open?": the new name
        # replaces the old, and a word it repeats from what followed ("office") is said once.
        # A name typed in lower case is written as one, so a later turn still finds it a name.
        swapped = previous.replace(max(old_names, key=len), bare if capitalised else bare.title(), 1)
        return re.sub(r"\b(\w+\.?)(?:\s+\1(?!\w))+", r"\1", swapped, flags=re.I)  # "Dr. Dr. Novak" too
    if aligned:
        # "And for a canoe?" after "What is the deposit for a kayak?": the phrase the same
        # preposition opens is the one replaced ("... for a canoe?").
        a, b = [(a, b) for a, b in phrases if tokens[a].lower() == prep][-1]
        return " ".join([*tokens[:a], x, *tokens[b:]]) + "?"
    if prep and (subject.lower() in _PRONOUNS or prep in ADJUNCT_PREPOSITIONS):
        # "What about for medical reasons?" after "How much does it cost to freeze a membership?"
        # (nothing named was asked about), "What about in the evening?" after "What time does
        # the pool open?" (a time or a place): the phrase adds a condition to the question.
        return " ".join([*tokens, x]) + "?"
    if prep:
        return _add_phrase(x, bare, tokens, n, stop, closeness)
    if verb and len(verb) > 1:
        # A "do" question's verb with its object: after a person ("Do you take cards?", "Do I
        # need a passport?") the item is what the object was ("And cheques?", "And a visa?"),
        # or a phrase's object ("Do you offer discounts for students?" / "And pensioners?");
        # after a thing, the object when the item is nearer to it in meaning than to the
        # subject ("Does the hotel have a pool?" / "And a gym?"), else the subject.
        obj = _bare(tokens[_object_start(tokens, stop, stop + len(verb)) : stop + len(verb)])
        if subject.lower() in _PERSONS:
            if closeness is not None and phrases:
                swapped = _like_object(x, bare, tokens, obj, phrases, closeness, margin=0.0)
                if swapped:
                    return swapped
            return _swap_object(x, tokens, stop, len(verb))
        if subject.lower() not in _PRONOUNS and closeness is not None:
            near = closeness(bare, [subject, obj])
            if near[1] > near[0]:
                return _swap_object(x, tokens, stop, len(verb))
    swapped = _swap_owner(bare, tokens, n, stop, closeness)
    if swapped:
        return swapped
    while n and tokens[n - 1].lower() in _ARTICLES:
        n -= 1
    if closeness is not None and not prep and phrases:
        swapped = _like_object(x, bare, tokens, subject, phrases, closeness)
        if swapped:
            return swapped
    frame = " ".join(tokens[:n])
    # What was asked about goes; the phrases that say of what or of whom it was asked stay
    # ("per day" in "How much is a kayak per day?", "for the Vega Estate"), with the names.
    kept = [" ".join(tokens[a:b]) for a, b in phrases if not prep or tokens[a].lower() != prep]
    rest = " ".join(kept)
    # A day the follow-up names takes the old day's place ("the Tuesday class" after "the Monday
    # yoga class"): the old one is no name to keep.
    days = any(w.lower().rstrip("s") in CALENDAR for w in bare.split())
    said_again = f"{' '.join(verb)} {rest}"
    # A name that was all that was asked about goes with it ("And ear syringing?" after "How
    # much does an ECG cost?").
    names = " ".join(
        nm
        for nm in old_names
        if nm not in said_again and nm != subject and not (days and nm.lower().rstrip("s") in CALENDAR)
    )
    return " ".join(part for part in (frame, x if prep else bare, *verb, rest, names) if part) + "?"


def _swap_owner(bare: str, tokens: list[str], n: int, stop: int, closeness) -> str | None:
    """The earlier question (what it asked about at tokens[n:stop]) with its owner or what is
    owned replaced by `bare`, when what it asked about has an owner: "And the landlord?" after
    "What is the manager's phone number?" asks "the landlord's phone number", "And the fax
    number?" "the manager's fax number", whichever the item is clearly nearer in meaning to
    (SLOT_MARGIN; the owner without the model). A name is an owner, without an article
    ("Maria's phone number"); a contraction owns nothing ("What's"), and a possessive item
    ("And her email?") is left to the rules after. None when no rule applies."""
    owner = next(
        (i for i in range(n, stop - 1) if _OWNED.search(tokens[i]) and tokens[i].lower() not in _CONTRACTIONS), None
    )
    if owner is None or bare.split()[0].lower() in _DETERMINERS:
        return None
    near = closeness(bare, [_bare(tokens[n : owner + 1])[:-2], _bare(tokens[owner + 1 : stop])]) if closeness else None
    if near is None or bare[:1].isupper() or near[0] >= near[1] + SLOT_MARGIN:
        # the words before the owner's phrase stay ("What's the", "What is the")
        frame = tokens[: max((i + 1 for i in range(owner) if tokens[i].lower() in _ARTICLES), default=n)]
        if bare[:1].isupper() and frame and frame[-1].lower() in _ARTICLES:
            frame = frame[:-1]
        mark = "'" if bare.endswith("s") and not bare[:1].isupper() else "'s"
        return " ".join([*frame, bare + mark, *tokens[owner + 1 :]]) + "?"
    if near[1] >= near[0] + SLOT_MARGIN:
        return " ".join([*tokens[: owner + 1], bare, *tokens[stop:]]) + "?"
    return None


# How near in meaning (cosine, MiniLM) a follow-up's item must be to a word of what was asked
# about to be of its kind: "child" is .53 from "adult", "senior" .55, "couples" .54 from "single",
# "weekends" .78 from "weekday"; "children" is .20 from "day" (a day pass), "students" .22 from
# "monthly", "canoe" .25 from "deposit".
SAME_KIND = 0.45


def _add_phrase(x: str, bare: str, tokens: list[str], n: int, stop: int, closeness) -> str:
    """The earlier question (`tokens`, what it asked about at tokens[n:stop]) asked again with the
    phrase `x` ("for a canoe", `bare` "canoe") that no phrase of it aligns with. What was asked
    about stays and the phrase is added ("What is the deposit for a canoe?", "When does the pool
    open for members?"), but a word of it of the phrase's kind goes, as the phrase says it
    instead: "How much is a single on the Corrie Bell for a child?" after "... an adult single
    ...?" ("adult" .53 from "child"); and when what was asked about is itself of that kind,
    the item takes its place ("How much is a canoe to hire?" after "... a kayak to hire?")."""
    said = [i for i in range(n, stop) if tokens[i].lower() not in _ARTICLES]
    near = list(closeness(bare, [tokens[i] for i in said])) if closeness is not None and said else []
    if near and near[-1] >= SAME_KIND:
        frame = tokens[:n]
        while frame and frame[-1].lower() in _ARTICLES:
            frame = frame[:-1]
        return " ".join([*frame, *x.split()[1:], *tokens[said[-1] + 1 :]]) + "?"
    drop = {i for i, c in zip(said[:-1], near[:-1]) if c >= SAME_KIND}
    kept = list(tokens)
    for i in sorted(drop):  # "an adult single" -> "a single": the article before says the next word
        j = next((k for k in range(i + 1, len(tokens)) if k not in drop), None)
        if i and j is not None and tokens[i - 1].lower() in ("a", "an") and i - 1 not in drop:
            kept[i - 1] = tokens[i - 1][0] + ("n" if tokens[j][:1].lower() in "aeiou" else "")
    return " ".join([*(t for i, t in enumerate(kept) if i not in drop), x]) + "?"


# How much nearer in meaning (cosine) a follow-up's item must be to a phrase's object than to
# what was asked about for it to take the object's place: "insurance" after "What is the
# deposit for a kayak?" is .19 from "deposit" and .23 from "kayak" (MiniLM), and asks of the
# kayak; "DVDs" after "What is the late fee for a book?" is .20 and .42, and asks of DVDs.
SLOT_MARGIN = 0.1


def _bare(tokens: list[str]) -> str:
    return " ".join(t for t in tokens if t.lower() not in _ARTICLES)


def _object_start(tokens: list[str], a: int, b: int) -> int:
    """Where the object of the phrase tokens[a:b] starts: after its last article ("to take a car"
    -> "car": the noun phrase the article opens), else after the preposition ("per day")."""
    return next((i + 1 for i in range(b - 1, a, -1) if tokens[i].lower() in _ARTICLES), a + 1)


def _like_object(
    x: str, bare: str, tokens: list[str], head: str, phrases, closeness, margin: float = SLOT_MARGIN
) -> str | None:
    """The earlier question (`tokens`; `head`, what it asked about, without articles) with the
    object of one of its prepositional `phrases` (`_object_start`) replaced by `x`, when
    `closeness(bare, options)` (cosines) puts `x` SLOT_MARGIN nearer to that object than to what
    was asked about: "What about DVDs?" after "What is the late fee for a book?" asks "What is
    the late fee for DVDs?", not "What is DVDs for a book?". None otherwise. A phrase of days or
    of names is left to the rules above (`_is_when`, the name swap), and is never an option here.
    `margin`: how much nearer (SLOT_MARGIN; 0 when `head` is itself an object, a verb's)."""
    # Objects that are no names (a name is swapped only by a name) nor days, and say something.
    options = [
        (start, b, obj)
        for a, b in phrases
        if (obj := _bare(tokens[(start := _object_start(tokens, a, b)) : b]))
        and not any(t[:1].isupper() for t in tokens[a + 1 : b])
        and not _is_when(tokens[a + 1 : b])
    ]
    if not head or not options:
        return None
    sims = closeness(bare, [head, *(obj for _, _, obj in options)])
    best = max(range(len(options)), key=lambda j: sims[j + 1])
    if sims[best + 1] < sims[0] + margin:
        return None
    start, b, _ = options[best]
    # The phrase's article goes with its object: the follow-up says its own, or none ("for DVDs").
    if tokens[start - 1].lower() in _ARTICLES:
        start -= 1
    return " ".join([*tokens[:start], x, *tokens[b:]]) + "?"


_ORDINALS = (*ORDINALS, "last", "next", "previous", "final")  # (relative ranks too: "and the last one?")
_ORDINAL = re.compile(rf"\b({'|'.join(_ORDINALS)})\b", re.I)


def _other_rank(x: str, history: list[str]) -> str | None:
    """ "What about the second one?" (or "the third?") after "What is the first step of the
    setup?": the earlier question with its ordinal replaced ("What is the second step of the
    setup?"); "one" stands for the noun the ordinal qualified. The earlier question is the
    nearest that is not itself a "what about" follow-up. None when `x` is no bare ordinal."""
    said = re.sub(r"^(?:the|a|an)\s+", "", x.strip(), flags=re.I).lower().split()
    if not said or said[0] not in _ORDINALS or said[1:] not in ([], ["one"], ["ones"]):
        return None
    for previous in reversed(history):
        if _about(previous):
            continue
        m = _ORDINAL.search(previous)
        if not m:
            return None
        word = said[0].capitalize() if m.group()[0].isupper() else said[0]
        return previous[: m.start()] + word + previous[m.end() :]
    return None


def needs_referent(question: str, history: list[str] | None) -> bool:
    """True when a person pronoun in the question ("Where does she live?") means the person the
    previous question asked for ("Who founded the Riverside Bakery?"), not a name it used: then
    only the previous answer says who it is (`resolve`'s `referent`)."""
    if not history or not _PRONOUN.search(question):
        return False
    from .question import parse

    return parse(history[-1]).kind == "person"


def referent_of(answer: str, previous: str) -> str | None:
    """The name an earlier answer gives that its question did not ask with ("Marta Kowalski" in
    "The Riverside Bakery was founded by Marta Kowalski in 1998." for "Who founded the
    Riverside Bakery?"), else None."""
    asked = {w.lower() for w in words(previous)}
    for name in name_runs(answer, first=True):
        if not {w.lower() for w in words(name)} <= asked:
            return name
    return None


def title_subjects(titles) -> callable:
    """A test of whether a text names one subject of a corpus, from its documents' titles: all
    its terms are in some title but not in every one ("orion" in "Orion Hatchback Service
    Prices" of two price lists; "service", in both, names none)."""
    sets = [set(terms(t)) for t in titles if t]

    def names_subject(x: str) -> bool:
        seq = set(terms(x))
        holding = sum(seq <= t for t in sets)
        return bool(seq) and 0 < holding < len(sets)

    return names_subject


def resolve(
    question: str, history: list[str] | None, referent: str | None = None, names_subject=None, closeness=None
) -> str:
    """The text to retrieve with: the question, made to stand alone when it is a follow-up.

    A pronoun is replaced by the name the nearest earlier question used ("Where does he
    live now?" -> "Where does Mukhtar Ablyazov live now?"): a whole sentence embeds better
    than a question with names stuck on; by `referent` instead when given (the person the
    previous answer named, see `needs_referent`). Otherwise the earlier question's content
    words are appended. `closeness(text, options)` gives the cosine of `text` to each option
    (the engine's embedder): with it "What about X?" can replace the object of the earlier
    question's phrase rather than what it asked about (`_swap`).
    """
    if not history or not needs_context(question):
        return question
    # The turn before may itself have been a follow-up ("And for a canoe?" after "How much is
    # a kayak per day?"): it is read as it was resolved, so a chain keeps what each turn changed.
    asked = list(history)  # as the user typed them, for what "it" stands for
    if len(history) > 1:
        history = [*history[:-1], resolve(history[-1], history[:-1], names_subject=names_subject, closeness=closeness)]
    match = _PRONOUN.search(question) if referent else None
    if match:
        sub = f"{referent}'s" if match.group().lower() in _POSSESSIVE else referent
        return question[: match.start()] + sub + question[match.end() :]
    x = _about(question)
    if x:
        ranked = _other_rank(x, history)
        if ranked:
            return ranked
        swapped = _swap(x, history[-1], names_subject, closeness)
        if swapped:
            return swapped
    own = {w.lower() for w in words(question)}
    for previous in reversed(history):
        name = max(name_phrases(previous), key=len, default=None)  # "Mukhtar Ablyazov"
        if name and name.lower() not in question.lower():
            match = _PRONOUN.search(question)
            if match:
                word = match.group().lower()
                sub = f"{name}'s" if word in _POSSESSIVE else name
                return question[: match.start()] + sub + question[match.end() :]
            break
    candidates = [[w for w in _content_words(p) if w.lower() not in own] for p in reversed(history)]
    if len([w for w in _content_words(question)]) >= OWN_WORDS:
        # A follow-up that says what it asks ("How much does it cost to service it?") takes
        # only the names from before: the earlier question's other words would pull the
        # earlier answer back.
        # Without a name, "it" takes the thing the earlier question was about, the words after
        # its article: "How much does it cost to hire it at the weekend?" after "How big is the
        # main hall?" is about the main hall (the earlier "big" would pull its answer back).
        # A turn that itself says "it" speaks of the same thing: the nearest one that names it counts.
        if _IT.search(question) and not any(w[0].isupper() for c in candidates for w in c):
            thing = next((t for t in map(_after_article, (p for p in reversed(asked) if not _IT.search(p))) if t), [])
            candidates = [[w for w in thing if w.lower() not in own]]
        else:
            candidates = [[w for w in c if w[0].isupper()] for c in candidates]
    # The nearest turn that names someone or something wins; else the nearest with any content.
    named = next((c for c in candidates if any(w[0].isupper() for w in c)), None)
    carried = named or next((c for c in candidates if c), [])
    return f"{question} {' '.join(carried)}" if carried else question
