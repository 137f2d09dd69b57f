"""Calibrate the extractive answerer's weights and refusal threshold: `python -m eval.calibrate`.

What it does: runs every labelled question through the real retrieval (the Engine's own
code path), keeps each candidate sentence's signals (rag.answer.features), then searches
a grid of `Weights` for the setting that answers the most answerable questions with a
gold sentence on top while refusing the unanswerable ones, with false refusals kept at
or under 5 %. It prints the best setting next to the one in rag/answer.py and writes
eval/report/calibration.md. It changes no code: copying a new setting into
rag/answer.py is a reviewed decision.

Rows may come from several corpora (`row["corpus"]`, set by the caller): the search then
maximises the macro average over corpora of the per-corpus objective, so a large corpus
cannot outvote a small one. The evaluation (`python -m eval`) uses the three seams
`collect` / `fit` / `Engine.ask(..., weights=params)` for its leave-one-corpus-out protocol.

What it deliberately doesn't: hold out a test split here. `python -m eval.calibrate` fits
on the seeds alone and is in-sample; the evaluation's leave-one-corpus-out figures are the
judge.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from rag import Engine, Settings
from rag import answer as A
from rag.engine import clean_question

from .metrics import answer_is_correct
from .questions import load

REPORT = Path(__file__).parent / "report" / "calibration.md"
GRID = {
    "sim": [0.3, 0.4, 0.5],
    "cover": [0.2, 0.3],
    "strict": [0.1, 0.2, 0.3],
    "type": [0.05, 0.1],
    "names": [0.0, 0.1, 0.2],
    "question_penalty": [0.6, 0.85],
    "min_sim": [0.0, 0.25, 0.3, 0.35, 0.4],
}
THRESHOLDS = np.round(np.arange(0.25, 0.85, 0.005), 3)
MAX_FALSE_REFUSALS = 0.05


def collect(engine: Engine, questions) -> list[dict]:
    """Per question: the candidate sentences with their signals (unscored)."""
    rows = []
    for q in questions:
        question = clean_question(q.question)
        query, qvec, passages, hits = engine.retrieve(question, q.history)
        rows.append(
            {
                "q": q,
                "query": query,
                "cands": A.features(question, query, qvec, hits, engine.retriever.idf),
                "unmentioned": A.unmentioned(question, passages, engine.retriever.df.__contains__),
            }
        )
    return rows


def _outcome(r: dict, w: A.Weights) -> tuple[float, float, bool]:
    cache = r.setdefault("_outcomes", {})  # one ranking per (row, weights), reused across folds
    if w not in cache:
        ranked = A.rank(list(r["cands"]), w)
        if not ranked or r["unmentioned"]:  # refused before any scoring
            cache[w] = (0.0, 0.0, False)
        else:
            chosen = A.select(ranked, r["query"])
            text = " ".join(c.hit.text for c in chosen)
            cache[w] = (ranked[0].score, ranked[0].sim, answer_is_correct(r["q"], text, chosen[0].hit.source))
    return cache[w]


def outcomes(rows, w: A.Weights) -> list[tuple[float, float, bool]]:
    """Per question under weights `w`: (best score, its sim, whether the composed answer is
    right: eval.metrics.answer_is_correct). The threshold and min_sim only gate these, so
    one ranking serves every threshold."""
    return [_outcome(r, w) for r in rows]


def evaluate(rows, outs, threshold: float, min_sim: float) -> dict:
    """The gate's three answer metrics for one threshold and similarity floor."""
    good = false_ref = refused = n_ans = n_un = 0
    for r, (score, sim, correct) in zip(rows, outs):
        answered = score >= threshold and sim >= min_sim
        if r["q"].answerable:
            n_ans += 1
            good += answered and correct
            false_ref += not answered
        else:
            n_un += 1
            refused += not answered
    return {
        "accuracy": good / max(n_ans, 1),
        "false_refusal_rate": false_ref / max(n_ans, 1),
        "refusal_recall": refused / max(n_un, 1),
        "answerable": n_ans,
        "unanswerable": n_un,
    }


def objective(m: dict) -> tuple:
    """First how many of the gate's answer thresholds are met, then how well overall."""
    met = (m["accuracy"] >= 0.90) + (m["refusal_recall"] >= 0.90) + (m["false_refusal_rate"] <= MAX_FALSE_REFUSALS)
    return met, m["accuracy"] + m["refusal_recall"] - 4 * max(0.0, m["false_refusal_rate"] - MAX_FALSE_REFUSALS)


