"""Compose a short answer from source sentences, each cited: retrieve -> **answer** -> cite.

What it does (the offline default, no LLM): `compose` quotes the best one or two sentences of
the retrieved passages verbatim, each followed by its marker `[n]`, or refuses. The stages,
one module each:
  - rag/question.py reads the question once (answer type, names, amounts, dates, language);
  - rag/signals.py scores every candidate sentence (`features`), reading the asked kind
    (rag/kinds.py), the question's conditions (rag/conditions.py), siblings' values
    (rag/rivals.py) and planted instructions (rag/planted.py); the learned scorer
    (rag/scorer.py) ranks them and says whether the passages answer;
  - rag/excerpt.py chooses what to quote, makes it stand alone and cites it.
This module decides: it refuses, listing the closest passages as nearest passages (never as
citations), when the question names something the documents never mention (`unmentioned`:
the whole corpus lacks it, not only the retrieved passages), when the scorer's answer model
says the passages do not answer (rag.scorer.AnswerScorer.answers, fitted by `python -m
eval.calibrate`), or when a what-is answer does not say what the name is (`leaves_undefined`).
A question about a command's option is answered by the option's entry (rag/options.py), and
"what is X?" prefers a sentence that says what X is (rag/definitions.py);
a plain text's title line, a running head and a sentence that is itself a question are never
quoted; an answer whose quote mostly refers elsewhere ("See gitignore(5) for the details.":
`pointer_warning`) is flagged in the warning, as are retrieved passages holding planted
instructions (rag/planted.py).

What it deliberately doesn't: paraphrase, summarise or agree with a question's premise.
Every answer sentence is a verbatim quote, so a false premise is met with the sentence
that contradicts it, and nothing is claimed that a source does not say word for word.
It cannot tell a sentence that uses the question's words for another fact ("he wanted to
be prime minister" for "who is the prime minister") from one that answers it; the
evaluation harness (`python -m eval`) measures how often that happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from . import definitions, language, options
from .excerpt import cite, says_next, select
from .kinds import CALENDAR_TERMS, reference_share
from .planted import about_notes_q, demote_planted, planted, planted_warning
from .question import CALENDAR, CONDITION_PREPOSITIONS, ORDINALS, Question, noun_forms, parse, weekdays
from .signals import Scored, features
from .structure import asks_itself, is_title, running_head
from .text import NUMBER_WORDS, contains, name_runs, passage_terms, terms, words
from .types import REFUSAL, Citation, Passage, SentenceHit


@dataclass
class Composed:
    text: str
    answered: bool
    citations: list[Citation]
    nearest: list[Passage]
    warning: str = ""


def unmentioned(
    question: Question | str, passages: list[Passage], known, mentions=None, hits: list[SentenceHit] = ()
) -> list[str]:
    """Names the question asks about that the whole corpus never mentions, so the documents
    cannot answer a question about them. A one-word name: its term is not in the corpus
    (`known(term)` is False) nor in a retrieved unit's context (`hits`: a table's header row is
    context, in no passage's text, so "Standard" of "Feature | Basic | Standard" right under a
    heading is still a word of the documents). A name of several words that no retrieved passage holds as a
    phrase: one of its terms is not in the corpus, or `mentions(seq)` (a phrase search over
    the corpus) is False; without `mentions` nothing more is claimed, since the retrieved
    passages are not the corpus. Spanish "¿Qué" and other first words are never names. A
    follow-up's item (Question.item: "hamster" of "What about a hamster?") counts as a name."""
    texts = [list(passage_terms(p.title, p.text)) for p in passages]
    around = {t for h in hits for t in terms(h.context)}
    in_corpus = known

    def known(term: str) -> bool:
        return term in around or in_corpus(term)

    out = []
    q = parse(question)
    for name, seq in q.name_seqs_named:
        if _glossed_known(name, q.text, known):  # "Flash (SWF)": the corpus says "SWF"
            continue
        if len(seq) == 1:
            # "AGM" asked, "ANNUAL GENERAL MEETING" written in a retrieved passage
            if not (known(seq[0]) or _spelled_out(name, passages)):
                out.append(name)
            continue
        if any(contains(t, seq) for t in texts):
            continue
        if _acronym_known(name, known):  # "Export Control Classification Number": the corpus says "ECCN"
            continue
        if not all(known(t) for t in seq) or (mentions is not None and not mentions(seq)):
            out.append(name)
    # "What about a hamster?" after a vaccination's price: a follow-up's item with a word the
    # corpus never holds is no thing it prices (a synonym it does hold, "kids" for "children",
    # is a refusal this accepts, as for names).
    if _unheld_item(q.item, known) and not any(q.item.casefold() in n.casefold() for n in out):
        out.append(q.item)
    return out


