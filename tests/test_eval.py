"""The evaluation harness's own parts: metrics, the gate, the question loader (no pipeline)."""

import json

import pytest
from conftest import SEEDS

from eval.__main__ import gate
from eval.metrics import aggregate, answer_correct, citation_scores, has_fact, retrieval_rank
from eval.questions import Evidence, Question, load


@pytest.mark.parametrize(
    "answer, fact, expected",
    [
        ("They earn 300-500 dollars a month.", "300-500 dollars", True),
        ("They earn 300\u2013500 Dollars.", "300-500 dollars", True),  # en dash, capital
        ("around 10,000 dollars", "10000 dollars", True),
        ("around 10.000 dollars", "10,000 dollars", False),
        ("a \u201cpolitical motive\u201d", "politically motivated|political motive", True),
        ("nothing relevant", "Paris", False),
    ],
)
def test_has_fact(answer, fact, expected):
    assert has_fact(answer, fact) is expected


def test_answer_correct_needs_every_fact():
    assert answer_correct("from 2005 to 2009", ["2005", "2009"])
    assert not answer_correct("from 2005", ["2005", "2009"])


C1 = {"n": 1, "text": "The CSTO will send about 3 thousand military personnel."}
C2 = {"n": 2, "text": "He now lives in Paris after obtaining refugee status in France."}


@pytest.mark.parametrize(
    "answer, citations, recall, precision, uncited",
    [
        ("The CSTO will send about 3 thousand military personnel. [1]", [C1], 1.0, 1.0, 0),
        ("The CSTO will send about 5 thousand soldiers. [1]", [C1], 0.0, 0.0, 0),
        # an irrelevant second citation halves precision, not recall
        ("The CSTO will send about 3 thousand military personnel. [1][2]", [C1, C2], 1.0, 0.5, 0),
        # an out-of-range number cites nothing
        ("He now lives in Paris after obtaining refugee status in France. [7]", [C1, C2], 0.0, 0.0, 0),
        ("An uncited claim. He now lives in Paris after obtaining refugee status in France. [2]", [C2], 0.5, 1.0, 1),
    ],
)
def test_citation_scores(answer, citations, recall, precision, uncited):
    got = citation_scores(answer, citations)
    assert got["citation_recall"] == recall and got["citation_precision"] == precision
    assert got["uncited_sentences"] == uncited


def test_retrieval_rank_counts_a_passage_containing_the_evidence():
    q = Question("x", "c", "q?", evidence=[Evidence("a.txt", 100, 120, "t")])
    retrieved = [
        {"source": "a.txt", "start": 0, "end": 110},
        {"source": "b.txt", "start": 0, "end": 500},
        {"source": "a.txt", "start": 90, "end": 300},
    ]
    assert retrieval_rank(q, retrieved) == 3
    assert retrieval_rank(q, retrieved[:2]) is None


def test_gate_and_aggregate():
    thresholds = {"accuracy": {"min": 0.9}, "false_refusal": {"max": 0.05}, "uncited_sentences": {"max": 0}}
    rows = [
        {"accuracy": 1.0, "false_refusal": 0.0, "uncited_sentences": 0},
        {"accuracy": 0.0, "false_refusal": 1.0, "uncited_sentences": 2},
        {"accuracy": None, "false_refusal": None, "uncited_sentences": None},
    ]
    agg = aggregate(rows)
    assert agg["accuracy"] == 0.5 and agg["false_refusal"] == 0.5 and agg["uncited_sentences"] == 2
    failures = gate(agg, thresholds)
    assert len(failures) == 3
    assert gate({"accuracy": 0.95, "false_refusal": 0.0, "uncited_sentences": 0}, thresholds) == []
    assert gate({"accuracy": None, "false_refusal": 0.0, "uncited_sentences": 0}, thresholds) == [
        "accuracy: not measured"
    ]


def test_the_question_set_meets_its_brief():
    questions = load(docs=SEEDS)  # not the working directory's seeds/
    assert len(questions) >= 80
    assert sum(not q.answerable for q in questions) >= 15
    cats = {q.category for q in questions}
    assert {
        "number",
        "date",
        "name",
        "paraphrase",
        "variant",
        "false_premise",
        "followup",
        "multi_doc",
        "awkward",
        "unanswerable",
    } <= cats
    assert all(q.history for q in questions if q.category == "followup")


def test_loader_refuses_evidence_that_is_not_verbatim(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "a",
                "category": "c",
                "question": "q?",
                "key_facts": ["x"],
                "evidence": ["this sentence is in no seed"],
            }
        )
        + "\n"
    )
    with pytest.raises(ValueError, match="not found verbatim"):
        load(path)
