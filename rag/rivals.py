"""Another thing's value: a sentence naming a sibling of what a question asks about.

What it does: for a question asking for a kind of value (rag.question.answer_type: a date, an
amount, a colour, a person ...), flags each candidate sentence that states such a value of a
sibling instead: "The deuterium lamp has a rated life of 2,000 hours." for "How many hours
does the tungsten-halogen lamp last?", "Floor 4: Pernille Soutar (fire warden)" for "Who is
the fire warden for floor 5?", "Our classic pedal bikes are painted teal" for "What colour
are the cargo bikes?". The kind filter (rag.answer.type_match) passes all three: they hold a
value of the asked kind, but of something else. rag.answer.features drops flagged sentences.

How: the question's noun phrases are read as runs of side-by-side content words (no
part-of-speech tagger ships offline); where the sentence names a phrase's head with another
word in the asked modifier's place, and never with the asked one, that word is a rival unless
MiniLM reads the two as synonyms ("exclude patterns" for "ignore patterns").

What it deliberately doesn't: judge a sentence that names the asked thing and another thing's
value together ("your general waste bin ... your blue bin"), a head said another way ("club
jersey" for "club shorts"), or another owner given as a label ("Reception: 0161 ...").
Questions of no particular kind ("What is the rated life of ...?") are left alone: measured
on every question, the rule refused right answers phrased apart from their sentence. Measured
on held-out sets and the evaluation: issue 13's closing note of 2026-12-03.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .question import Question
from .text import NUMBER_WORD_FORMS, terms, words
from .types import SentenceHit

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
    sentence, `around` (its heading, the sentence before) or the question's `names` (terms)
    hold ("Nazarbayev's nephew" / "the former president's nephew"). Not rivals: numbers before
    the head ("2 lamps", "hundred search strings") and a word sharing its first four letters
    with the asked one ("Kazakh" / "Kazakhstan"). A head the sentence also names bare ("a short
    line ... a blank line") may be the asked one. A hand rule for the ownership no learned
    signal reads; with no part-of-speech tagger offline, runs stand in for noun phrases."""
    return _rivals_in(_phrases(question), set(terms(question)), sentence, around, names)


def _phrases(question: str) -> list[tuple[list[str], list[str], bool]]:
    """The question's runs that can be a noun and its modifiers (two to RUN_MAX words)."""
    return [r for r in term_runs(question) if 1 < len(r[0]) <= RUN_MAX]


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
                other = [w[j + 1] for r, w in runs for j in range(len(r) - 1) if r[j] == m and _numeric(r[j + 1])]
                if number not in said and other:
                    out.append((ws[i + 1], other))
                continue
            if _digits(m) and not _numeric(run[i + 1]):  # "2.4 GHz band": the number names which band
                head = run[i + 1]
                other = [w[j - 1] for r, w in runs for j in range(1, len(r)) if r[j] == head and _digits(r[j - 1])]
                if m not in said and other:
                    out.append((ws[i], other))
                continue
            if (i == 0 and after_wh) or _numeric(m) or m in said or m in names:
                continue
            # the words it modifies, each with the word the question puts before it: the
            # sentence's "plan cost" after "Basic" says nothing of "Standard plan cost" (the
            # question's own word before "cost"); its "Basic plan" does
            heads = {h: run[k - 1] for k, h in enumerate(run) if k > i and h not in bare}
            before = [
                (r[j - 1], w[j - 1])
                for r, w in runs
                for j in range(1, len(r))
                if r[j] in heads and r[j - 1] != heads[r[j]]
            ]
            if before and not any(_numeric(b) or b in asked or b[:4] == m[:4] for b, _ in before):
                out.append((ws[i], sorted({w for _, w in before})))  # "tungsten" asked, "deuterium" said
    return out


def mark_rivals(hits: list[SentenceHit], q: Question, embed) -> None:
    """Set `rival` on each hit that names a sibling of what a question asking for a kind of
    value (rag.question.answer_type) is about (`rival_words`), its words not synonyms of the
    asked one: each rival word's cosine to it under `embed` (texts -> (n, dim) unit vectors, all
    words in one batch) is below SYNONYM_COSINE. "deuterium" / "tungsten" (0.30) and "pedal" /
    "cargo" (0.37) are rivals; "exclude" / "ignore" (0.74) and "annual" / "yearly" (0.82) are
    not. SYNONYM_COSINE was read off 23 such pairs, none from the evaluation's corpora."""
    phrases = _phrases(q.text) if q.kind is not None else []
    if not phrases:  # most questions: nothing to read in any sentence
        return
    asked, names = set(terms(q.text)), {t for seq in q.name_seqs for t in seq}
    text_at = {(h.source, h.index): h.text for h in hits}
    found = {}
    for h in hits:
        before = text_at.get((h.source, h.index - 1), "")
        conflicts = _rivals_in(phrases, asked, h.text, _sentence(h.context)[0] | _sentence(before)[0], names)
        if conflicts:
            found[id(h)] = conflicts
    if not found:
        return
    texts = sorted({w for cs in found.values() for m, rs in cs for w in (m, *rs) if not _numeric(w)})
    vec = dict(zip(texts, embed(texts))) if texts else {}

    def synonyms(a: str, b: str) -> bool:  # numbers are no synonyms of each other ("4" / "5")
        return a == b or (a in vec and b in vec and float(vec[a] @ vec[b]) >= SYNONYM_COSINE)

    for h in hits:
        for m, rs in found.get(id(h), ()):
            if not any(synonyms(m, r) for r in rs):
                h.rival = True
                break