# An item that says when, how many, which rank or "one" of what was asked ("weekends", "two
# nights", "the third", "a cheaper one"), or a time or place ("in April", "after 6pm"), names
# no thing a corpus must hold the words of: it is never unmentioned.
_NOT_A_THING = re.compile(
    rf"^(?:{'|'.join(sorted(CONDITION_PREPOSITIONS))})\b|\d|\b(?:ones?|{'|'.join(ORDINALS)}|last|next)\b"
    rf"|\b(?:{'|'.join(NUMBER_WORDS)})\b",
    re.I,
)


def _unheld_item(item: str, known) -> bool:
    """True when a follow-up's item (Question.item) names a thing with a word the corpus never
    holds (`known(term)` False): "hamster", "child ticket"; never a day, a month, a count, a rank
    or a time or place (_NOT_A_THING)."""
    if not item or _NOT_A_THING.search(item) or weekdays(item) or any(w.lower() in CALENDAR for w in words(item)):
        return False
    # A word is held in any form of it a stemmer leaves apart ("child" asked, "children" written).
    held = [
        all(known(t) for t in terms(w)) or any(known(t) for f in noun_forms(w) for t in terms(f)) for w in words(item)
    ]
    return bool(terms(item)) and not all(held)


def _glossed_known(name: str, question: str, known) -> bool:
    """True when the question puts another name for `name` (capitalised words) in brackets
    beside it ("a player for Flash (SWF)", "Secure Shell (SSH)", "SWF (Flash)") and the corpus
    holds each of that name's terms."""
    n, named = re.escape(name), r"[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)*"  # capitalised words: a name, not "(the class)"
    glosses = re.findall(rf"\b{n}\s*\(\s*({named})\s*\)", question)
    glosses += re.findall(rf"({named})\s*\(\s*{n}\s*\)", question)
    return any((seq := terms(g)) and all(known(t) for t in seq) for g in glosses)


_JOINING = frozenset("of and for the & over on in to as a an from with at by".split())


def _initials(acronym: str, name: str, words: list[str]) -> bool:
    """True when `words` (from the first) spell out `acronym` (`name` in lower case): each word
    gives its initial, a word in capitals its letters ("IP" of "Voice Over IP" for "VoIP"), a
    word its next letters too where the name writes them in lower case ("Ro" of "Royal Society
    for the Prevention of Accidents" for "RoSPA"), and a joining word ("of", "for", "as") its
    initial or nothing ("Department for Education": "DfE", "Software as a Service": "SaaS")."""

    def match(i: int, j: int) -> bool:
        if i == len(acronym):
            return j >= 2
        if j == len(words):
            return False
        w, low = words[j], words[j].lower()
        if low in _JOINING and match(i, j + 1):
            return True
        if not (w[:1].isupper() or low in _JOINING) or low[:1] != acronym[i]:
            return False
        if len(w) > 1 and w.isupper() and acronym.startswith(low, i) and match(i + len(w), j + 1):
            return True
        k = 1  # the name's lower-case letters after this initial that the word goes on with
        while i + k < len(acronym) and k < len(low) and name[i + k].islower() and low[k] == acronym[i + k]:
            if match(i + k + 1, j + 1):
                return True
            k += 1
        return match(i + 1, j + 1)

    return match(0, 0)


def _spelled_out(name: str, passages: list[Passage]) -> bool:
    """True when a passage spells out the acronym `name` ("AGM", "VoIP") as capitalised words
    whose initials it is ("Annual General Meeting", "ANNUAL GENERAL MEETING", "Voice Over IP"),
    joining words between them (`_initials`)."""
    capitals = sum(c.isupper() for c in name)
    if not 2 <= capitals <= 6 or not name.isalnum() or len(name) > 8:
        return False
    acronym = name.lower()
    for p in passages:
        words = re.findall(r"[\w'&]+", f"{p.title}\n{p.text}")
        if any(
            w[:1].lower() == acronym[0] and _initials(acronym, name, words[j : j + 2 * len(acronym)])
            for j, w in enumerate(words)
        ):
            return True
    return False


def _acronym_known(name: str, known) -> bool:
    """True when the initials of a name of three or more capitalised words ("Export Control
    Classification Number" -> "eccn") are a term the corpus holds: it names it that way."""
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper()]
    if len(words) < 3:
        return False
    folded = terms("".join(w[0] for w in words))
    return len(folded) == 1 and bool(known(folded[0]))


