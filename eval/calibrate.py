"""Fit the answer scorer (rag/scorer.py) on labelled questions: `python -m eval.calibrate`.

What it does: runs every labelled question through the real retrieval (the Engine's own
code path) and keeps each candidate sentence's signals (`collect`). `fit(rows)` then learns
  1. the sentence model: a logistic regression of "quoting this sentence first gives a
     correct answer" (eval.metrics.answer_is_correct) on SENTENCE_FEATURES, over the
     answerable questions that have a correct candidate;
  2. the answer model: a logistic regression of "the question is answerable" on
     QUESTION_FEATURES of each question's best candidate under model 1;
  3. a floor on the best candidate's closeness (rag.scorer.closeness): the lowest, over
     the fit corpora, of the 2nd percentile of answerable questions' (a linear model
     cannot draw a floor);
  4. its threshold: the one that maximises, averaged over the fit corpora, accuracy plus
     refusal recall with false refusals over 5 % in a corpus penalised fourfold.
Each corpus weighs the same in both fits and in the threshold (a large corpus cannot
outvote a small one).

Simulated gold removal (`collect(..., removed=True)`): each answerable question retrieved again
with its answering documents left out (rag.retrieve.Retriever.without), an unanswerable twin
of the kind that fails most (a near-topic passage remains). `fit` accepts such rows (marked
"simulated") as extra negatives of the answer model, weighted SIMULATED_WEIGHT; the sentence
model, the floor and the threshold read real questions only. Measured leave-one-corpus-out
(issue 13u), they did not help: mean refusal recall 0.471 -> 0.463 (weight 1), 0.530 with false
refusals 0.070 -> 0.089 (weight 0.25), the answer model's AUC unchanged (0.83): the twins
look like the real gold-removed questions to the features, and so do many answerable
ones. The evaluation therefore does not collect them; the tool stays for the next features.

Features measured leave-one-corpus-out and not kept (2026-12-03; rows collected once per fold,
judged by the means of the ten resampled refits per fold, as the gate reads them):
- token alignment (BERTScore recall, Zhang et al. 2020: each question term's word pieces
  matched to the sentence's by MiniLM's contextual token vectors, IDF-weighted). The best
  single feature by AUC (answered right against unanswerable) on seeds (.93 against the
  answer model's .92), git-faq and git-manual, yet in the sentence and answer models the
  means moved within chance (mean over the corpora: accuracy .730 -> .736, refusal recall
  .541 -> .567, false refusals .096 -> .092, git-faq's over its bound), and it costs a model
  pass over every candidate sentence at query time (about 300 ms for 40 sentences here, measured
  beside another job; the warm p50 target is 100 ms);
- the best sentence's `predicate` in the answer model: one fit gained three debian-faq
  answers, the refits' mean lost (.413 -> .405);
- a cross-reference's quoted title, or all of `reference_spans`, left out of a sentence's
  terms: means within a question of unchanged.
- a why-question's `type` read strictly (2026-12-04: 1 for a sentence stating a cause,
  rag.kinds.REASON, else 0): seeds' accuracy mean .845 -> .833 (under its gate; a cause put
  without a connective, "the charges have a political motive", and a false premise's correction
  were refused), animal-rescue .714 -> .729, the rest within .006. Kept instead: 1 for a cause,
  0.5 (no kind, as before) otherwise, so a stated cause leads and none stated refuses nothing;
  every corpus's mean within one sd of before (seeds .845 -> .839, animal-rescue .714 -> .720).
  Since then a why-candidate with no cause of what is asked in its sentence (the asked words on
  the connective's effect side, rag.conditions.states_cause_of), the next one or an asked-about
  heading is dropped before scoring (rag.conditions.no_cause), a premise's correction kept: means
  seeds accuracy .840 -> .855, animal-rescue .726 -> .766 and refusal recall .671 -> .731; the
  refits' threshold and floor moved with the dropped rows (git-faq refusal recall .282 -> .239,
  leisure-trust accuracy .851 -> .831, with no why-question of theirs changed for the worse).
- a gradient-boosted answer model (2026-12-05: scikit-learn HistGradientBoostingClassifier,
  depth 2, 100 iterations, learning rate .05, monotone constraints from rag.scorer.SIGNS, the
  same weights and threshold search; means of the ten refits per fold): refusal recall up on
  seeds (.745 -> .885) and git-manual (.729 -> .800), but on the everyday corpora, never fitted
  on, accuracy down about .05 and false refusals over .10 on all three (animal-rescue .069 ->
  .126, island-ferry .114 -> .177, leisure-trust .057 -> .111): it learns the fit corpora's
  score distributions, which do not carry over;
- "the best sentence opens its document" or "the top passage is its document's lead" (a "Which
  git command" answer is a page's NAME line: the best sentence opens its document for 36 of 88
  answerable such questions, 4 of 26 gold-removed ones), screened with one fit per fold: git-faq
  accuracy .718 -> .738 but debian-faq .489 -> .446 (the first); island-ferry false refusals
  .086 -> .171 (the second);
- how far the best candidate stands out of the retrieved passages' vector scores (2026-12-05,
  screened with one fit per fold, a per-question stand-in for normalising closeness per corpus):
  the top passage's cosine minus their mean, the best sentence's cosine minus their mean or
  minus their lowest. Each moved corpora both ways: the first raised seeds' refusal recall
  .650 -> .750 and git-faq's accuracy .718 -> .748 but island-ferry's false refusals .086 -> .143
  and debian-faq's .163 -> .185; the other two cost sqlite-faq's accuracy .950 -> .850.
- a table row read as its header's labels paired with its cells (2026-12-05: "Cheese: Manchego.
  Milk: sheep. Aged: 6 months.", one more reading in rag.signals.embed_readings): MiniLM puts
  it far nearer the question it answers ("What milk is Manchego made from?" .31 -> .66), and
  nearer every other question about the table too; in the evaluation it answered one more
  unanswerable of animal-rescue (refusal recall .740 -> .711) and one of island-ferry with
  another row, and gained no answer.
- the rarest asked term the best candidate's sentence, context and previous sentence lack (2026-12-05,
  screened with one fit per fold; its idf over the corpus's largest, or over the question's
  largest): alone it ranks answerable above unanswerable (AUC .58-.92 per corpus), but held to a
  negative weight the fits gave it none (every figure unchanged), and free they gave it a
  positive one (it corrects `cover`);
- the best-matching sentence dropped as another thing's value (rag.rivals; 2026-12-05, screened
  with one fit per fold: the largest share of asked terms among such sentences, or whether there
  is one): refusal recall up on most corpora (seeds .650 -> .750, island-ferry .568 -> .622 or
  .703) and false refusals up with it on the everyday ones (animal-rescue .073 -> .098,
  island-ferry .073 -> .098 or .122): the threshold's trade, not a better model.
- a table's header row in the embedded text and BM25 terms of every chunk opening inside its
  table (2026-12-06, a whole evaluation run): the spread means fell on animal-rescue (accuracy
  .815 -> .729, refusal recall .759 -> .708) and leisure-trust (accuracy .854 -> .829), since
  every passage ranking moved; what it fixed (a word only a header holds read as "never
  mentioned") is fixed instead by reading the retrieved rows' contexts (rag.answer.unmentioned).
  The refusal rag.answer.sibling_nearer makes is a decision rule beside the model, its gap read
  off helper 82's probe, not the evaluation's corpora: on their shipped-scorer answers the
  answerable questions' gaps reach .089, and it refuses three unanswerables (.17-.25).
- a cross-reference's quoted title left out of what the model embeds (2026-12-06, whole
  evaluation runs; "See Section 6.7, “What are all those directories at the Debian
  archives?”." read as "See Section 6.7."): debian-faq R@1 .533 -> .565 and accuracy .426 ->
  .461 (the section itself found, not the pointer that quotes its title), but the refitted passage
  ranker then leaned less on the document's cosine (.41 -> .18) and git-faq, which has no such
  pointers, lost R@1 .767 -> .738 and accuracy .730 -> .710; seeds .849 -> .830 and island-ferry
  .720 -> .698 moved with the refits. Sentences only, passages unmasked: the same git-faq loss.
  Not kept; the pointer is still flagged (rag.answer.pointer_warning).
So the lexical and embedding inputs seem near what they can give the answer model; that
day's gains came instead from reading what kind of value a question asks for
(rag.question.answer_type) and refusing sentences that hold none.

The closeness floor (3.), measured against none (2026-12-04, leave-one-corpus-out, means of the
refits): without it refusal recall fell on git-faq .253 -> .229, git-manual .729 -> .704 and
island-ferry .589 -> .563, sqlite-faq's accuracy .895 -> .875, for one answer gained; 14
unanswerables of the default folds were answered ("Who is the captain of the MV Corrie Bell?"
with the Seal Maiden's captain). The logistic model's cosine weight does not stand in for it.
A refit of the shipped scorer on that day's code (threshold .46 -> .44) was measured on two
held-out sets nobody fitted on (32 answerable and 18 unanswerable questions each): 1 more right
answer, 1 more wrong one and 2 fewer refused unanswerables; rag/scorer.json was kept.
Other estimators of the floor (2026-12-05, screened with one fit per fold): the lowest
per-corpus Harrell-Davis 2nd or 5th percentile (a weighted mean of every order statistic, less
moved by one question than the sample quantile), or one pooled 1st or 2nd percentile, each
corpus weighing the same. None is steadier across the folds (the floor ranged .333-.404 as
shipped, .304-.387 Harrell-Davis 2nd, .336-.396 pooled 1st), and each trades as the floor's
height does: lower floors (Harrell-Davis 2nd, pooled 1st) cut debian-faq's false refusals
.163 -> .141 and cost git-faq or git-manual a refused unanswerable; higher ones (5th, pooled 2nd)
raised seeds' and leisure-trust's refusal recall and island-ferry's false refusals .086 -> .200.
The floor spares a best candidate that holds every term and name of the question
(rag.scorer.worded; 2026-12-05: "Keeper Tomas Brand is responsible for cleaning the lamp lens each
evening." is cosine .36 from "Who is Tomas Brand?"): screened with one fit per fold, one more
debian-faq answer (accuracy .489 -> .500, false refusals .163 -> .152), every other figure the same.

`python -m eval.calibrate` reports the shipped scorer and a refit on
every corpus, in sample; `--fit` writes the refit to rag/scorer.json (a reviewed change:
the evaluation's leave-one-corpus-out figures are the judge). The evaluation
(`python -m eval`) uses `collect` / `fit` / `Engine.ask(..., scorer=...)` per fold.

What it deliberately doesn't: hold out a test split here (eval/protocol.py does, by corpus),
or search hand-set weights (rag.signals.Weights is only the table tests' readable scorer).
Method: logistic regression (L2, C=1, as scikit-learn's objective) on standardised features,
each weight held to its known sign (rag.scorer.SIGNS; fitted with scipy's L-BFGS-B);
sample weights 1 / (questions of the corpus x candidates of the question).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag import Engine, excerpt, signals
from rag import answer as A
from rag import scorer as S
from rag.engine import clean_question

from .metrics import answer_is_correct

REPORT = Path(__file__).parent / "report" / "calibration.md"
MAX_FALSE_REFUSALS = 0.05
THRESHOLDS = np.round(np.arange(0.02, 0.99, 0.01), 2)
MIN_SIM_QUANTILE = 0.02  # answerable questions a corpus may lose to the cosine floor
C = 1.0  # inverse L2 strength; 0.1 and 1 were compared out of sample (issue 13's note)
# Weight of a simulated gold-removal row (collect(..., removed=True)) in the answer model's fit,
# relative to a real question of its corpus. The threshold and the floor use real questions only.
SIMULATED_WEIGHT = 1.0


def homes(q) -> list[str]:
    """The documents that answer an answerable question: its gold ones and those of its evidence."""
    return sorted(set(q.gold) | {e.source for e in q.evidence})


def simulated_removal(q):
    """The unanswerable twin of an answerable question: the same question once its answering
    documents are removed (None when it names none)."""
    if not q.answerable or not homes(q):
        return None
    return replace(q, answerable=False, removed=homes(q), category="simulated_removed")


def collect(engine: Engine, questions, ranker=None, removed: bool = False) -> list[dict]:
    """Per question: the candidate sentences with their signals (unscored), the passages
    (ordered by `ranker`, None: the shipped one), and the retriever's idf.

    `removed`: instead, per answerable question, its `simulated_removal` twin retrieved with
    the answering documents left out (rag.retrieve.Retriever.without: as if deleted from the
    index), each row marked "simulated"; the answer model's hardest negatives."""
    rows = []
    for q in questions:
        retriever = engine.retriever
        if removed:
            q = simulated_removal(q)
            if q is None:
                continue
            retriever = retriever.without(q.removed)
        parsed, search, _ = engine.read(clean_question(q.question), q.history, retriever)  # as Engine.ask reads it
        query, qvec, passages, hits, parsed = engine.retrieve(  # parsed: as Engine.ask answers it
            parsed, q.history, retriever=retriever, query=search, ranker=ranker, answer_text=search and parsed.text
        )
        rows.append(
            {
                "q": q,
                "question": parsed,
                "query": query,
                "passages": passages,
                "hits": hits,
                "idf": retriever.idf,
                "cands": signals.features(parsed, query, qvec, hits, retriever.idf),
                "qvec": qvec,
                "unmentioned": A.unmentioned(parsed, passages, retriever.df.__contains__, retriever.holds_phrase, hits),
                "simulated": removed,
            }
        )
    return rows


