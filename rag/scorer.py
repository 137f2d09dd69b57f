"""Learned answer scoring: retrieve -> **answer (score, decide)** -> cite.

What it does: two small logistic models, learned from the evaluation's labelled questions
(eval/questions/, five corpora) instead of hand-set weights:

1. the sentence model gives each candidate sentence P(quoting it answers the question),
   from SENTENCE_FEATURES: the answerer's signals (rag/signals.py `features`: cosine,
   term coverage, answer type, names), the sentence's cosine gap from the best candidate,
   whether it is itself a question, and where its passage stands in the retrieval ranking
   (the learned ranker's score gap from the top passage, 1 / its rank, whether the sentence
   opens the passage);
2. the answer model gives the question P(the retrieved passages answer it) from
   QUESTION_FEATURES of the best candidate and the retrieval as a whole (the best sentence's
   probability and signals, its margin over the next ones, how much of the question's IDF
   mass the passages hold, the rarest question term they lack, the ranker's top margin);
   below `threshold`, or when the best candidate is further in meaning than `min_sim` (the floor
   under which almost no answerable question of the fit corpora fell) and does not hold every
   term and name of the question (`worded`), it refuses.

Both are stored in rag/scorer.json with SCORER_VERSION, checked on load. At query time
each is one standardised dot product and a logistic in numpy; scipy is imported only to
fit (eval/calibrate.py: `python -m eval.calibrate --fit`), where every corpus weighs the
same, each weight keeps the sign SIGNS gives it, and the threshold keeps false refusals at
or under 5 % per fit corpus. The evaluation refits the scorer (and the passage ranker) per
fold, leave-one-corpus-out (eval/protocol.py), so the figures it reports are on corpora the
models never saw.

What it deliberately doesn't: read the passage text beyond terms (no cross-encoder or
entailment model ships offline here), or fit anything at query time.
Method: logistic regression as a learned answer selector and an answerability classifier
(cf. "no-answer" heads of extractive readers, Rajpurkar et al. 2018, SQuAD 2.0), over
hand-defined features (learning to rank, Liu 2009).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import StoreError
from .question import asked_terms
from .signals import is_question, value_terms
from .text import dates, passage_terms

SCORER_VERSION = 3
SCORER_PATH = Path(__file__).parent / "scorer.json"

SENTENCE_FEATURES = (
    "sim",  # cosine(question, sentence)
    "sim_gap",  # that minus the best candidate's (<= 0)
    "cover",  # IDF share of question terms in the sentence or its context
    "strict",  # the same, in the sentence alone
    "type",  # holds the asked-for kind (number, date, name)
    "names",  # share of the question's names present
    "predicate",  # IDF share of the question's other terms (what is asked of the names) in the sentence
    "is_question",  # the sentence is itself a question or quotes one (rag.signals.is_question)
    "passage_gap",  # its passage's ranker score minus the top passage's (<= 0)
    "passage_rr",  # 1 / (1 + its passage's rank)
    "opens_passage",  # the sentence starts its passage
)

QUESTION_FEATURES = (
    "p_best",  # the sentence model's probability for the best candidate
    "sim",
    "strict",
    "cover",
    "names",
    "type",
    "margin",  # best probability minus the second's
    "margin_top5",  # best probability minus the mean of the top five
    "sim_gap_top10",  # best cosine minus the mean of the ten best cosines
    "cov_passages",  # IDF share of the question's terms found in any retrieved passage
    "cov_top",  # ... in the top passage
    "missing",  # IDF of the rarest question term no passage holds / IDF of an unseen term
    "missing_top",  # ... that the top passage lacks
    "n_terms",  # how many distinct terms the question has
    "ranker_margin",  # top passage's ranker score minus the second's
    "cos_passage",  # best passage cosine
    "one_source",  # the top three passages come from one document
)


# The sign each feature's weight may take when fitted (+1: never lowers the probability,
# -1: never raises it, 0: free): what is known before any data, so the fit cannot learn a
# corpus's quirk such as "a sentence holding all the question's words is less likely the
# answer" (true of FAQ entries whose question was cut out, false in general).
SIGNS = {
    "sim": 1,
    "sim_gap": 1,
    "cover": 1,
    "strict": 1,
    "type": 1,
    "names": 1,
    "predicate": 1,
    "is_question": -1,
    "passage_gap": 1,
    "passage_rr": 1,
    "opens_passage": 0,
    "p_best": 1,
    "margin": 1,
    "margin_top5": 1,
    "sim_gap_top10": 1,
    "cov_passages": 1,
    "cov_top": 1,
    "missing": -1,
    "missing_top": -1,
    "n_terms": 0,
    "ranker_margin": 1,
    "cos_passage": 1,
    "one_source": 0,
}


def sentence_features(cands: list) -> np.ndarray:
    """(len(cands), len(SENTENCE_FEATURES)) for rag.signals.Scored candidates."""
    if not cands:
        return np.zeros((0, len(SENTENCE_FEATURES)))
    by_passage = {c.hit.passage.chunk_id: c.hit.passage.score for c in cands}
    order = sorted(by_passage, key=lambda cid: -by_passage[cid])
    rank = {cid: i for i, cid in enumerate(order)}
    top = by_passage[order[0]]
    best_sim = max(c.sim for c in cands)
    rows = []
    for c in cands:
        s, p = c.signals, c.hit.passage
        rows.append(
            [
                s["sim"],
                s["sim"] - best_sim,
                s["cover"],
                s["strict"],
                s["type"],
                s["names"],
                s["predicate"],
                float(is_question(c.hit.text)),
                p.score - top,
                1.0 / (1 + rank[p.chunk_id]),
                float(c.hit.start == p.start),
            ]
        )
    return np.asarray(rows, dtype=float)


@lru_cache(maxsize=256)
def _dated(text: str) -> frozenset[str]:
    """The dates a passage states, as value terms (rag.signals.value_terms)."""
    return value_terms(frozenset(), dates(text))


def question_features(ranked: list, passages: list, query: str, idf) -> np.ndarray:
    """(len(QUESTION_FEATURES),) for candidates ranked best first by the sentence model
    (their `score` its probability), the retrieved passages and the query."""
    best = ranked[0]
    scores = [c.score for c in ranked]
    sims = sorted((c.sim for c in ranked), reverse=True)
    # A date counts as one value however it is written ("15 March 2024" / "2024-03-15"), as in
    # the sentence features (rag/signals.py `features`): its words are not terms a passage lacks.
    weights = {t: idf(t) for t in set(asked_terms(query))}
    weights.update({v: max(weights.values(), default=1.0) for v in value_terms(frozenset(), dates(query))})
    total = sum(weights.values()) or 1.0
    texts = [set(passage_terms(p.title, p.text)) | _dated(p.text) for p in passages]  # cached: unmentioned() read them
    union = set().union(*texts) if texts else set()
    top = texts[0] if texts else set()
    unseen = idf("\x00") or 1.0  # the weight of a term the corpus never holds: the largest there is
    vector_scores = [p.vector_score for p in passages if p.vector_score is not None]
    return np.asarray(
        [
            best.score,
            best.sim,
            best.signals["strict"],
            best.signals["cover"],
            best.signals["names"],
            best.signals["type"],
            best.score - (scores[1] if len(scores) > 1 else 0.0),
            best.score - float(np.mean(scores[:5])),
            sims[0] - float(np.mean(sims[:10])),
            sum(w for t, w in weights.items() if t in union) / total,
            sum(w for t, w in weights.items() if t in top) / total,
            max((w for t, w in weights.items() if t not in union), default=0.0) / unseen,
            max((w for t, w in weights.items() if t not in top), default=0.0) / unseen,
            float(len(weights)),
            passages[0].score - passages[1].score if len(passages) > 1 else 1.0,
            max(vector_scores, default=0.0),
            float(len({p.source for p in passages[:3]}) == 1),
        ],
        dtype=float,
    )


@dataclass(frozen=True)
class Logistic:
    """P(y=1 | x) = sigmoid(((x - mean) / scale) . coef + intercept)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def prob(self, x: np.ndarray) -> np.ndarray:
        z = ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, data: dict, names: tuple[str, ...]) -> Logistic:
        model = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
        n = len(names)
        if model.features != names or not (len(model.mean) == len(model.scale) == len(model.coef) == n):
            raise StoreError(
                "answer scorer features differ from rag.scorer's: refit it (python -m eval.calibrate --fit)"
            )
        if not all(math.isfinite(v) for v in (*model.mean, *model.scale, *model.coef, model.intercept)):
            raise StoreError("answer scorer holds non-finite numbers: refit it")
        return model


