"""Read a question once: text -> **question** -> retrieve -> answer.

What it does: `parse(text)` turns a question into one frozen `Question`: the NFC-normalised
text, the kind of answer it asks for (`answer_type`: an amount, a share, a date, a person,
a place, a version, an e-mail address, a URL, a phone number, a colour, a cause or nothing in
particular), the names it asks about (`question_names`, found by the
package's one name finder, rag/text.py `name_runs`), the amounts and dates it states,
normalised so that "3,000 euros" meets "€3,000" and "15 March 2024" meets "2024-03-15"
(rag/text.py `amounts`, `dates`), its content terms, and its language
(rag/language.py). Every later stage reads these fields instead of re-deriving them.

What it deliberately doesn't: parse grammar or resolve follow-ups (rag/followup.py builds
the text retrieval searches for; the Question keeps what the user typed). The answer-type
patterns are a hand-written lexicon of English wh-phrases (Li & Roth 2002 call these
coarse answer types); anything they miss is None, "no particular kind".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import options
from .text import (
    CURRENCY,
    MONTH_NAMES,
    MONTH_PATTERN,
    STOPWORDS,
    amounts,
    dates,
    month_number,
    name_runs,
    terms,
    undated,
    without_contacts,
    without_title,
)

_PERCENT_Q = re.compile(r"\b(percentage|percent|share|proportion|fraction|what part)\b", re.I)
# "how many", and "what is the population/size/price of ...": questions whose answer is an amount
# ("What is Kazakhstan's population?" too).
_QUANTITIES = (
    "population|size|area|number|amount|sum|salary|wage|price|cost|budget|income|revenue|gdp|age|"
    "height|length|distance|rate|total|toll|turnout|value|debt|capacity|fare|fee|fees|charge|rent|deposit"
)
# Words that name a quantity, not what it counts ("Capacity", "Total"): a column so headed counts
# whatever its row holds (people, places, seats).
QUANTITY_WORDS = frozenset(_QUANTITIES.split("|")) | {
    "count",
    "max",
    "maximum",
    "min",
    "minimum",
    "no",
    "qty",
    "quantity",
}
# "what is X's", "what's the": a contraction asks the same
_OWNED = r"\bwhat(?:['\u2019]s| (?:is|was|are|were)) (?:(?:the|its|their|his|her)\s+|[\w.-]+['\u2019]s\s+)?"
_NUMBER_Q = re.compile(
    r"\b(how (many|much|long(?! ago)|old|far|large|big|tall|high)"
    rf"|{_OWNED}(?:(?!an?\s)[a-z-]+\s+){{0,2}}?({_QUANTITIES})"  # up to two words between, no article
    r"|what (number|amount|sum|salary|price)"
    # "What does a term of lessons cost (per child)?", not "What does the cost column show?"
    r"|what (?:does|do|did|will|would) (?:[\w'\u2019-]+\s+){1,8}?cost"
    r"(?=\s*(?:[?.!]|$|(?:for|per|to|in|at|if|each|a|an)\b)))\b",
    re.I,
)
# An amount asked "how much" or "what" of a price, a fee or a pay ("How much does a burr set
# cost?", "What's the deposit?"): a sum of money, not any number ("Soak the tip for 10 minutes.").
MONEY_WORDS = (
    r"costs?|costing|price[sd]?|fees?|fares?|charges?|charged|rent|deposit|salary|salaries|wages?|earns?|earned|"
    r"pay|pays|paid|spend|spends|spent|budget|income|revenue|money"
)
_MONEY_WORD = re.compile(rf"\b(?:{MONEY_WORDS})\b", re.I)
_MONEY_Q = re.compile(rf"\b(?:how much|what)\b.*\b(?:{MONEY_WORDS})\b", re.I)
# "What time does it open?" asks a clock time, not a day ("What time of year ...?" asks a season).
# "How late is the library open?", "How early can I drop the dog off?" ask a clock time too, but
# "How late was the 08:40 sailing?" asks a delay: only with a service's verb or "can"/"may".
_UNTIL_TIME = r"\b(?:until|till) (?:what|which) time\b"
_HOW_LATE = r"\bhow (?:late|early)\b(?=[^?]*\b(?:open|opens|close|closes|serve[sd]?|serving|available|can|may|could)\b)"
_CLOCK_Q = re.compile(
    r"\b(?:what|which) times?\b(?!\s+of\s+(?:the\s+)?(?:year|month|season|week|day|life)\b)"
    rf"|{_UNTIL_TIME}|{_HOW_LATE}",
    re.I,
)
_AGE_Q = re.compile(r"\bhow old\b", re.I)


@lru_cache(maxsize=1024)
def asks_clock(question: str) -> bool:
    """True for a question asking a clock time ("What time do Under 12 matches kick off?")."""
    return bool(_CLOCK_Q.search(question))


# "What time does the quiz night finish?" asks when it ends, not when it starts.
_END_Q = re.compile(r"\b(?:finish(?:es|ed)?|ends?|ended|close[sd]?|shuts?|over)\b", re.I)


# "How late is the library open?", "Until what time is the café open?": how long it stays open.
_UNTIL_Q = re.compile(rf"\bhow late\b|{_UNTIL_TIME}", re.I)


# "When does the film club's screening end?": a when-question asking an end. "over" is left out
# here: "When did Nazarbayev hand over the presidency?" asks when a thing was done.
_WHEN_END_Q = re.compile(r"\b(?:finish(?:es|ed)?|ends?|ended|close[sd]?|shuts?)\b", re.I)


@lru_cache(maxsize=1024)
def asks_end(question: str) -> bool:
    """True for a question asking when something ends: its clock time ("What time does the quiz
    night finish?", "... shut on Thursday evenings?") or its time or date ("When do film club
    screenings end?", "When does term finish?"). A start time does not answer it."""
    if asks_clock(question):  # "how late" and "until what time" ask the end of the opening
        return bool(_END_Q.search(question) or _UNTIL_Q.search(question))
    return bool(re.search(_WHEN, question, re.I) and _WHEN_END_Q.search(question))


# "What is an SQLITE_SCHEMA error, and why am I getting one?": another question, then a why.
_THEN_WHY_Q = re.compile(r"^\W*(?:what|which|who|where|when|how)\b[^?]*?\band why\b", re.I)


def asks_only_why(question: str) -> bool:
    """True for a reason question (answer_type "reason") that asks nothing else first: not for
    "What is an SQLITE_SCHEMA error, and why am I getting one?", which a definition answers
    in part."""
    return answer_type(question) == "reason" and not _THEN_WHY_Q.search(question)


@lru_cache(maxsize=1024)
def asks_age(question: str) -> bool:
    """True for a question asking an age ("How old is Declan Moss?")."""
    return bool(_AGE_Q.search(question))


# "How long / old / far / big / many ...": a measure or a count.
_MEASURE_Q = re.compile(r"\bhow (?:long|old|far|big|large|tall|high|many|heavy|wide|deep)\b", re.I)
# "What is the maximum size ...?", "What is nano's default tab size?": a limit, or a default of
# a quantity, is an amount ("What is the visibility timeout?" asks what the term means).
_LIMIT_Q = re.compile(
    _OWNED + r"(?:\w+\s+)?(?:maximum|minimum|max|min)\b"
    rf"|{_OWNED}default\s+(?:[a-z-]+\s+){{0,2}}?(?:{_QUANTITIES}|timeout|interval|delay|limit|port|width|depth|"
    r"threshold|count|ttl|retries)\b",
    re.I,
)


def _asks_for(kind: str, within: int = 3, owned: bool = True) -> re.Pattern:
    """Kinds of answer that are no amount, date or name (the answer-type taxonomy of question
    classification, Li and Roth 2002): a sentence without one does not answer. Only the
    question's own ask counts: it opens with what/which (a preposition before) and names the
    kind (the regex `kind`) within `within` words ("What is Linus's email address?"), or, when
    `owned`, right after a possessive and at most one word more, however long the owner's name
    ("What is Dr Ellen Frost's email address?", "What's the ride captain's direct phone
    number?"); not "Which command shows names and email addresses?" or "How can I check what
    version it is?"."""
    opening = r"^\W*(?:(?:in|on|at|to|from|since|with|by|under|as of)\s+)?(?:what(?:['\u2019]s)?|which)\b"
    near = rf"(?:\s+[\w.'\u2019+-]+){{0,{within}}}?"
    possessive = r"|(?:\s+[\w.'\u2019+-]+){0,5}?\s+[\w.+-]+['\u2019]s?(?:\s+[a-z]+)?" if owned else ""
    return re.compile(rf"{opening}(?:{near}{possessive})\s+(?:{kind})", re.I)


# "What is the latest version of X?" is no version question (a release may be named by its codename).
_VERSION_Q = _asks_for(r"version\b(?!\s+(?:of\s+)?(?:control|history))", within=2, owned=False)
_EMAIL_Q = _asks_for(r"e-?mail(?:\s+address(?:es)?)?\b(?!\s+(?:client|program|software|message|list|submission))")
_URL_Q = _asks_for(r"(?:url|web ?address|web ?site|home ?page)s?\b")
_COLOUR_Q = _asks_for(r"colou?rs?\b")
_PHONE_Q = _asks_for(r"(?:tele)?phone(?:\s+number)?\b")
_CALL_Q = re.compile(
    r"\b(?:what|which) (?:phone )?number (?:do|should|can|must|could|would) (?:i|you|we) "
    r"(?:(?:need|have) to )?(?:call|dial|ring|phone|telephone|text)\b"
    r"|\b(?:what|which) is the (?:emergency|out-of-hours|helpline|hotline) (?:phone )?number\b",
    re.I,
)


def asks_number_to_call(question: str) -> bool:
    """True for "What number should I call ...?" (any number to call, an emergency one too), not
    for someone's phone number ("What is Nadia Sorensen's phone number?": no "call 999")."""
    return bool(_CALL_Q.search(question))


# "How often ...?" is answered by a frequency ("every quarter", "twice a week", "daily").
_FREQUENCY_Q = re.compile(r"\bhow (often|frequently)\b|\b(what|which) (frequency|interval)\b", re.I)
# "What is the refund period?": a span of time ("within 14 days", "five working days").
_DURATION_Q = re.compile(
    r"\bwhat (is|was|are|were) (the|its|their|his|her)\s+(?:[a-z]+\s+)?(period|duration|deadline|time limit|window)\b",
    re.I,
)
# "When" asks for a time where it opens the question (or a clause of it, "... and when?") or
# comes before its verb ("when did ..."); elsewhere it is a conjunction that asks nothing ("I
# get warnings when I compile SQLite. Is this a problem?").
_WHEN = (
    r"(?:^\W*|[.?!;,]\s*|\b(?:and|but|or)\s+)when\b"
    r"|\bwhen (?:is|was|are|were|do|does|did|will|would|can|could|should|has|have|had|must|shall)\b"
)
_DATE_Q = re.compile(
    rf"{_WHEN}|\b(what (years?|dates?|(?:week)?days?|months?|time)|which (years?|dates?|(?:week)?days?|months?)"
    r"|since when|how long ago|(the|in|which|what) year|opening (hours|times)|what hours)\b"  # hours: clock times
    rf"|{_HOW_LATE}",
    re.I,
)
# A question opening by asking a time, a day or a date ("What time are the phone lines open?",
# "On which day is colour printing free?"): its other nouns name what is timed.
_ASKS_TIME = re.compile(
    r"^\W*(?:(?:on|at|from|until|till|by)\s+)?(?:what|which)\s+(?:time|times|hours|days?|weekdays?|dates?)\b", re.I
)
_WHO_START = re.compile(r"^\W*(who|whom|whose)\b", re.I)
# "Can you tell me who leads the team?" asks who; in "What will the driver who was rude have to
# attend?" the "who" opens a relative clause, as in "Can you tell me where the man who runs the
# cafe lives?": another question word before it says what is asked, unless a verb of knowing or
# asking governs the "who" ("How can I find out who runs the cafe?").
_WHO_INSIDE = re.compile(r"\bwho (is|was|are|were|heads|leads|runs|said|called|sent)\b", re.I)
_WH_BEFORE = re.compile(r"\b(what|when|where|how|why)\b", re.I)
_ASKS_WHO = re.compile(r"\b(?:tell (?:me|us)|know|find out|ask|wonder|say|see|check|learn)\s+who\b", re.I)
_WHO_Q = re.compile(
    r"^\s*(who|whom|whose)\b"
    r"|\b(which|what) (bank|party|movement|company|newspaper|man|woman|person|president|minister|daughter|son|"
    r"nephew|leader|organi[sz]ation|alliance|group|court|agency|app|outlet)\b",
    re.I,
)
# "What is the name of the duty manager?" asks for a name (a person's, a ship's, a product's):
# answered by a sentence naming something the question does not ("FareSmart T4").
_NAME_Q = re.compile(
    r"\bwhat(?:'s|\u2019s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+|their\s+|its\s+)?(?:full\s+)?names?\s+of\b", re.I
)
# "Who is Kasym Tokayev?" asks for a description of a named person, not for a name.
_DEFINE_Q = re.compile(r"^\s*(?i:who (is|was|are|were)) [A-Z][\w'\u2019-]*")
# "Which band will play?", "Which route ...?": one of a kind of things, most often a named one
# ("The Skerry Boys", "Route 3", ".gitconfig"), though not always ("which post?": president).
_WHICH_Q = re.compile(
    r"^\W*(?:(?:in|on|at|from|to|for|by|with|into|under|through|during|after|before)\s+)?which\s+"
    r"(?!(?:of|one|ones|is|are|was|were)\b)[a-z]+",
    re.I,
)
_WHICH_COMMAND = re.compile(r"\bwhich\s+(?:[\w-]+\s+)?commands?\b", re.I)  # "which git command"
_WHICH_HEAD = re.compile(
    r"^\W*(?:\w+\s+)?which\s+((?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:will|would|is|was|are|were|does|do|did|can|could|should|has|have|had|must|may)\b",
    re.I,
)


@lru_cache(maxsize=1024)
def which_head(question: str) -> str | None:
    """The head noun of what a "which N ...?" question picks one of, lower-cased ("Which band
    will play?" -> "band", "Which git command can I use?" -> "command"); None for other questions.
    Cached: type_match asks it of each candidate sentence."""
    m = _WHICH_HEAD.search(question) or _WHICH_Q.search(question)
    if m is None:
        return None
    phrase = m.group(1) if m.re is _WHICH_HEAD else m.group().split()[-1]
    return phrase.split()[-1].lower()


_WHERE_Q = re.compile(r"\b(where|which (city|country|town|place|village|region))\b", re.I)
# A question asking for a cause or a purpose ("Why ...?", "How come ...?", "What is the reason
# for ...?", "What caused ...?"): answered by a sentence that gives one, not by one that only
# restates what happened ("Lucy Tran will step down as a trustee." gives no reason).
_REASON_Q = re.compile(
    r"^\W*(?:why|how come)\b|\bwhy\b(?=[^?]*\?\s*$)"
    r"|\b(?:what|which) (?:is|was|are|were) the (?:main )?(?:reasons?|causes?|purpose|point)\b"
    r"|\bfor what (?:reasons?|purpose)\b|\bwhat (?:caused|causes|led to|prompted)\b",
    re.I,
)
# A question answered yes or no ("Is the fee 40 euros?"): its amounts are claims to check,
# so a sentence with another amount may well be the answer (it contradicts the premise).
YES_NO_AUXILIARIES = "is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|may|must|shall"
_YES_NO_Q = re.compile(rf"^\W*({YES_NO_AUXILIARIES})\b", re.I)
# An amount or a date the question sets as a condition ("orders over €3,000", "the fair on
# 15 March 2024"), not one it claims ("Why did the CSTO send 50,000 soldiers?").
_CONDITION = re.compile(
    r"\b(over|above|under|below|more than|less than|at least|at most|up to|exceeding|beyond|after|before|"
    r"since|until|on|at|from|for)\s+(?:the\s+)?[\u20ac$\u00a3]?\d",
    re.I,
)
# "How about weekends?" is a follow-up naming another item (as "What about ...?"), not a how-question.
_HOW_WHY_Q = re.compile(r"^\W*(how|why)\b(?! (many|much|long|old|far|large|big|often|tall|high|about)\b)", re.I)
_COMMAND_Q = re.compile(
    r"\b(what|which) (command|commands|command line|shell command)\b"
    # "What's the command to restart it?"
    r"|\bwhat(?:'s|\u2019s|\s+is|\s+are)\s+the\s+(?:shell\s+)?commands?\s+(?:to|for|that)\b",
    re.I,
)

# "What is tar used for?", "What does the tac command do?", "What is the purpose of rsync?":
# the question asks what a thing is, named by one word as a program spells it ("apt-get",
# "sha256sum") or two ("git commit"). rag/definitions.py answers it from the document about
# that name, where one is (a manual's NAME line, a README's "fastsync is ..."); for any other
# name the question is an ordinary one.
# The kinds of software a name may be said to be ("the tac command", "the wattle crate").
PROGRAM_KINDS = (
    "command|tool|program|utility|package|library|module|daemon|service|script|crate|gem|plugin|extension|framework"
)
_KINDS = f"{PROGRAM_KINDS}|option|setting"
_KIND = rf"(?P<kind>\s+(?:{_KINDS}))?"
_WORD = r"[A-Za-z0-9](?:[\w.+/-]*[\w+])?"
_ADVERBS = "really|actually|exactly|even|ever|usually|normally|still|here"  # "What does X really do?"
# A name may be quoted as the user saw it written: 'What does "git merge" do?', `tar`, “grep”.
_OPEN, _CLOSE = "[\"'`\u2018\u201c]?", "[\"'`\u2019\u201d]?"
_NAMED = (
    rf"(?P<article>the\s+|an?\s+)?{_OPEN}(?P<name>{_WORD}(?:\s(?!(?:{_KINDS}|{_ADVERBS}|used|good|meant|for)\b){_WORD})?)"
    rf"{_CLOSE}{_KIND}"
)
_DEFINES_Q = tuple(
    re.compile(rf"^\W*{form}\s*[?.!]*\s*$", re.I)
    for form in (
        rf"what(?:'s|\u2019s|\s+is|\s+are)\s+{_NAMED}(?:\s+(?:used|good|meant)\s+for|\s+for)?",
        rf"what\s+(?:does|do)\s+{_NAMED}(?:\s+(?:{_ADVERBS}))?\s+do",
        rf"what(?:'s|\u2019s|\s+is)\s+the\s+(?:purpose|use|point|job|function|role)\s+of\s+{_NAMED}",
        rf"(?:please\s+)?(?:explain|describe)\s+{_NAMED}",
        rf"(?:(?:can|could)\s+you\s+)?(?:tell\s+me|explain)\s+what\s+{_NAMED}\s+(?:is|does|means)",
    )
)
_NOT_A_NAME = frozenset("it this that these those they he she you i we there here".split())


def _command_for(question: str, m: re.Match | None = None) -> bool:
    """True for "What is the <words> command?" whose words English has (lemma tables): it asks
    for the line to type ("the restart command", "the log rotation command"); "What is the tac
    command?" names a program."""
    m = m or _DEFINES_Q[0].match(question)
    if not m or m.re is not _DEFINES_Q[0] or not m.group("kind") or "command" not in m.group("kind").casefold():
        return False
    if (m.group("article") or "").strip().casefold() != "the":
        return False
    return all(in_lemma_tables(w.casefold()) for w in m.group("name").split())


def asks_command(question: str) -> bool:
    """The question asks for a line of code: "What command restarts it?", "Which shell command
    ...?", "What is the restart command?" (_command_for)."""
    return bool(_COMMAND_Q.search(question)) or _command_for(question)


def defined_of(question: str) -> str | None:
    """The name a what-is question asks to define, as written ("What is tar used for?" ->
    "tar", "What does git commit do?" -> "git commit", "What does X really do?" -> "X"); None
    for other questions and for a pronoun in its place ("What does it do?"). An option is no
    name ("What does gzip -k do?": Question.options)."""
    m = next((m for m in (form.match(question) for form in _DEFINES_Q) if m), None)
    if not m:
        return None
    name = m.group("name")
    if name.split()[0].casefold() in _NOT_A_NAME:
        return None
    # "What is the refund period?" asks for its value, not what a refund period is; "What is
    # the tac command?" names a program.
    if m.re is _DEFINES_Q[0] and (m.group("article") or "").strip().casefold() == "the" and not m.group("kind"):
        return None
    # "What is the restart command?", "What's the log rotation command?" ask for the command that
    # does it (its words are English words), not what a program is (_COMMAND_FOR).
    if _command_for(question, m):
        return None
    # "GNU time" is time(1): the project's name before a program's is no part of it.
    return name.split(None, 1)[1] if name.casefold().startswith("gnu ") and " " in name else name


# The noun a question is about, where its grammar shows it: the word after the determiner
# that follows the auxiliary ("Is the shop open ...?", "When does the museum open?", "How much
# does the annual service cost?"). Names are held apart (`names`); a question that shows no
# such noun has no subject here.
_SUBJECT = re.compile(
    r"^\W*(?:(?:when|where|why|how|what|which|who)(?:\s+[^\W\d_]+)?\s+)?"
    r"(?:is|are|was|were|does|do|did|can|could|will|would|has|have|had|should|must|may)\s+"
    r"(?:the|this|that|these|those|our|your|its|their|his|her|my)\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?",
    re.I,
)


_WHICH_ONE = frozenset({"first", "next", "last", "final", "earliest", "latest", "second", "third"})


def subject_of(question: str) -> str | None:
    """The term of the noun the question is about ("Is the shop open on Sundays?" -> "shop"), or None."""
    m = _SUBJECT.search(question)
    # "What is the refund period?": a copula after "what"/"which"/"who" asks for the noun
    # itself (an attribute a sentence may state in other words), not about it.
    if not m or re.match(r"^\W*(?:what|which|who)\s+(?:is|are|was|were)\b", question, re.I):
        return None
    word = m.group(1)
    # "the yearly booster": a word in -ly before another is its modifier ("yearly", "monthly",
    # "family"), not the noun the question is about.
    if word.lower().endswith("ly") and m.group(2) and m.group(2).lower() not in STOPWORDS:
        word = m.group(2)
    # "the first ferry", "the next bus": which one of them is asked, the noun comes after
    elif word.lower() in _WHICH_ONE and m.group(2) and m.group(2).lower() not in STOPWORDS:
        word = m.group(2)
    seq = terms(word)
    return seq[0] if len(seq) == 1 and word.lower() not in CALENDAR else None


# Verbs that ask for an event rather than describe one ("What happens on 15 March?", "What
# occurs when the disk fills?"): the answer states the event, seldom that it "happens".
EVENT_VERBS = frozenset(terms("happen happens happened happening occur occurs occurred occurring"))


# The words that name the asked kind ("What URL hosts ...?", "What is the e-mail address of
# ...?"): the answer holds a value of that kind, not the word ("https://github.com/..." never
# says "URL"), so neither a name the documents must mention nor a term an answer must hold.
KIND_WORDS = {
    "url": frozenset(terms("url urls uri web address website site homepage home page link")),
    "email": frozenset(terms("e-mail email mail address addresses")),
    "phone": frozenset(terms("phone telephone number")),
    "colour": frozenset(terms("colour color colours colors")),
}


def kind_words(question: str) -> frozenset[str]:
    """The KIND_WORDS of the kind the question asks for (none for most questions)."""
    return KIND_WORDS.get(answer_type(question), frozenset())


def asked_terms(text: str) -> list[str]:
    """The terms an answer should hold: `terms` of the text without its dates (each one value,
    rag.text.undated), without EVENT_VERBS and without the words naming the asked kind
    (KIND_WORDS). Question side only: documents keep every word, and retrieval reads the
    question whole.

    Not dropped: the quantity word of "how much/many/long" ("much" is absent from "The roof
    will cost 80,000 euros." too). Measured out of sample, dropping it cost git-faq's refusal
    recall 0.27 -> 0.22 (mean of the resampled refits): an absent "many" had helped refuse."""
    skip = EVENT_VERBS | kind_words(text)
    return [t for t in terms(undated(text)) if t not in skip]


# Prepositions of time and place: a phrase they open says when or where ("in the evening",
# "after 6pm", "at the weekend"). With "per" ("per person") they open the phrases a follow-up
# adds as a condition, which name no item (rag.followup, rag.answer's unmentioned).
ADJUNCT_PREPOSITIONS = frozenset("in on at during before after within until".split())
CONDITION_PREPOSITIONS = ADJUNCT_PREPOSITIONS | {"per"}


# Ranks a question or sentence can name ("the third step"); rag/followup.py reads the same words
# in "what about the second one?".
ORDINALS = tuple("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())
_ORDINAL_WORDS = re.compile(rf"\b({'|'.join(ORDINALS)})\b|\bthe (last)\b", re.I)


def ordinals_of(text: str) -> frozenset[str]:
    """The ordinals a text names ("the second step" -> {"second"}; "last" only as "the last")."""
    return frozenset((m.group(1) or m.group(2)).lower() for m in _ORDINAL_WORDS.finditer(text))


HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b", re.I)  # a count: no clock time or date gives one

# The words a question asks a measure of one dimension by, as such (not in "deep-water berths"
# or "company-wide"). "How long" asks a length or a time, "how far" may be told in minutes ("a
# 10 minutes' walk"), "the length" of a stay is a time and of a message body counted in
# characters, and a "capacity" asks seats or people as often as litres: none of these asks one.
_DIMENSION_WORDS = {
    "mass": re.compile(r"(?<![\w-])(?:weigh(?:s|t|ts|ing)?|heav(?:y|ier|iest))(?![\w-])", re.I),
    "length": re.compile(r"(?<![\w-])(?:tall|taller|height|heights|wide|wider|width|deep|deeper|depth)(?![\w-])", re.I),
}


@lru_cache(maxsize=1024)
def asked_dimension(question: str) -> str | None:
    """The one dimension ("mass", "length") whose measure the question asks ("What is the maximum
    weight ...?", "How tall ...?"), else None; a "how many" question counts things ("How many
    deep-water berths ...?")."""
    if HOW_MANY.search(question):
        return None
    asked = [name for name, words_ in _DIMENSION_WORDS.items() if words_.search(question)]
    return asked[0] if len(asked) == 1 else None


@lru_cache(maxsize=1024)
def asks_measure(question: str) -> bool:
    """True for a question asking a measure or a count that is no sum of money: "How long is the
    battery warranty?", not "How big is the deposit?" nor "How many dollars ...?"."""
    return bool(_MEASURE_Q.search(question)) and not (_MONEY_WORD.search(question) or CURRENCY.search(question))


@lru_cache(maxsize=1024)
def answer_type(question: str) -> str | None:
    """'phone', 'email', 'url', 'colour', 'version', 'percent', 'frequency', 'duration', 'money',
    'number', 'date', 'person', 'place', 'reason', 'name' (a name of anything), 'which' (one of
    a kind of things, most often named) or None (no particular kind)."""
    # "What time are the phone lines open?" asks a time: the contact word names what is timed.
    timed_ask = bool(_ASKS_TIME.match(question))
    for kind, pattern in (
        ("phone", _PHONE_Q),
        ("phone", _CALL_Q),
        ("email", _EMAIL_Q),
        ("url", _URL_Q),
        ("colour", _COLOUR_Q),
        ("version", _VERSION_Q),
    ):
        if pattern.search(question) and not timed_ask:
            return kind
    if _NAME_Q.search(question):
        return "name"
    if _PERCENT_Q.search(question):
        return "percent"
    if _FREQUENCY_Q.search(question):
        return "frequency"
    if _DURATION_Q.search(question):
        return "duration"
    if _NUMBER_Q.search(question) or _LIMIT_Q.search(question):
        return "money" if _MONEY_Q.search(question) else "number"
    # "Who was named Volunteer of the Year?" asks for someone: a year in a name asks for no date
    if _DATE_Q.search(question) and not _WHO_START.match(question):
        return "date"
    if (_WHO_Q.search(question) or _asks_who(question)) and not _DEFINE_Q.search(question):
        return "person"
    if _WHERE_Q.search(question):
        return "place"
    if _REASON_Q.search(question):
        return "reason"
    if _WHICH_Q.search(question) and not _WHICH_COMMAND.search(question):  # "which command": a line of code
        return "which"
    return None


def _asks_who(question: str) -> bool:
    """True when a "who" inside the question asks for someone rather than opening a relative
    clause (_WHO_INSIDE, _WH_BEFORE, _ASKS_WHO)."""
    m = _WHO_INSIDE.search(question)
    return bool(m) and (bool(_ASKS_WHO.search(question)) or not _WH_BEFORE.search(question[: m.start()]))


_ATTRIBUTE_Q = re.compile(
    r"\b(?i:what|which|who)\s+(?i:is|was|are|were)\s+(?i:the)\s+([a-z]+)\s+of\s+(?:the\s+)?"
    r"([A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*)"
)


def attribute_of(question: str) -> tuple[str, tuple[str, ...]] | None:
    """(attribute term, owner terms) of "what is the N of Name?" ("capital", "Kazakhstan"), else None."""
    m = _ATTRIBUTE_Q.search(question)
    if not m:
        return None
    attr, owner = terms(m.group(1)), tuple(terms(m.group(2)))
    return (attr[0], owner) if len(attr) == 1 and owner else None


def cased_throughout(question: str) -> bool:
    """True for a question typed in ALL CAPS or Headline Case ("What Does Grass Carp Eat?"):
    its capitals then say nothing about which words are names."""
    words = re.findall(r"[^\W\d_]{2,}", question)
    if len(words) < 3:
        return False
    if all(w.isupper() for w in words):
        return True
    # Headline Case capitalises the small words too ("Does", "The", "A"), which names never make
    # so ("I" is always a capital); and a question of four words or more all capitalised is one
    # ("Who Creates Payroll Accounts?"): no question is a name from end to end.
    every = re.findall(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", question)  # "What's" one word, not "What" and "s"
    small = [w for w in every[1:] if w.lower() in STOPWORDS and w != "I"]
    capital = [w[0].isupper() for w in every]
    return (bool(small) and all(w[0].isupper() for w in small)) or (len(every) >= 4 and all(capital))


MONTHS = frozenset(m.lower() for m in MONTH_NAMES)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # 0 = Monday
CALENDAR = MONTHS | frozenset(WEEKDAYS)


def calendar_word(word: str) -> bool:
    """A month or weekday name ("Sundays", "January's"): a time, never a name or a place."""
    word = word.lower().removesuffix("'s").removesuffix("\u2019s")
    return word in CALENDAR or word.removesuffix("s") in CALENDAR


def question_names(question: str) -> list[tuple[str, list[str]]]:
    """The names a question asks about, as written and as a term sequence: "United
    States" -> ["unit", "state"]. A sentence must hold the whole sequence, so "units of
    the State Guard" does not count as the United States. A question capitalised
    throughout names nothing by its capitals (its words still match case-blind)."""
    out: list[tuple[str, list[str]]] = []
    if cased_throughout(question):
        return out
    kinds = kind_words(question)
    for name in name_runs(question, first=False):
        if all(calendar_word(w) for w in name.split()):
            continue  # "March", "Mondays": capitalised words, not names
        # A day or a month beside a name is no part of it: "the Wexcombe Wheelers Sunday run".
        kept = name.split()
        while calendar_word(kept[-1]):
            kept.pop()
        while calendar_word(kept[0]):
            kept.pop(0)
        name = " ".join(kept)
        seq = terms(without_title(name))  # "Dr Achterberg" is written "Dr Helen Achterberg" too
        if seq and set(seq) <= kinds:
            continue  # "What URL ...?": the kind asked, not a name
        if seq and all(seq != s for _, s in out):
            out.append((name, seq))
    return out


_DAYS = re.compile(
    r"\b(?:(mon|tues|wednes|thurs|fri|satur|sun)days?|(week ?days?|working days?)|(week-?ends?)"
    r"|(daily|every day|each day|seven days a week))\b",
    re.I,
)

# "Thu 25th and Fri 26th December", "Sat 9:00-17:30": a day's abbreviation before a date, a
# time, a list or a range (in capitals: "sat down", "wed" and "the sun" name no day).
_DAY_ABBREVIATION = re.compile(
    r"\b(Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\b\.?"
    r"(?=\s*(?:\d|[-\u2013]|(?:,|&|and)\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b))"
)

_DAY_RANGE = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*(?:to|through|till|until|-|\u2013)\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b",
    re.I,
)


# "except on Wednesdays", "apart from Sundays", "other than on bank holidays": days a text leaves out.
_EXCEPT_DAYS = re.compile(
    r"\b(?:except|excluding|apart from|other than|but not)\s+(?:on\s+|for\s+)?((?:[\w-]+,?\s+){0,3}[\w-]+)",
    re.I,
)


def excepted_days(text: str) -> frozenset[int]:
    """The days a text excepts (`weekdays` numbering): "closed for lunch from 12:45pm, except on
    Wednesdays" -> {2}; "daily except Sundays and bank holidays" -> {6, 7}."""
    return frozenset().union(*(weekdays(m[1]) for m in _EXCEPT_DAYS.finditer(text)))


def days_spoken_of(text: str) -> frozenset[int]:
    """The days a text says anything of: those its hours hold for (`days_meant`) and those it
    excepts ("..., except on Wednesdays" says of Wednesdays that they differ)."""
    return days_meant(text) | excepted_days(text)


def days_meant(text: str) -> frozenset[int]:
    """The days a text's hours hold for: `weekdays`, less the excepted ones, where a text naming
    only excepted days means every other day ("closed for lunch 12:45-13:30, except on
    Wednesdays" -> Monday to Sunday but Wednesday; "Monday to Saturday, except bank holidays"
    -> Monday to Saturday)."""
    excepted = excepted_days(text)
    if not excepted:
        return weekdays(text)
    return ((weekdays(text) - excepted) or frozenset(range(7))) - excepted


# Bank and public holidays keep hours of their own ("Both clinics are closed on bank holidays"):
# a day apart from the seven, so a sentence about them says nothing of Sundays, nor one about
# Sundays of them.
HOLIDAY = 7
_HOLIDAYS = re.compile(r"\b(?:bank|public|national)\s+holidays?\b", re.I)


def weekdays(text: str) -> frozenset[int]:
    """The days of the week a text names, 0 = Monday: "on Sundays" -> {6}, "weekdays" ->
    {0..4}, "weekends" -> {5, 6}, "daily" -> all seven, "Thu 25th and Fri 26th" -> {3, 4};
    bank holidays are HOLIDAY ("Sundays and bank holidays" -> {6, 7})."""
    out: set[int] = {HOLIDAY} if _HOLIDAYS.search(text) else set()
    for m in _DAY_RANGE.finditer(text):  # "Monday to Friday", "Tue-Sat"
        a, b = (next(i for i, d in enumerate(WEEKDAYS) if d.startswith(x.lower())) for x in (m[1], m[2]))
        out |= set(range(a, b + 1)) if a <= b else set(range(a, 7)) | set(range(b + 1))
    for m in _DAY_ABBREVIATION.finditer(text):
        out.add(next(i for i, d in enumerate(WEEKDAYS) if d.startswith(m[1].lower()[:3])))
    for m in _DAYS.finditer(text):
        if m[1]:
            out.add(next(i for i, d in enumerate(WEEKDAYS) if d.startswith(m[1].lower())))
        else:
            out |= set(range(5)) if m[2] else {5, 6} if m[3] else set(range(7))
    return frozenset(out)


# "in September", "SEPT 2025", "2025-09-14": the months a text names (rag.text's month names).
_MONTH_WORD = re.compile(rf"(?<![\w-]){MONTH_PATTERN}(?![\w-])", re.I)
_NUMBER_BEFORE = re.compile(r"\d\s*$")


_MONTH_SPAN = re.compile(
    rf"(?:\bbetween\s+{MONTH_PATTERN}\s+and|(?<![\w-]){MONTH_PATTERN}\s*(?:to|until|till|through|-|\u2013))"
    rf"\s*(?:\d{{4}}\s+)?{MONTH_PATTERN}(?![\w-])",
    re.I,
)


def months(text: str) -> frozenset[int]:
    """The months a text names, 1 = January: "in September 2025" -> {9}, "3 May" -> {5},
    "2025-09-14" -> {9} (rag.text.dates), "between July and September" -> {7, 8, 9}."""
    out = {int(d[5:7]) for d in dates(text) if len(d) == 10}
    for m in _MONTH_SPAN.finditer(text):
        first, last = (month_number(w) for w in m.groups() if w)
        out |= set(range(first, last + 1)) if first <= last else set(range(first, 13)) | set(range(1, last + 1))
    for m in _MONTH_WORD.finditer(text):
        word = m.group(1)
        # A month in lower case or cut to three letters may be a word of its own ("the march on
        # Almaty", "dec" in code, "May I ...?"): it counts beside a number only ("Dec 2025", "3 May").
        if word[0].islower() or (len(word) <= 4 and word.lower() not in ("june", "july")):
            if not (_NUMBER_BEFORE.search(text[: m.start()]) or re.match(r"\s*\d", text[m.end() :])):
                continue
        out.add(month_number(word))
    return frozenset(out)


# "in 2023", "the 2025-26 season", "2019 to 2022": a year, or a span of years read as each year in
# it; not a sum ("£2,023"), a share or a code. A date's year is read from the date (rag.text.dates).
_YEAR_WORD = re.compile(
    r"(?<![\w.,$\u00a3\u20ac\u00a5#/-])((?:19|20)\d\d)"
    r"(?:\s*(?:-|\u2013|/|to|until|through)\s*((?:19|20)?\d\d))?(?![\w%]|[.,]\d)",
    re.I,
)
YEAR_SPAN_MAX = 50  # "1990-2030" spans years; "2024-2099" is no span anybody writes


@lru_cache(maxsize=4096)
def years(text: str) -> frozenset[int]:
    """The years a text names: "in 2023" -> {2023}, "the 2025-26 season" -> {2025, 2026},
    "15 March 2024" -> {2024}, "£2,023" -> {}."""
    out = {int(d[:4]) for d in dates(text) if len(d) == 10}
    for m in _YEAR_WORD.finditer(undated(without_contacts(text))):
        first, last = int(m[1]), m[2]
        end = (int(last) if len(last) == 4 else first // 100 * 100 + int(last)) if last else first
        out |= set(range(first, end + 1)) if 0 < end - first <= YEAR_SPAN_MAX else {first}
    return frozenset(out)


# "When is the next meeting after the one held in March?": a month or a year the question
# counts from, not one its answer must be in.
_COUNTS_FROM = re.compile(r"\b(?:after|before|since|following|until|till|prior to|preceding)\b", re.I)


def counts_from(text: str) -> bool:
    """True when the question places what it asks relative to a time it names ("after the one
    held in March 2024", "since 2020"): that time is no condition on the answer's."""
    return bool(_COUNTS_FROM.search(text))


# The noun a count question counts: "How many lifeguards does the Trust employ?" -> "lifeguards",
# "the number of parking spaces at ..." -> "parking spaces". Up to four words, cut at the verb
# or preposition that follows (no part-of-speech tagger ships offline: a verb with no auxiliary
# before it, "How many staff work at ...", stays in: "staff work").
_AUX = "do|does|did|are|is|was|were|will|would|can|could|have|has|had|should|must|may|might|shall"
_COUNTED_Q = re.compile(
    rf"\b(?:how many|(?:the |what |total )?number of)\s+(?!(?:{_AUX})\b)"
    r"((?:[a-z][\w'\u2019-]*\s+){0,3}?[a-z][\w'\u2019-]*)"
    rf"(?=\s+(?:{_AUX}|there|in|at|on|for|per|to|from|with|by|across|a|an|the|each|every|altogether)\b"
    r"|\s*[?.,;:!)]|\s*$)",
    re.I,
)


# The thing whose price a question asks: "How much do shuttlecocks cost at reception?",
# "How much will it cost to fix the leaking roof above court 2?", "How much is the sibling
# discount for ...?", "What does a term of lessons cost?", "What is the fee for ...?". The noun
# phrase runs to the first preposition, clause word or punctuation.
_NP = r"((?:[\w'\u2019-]+\s+){0,4}?[\w'\u2019-]+)"
_NP_END = (
    r"(?=\s+(?:for|at|in|on|with|above|below|per|to|of|after|before|when|if|during|from|by|cost|each|a|an"
    r"|every|now|today|this|these|next|last)\b|\s*[?.,;:!)]|\s*$)"
)
# "... the new anti-slip matting at Port Ardle cost?": a place or owner after the priced noun.
_PRICED_PLACE = r"(?:\s+(?:at|in|on|for|from)\s+(?:[\w'\u2019-]+\s+){0,3}?[\w'\u2019-]+)?"
_PRICED_Q = (
    re.compile(
        rf"\bhow much (?:do|does|did|will|would|can|could|should)\s+it\s+cost\s+to\s+\w+\s+{_NP}{_NP_END}", re.I
    ),
    re.compile(
        rf"\bhow much (?:do|does|did|will|would|can|could|should)\s+(?!it\b){_NP}{_PRICED_PLACE}\s+cost\b", re.I
    ),
    re.compile(rf"\bwhat (?:do|does|did|will|would)\s+(?!it\b){_NP}{_PRICED_PLACE}\s+cost\b", re.I),
    re.compile(rf"\bhow much (?:is|are|was|were|will be)\s+{_NP}{_NP_END}", re.I),
    re.compile(rf"\b(?:price|cost|fee|charge)\s+(?:of|for)\s+{_NP}{_NP_END}", re.I),
)
_PARTICIPLES = frozenset({"paid", "worth", "spent", "owed", "given", "taken", "sold", "bought", "made", "lent", "won"})
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "their", "his", "her", "its", "one", "each"})


_ROLE_Q = re.compile(rf"\bwho\s+(?:is|was|are|were|will be)\s+(?:the|our|their|its|your)\s+{_NP}{_NP_END}", re.I)


def _head_noun(phrase: str, verbs: bool = False) -> str | None:
    """The last word of a noun phrase, lower-cased, its determiners dropped ("the contracts manager"
    -> "manager"); None for a stop word. With `verbs`, a participle after the noun is its verb
    ("volunteers paid" -> "volunteers"), and a phrase that is one is no noun ("raised")."""
    words_ = [w for w in phrase.lower().split() if w not in _DETERMINERS]
    participle = (lambda w: w in _PARTICIPLES or w.endswith("ed")) if verbs else (lambda w: False)
    while len(words_) > 1 and participle(words_[-1]):
        words_.pop()
    last = words_[-1] if words_ else ""
    return last if last and last not in STOPWORDS and not participle(last) else None


# Words before a role that say when it is held, not which role it is ("the current chair").
_ROLE_TIME = frozenset({"current", "present", "new", "actual"})


# "Who chairs / will replace / took ...?": who does something, not who someone is ("Who is
# Mukhtar Ablyazov?", "Who was the chair?": identity and role questions, read by role()).
_DOER_Q = re.compile(r"^\W*who\s+(?!(?:is|was|are|were|will\s+be|would\s+be)\b)[a-z]", re.I)


def asks_doer(question: str) -> bool:
    """True for a question asking who does, did or will do something ("Who chairs the Access
    Panel?", "Who will replace Declan Moss?"): its answer says so of someone ("Who handles
    refunds?": "Refunds are handled by the box office.")."""
    return bool(_DOER_Q.search(question))


def role(question: str) -> str | None:
    """The role a "who is the ...?" question asks the holder of, lower-cased, its head noun last:
    "Who is the vice-chair of the Management Committee?" -> "vice-chair", "Who is the deputy
    safeguarding lead?" -> "deputy safeguarding lead", "Who is the current chair?" -> "chair";
    None for other questions ("Who is Mukhtar Ablyazov?")."""
    m = _ROLE_Q.search(question)
    head = _head_noun(m.group(1)) if m else None
    if head is None:
        return None
    words_ = [w for w in m.group(1).lower().split() if w not in _DETERMINERS and w not in _ROLE_TIME]
    return " ".join(words_[: words_.index(head) + 1] if head in words_ else [head])


# The event a when-question asks the time of: "What time do Under 16 matches kick off in the
# junior league?", "When will the kennel roof repair be finished?". The subject runs from the
# auxiliary to the first preposition, determiner or clause word; its verb is the last word in it
# that English uses as a verb in its base form (lemminflect's lemma tables: no part-of-speech
# tagger ships offline), its head the word before that.
_TIMED_Q = re.compile(
    r"\b(?:when|what\s+(?:time|date|day|weekday)|which\s+(?:date|day|weekday))\s+"
    r"(is|are|was|were|do|does|did|will|would|can|could|should|must)\s+([^?.!;:,()]+)",
    re.I,
)
_TIMED_CUT = frozenset(
    "in on at for from to during after before each every this that next last by of into onto with without "
    "until till between within around about near and or but if when so than the a an their his her its our your "
    "my".split()
)
# Whose hours a question asks without a when: "What are the pool opening hours on Saturday?",
# "What are the library's opening times?", "opening hours of the museum".
_HOURS_OF = re.compile(
    r"\bwhat\s+are\s+(?:the\s+)?(?!the\b|your\b|our\b)([a-z][a-z -]*?)(?:['\u2019]s?)?"
    r"\s+(?:opening|closing)\s+(?:hours|times)\b"
    r"|\b(?:opening|closing)\s+(?:hours|times)\s+(?:of|for|at)\s+(?:the\s+)?([a-z][a-z-]*)",
    re.I,
)
_PARTICLES = frozenset({"off", "up", "out", "down", "over", "away", "back"})
_COPULAS = frozenset({"is", "are", "was", "were"})
_LEADING = frozenset({"next", "last", "first", "this", "that"})  # "the next board meeting"
# Verbs that name where an event starts or ends, not which event it is: "the sale ... finishes at
# 13:00" says nothing of when the lunch club finishes, so they are no part of the timed event.
_BOUNDARY_TERMS = frozenset(terms("open close start begin finish end shut stop"))


@lru_cache(maxsize=4096)
def word_classes(word: str) -> dict[str, tuple[str, ...]]:
    """{word class: lemmas} of `word` in lemminflect's lemma tables ("lead" -> NOUN and VERB
    "lead"; {} for a word English lacks). The tables load on first use, so a cold ask needing
    none stays fast; the one reader of them (rag.followup reads word classes here too). Do not
    mutate the (cached) result."""
    from lemminflect import getAllLemmas

    return getAllLemmas(word)


@lru_cache(maxsize=4096)
def noun_forms(word: str) -> tuple[str, ...]:
    """The other forms of a noun in lemminflect's tables: its singular and plural ("child" ->
    "children", "mice" -> "mouse"), which a stemmer leaves apart; () for a word no table holds
    as a noun."""
    from lemminflect import getAllInflections

    lemmas = word_classes(word.lower()).get("NOUN", ())
    forms = {f for lemma in lemmas for fs in getAllInflections(lemma, upos="NOUN").values() for f in fs}
    return tuple(sorted((forms | set(lemmas)) - {word.lower()}))


@lru_cache(maxsize=4096)
def is_participle(word: str) -> bool:
    """`word` is a past participle of a verb it is a form of ("held", "heated", "made")."""
    from lemminflect import getInflection

    return any(word in getInflection(lemma, "VBN") for lemma in word_classes(word).get("VERB", ()))


@lru_cache(maxsize=4096)
def _verb_form(word: str) -> str:
    """How English uses `word` as a verb: "base" for its base form ("open", "kick", "leave"),
    "participle" for a past participle ("held", "born", "released"), else ""."""
    if word in word_classes(word).get("VERB", ()):
        return "base"
    return "participle" if is_participle(word) else ""


def _usable(word: str) -> bool:
    return word.isalpha() and len(word) >= 3 and word not in STOPWORDS and word not in CALENDAR


def timed(question: str) -> tuple[str, ...]:
    """(head noun, verb) of the event a when-question asks the time of, lower-cased: "What time
    does the staff Christmas party finish?" -> ("party",) (a verb that only ends an event names
    none: _BOUNDARY_TERMS), "On which weekday is the
    walking netball class held?" -> ("class", "held"), "When is the next board meeting?" ->
    ("meeting",), "What time does the ticket desk at Port Ardle terminal open?" -> ("desk",)
    (its verb lies past the preposition); () for other questions and where the subject is a
    pronoun ("When does it open?"). Where the verb is read wrong ("the late Friday boat": "boat"
    is a verb too) the head falls back to the phrase's last word. Method: _TIMED_Q's subject,
    then _verb_form."""
    m = _TIMED_Q.search(question)
    if not m:
        hours = _HOURS_OF.search(question)  # "What are the pool opening hours?": the pool's
        owner = (hours.group(1) or hours.group(2) or "") if hours else ""
        head = next(iter(re.findall(r"[a-z]+", owner.lower())[::-1]), "")
        return (head,) if _usable(head) and head not in _DETERMINERS else ()
    tokens = re.findall(r"[^\W\d_][\w'\u2019-]*|\d[\w.]*", m.group(2).lower())
    while tokens and (tokens[0] in _DETERMINERS or tokens[0] in _LEADING):
        tokens.pop(0)
    phrase, verb, done = [], None, False
    for i, t in enumerate(tokens):
        if t in ("be", "been", "have", "has"):  # "... repair be finished", "... clinic have a ...": no verb to find
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            verb, done = (after if after not in _TIMED_CUT else None), True
            break
        if t in _TIMED_CUT:
            # "the spring term of swimming lessons start": "of" joins two nouns, so the phrase
            # before it is all noun ("term", not the verb "to term") and the verb lies past it
            done = t == "of" and tokens[i + 1 : i + 2] not in (["a"], ["an"])  # "of a Sunday": a time
            break
        phrase.append(t)
    if not done and len(phrase) >= 2:
        if m.group(1).lower() in _COPULAS:  # "is the class held": a participle ends a passive
            # "is the sauna open", "are the offices closed": a state of its subject ends it too
            ends = _verb_form(phrase[-1]) == "participle" or set(terms(phrase[-1])) & _BOUNDARY_TERMS
            at = len(phrase) - 1 if ends else None
        else:
            end = len(phrase)
            while end > 2 and phrase[end - 1] in _PARTICLES:  # "kick off"
                end -= 1
            at = next((i for i in range(end - 1, 0, -1) if _verb_form(phrase[i]) == "base"), None)
        if at is not None and phrase[at - 1] in STOPWORDS:  # "When does it open?": a pronoun
            return ()
        if at is not None and _usable(phrase[at - 1]):
            verb, phrase = phrase[at], phrase[:at]
    head = phrase[-1] if phrase else ""
    if not _usable(head):
        return ()
    if verb and _usable(verb) and not set(terms(verb)) & _BOUNDARY_TERMS:
        return (head, verb)
    return (head,)


def priced(question: str) -> str | None:
    """The head noun of what a question asks the price or amount of, lower-cased ("shuttlecocks",
    "roof", "discount"); None when it asks none, or names only a pronoun ("How much is it?") or a
    verb ("How much was raised?"). The first of _PRICED_Q's forms that matches decides."""
    m = next((m for m in (p.search(question) for p in _PRICED_Q) if m), None)
    if not m:
        return None
    # "How much does it cost for a 10-year-old?" prices entry for someone of an age, whose row
    # names an age band ("Child (5-16)"), not the words "10-year-old".
    return None if _AN_AGE.search(m.group(1)) else _head_noun(m.group(1), verbs=True)


_AN_AGE = re.compile(r"\b\d{1,3}[- ]?(?:years?|yrs?|months?)[- ]olds?$", re.I)


def counted(question: str) -> str | None:
    """The words of the thing a "how many" question counts, lower-cased ("parking spaces"), its head
    noun last; None when it counts nothing named ("How many are there?") or asks no count."""
    m = _COUNTED_Q.search(question)
    if not m:
        return None
    # The counted noun phrase ends before "of" ("days of annual leave" counts days) and before
    # its verb ("How many dogs took part ...?" counts dogs).
    words_ = [w for w in m.group(1).lower().split(" of ")[0].split() if w not in STOPWORDS]
    for i, word in enumerate(words_[1:], 1):
        # a plural ends its noun phrase, so a verb after it is the verb even where it is a noun
        # too ("How many pottery classes run each week?", "... workshops take place ...")
        if _verb_only(word) or (_plural(words_[i - 1]) and "VERB" in word_classes(word) and not _plural(word)):
            words_ = words_[:i]
            break
    while len(words_) > 1 and (words_[-1] in _PARTICIPLES or words_[-1].endswith("ed")):
        words_.pop()  # "How many members completed the survey?" counts members
    return " ".join(words_) or None


def _plural(word: str) -> bool:
    """A plural noun ("classes", "workshops", "staff"; not "bus", "glass", "series" read as one,
    nor "sales" in "sales staff")."""
    return word in _PLURAL_ALWAYS or (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in _PLURAL_MODIFIERS
        and "NOUN" in word_classes(word)
    )


# Plurals without an -s ("How many staff work ...?", "How many people live ...?").
_PLURAL_ALWAYS = frozenset("staff people children men women personnel crew police cattle".split())
# Plurals that modify the noun after them ("sales staff", "sports hall"): no phrase ends at them.
_PLURAL_MODIFIERS = frozenset(
    "sales sports arts goods savings operations services communications admissions customs systems".split()
)


@lru_cache(maxsize=4096)
def _verb_only(word: str) -> bool:
    """English uses `word` as a verb and never as a noun or an adjective ("took", "attended";
    not "part", "dogs"): lemminflect's lemma tables."""
    lemmas = word_classes(word)
    return "VERB" in lemmas and not ({"NOUN", "ADJ", "PROPN"} & set(lemmas))


@dataclass(frozen=True)
class Question:
    """One question, read once. `names` pairs each name as written with its term sequence."""

    text: str  # NFC-normalised, whitespace collapsed
    kind: str | None  # answer_type()
    names: tuple[tuple[str, tuple[str, ...]], ...]
    amounts: frozenset[str]  # rag.text.amounts(): "3000", "15", "0.5"
    dates: frozenset[str]  # rag.text.dates(): "2024-03-15", "07:30"
    terms: tuple[str, ...]  # content terms, stemmed and folded (rag.text.terms)
    language: str  # ISO 639-1 code, "en" unless the text is clearly another language
    how_why: bool = False  # a "how ..." / "why ..." question: a short excerpt may answer it
    yes_no: bool = False  # "Is ...?", "Does ...?": answered yes or no
    conditional: bool = False  # states an amount or a date as a condition ("orders over €3,000")
    command: bool = False  # "what command ...": a code line may answer it
    # "What is the capital of Kazakhstan?": the asked attribute's term and its owner's terms
    # (("capit",), ("kazakhstan",)); None when the question asks no "the N of Name".
    attribute: tuple[str, tuple[str, ...]] | None = None
    # Days of the week the question names ("open on Sundays" -> {6}): a condition, so a
    # sentence about other days ("opens at 7:30 on weekdays") does not answer it.
    days: frozenset[int] = frozenset()
    # The term of the noun the question is about (subject_of): "shop" in "Is the shop open on
    # Sundays?". A sentence from a document that never mentions it answers about something else.
    subject: str | None = None
    # Ordinals the question names ("the third step" -> {"third"}, ordinals_of): a sentence
    # about another rank ("The first step is ...") does not answer it.
    ordinals: frozenset[str] = frozenset()
    # Text the user pasted around the question (split_pasted; rag/engine.py `Engine.read`).
    pasted: str = ""
    # The command-line options a question asks the meaning of ("What does gzip -k do?" ->
    # ("-k",), rag/options.py); () for other questions, those that merely name one included.
    options: tuple[str, ...] = ()
    # The name a what-is question asks to define ("What is tar used for?" -> "tar",
    # defined_of); None for other questions and for one asking an option's meaning.
    defines: str | None = None
    # Months the question names ("meet in September 2025" -> {9}, months): a condition, so a
    # sentence dated in other months only ("held on 12 March 2025") does not answer it.
    months: frozenset[int] = frozenset()
    # What a "how many" question counts ("lifeguards", counted): a sentence whose every count
    # is of something else ("64 staff") states no such count (rag.rivals.counts_another).
    counted: str | None = None
    # The head noun of what a "how much" question prices ("shuttlecocks", priced): a sentence
    # that never names it, nor any synonym, prices something else (rag.rivals.lacks_asked).
    priced: str | None = None
    # The role a "who is the ...?" question asks the holder of ("vice-chair", role): a sentence
    # naming someone with no such role, nor any synonym, names someone else (rag.rivals.lacks_asked).
    role: str | None = None
    # "Who chairs ...?" asks who does something (asks_doer): like a role's, its answer names someone.
    doer: bool = False
    # The event a when-question asks the time of (timed: its head noun, then its verb if it has
    # one): a sentence saying neither, nor a synonym of either, times another event
    # ("Coaches' meeting: Wednesday 27 August 2025 at 19:30" for when matches kick off).
    timed: tuple[str, ...] = ()
    # Years the question names ("rehome in 2022" -> {2022}, years): a condition, like months.
    years: frozenset[int] = frozenset()
    # The question places its answer relative to a time it names (counts_from): its months and
    # years are then no condition on the answer's.
    relative: bool = False
    # What a "What about X?" follow-up asks about, without its preposition and article ("dog"
    # of "What about a dog?"; rag.followup.restated): a thing the corpus never mentions is no
    # thing the documents can answer about (rag.answer.unmentioned).
    item: str = ""

    @property
    def name_seqs(self) -> list[list[str]]:
        return [list(seq) for _, seq in self.names]

    @property
    def name_seqs_named(self) -> list[tuple[str, list[str]]]:
        return [(name, list(seq)) for name, seq in self.names]


def is_yes_no(text: str) -> bool:
    """True for a question answered yes or no ("Is ...?", "Can I ...?"): its first word is an auxiliary."""
    return bool(_YES_NO_Q.search(normalise(text)))


def normalise(text: str) -> str:
    """NFC, whitespace collapsed: "Cafe\u0301" and "Caf\u00e9" are one question."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- a question typed after pasted text ---------------------------------------------------

_ASKING = (
    r"(?:how|what|when|where|who|whom|whose|why|which|is|are|was|were|do|does|did|can|could|will|would|should|may)\b"
)
# A sentence ends at . ! or ? (closing quotes and brackets after it) before a space and a
# capital, a digit, an opening quote or a question word typed in lower case ("... euros. how
# long ...?"); not after a title or an initial ("Dr. Smith", "J. Doe", "U.S. law"), which a
# capitalised word also follows, unless a question word does ("... at 6 a.m. When ...?").
# Why not rag/chunks.py's punkt, which splits these the same way: loading it (NLTK and its
# trained tables) took 2.7 s here, as long as a whole cold `python -m rag.ask`.
_SENTENCE_END = re.compile(rf"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?(?:[A-Z0-9]|{_ASKING}))")
_TITLES = r"Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Col|Lt|Capt|Rev"  # a name follows, even a question word ("Dr. Who")
_TITLE_END = re.compile(rf"\b(?:{_TITLES})\.$")
_NOT_AN_END = re.compile(rf"(?:\b(?:{_TITLES}|Mt|No|Vol|Fig|vs|e\.g|i\.e)|\b[A-Z]|\.[A-Za-z])\.$")
_QUESTION_START = re.compile(rf"[\"'\u201c\u2018(\[]?{_ASKING}", re.I)


def _is_cut(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 16) : m.start()]  # the word ending there is all that counts
    if _QUESTION_START.match(text, m.end()):
        return not _TITLE_END.search(before)
    return not _NOT_AN_END.search(before)


def split_pasted(text: str) -> tuple[str, str]:
    """(pasted text, question) for a question typed after (or before) text the user pasted:
    "I deleted a lot of data but the file did not shrink. Is this a bug?" -> ("I deleted a lot
    of data but the file did not shrink.", "Is this a bug?"). The question is the last sentence
    that ends in "?", with the questions right before it ("Can I change to testing? If so,
    how?"; a bare "2." between them too); the pasted text is every other sentence, in order.
    ("", text) when the text asks nothing with "?" or has no other sentence.

    Why: read whole, the pasted sentences outweigh the question in the terms an answer must
    hold and in what kind of answer it asks for, so the answer was the pasted sentence itself
    ("The roof will cost 80,000 euros. How long will the work take?" quoted the roof's cost).
    rag/engine.py `Engine.read` decides what to do with the parts: the search still reads the
    whole text (an FAQ's "I track stable. Can I change to testing?" needs "stable"; searching
    the question alone cost debian-faq 3 questions of R@1), while the answer reads the question
    (its kind, its terms at full weight, its vector). A pasted sentence answers only when it
    holds what is asked (rag/signals.py `_echoes_pasted`): "A day pass costs 12 euros. How much
    does a day pass cost?" is answered by the document's sentence, which confirms it.

    What it deliberately doesn't: split at every full stop, or at a line break (the question
    arrives with its whitespace collapsed). A title or an initial ("Dr. Smith", "U.S. law")
    ends no sentence; only "?" asks (not "\uff1f" or a Spanish "\u00bf...?": the model reads
    English)."""
    text = normalise(text)
    cuts = [m for m in _SENTENCE_END.finditer(text) if _is_cut(text, m)]
    if not cuts:
        return "", text
    starts = [0, *(m.end() for m in cuts)]
    ends = [m.start() + len(m.group(1)) for m in cuts] + [len(text)]
    sentences = [text[a:b].strip() for a, b in zip(starts, ends)]
    asks = [s.rstrip("\"'\u201d\u2019)]").endswith("?") for s in sentences]
    if not any(asks):
        return "", text
    last = max(i for i, a in enumerate(asks) if a)
    first = last
    # "Can I change to testing? If so, how?" is asked as one, and so are numbered questions.
    while first > 0 and (asks[first - 1] or not any(c.isalpha() for c in sentences[first - 1])):
        first -= 1
    pasted = " ".join(sentences[:first] + sentences[last + 1 :])
    return (pasted, " ".join(sentences[first : last + 1])) if pasted else ("", text)


def options_of(text: str) -> tuple[str, ...]:
    """The options a question asks the meaning of (rag/options.py); in an ALL CAPS question
    each in lower case first, then as written ("WHAT DOES CUT -F DO?": cut has -f only; a
    shouting user most likely means "tar -xzf" by "TAR -XZF")."""
    asked = options.asked(text)
    if not options.asks_meaning(text, asked):
        return ()
    if not cased_throughout(text):
        return asked
    return tuple(dict.fromkeys(tuple(o.lower() for o in asked) + asked))


def parse(text: str | Question) -> Question:
    """The question's parts; a Question is returned as it is."""
    if isinstance(text, Question):
        return text
    from .language import detect

    text = normalise(text)
    kind = answer_type(text)
    return Question(
        text=text,
        kind=kind,
        names=tuple((name, tuple(seq)) for name, seq in question_names(text)),
        amounts=frozenset(amounts(text)),
        dates=frozenset(dates(text)),
        terms=tuple(terms(text)),
        language=detect(text),
        how_why=bool(_HOW_WHY_Q.search(text)),
        yes_no=is_yes_no(text),
        conditional=bool(_CONDITION.search(text)),
        command=asks_command(text),
        attribute=attribute_of(text),
        days=weekdays(text),
        subject=subject_of(text),
        ordinals=ordinals_of(text),
        options=options_of(text),
        defines=defined_of(text),
        months=months(text),
        counted=counted(text),
        priced=priced(text),
        role=role(text),
        doer=kind == "person" and asks_doer(text),
        timed=timed(text) if kind == "date" else (),
        years=years(text),
        relative=counts_from(text),
    )


# --- one-letter typos ------------------------------------------------------------------------

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ORDER = {"swap": 1, "replace": 2, "insert": 3, "delete": 4}
# Of several corpus terms one edit from a typo, the one in at least this many times as many
# passages as any other is taken ("gerp": grep in 54, "ger" in 3); closer counts ("sals":
# sale, salt) leave the word alone. The noisy-channel speller's prior (Norvig 2007, "How to
# Write a Spelling Corrector"), kept to clear cases: a wrong guess changes the question.
TYPO_DOMINANCE = 10
MIN_TYPO_LENGTH = 4  # shorter words have too many neighbours one letter away to guess from
# A word standing alone, not part of a token such as an option ("tar -czvf"), a path
# ("/etc/fstab"), a file name ("conf.d"), an address or a key ("--level=debg"): those are
# written as the program spells them, and one edit from a word of the corpus is no typo.
_PLAIN = r"(?<![\w\-/.=@:]){}(?![\w\-/=@]|[.:]\w)"
_PLAIN_WORD = re.compile(_PLAIN.format(r"[^\W\d_]+"))


def _edits(term: str):
    """(edited word, operation) for every string one edit from `term` (Damerau-Levenshtein:
    a letter deleted, swapped with the next, replaced or inserted; Norvig 2007's generator)."""
    for i in range(len(term) + 1):
        if i < len(term):
            yield term[:i] + term[i + 1 :], ("delete", i, "")
            for c in _ALPHABET:
                if c != term[i]:
                    yield term[:i] + c + term[i + 1 :], ("replace", i, c)
        if i < len(term) - 1:
            yield term[:i] + term[i + 1] + term[i] + term[i + 2 :], ("swap", i, "")
        for c in _ALPHABET:
            yield term[:i] + c + term[i:], ("insert", i, c)


def in_lemma_tables(word: str) -> bool:
    """English has `word` (lemminflect's lemma tables: "reuse", "approves", "shut"), though the
    embedder's vocabulary may lack it (`word_classes`)."""
    return bool(word_classes(word))


def unshouted(text: str, in_capitals=lambda word: False) -> tuple[str, dict[str, str]]:
    """`text` with its shouted words in lower case, and the words lowered ({"SHUT": "shut"}).

    A word of three letters or more in capitals, in a question that is not in capitals
    throughout ("When does the café SHUT on Sundays?", "Who teaches the Zumba CLASS?"), is
    emphasis, not a name, when English spells it in lower case (lemminflect's lemma tables hold
    it, as a verb, noun or adjective) and the corpus does not write it in capitals
    (`in_capitals(word)`: rag.retrieve.Retriever.writes_in_capitals). The question is then
    read as if typed without caps: no "They never mention “Zumba CLASS”". A word the corpus
    writes in capitals stays (git's "HEAD"), and so does one no English table holds ("CSTO",
    "NATO"): a name. A question in capitals throughout is read by cased_throughout instead."""
    words_ = dict.fromkeys(m.group() for m in _PLAIN_WORD.finditer(text))
    shouted = [w for w in words_ if len(w) >= 3 and w.isupper() and w.isascii()]
    if not shouted or cased_throughout(text):
        return text, {}
    lowered = {w: w.lower() for w in shouted if in_lemma_tables(w.lower()) and not in_capitals(w)}
    return _replaced(text, lowered), lowered


def _replaced(text: str, words_: dict[str, str]) -> str:
    """`text` with each of `words_` (written as a plain word, _PLAIN) replaced by its value."""
    for word, new in words_.items():
        text = re.sub(_PLAIN.format(re.escape(word)), new, text)
    return text


WH_WORDS = ("how", "what", "when", "where", "which", "who", "whom", "whose", "why")
_FIRST_WORD = re.compile(r"\s*([A-Za-z]+)\b(?!['\u2019-])")
_NAME_NEXT = re.compile(r"\s+[A-Z]")


@lru_cache(maxsize=1)
def _wh_misspellings() -> dict[str, list[str]]:
    """Every string one edit from a question word, with the question words it is one edit from
    ("hw" -> ["how"], "whn" -> ["when", "who"]); built once, on the first question that needs it."""
    out: dict[str, list[str]] = {}
    for wh in WH_WORDS:
        for edited in dict.fromkeys(e for e, _ in _edits(wh)):
            out.setdefault(edited, []).append(wh)
    return out


def wh_corrected(text: str) -> tuple[str, dict[str, str]]:
    """`text` with a misspelt question word at its start corrected, and the correction made
    ({"hw": "how"}): a first word that is no stop word and no English word (lemminflect's lemma
    tables: "wen" is one) and lies one edit from exactly one of WH_WORDS ("hw much", "wat is",
    "waht does"; "whn" is one edit from "when", "who" and "why", and is left alone), or is one
    with "'s" written without its apostrophe ("whats"). Not a name's first word ("Wat Arun"), nor
    a word in capitals ("HW", "WO": acronyms).
    correct() passes over such words: too short to guess from the corpus, no corpus term anyway."""
    m = _FIRST_WORD.match(text)
    if not m:
        return text, {}
    word = m.group(1)
    low = word.lower()
    if (
        low in STOPWORDS
        or low in WH_WORDS
        or word.isupper()
        or (word[0].isupper() and _NAME_NEXT.match(text, m.end(1)))
    ):
        return text, {}  # "HW requirements?", "WO number?" are acronyms; "Wat Arun" a name
    near = [low[:-1] + "'s"] if low[:-1] in WH_WORDS and low.endswith("s") else _wh_misspellings().get(low, [])
    if len(near) != 1:
        return text, {}
    if in_lemma_tables(low):  # "wen" is a word
        return text, {}
    fixed = near[0].capitalize() if word[0].isupper() else near[0]
    return text[: m.start(1)] + fixed + text[m.end(1) :], {word: fixed}


# Endings of an inflected or derived form whose base is a known word ("approves", "carer",
# "adopters"): such a word is no misspelling, even when the embedder's vocabulary lacks it.
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "r", "rs", "ly")


def _same_stem_spelling(word: str, stem: str, is_word) -> str | None:
    """The one known word (`is_word`, or an inflection of one) one edit from `word` that stems as it does ("volunter" ->
    "volunteer"), or None: none, several ("approves": approve, approved), or `word` is an
    inflection of a known word. The stem-level search (BM25) already reads such a typo; the
    sentence embedder reads its word pieces ("volun", "##ter") as another word."""

    def known(w: str) -> bool:
        return is_word(w) or any(w.endswith(end) and is_word(w[: -len(end)]) for end in _INFLECTIONS)

    if known(word):
        return None
    found = {edited for edited, _ in _edits(word) if known(edited) and terms(edited) == [stem]}
    return found.pop() if len(found) == 1 else None


def correct(text: str, vocabulary, is_word=lambda w: False) -> tuple[str, dict[str, str]]:
    """`text` with one-letter typos in its key words corrected against the corpus's terms, and
    the corrections made ({"servcie": "service"}).

    A word is corrected only when it is at least four letters long, in lower case after its
    first letter (unless the question is in capitals throughout: `cased_throughout`), is not a
    known word (`is_word`, e.g. the embedder's word-piece vocabulary, nor in English's lemma
    tables: `_in_lemma_tables`), its term is in no document
    (`vocabulary`: term -> document frequency, rag.retrieve.Retriever.df), and exactly one term
    of the corpus lies one edit away from the word as written (the edit's stemmed, folded term),
    or one of several does in TYPO_DOMINANCE times as many passages as any other: the edited
    word then replaces it. A word whose term is in the corpus is corrected only to the one known
    word of the same term one edit away (`_same_stem_spelling`: "volunter" -> "volunteer"), and
    only when written in lower case (or the question in capitals throughout): "Pryce" may be a
    name the corpus holds."""
    fixes: dict[str, str] = {}
    shouted = cased_throughout(text)  # "IS THE SERVCIE OPEN?": its capitals name nothing
    for m in _PLAIN_WORD.finditer(text):
        word = m.group()
        low = word.lower()
        if len(word) < MIN_TYPO_LENGTH or word in fixes or not word.isascii():
            continue  # short, seen or accented ("Rivière"): not guessed at
        if not word[1:].islower() and not (shouted and word.isupper()):
            continue  # a capital within ("VoIP", "MAWK" in a question typed in lower case): a name
        seq = terms(word)
        if len(seq) != 1 or not seq[0].isalpha() or is_word(low):
            continue
        if seq[0] in vocabulary:  # "volunter" stems as "volunteer" does: BM25 reads it, the embedder does not
            spelt = _same_stem_spelling(low, seq[0], is_word) if word.islower() or shouted else None
            if spelt is not None and not in_lemma_tables(low):
                fixes[word] = spelt.capitalize() if word[0].isupper() else spelt
            continue
        found: dict[str, list[tuple[int, str]]] = {}
        for edited, (kind, _, _) in _edits(low):
            got = terms(edited)
            if len(got) == 1 and got[0] in vocabulary:
                # Of the spellings that meet the corpus term, a known word first ("Estaet" ->
                # "estate", not "estat"), then a swap, a replaced, an inserted, a deleted letter.
                found.setdefault(got[0], []).append((0 if is_word(edited) else _ORDER[kind], edited))
        if len(found) > 1:  # several corpus terms one edit away: the far more frequent one, or none
            ranked = sorted(found, key=lambda t: -vocabulary[t])
            if vocabulary[ranked[0]] < TYPO_DOMINANCE * vocabulary[ranked[1]]:
                continue
            found = {ranked[0]: found[ranked[0]]}
        if not found or in_lemma_tables(low):  # "reuse" is English, not "refuse" misspelt
            continue
        fixed = min(next(iter(found.values())))[1]
        fixes[word] = fixed.capitalize() if word[0].isupper() else fixed
    return _replaced(text, fixes), fixes