def _logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, names: tuple[str, ...]) -> S.Logistic:
    """Weighted L2 logistic regression on standardised features, each weight held to the
    sign rag.scorer.SIGNS gives it (L-BFGS-B with bounds; the intercept is free and
    unpenalised). Objective as scikit-learn's: sum_i w_i logloss_i + ||coef||^2 / (2 C)."""
    from scipy.optimize import minimize

    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    w = weight / weight.mean()

    def loss(theta):
        coef, b = theta[:-1], theta[-1]
        m = z @ coef + b
        p = 1.0 / (1.0 + np.exp(-m))
        ll = np.logaddexp(0.0, m) - y * m  # -log p(y)
        g = w * (p - y)
        grad = np.append(z.T @ g + coef / C, g.sum())
        return float(w @ ll + 0.5 * coef @ coef / C), grad

    bounds = [(0.0, None) if S.SIGNS[n] > 0 else (None, 0.0) if S.SIGNS[n] < 0 else (None, None) for n in names]
    theta = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", bounds=bounds + [(None, None)]).x
    return S.Logistic(names, tuple(mean), tuple(scale), tuple(float(c) for c in theta[:-1]), float(theta[-1]))


def _corpus_sizes(rows, keep) -> dict:
    sizes: dict = {}
    for r in rows:
        if keep(r):
            sizes[r.get("corpus", "")] = sizes.get(r.get("corpus", ""), 0) + 1
    return sizes