def _per_corpus(rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(answerable, unanswerable) masks of shape (corpora, rows), and the corpus names."""
    names = sorted({r.get("corpus", "") for r in rows})
    member = np.array([[r.get("corpus", "") == n for r in rows] for n in names])
    answerable = np.array([r["q"].answerable for r in rows])
    return member & answerable, member & ~answerable, np.array(names)


def search(rows) -> tuple[A.Weights, dict]:
    """The grid's best setting and its pooled metrics. The objective is `objective` per
    corpus, averaged over corpora (one corpus: exactly `objective`), vectorised over the
    thresholds."""
    if not rows:
        raise ValueError("nothing to fit on: no rows")
    ans_mask, un_mask, _ = _per_corpus(rows)
    n_ans = np.maximum(ans_mask.sum(1), 1)[:, None]  # (corpora, 1)
    n_un = np.maximum(un_mask.sum(1), 1)[:, None]
    th = THRESHOLDS[None, :, None]  # (1, thresholds, 1)
    best = None
    signals = ("sim", "cover", "strict", "type", "names")
    for values in itertools.product(*(GRID[k] for k in (*signals, "question_penalty"))):
        total = sum(values[:-1])  # weights are normalised to sum to 1, so a score reads as a share
        base = A.Weights(**{k: v / total for k, v in zip(signals, values[:-1])}, question_penalty=values[-1])
        score, sim, correct = (np.array(col) for col in zip(*outcomes(rows, base)))
        for min_sim in GRID["min_sim"]:
            answered = (score[None, None, :] >= th) & (sim >= min_sim)[None, None, :]  # (1, thresholds, rows)
            acc = (answered & correct & ans_mask[:, None, :]).sum(2) / n_ans  # (corpora, thresholds)
            false_ref = (~answered & ans_mask[:, None, :]).sum(2) / n_ans
            refused = (~answered & un_mask[:, None, :]).sum(2) / n_un
            met = (acc >= 0.90).astype(int) + (refused >= 0.90) + (false_ref <= MAX_FALSE_REFUSALS)
            value = acc + refused - 4 * np.maximum(0.0, false_ref - MAX_FALSE_REFUSALS)
            keys = np.stack([met.mean(0), value.mean(0), -np.abs(THRESHOLDS - 0.5)])  # (3, thresholds)
            i = int(np.lexsort(keys[::-1])[-1])  # lexicographic maximum
            key = tuple(float(k) for k in keys[:, i])
            if best is None or key > best[0]:
                best = (key, replace(base, threshold=float(THRESHOLDS[i]), min_sim=min_sim))
    w = best[1]
    return w, evaluate(rows, outcomes(rows, w), w.threshold, w.min_sim)


def fit(rows) -> A.Weights:
    """The answerer's parameters fitted on `rows` (from `collect`, one or several corpora):
    pass them to `Engine.ask(..., weights=params)`."""
    return search(rows)[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--index", default="index", help="index folder (default index/)")
    args = parser.parse_args(argv)
    engine = Engine(Settings(docs=Path("seeds"), index=Path(args.index)))
    rows = collect(engine, load())
    w = A.DEFAULT_WEIGHTS
    current = evaluate(rows, outcomes(rows, w), w.threshold, w.min_sim)
    best_w, best_m = search(rows)
    rounded = {k: round(v, 3) for k, v in asdict(best_w).items()}
    lines = [
        "# Calibration of the extractive answerer",
        "",
        f"Questions: {current['answerable']} answerable, {current['unanswerable']} unanswerable (in-sample).",
        "",
        "| setting | accuracy | false refusals | refusal recall |",
        "|---|---|---|---|",
        f"| rag/answer.py now | {current['accuracy']:.3f} | {current['false_refusal_rate']:.3f} "
        f"| {current['refusal_recall']:.3f} |",
        f"| best on the grid | {best_m['accuracy']:.3f} | {best_m['false_refusal_rate']:.3f} "
        f"| {best_m['refusal_recall']:.3f} |",
        "",
        f"Best weights: `{json.dumps(rounded)}`",
        f"Current weights: `{json.dumps({k: round(v, 3) for k, v in asdict(A.DEFAULT_WEIGHTS).items()})}`",
        "",
    ]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