def closeness(best) -> float:
    """How near in meaning the best candidate is: its cosine, or its passage's when higher
    (a question about what a titled document says, "What does the important notice say?",
    is near the passage that notice heads, not any one sentence of it). `min_sim` floors this."""
    return max(best.sim, best.hit.passage.vector_score or 0.0)


def worded(best) -> bool:
    """True when a candidate holds every term of the question and each name it asks about
    (`strict` and `names` signals of 1): no further in words than a sentence can be, however far
    MiniLM puts it in meaning ("Keeper Tomas Brand is responsible for cleaning the lamp lens each
    evening." is cosine .36 from "Who is Tomas Brand?"), so the `min_sim` floor does not refuse it
    (measured leave-one-corpus-out: one debian-faq answer gained, nothing lost elsewhere)."""
    return best.signals.get("strict", 0.0) >= 1.0 and best.signals.get("names", 0.0) >= 1.0


def rank(cands: list, sentence: Logistic) -> list:
    """Candidates best first, each `score` set to the sentence model's probability; ties
    broken by position, so the same input always gives the same answer."""
    if not cands:
        return []
    for c, p in zip(cands, sentence.prob(sentence_features(cands))):
        c.score = float(p)
    return sorted(cands, key=lambda c: (-c.score, c.hit.source, c.hit.start))