def _correct(r: dict, cands) -> np.ndarray:
    key = "_correct"
    if key not in r:
        r[key] = np.array([answer_is_correct(r["q"], c.hit.text, c.hit.source) for c in cands], dtype=float)
    return r[key]


def _fit_sentence(rows) -> S.Logistic:
    usable = [r for r in rows if r["q"].answerable and r["cands"] and _correct(r, r["cands"]).any()]
    if not usable:
        raise ValueError("nothing to fit on: no answerable question has a correct candidate")
    sizes = _corpus_sizes(usable, lambda r: True)
    xs, ys, ws = [], [], []
    for r in usable:
        n = len(r["cands"])
        xs.append(S.sentence_features(r["cands"]))
        ys.append(_correct(r, r["cands"]))
        ws.append(np.full(n, 1.0 / (sizes[r.get("corpus", "")] * n)))
    return _logistic(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), S.SENTENCE_FEATURES)


def _chosen(r: dict, ranked: list) -> list:
    """The units compose() quotes from `ranked`: a what-is question's defining one first."""
    q = r.get("question")
    return excerpt.select(A.defining_first(q, ranked) if q else ranked, r["query"], q, r.get("hits"))


def _ranked_outcome(r: dict, sentence: S.Logistic):
    """(ranked candidates, whether answering gives a correct answer, the units quoted) under a
    sentence model."""
    ranked = S.rank(list(r["cands"]), sentence) if not r["unmentioned"] else []
    if not ranked:
        return [], False, []
    chosen = _chosen(r, ranked)
    text = " ".join(c.hit.text for c in chosen)
    return ranked, answer_is_correct(r["q"], text, chosen[0].hit.source), chosen


