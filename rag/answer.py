"""Compose a short answer from source sentences, each cited: retrieve -> **answer** -> cite.

What it does (the offline default, no LLM): scores every sentence of the retrieved
passages and quotes the best one or two verbatim, each followed by its marker `[n]`.
The signals, combined by `Weights`:
  - sim: cosine between the question's and the sentence's MiniLM vectors;
  - cover / strict: the IDF-weighted share of the question's terms found in the sentence,
    with its context (previous sentence, document title, the document's recurring names)
    counting at half weight for `cover` and not at all for `strict`;
  - type: "how many" wants a number (a percentage does not answer "what is the
    population"), "when" a date, "who" a name, "where" a place. For amounts and dates
    this is a hard filter: a sentence with none is not an answer.
A sentence that is itself a question (an interviewer's) is discounted; bylines and
fragments are ignored. A second sentence joins when the best one merely echoes the
question (then its successor says the rest) or when it is nearly as good and adds
question terms. When the best score is under `Weights.threshold`, the answer is a
refusal listing the closest passages as nearest passages, never as citations.
The weights and threshold are calibrated, not guessed: `python -m eval.calibrate`.

What it deliberately doesn't: paraphrase, summarise or agree with a question's premise.
Every answer sentence is a verbatim quote, so a false premise is met with the sentence
that contradicts it, and nothing is claimed that a source does not say word for word.
It cannot tell a sentence that uses the question's words for another fact from one that
answers it; the evaluation harness measures how often that happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .retrieve import SentenceHit
from .text import terms
from .types import Citation, Passage


@dataclass(frozen=True)
class Weights:
    """How the signals combine, and when to refuse. Calibrated, not guessed:
    `python -m eval.calibrate` searches these on answerable and unanswerable questions
    and writes eval/report/calibration.md; the defaults are its choice."""

    sim: float = 0.316  # cosine(question, sentence)
    cover: float = 0.316  # IDF-weighted share of question terms in the sentence (context at half)
    strict: float = 0.316  # the same, counting the sentence alone
    type: float = 0.053  # has the kind of token the question asks for
    question_penalty: float = 0.85  # a sentence that is itself a question is weak evidence
    min_sim: float = 0.0  # below this the best sentence is about something else (0: off, as calibrated)
    threshold: float = 0.44  # below this the answer is a refusal


DEFAULT_WEIGHTS = Weights()
FOLLOWER_RATIO = 0.92  # a second sentence must score within 8% of the best
MAX_SENTENCES = 2
REDUNDANT_COSINE = 0.85
CARRIED_WEIGHT = 0.5
ECHO_MAX_NEW_TERMS = 2  # a best sentence adding fewer terms than this only restates the question
# Questions for an amount or a date are not answered by a sentence with none in it.
STRICT_KINDS = ("number", "percent", "date")

REFUSAL = "The documents don't say."

_PERCENT_Q = re.compile(r"\b(percentage|percent|share|proportion|fraction|what part)\b", re.I)
# "how many", and "what is the population/size/price of ...": questions whose answer is an amount.
_NUMBER_Q = re.compile(
    r"\b(how (many|much|long|old|far|large|big|often|tall|high)|what (is|was|are|were) (the|its|their|his|her)?\s*"
    r"(population|size|area|number|amount|sum|salary|wage|price|cost|budget|income|revenue|gdp|age|height|length|"
    r"distance|rate|total|toll|turnout|value|debt|capacity)|what (number|amount|sum|salary|price))\b",
    re.I,
)
_DATE_Q = re.compile(
    r"\b(when|what (year|date|day|month|time)|which (year|date|day|month)|since when|how long ago)\b", re.I
)
_WHO_Q = re.compile(r"^\s*(who|whom|whose)\b|\bwho (is|was|are|were|heads|leads|runs|said|called|sent)\b", re.I)
_WHERE_Q = re.compile(r"\b(where|which (city|country|town|place))\b", re.I)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "hundreds?|thousands?|millions?|billions?|dozens?"
)
_HAS_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.I)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?\s*(?:%|per ?cent\b)", re.I)
_HAS_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d|January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|ago)\b"
)
_CAP = r"[A-Z][a-z\u00C0-\u024F]+"
# A capitalised word inside the sentence, or at its start when a name follows it
# ("Mukhtar Ablyazov ...") or a comma does ("Ablyazov, who ..."): a sentence's first
# word is capitalised anyway, so alone it says nothing.
_NAME = re.compile(rf"(?<=[\w,;:\u201c\"(]\s)\b{_CAP}(?:[-\s]{_CAP})*|^[\W]*{_CAP}(?=[-\s]{_CAP}|,)")


def answer_type(question: str) -> str | None:
    """'number', 'date', 'person', 'place' or None (no particular kind expected)."""
    if _PERCENT_Q.search(question):
        return "percent"
    if _NUMBER_Q.search(question):
        return "number"
    if _DATE_Q.search(question):
        return "date"
    if _WHO_Q.search(question):
        return "person"
    if _WHERE_Q.search(question):
        return "place"
    return None


def type_match(kind: str | None, sentence: str, question: str) -> float:
    """1.0 when the sentence holds what the question asks for, 0.0 when not, 0.5 if no kind."""
    if kind is None:
        return 0.5
    if kind == "percent":
        return 1.0 if _PERCENT.search(sentence) else 0.0
    if kind == "number":
        # A share ("90% of the population") does not answer "what is the population".
        return 1.0 if _HAS_NUMBER.search(_PERCENT.sub(" ", sentence)) else 0.0
    if kind == "date":
        return 1.0 if _HAS_DATE.search(sentence) else 0.0
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    names = [m.group() for m in _NAME.finditer(sentence) if m.group().split()[0].lower() not in asked]
    return 1.0 if names else 0.0


def answerable_sentence(text: str) -> bool:
    """Questions (an interviewer's) and fragments (bylines, 'to franceinfo') are not evidence."""
    stripped = text.rstrip("\"'\u201d\u2019 ")
    return not stripped.endswith("?") and len(text.split()) >= 4


@dataclass
class Scored:
    hit: SentenceHit
    sim: float
    cover: float
    strict: float
    type_score: float
    terms: frozenset
    score: float = 0.0

    def rescore(self, w: Weights) -> float:
        score = w.sim * self.sim + w.cover * self.cover + w.strict * self.strict + w.type * self.type_score
        if not _is_question(self.hit.text):
            return score
        return score * w.question_penalty


def _is_question(text: str) -> bool:
    return text.rstrip("\"'\u201d\u2019 ").endswith("?")


def features(question: str, query: str, qvec: np.ndarray, hits: list[SentenceHit], idf) -> list[Scored]:
    """The signals of every candidate sentence that could answer (unscored)."""
    own = set(terms(question))
    # Words carried from the history (a follow-up's resolved name) count half: the new
    # question's own words say what is asked now.
    weights = {t: idf(t) * (1.0 if t in own else CARRIED_WEIGHT) for t in set(terms(query))}
    total = sum(weights.values()) or 1.0
    kind = answer_type(question)
    title_terms: dict[str, set] = {}
    by_pos = {(h.source, h.index): frozenset(terms(h.text)) for h in hits}
    out = []
    for h in hits:
        if len(h.text.split()) < 4:  # bylines and fragments ('to franceinfo') are not evidence
            continue
        ts = type_match(kind, h.text, question)
        if kind in STRICT_KINDS and ts == 0.0:
            continue
        s_terms = by_pos[(h.source, h.index)]
        # Context at half weight: the title and the sentence before ("He now lives in Paris"
        # names its subject one sentence earlier).
        topic = f"{h.title} {h.passage.subjects}"
        context = title_terms.setdefault(topic, set(terms(topic))) | by_pos.get((h.source, h.index - 1), set())
        strict = sum(w for t, w in weights.items() if t in s_terms) / total
        cover = strict + sum(0.5 * w for t, w in weights.items() if t not in s_terms and t in context) / total
        out.append(Scored(h, float(np.dot(qvec, h.vector)), cover, strict, ts, s_terms))
    return out


def rank(candidates: list[Scored], w: Weights) -> list[Scored]:
    """Scored best first; ties broken by position, so the same input always gives the same answer."""
    for c in candidates:
        c.score = c.rescore(w)
    return sorted(candidates, key=lambda c: (-c.score, c.hit.source, c.hit.start))


def select(scored: list[Scored], query: str) -> list[Scored]:
    """The best sentence, plus at most one more: the next sentence when the best one only
    echoes the question ("I plan to return to Kazakhstan." is followed by how), else one
    that is nearly as good and adds question terms the first lacks."""
    if not scored:
        return []
    q_terms = set(terms(query))
    best = scored[0]
    chosen = [best]
    if best.type_score != 1.0 and len(best.terms - q_terms) < ECHO_MAX_NEW_TERMS:
        nxt = next((c for c in scored if c.hit.source == best.hit.source and c.hit.index == best.hit.index + 1), None)
        if nxt is not None:
            return [best, nxt]
    covered = set(best.terms) & q_terms
    for cand in scored[1:]:
        if len(chosen) >= MAX_SENTENCES or cand.score < FOLLOWER_RATIO * best.score:
            break
        if any(float(np.dot(cand.hit.vector, c.hit.vector)) > REDUNDANT_COSINE for c in chosen):
            continue
        new = (set(cand.terms) & q_terms) - covered
        if not new:
            continue
        chosen.append(cand)
        covered |= new
    return chosen


def cite(chosen: list[Scored]) -> tuple[str, list[Citation]]:
    """Answer text with [n] after each sentence; citations numbered 1..N by first use."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, int, int], int] = {}
    parts = []
    for s in chosen:
        h = s.hit
        key = (h.source, h.start, h.end)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(
                Citation(
                    n=numbers[key],
                    source=h.source,
                    title=h.title,
                    text=h.text,
                    start=h.start,
                    end=h.end,
                    score=s.score,
                    passage_start=h.passage.start,
                    passage_end=h.passage.end,
                )
            )
        parts.append(f"{h.text} [{numbers[key]}]")
    return " ".join(parts), citations


@dataclass
class Composed:
    text: str
    answered: bool
    citations: list[Citation]
    nearest: list[Passage]
    best_score: float


def compose(
    question: str,
    query: str,
    qvec: np.ndarray,
    hits: list[SentenceHit],
    passages: list[Passage],
    idf,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Composed:
    ranked = rank(features(question, query, qvec, hits, idf), weights)
    best = ranked[0] if ranked else None
    if best is None or best.score < weights.threshold or best.sim < weights.min_sim:
        return Composed(REFUSAL, False, [], passages[:3], best.score if best else 0.0)
    text, citations = cite(select(ranked, query))
    return Composed(text, True, citations, [], best.score)