@dataclass(frozen=True)
class AnswerScorer:
    """The sentence model, the answer model and its threshold (see the module docstring)."""

    sentence: Logistic
    answer: Logistic
    threshold: float
    fitted_on: tuple[str, ...] = ()
    # The best candidate's closeness below which no answerable question of the fit corpora fell
    # (a low quantile, eval/calibrate.py): a floor a linear model cannot draw by itself.
    min_sim: float = 0.0

    def rank(self, cands: list) -> list:
        return rank(cands, self.sentence)

    def answerable(self, ranked: list, passages: list, query: str, idf) -> float:
        """P(the retrieved passages answer the question), in [0, 1]; 0 with no candidate or
        when the best candidate (or its passage: `closeness`) is further in meaning than `min_sim`
        and does not hold every term and name of the question (`worded`)."""
        if not ranked or not passages or (closeness(ranked[0]) < self.min_sim and not worded(ranked[0])):
            return 0.0
        return float(self.answer.prob(question_features(ranked, passages, query, idf)[None, :])[0])

    def answers(self, ranked: list, passages: list, query: str, idf) -> bool:
        """The decision compose() and the calibration share: answer, or refuse."""
        return self.answerable(ranked, passages, query, idf) >= self.threshold

    def to_json(self) -> dict:
        return {
            "version": SCORER_VERSION,
            "method": "sign-constrained L2 logistic regression, standardised features; eval/calibrate.py",
            "fitted_on": list(self.fitted_on),
            "threshold": self.threshold,
            "min_sim": self.min_sim,
            "sentence": self.sentence.to_json(),
            "answer": self.answer.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict) -> AnswerScorer:
        if data.get("version") != SCORER_VERSION:
            raise StoreError(
                f"answer scorer version {data.get('version')!r}, expected {SCORER_VERSION}: "
                "refit it (python -m eval.calibrate --fit)"
            )
        try:
            return cls(
                Logistic.from_json(data["sentence"], SENTENCE_FEATURES),
                Logistic.from_json(data["answer"], QUESTION_FEATURES),
                float(data["threshold"]),
                tuple(data.get("fitted_on", ())),
                float(data["min_sim"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"answer scorer is malformed ({exc}): refit it") from exc

    def save(self, path: Path = SCORER_PATH) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n")


def load_scorer(path: Path = SCORER_PATH) -> AnswerScorer:
    """The scorer saved at `path`; StoreError when unreadable, of another version or malformed."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise StoreError(f"answer scorer {path} unreadable ({exc})") from exc
    return AnswerScorer.from_json(data)


@lru_cache(maxsize=1)
def default_scorer() -> AnswerScorer:
    """The shipped scorer (rag/scorer.json), loaded once."""
    return load_scorer()