def outcomes(rows, scorer) -> list[tuple[float, bool]]:
    """Per question under `scorer` (an AnswerScorer): (P(answerable), whether the composed
    answer is right). The decision is `p >= scorer.threshold`, as in compose(), which also
    refuses a what-is answer that does not say what the name is (rag.answer.leaves_undefined)
    and one a sibling's sentence is much nearer the question than (rag.answer.sibling_nearer)."""
    out = []
    for r in rows:
        entry = A.definition(r["question"], r["hits"])
        if entry:  # compose() answers with an asked option's entry, whatever the scorer says
            text = " ".join(c.hit.text for c in entry)
            out.append((1.0, answer_is_correct(r["q"], text, entry[0].hit.source)))
            continue
        ranked, correct, chosen = _ranked_outcome(r, scorer.sentence)
        p = scorer.answerable(ranked, r["passages"], r["query"], r["idf"]) if ranked else 0.0
        if ranked and (A.leaves_undefined(r["question"], chosen) or A.sibling_nearer(r["qvec"], r["hits"], chosen)):
            p = 0.0
        out.append((p, correct))
    return out


def evaluate(rows, outs, threshold: float) -> dict:
    """The gate's three answer metrics for one threshold."""
    answered = np.array([p >= threshold for p, _ in outs])
    correct = np.array([c for _, c in outs], dtype=bool)
    ans = np.array([r["q"].answerable for r in rows], dtype=bool)
    return {
        "accuracy": float((answered & correct & ans).sum() / max(ans.sum(), 1)),
        "false_refusal_rate": float((~answered & ans).sum() / max(ans.sum(), 1)),
        "refusal_recall": float((~answered & ~ans).sum() / max((~ans).sum(), 1)),
        "answerable": int(ans.sum()),
        "unanswerable": int((~ans).sum()),
    }