def definition(q: Question, hits: list[SentenceHit]) -> list[Scored]:
    """The answer to a question asking what an option does (Question.options): the entry that
    defines it, with its description (rag/options.py `entry_for`); or what a program or tool
    is (Question.defines): its manual's NAME line and DESCRIPTION's first sentence, or its
    README's "name is ..." (rag/definitions.py). Each unit cited; [] when the retrieved units
    hold none in a document about the command or name asked."""
    if q.options:
        units = options.entries_for(q.text, q.options, hits, planted)
    elif q.defines:
        units = [u for u in definitions.definition_units(q.defines, hits) if not planted(u.text)]
    else:
        return []
    return [Scored(u, {}, frozenset(), 1.0) for u in units]


def compose(
    question: Question | str,
    query: str,
    qvec: np.ndarray,
    hits: list[SentenceHit],
    passages: list[Passage],
    idf,
    scorer=None,
    known=lambda term: True,
    mentions=None,
    text_of=None,
    planted_in=None,
) -> Composed:
    """The cited answer or a refusal. `scorer` ranks the candidates and decides whether to
    answer: the learned rag.scorer.AnswerScorer (None: the shipped one) or hand-set rag.signals.Weights.
    `question` is parsed once (rag/question.py) or given parsed; `known(term)` and
    `mentions(term sequence)` say what the whole corpus holds (see unmentioned); `text_of(source)`
    gives a document's text or None (see rag.excerpt.cite); `planted_in(source)` whether a
    document holds planted text anywhere (see rag.planted.planted_warning)."""
    q = with_names_from(parse(question), hits)
    about_notes = about_notes_q(q)
    warning = planted_warning(hits, quoted=about_notes, passages=passages, planted_in=planted_in)
    if warning and not about_notes:
        hits, passages = demote_planted(hits, passages, qvec)
    # The entry of an option of a command the documents' manual is about answers, whatever else
    # the question names ("... in our Dockerfile. What does that option do?").
    entry = definition(q, hits)
    if entry:
        text, citations = cite(entry, query, text_of)
        return Composed(text, True, citations, [], warning)
    absent = unmentioned(q, passages, known, mentions, hits)
    if absent:
        names = ", ".join(f"\u201c{n}\u201d" for n in absent)
        return Composed(f"{REFUSAL} They never mention {names}.", False, [], passages[:3], warning)
    if scorer is None:
        from .scorer import default_scorer

        scorer = default_scorer()
    ranked = scorer.rank(features(q, query, qvec, hits, idf))
    if not scorer.answers(ranked, passages, query, idf):
        return Composed(REFUSAL, False, [], passages[:3], warning)
    # A title names the topic (it counts as every sentence's context) and a question (an
    # interviewer's, a heading's) asks rather than states: either may weigh in the decision to
    # answer, never be quoted as the answer; nor may a page's running head or foot.
    quotable = [
        c for c in ranked if not is_title(c.hit) and not asks_itself(c.hit.text) and not running_head(c.hit.text)
    ]
    if not quotable:
        return Composed(REFUSAL, False, [], passages[:3], warning)
    chosen = select(defining_first(q, quotable), query, q, hits)
    if sibling_nearer(qvec, hits, chosen):
        return Composed(REFUSAL, False, [], passages[:3], warning)
    if leaves_undefined(q, chosen):
        said = f"{REFUSAL} None of them says what \u201c{q.defines}\u201d is."
        return Composed(said, False, [], passages[:3], warning)
    text, citations = cite(chosen, query, text_of)
    return Composed(text, True, citations, [], "; ".join(w for w in (warning, pointer_warning(chosen[0])) if w))


DEFINING_RANK = 5  # a what-is question's best-ranked candidates searched for one saying what the name is


# How much nearer the question (cosine) a sibling's sentence may be than every sentence quoted,
# before the quote is taken for a distractor. Read off helper 82's probe (125 questions on four
# invented corpora, none of the evaluation's): the answers it got right had gaps up to 0.105,
# the near-topic questions it answered wrongly after a veto 0.14-0.33.
SIBLING_GAP = 0.15


def sibling_nearer(qvec: np.ndarray, hits: list[SentenceHit], chosen: list[Scored]) -> bool:
    """True when a sentence vetoed as another thing's value (rag.rivals: "Children and teenagers
    under 16 pay no overdue fines." for under-18s) is nearer the question than every chosen one
    by SIBLING_GAP or more: the documents speak of a sibling of what was asked, and what is
    left ("Adult members pay an overdue fine of 25p per day") is a neighbour, not an answer.
    A title is no sibling: it names the topic, always near the question ("Riverside Dental Surgery
    staff" names no practice manager, yet is no rival answer to who the practice manager is)."""
    rivals = [float(h.vector @ qvec) for h in hits if h.rival and not is_title(h)]
    if not rivals or not chosen:
        return False
    return max(rivals) - max(float(c.hit.vector @ qvec) for c in chosen) >= SIBLING_GAP


