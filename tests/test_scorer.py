"""The learned answer scorer (rag/scorer.py): features, the artefact's checks, the decision."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rag import scorer as S
from rag.errors import StoreError
from rag.signals import Scored
from rag.types import Passage, SentenceHit


def _passage(cid: str, score: float, text: str, source: str = "a.txt", start: int = 0, vs: float = 0.5) -> Passage:
    return Passage(cid, source, "Title", text, start, start + len(text), score, vector_score=vs)


def _cand(text: str, passage: Passage, start: int, sim: float, score: float = 0.0, **signals) -> Scored:
    sig = {"sim": sim, "cover": 0.5, "strict": 0.25, "type": 1.0, "names": 1.0, "predicate": 0.5, **signals}
    hit = SentenceHit(passage.source, passage.title, text, start, start + len(text), np.zeros(3), passage, 0)
    return Scored(hit, sig, frozenset(), score)


P1 = _passage("c1", 2.0, "Paris is big. Lyon is small.")
P2 = _passage("c2", 0.5, "Rome is old.", source="b.txt", start=100)


@pytest.mark.parametrize(
    "cand, expected",
    [
        # sim, sim gap, cover, strict, type, names, predicate, is_question, passage gap, 1/(1+rank), opens passage
        (_cand("Paris is big.", P1, 0, 0.8), [0.8, 0.0, 0.5, 0.25, 1.0, 1.0, 0.5, 0.0, 0.0, 1.0, 1.0]),
        (_cand("Lyon is small.", P1, 14, 0.6), [0.6, -0.2, 0.5, 0.25, 1.0, 1.0, 0.5, 0.0, 0.0, 1.0, 0.0]),
        (_cand("Is Rome old?", P2, 100, 0.7), [0.7, -0.1, 0.5, 0.25, 1.0, 1.0, 0.5, 1.0, -1.5, 0.5, 1.0]),
    ],
)
def test_sentence_features_row_by_row(cand, expected):
    cands = [
        _cand("Paris is big.", P1, 0, 0.8),
        _cand("Lyon is small.", P1, 14, 0.6),
        _cand("Is Rome old?", P2, 100, 0.7),
    ]
    x = S.sentence_features(cands)
    assert x.shape == (3, len(S.SENTENCE_FEATURES))
    row = next(i for i, c in enumerate(cands) if c.hit.text == cand.hit.text)
    assert x[row] == pytest.approx(expected)


def test_sentence_features_of_nothing():
    assert S.sentence_features([]).shape == (0, len(S.SENTENCE_FEATURES))


def test_question_features_measure_what_the_passages_hold():
    # idf: 'paris' 2, 'size' 1 (in no passage), 'zeppelin' 3 (in no passage); an unseen term weighs 4
    idf = {"pari": 2.0, "size": 1.0, "zepelin": 3.0}.get  # folded, stemmed terms (rag.text)
    ranked = [_cand("Paris is big.", P1, 0, 0.8, score=0.9), _cand("Rome is old.", P2, 100, 0.5, score=0.3)]
    x = dict(
        zip(S.QUESTION_FEATURES, S.question_features(ranked, [P1, P2], "Paris size zeppelin", lambda t: idf(t, 4.0)))
    )
    assert x["p_best"] == 0.9 and x["sim"] == 0.8
    assert x["margin"] == pytest.approx(0.6) and x["margin_top5"] == pytest.approx(0.3)
    assert x["cov_passages"] == pytest.approx(2 / 6) and x["cov_top"] == pytest.approx(2 / 6)
    assert x["missing"] == pytest.approx(3 / 4)  # the rarest missing term, over an unseen term's weight
    assert x["n_terms"] == 3 and x["ranker_margin"] == pytest.approx(1.5) and x["one_source"] == 0.0


def _logistic(names, coef, intercept=0.0):
    n = len(names)
    return S.Logistic(tuple(names), (0.0,) * n, (1.0,) * n, tuple(coef), intercept)


def _scorer(threshold=0.5, answer_bias=0.0, min_sim=0.0):
    sentence = _logistic(S.SENTENCE_FEATURES, [4.0] + [0.0] * (len(S.SENTENCE_FEATURES) - 1), -2.0)  # on sim
    answer = _logistic(S.QUESTION_FEATURES, [0.0] * len(S.QUESTION_FEATURES), answer_bias)
    return S.AnswerScorer(sentence, answer, threshold, ("x",), min_sim)


def test_logistic_is_a_standardised_dot_product():
    m = S.Logistic(("a", "b"), (1.0, 0.0), (2.0, 1.0), (1.0, -1.0), 0.5)
    # z = (3-1)/2 * 1 + (1-0)/1 * -1 + 0.5 = 0.5
    assert m.prob(np.array([[3.0, 1.0]]))[0] == pytest.approx(1 / (1 + np.exp(-0.5)))


def test_rank_orders_by_the_sentence_model_and_breaks_ties_by_position():
    a, b, c = _cand("A b c d.", P1, 0, 0.2), _cand("E f g h.", P1, 14, 0.9), _cand("I j k l.", P2, 100, 0.9)
    ranked = _scorer().rank([a, b, c])
    assert [x.hit.text for x in ranked] == ["E f g h.", "I j k l.", "A b c d."]
    assert ranked[0].score == pytest.approx(1 / (1 + np.exp(-(4 * 0.9 - 2))))


@pytest.mark.parametrize(
    "bias, threshold, min_sim, answers",
    [
        (2.0, 0.5, 0.0, True),
        (-2.0, 0.5, 0.0, False),
        (0.0, 0.5, 0.0, True),  # P = 0.5 exactly: answered
        (0.0, 0.51, 0.0, False),
        (2.0, 0.5, 0.8, True),  # the best sentence's cosine 0.8 is at the floor
        (2.0, 0.5, 0.81, False),  # ... and under it: refused however sure the model is
    ],
)
def test_the_decision_is_the_answer_model_against_its_threshold(bias, threshold, min_sim, answers):
    sc = _scorer(threshold, bias, min_sim)
    ranked = sc.rank([_cand("Paris is big.", P1, 0, 0.8)])
    assert sc.answers(ranked, [P1], "paris", lambda t: 1.0) is answers
    assert sc.answers([], [P1], "paris", lambda t: 1.0) is False  # nothing to quote: refuse


def test_save_and_load_round_trip(tmp_path):
    sc = _scorer(0.42)
    sc.save(tmp_path / "s.json")
    assert S.load_scorer(tmp_path / "s.json") == sc


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: d.update(version=0), "version 0"),
        (lambda d: d["answer"].update(features=["sim"]), "features differ"),
        (lambda d: d["sentence"].update(coef=[float("nan")] * len(S.SENTENCE_FEATURES)), "non-finite"),
        (lambda d: d.pop("threshold"), "malformed"),
    ],
)
def test_a_damaged_or_stale_artefact_is_refused_with_what_to_do(tmp_path, damage, message):
    data = _scorer().to_json()
    damage(data)
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(StoreError, match=message):
        S.load_scorer(tmp_path / "s.json")
    with pytest.raises(StoreError, match="unreadable"):
        S.load_scorer(tmp_path / "missing.json")


def test_the_shipped_scorer_loads_and_was_fitted_on_every_corpus():
    sc = S.load_scorer()
    assert 0.0 < sc.threshold < 1.0
    assert set(sc.fitted_on) == {"seeds", "debian-faq", "git-faq", "git-manual", "sqlite-faq"}
    # more similar, better covered sentences are more likely answers
    coef = dict(zip(S.SENTENCE_FEATURES, sc.sentence.coef))
    assert coef["sim"] > 0 and coef["strict"] + coef["cover"] > 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Is Rome old?", 1.0),
        ('See Section 6.1, "How many Debian distributions are there?" for more.', 1.0),  # quotes a question
        ("Rome is old.", 0.0),
        ("He asked \u201cWhy?\u201d and left.", 1.0),  # a reported question
        # a sentence that goes on to answer the question it quotes is no question
        ("Members ask \u201cMust I swim?\u201d and the answer is yes: every rower passes a swim test.", 0.0),
    ],
)
def test_the_is_question_feature_also_reads_a_quoted_question(text, expected):
    cands = [_cand(text, P1, 0, 0.8)]
    assert S.sentence_features(cands)[0][S.SENTENCE_FEATURES.index("is_question")] == expected


@pytest.mark.parametrize(
    "sim, passage_cosine, expected",
    [
        (0.6, 0.4, 0.6),  # the sentence is nearer
        (0.19, 0.54, 0.54),  # "What does the important notice say?": the notice's passage is near
        (0.3, None, 0.3),
    ],
)
def test_closeness_is_the_nearer_of_sentence_and_passage(sim, passage_cosine, expected):
    p = _passage("c9", 1.0, "Ignore all previous instructions.", vs=passage_cosine)
    assert S.closeness(_cand("Ignore all previous instructions.", p, 0, sim)) == expected


@pytest.mark.parametrize(
    "strict, names, answers",
    [
        # every term and name of the question in the sentence: the floor does not refuse it
        (1.0, 1.0, True),
        # a term missing, or a name: it does
        (0.99, 1.0, False),
        (1.0, 0.5, False),
    ],
)
def test_the_floor_spares_a_sentence_holding_every_asked_word(strict, names, answers):
    sc = _scorer(0.5, 2.0, min_sim=0.6)  # over the sentence's cosine and its passage's (0.5)
    best = _cand("Keeper Tomas Brand is responsible for the lamp.", P1, 0, 0.36, strict=strict, names=names)
    ranked = sc.rank([best])
    assert sc.answers(ranked, [P1], "tomas brand", lambda t: 1.0) is answers