def _threshold(rows, outs) -> float:
    """The threshold maximising the per-corpus mean of accuracy + refusal recall, false
    refusals above MAX_FALSE_REFUSALS in a corpus penalised fourfold."""
    corpora = sorted({r.get("corpus", "") for r in rows})
    best = None
    for t in THRESHOLDS:
        values = []
        for name in corpora:
            idx = [i for i, r in enumerate(rows) if r.get("corpus", "") == name]
            m = evaluate([rows[i] for i in idx], [outs[i] for i in idx], t)
            values.append(
                m["accuracy"] + m["refusal_recall"] - 4 * max(0.0, m["false_refusal_rate"] - MAX_FALSE_REFUSALS)
            )
        key = (float(np.mean(values)), -abs(float(t) - 0.5))
        if best is None or key > best[0]:
            best = (key, float(t))
    return best[1]


def fit(rows) -> S.AnswerScorer:
    """The answer scorer fitted on `rows` (from `collect`, one or several corpora, each
    row's "corpus" naming its corpus): pass it to `Engine.ask(..., scorer=...)`."""
    real = [r for r in rows if not r.get("simulated")]
    if not real:
        raise ValueError("nothing to fit on: no rows")
    sentence = _fit_sentence(real)
    xs, ys, ws, sizes = [], [], [], _corpus_sizes(real, lambda r: True)
    for r in rows:
        ranked, _, _ = _ranked_outcome(r, sentence)
        if ranked and r["passages"] and r.get("corpus", "") in sizes:
            xs.append(S.question_features(ranked, r["passages"], r["query"], r["idf"]))
            ys.append(float(r["q"].answerable))
            ws.append((SIMULATED_WEIGHT if r.get("simulated") else 1.0) / sizes[r.get("corpus", "")])
    if len(set(ys)) < 2:
        raise ValueError("nothing to fit on: the rows need answerable and unanswerable questions")
    answer = _logistic(np.vstack(xs), np.asarray(ys), np.asarray(ws), S.QUESTION_FEATURES)
    corpora = tuple(sorted({r.get("corpus", "") for r in real}))
    draft = S.AnswerScorer(sentence, answer, 0.5, corpora, _min_sim(real, sentence))
    return replace(draft, threshold=_threshold(real, outcomes(real, draft)))