def defining_first(q: Question, ranked: list[Scored]) -> list[Scored]:
    """The ranked candidates of a what-is question (Question.defines) with the best-ranked of
    the first DEFINING_RANK that says what the name is (`leaves_undefined` would pass it)
    moved to the front: "The resulting directory proj.git contains a "bare" git repository
    --it is just the contents of ..." before "Creating a new repository from scratch is very
    easy:". Unchanged for other questions."""
    if not q.defines:
        return ranked
    i = next((i for i, c in enumerate(ranked[:DEFINING_RANK]) if not leaves_undefined(q, [c])), 0)
    return [ranked[i], *ranked[:i], *ranked[i + 1 :]] if i else ranked


def leaves_undefined(q: Question, chosen: list[Scored]) -> bool:
    """True when the units `chosen` to answer a what-is question (Question.defines) do not say
    what the name is: "What is strace?" is not answered by "We tried strace on the worker in
    March." None says it (rag.definitions.states) or stands under a title or heading about
    the name (definitions.headed). compose() then refuses, and so does the evaluation's
    calibration (eval.calibrate.outcomes)."""
    if not q.defines:
        return False
    if any(
        definitions.states(c.hit.text, q.defines) or definitions.headed(q.defines, c.hit.title, c.hit.context)
        for c in chosen
    ):
        return False
    # A sentence that says it of the name by a pronoun, after one naming it (`says_next`).
    return not any(
        a.hit.source == b.hit.source and b.hit.index == a.hit.index + 1 and says_next(q.defines, a.hit.text, b.hit.text)
        for a, b in zip(chosen, chosen[1:])
    )


POINTER_SHARE = 0.5  # a quote at least this much cross-reference (reference_share) is flagged


def pointer_warning(best: Scored) -> str:
    """The JSON warning for an answer whose first quote mostly refers elsewhere ("See
    gitignore(5) for the details."): it says where to look, not the answer; "" otherwise."""
    if reference_share(best.hit.text) < POINTER_SHARE:
        return ""
    return (
        f"the quoted sentence of {best.hit.source} mostly refers to another part of the documents "
        "(a cross-reference); the answer may be there, not in the quote"
    )


def with_names_from(q: Question, hits: list[SentenceHit]) -> Question:
    """The question with the names its letter case could not show: a question typed in ALL CAPS,
    Headline Case or lower case ("where does mukhtar ablyazov live now?") names what the retrieved
    sentences write as a name ("Mukhtar Ablyazov"), wherever its words run in the same order. So
    every spelling of a question is read alike; one with names of its own is returned as it is."""
    if q.names or not hits:
        return q
    seqs = {}
    for h in hits:
        for run in name_runs(h.text, first=True):
            seq = tuple(terms(run))
            if len(seq) >= 2 and not set(seq) <= CALENDAR_TERMS:
                seqs.setdefault(seq, run)
    found = [(run, seq) for seq, run in seqs.items() if contains(list(q.terms), list(seq))]
    # The longest names first; a name inside a longer one found is not another name.
    found.sort(key=lambda x: -len(x[1]))
    kept: list[tuple[str, tuple[str, ...]]] = []
    for run, seq in found:
        if not any(contains(list(k), list(seq)) for _, k in kept):
            kept.append((run, seq))
    return replace(q, names=tuple(kept)) if kept else q


def in_question_language(q: Question, composed: Composed, passages: list[Passage]) -> Composed:
    """The composed answer, held to what the English default model can match.

    A question in one language is not answered from a passage in another: the English model
    matches them by accident (names, numbers), not by meaning. In its own language it must
    share a word (a character pair) with the quote: the English model's sense of meaning does
    not carry over. A refusal of a question (or from documents) in another language then says
    so (rag.language.notice), instead of "the documents don't say" with an invented reason."""
    if not passages or (q.language == "en" and composed.answered):
        return composed
    langs = {p.source: language.detect(p.text[:1000]) for p in passages[:3]}
    if composed.answered and (
        any(not language.agrees(c.text, q.language) for c in composed.citations)
        or (q.language != "en" and not any(set(q.terms) & set(terms(c.text)) for c in composed.citations))
    ):
        composed = Composed("", False, [], passages[:3], composed.warning)
    # A few keywords ("Preis Familienmitgliedschaft?") are too short for `q.language`: read
    # again as keywords, they only word a refusal, never drop an answer ("Panna cotta?" is English).
    asked = q.language if q.language != "en" else language.detect_question(q.text)  # (here: refused)
    if not composed.answered and (asked != "en" or set(langs.values()) != {"en"}):
        own = [source for source, lang in langs.items() if lang == asked]
        said = language.notice(asked, sorted(set(langs.values())), own)
        composed.text = said
        composed.warning = "; ".join(w for w in (composed.warning, said) if w)
    return composed