def _min_sim(rows, sentence: S.Logistic) -> float:
    """The floor on the best candidate's closeness (its cosine or its passage's): per fit
    corpus the MIN_SIM_QUANTILE of its answerable questions', the lowest of those (no corpus
    loses more)."""
    floors = []
    for name in sorted({r.get("corpus", "") for r in rows}):
        sims = [
            S.closeness(ranked[0])
            for r in rows
            if r["q"].answerable and r.get("corpus", "") == name
            for ranked, _, _ in [_ranked_outcome(r, sentence)]
            if ranked
        ]
        if sims:
            floors.append(float(np.quantile(sims, MIN_SIM_QUANTILE)))
    return round(min(floors), 4) if floors else 0.0


def main(argv=None) -> int:
    from .protocol import collect_all

    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--fit", action="store_true", help="write the refit to rag/scorer.json")
    args = parser.parse_args(argv)
    rows_by_corpus = collect_all()
    rows = [r for rows in rows_by_corpus.values() for r in rows]
    from rag.errors import StoreError

    try:
        shipped = S.load_scorer()
    except StoreError as exc:  # none yet, or of an older version: report the refit alone
        print(f"no usable shipped scorer ({exc})")
        shipped = None
    refit = fit(rows)
    lines = ["# Calibration of the answer scorer (in sample: fitted and measured on the same corpora)", ""]
    lines += ["| corpus | scorer | accuracy | false refusals | refusal recall |", "|---|---|---|---|---|"]
    for name, crows in rows_by_corpus.items():
        for label, sc in (("shipped", shipped), ("refit", refit)):
            if sc is None:
                continue
            m = evaluate(crows, outcomes(crows, sc), sc.threshold)
            figures = (m["accuracy"], m["false_refusal_rate"], m["refusal_recall"])
            lines.append(f"| {name} | {label} | " + " | ".join(f"{v:.3f}" for v in figures) + " |")
    lines += ["", f"Thresholds: shipped {shipped and shipped.threshold}, refit {refit.threshold}.", ""]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines))
    print("\n".join(lines))
    if args.fit:
        refit.save()
        print(f"wrote {S.SCORER_PATH} (fitted on {', '.join(refit.fitted_on)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
