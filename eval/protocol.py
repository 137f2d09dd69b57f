"""Leave-one-corpus-out: the answerer's figures on corpora its parameters never saw.

What it does: for every corpus (the seeds and those of eval/corpora.py) it opens an
Engine on the corpus's documents (index cached in the git-ignored eval/.cache/index/<name>,
rebuilt by the Engine only when the documents change) and collects each question's
candidate features (`eval.calibrate.collect`). Then, per corpus:
  - out of sample: a passage ranker (`eval.retrieval.fit_chosen`) and then an answer
    scorer (`eval.calibrate.fit`, on rows retrieved with that ranker) fitted on the other
    corpora's questions only, applied with `Engine.ask(..., scorer=..., ranker=...)` to
    this corpus's questions;
  - in sample: both fitted on every corpus's questions, applied the same way;
  - baseline: the llama-index tutorial pipeline's R@1 / R@5 (eval/baseline.py).
Figures per corpus (`FIGURES`): accuracy over answerable questions (answered and right:
eval.metrics.answer_is_correct), refusal recall over unanswerable ones, false refusals
over answerable ones, and R@1 / R@5 (a retrieved passage holds the answer:
eval.questions.Question.in_gold). The gate compares the out-of-sample figures with
eval/thresholds.json's "corpora" section: accuracy, refusal recall and false refusals by the
mean of the resampled refits below (`gate_corpora`), R@1 and R@5 by the single fit.

Spread (`refit_spread`): the out-of-sample figures come from one fit, and a fit on a few
hundred questions moves with which questions it saw; near a decision threshold a corpus's
figures then move by several questions when another corpus changes a little (debian-faq's
accuracy: 0.478 from the single fit, 0.380-0.435 from ten resampled ones). So each fold's
scorer is also refitted on SPREAD_DRAWS bootstrap resamples of the other corpora's questions
(ranker held), and the report gives each figure's mean, standard deviation and range: a
change whose figures move less than that may be noise.
These are computed by the calibration's own replay of the decision (`eval.calibrate.outcomes`),
not by `Engine.ask`, so they can differ from the single fit's figures by a question or two.
Method: the bootstrap (Efron & Tibshirani 1993) over the training questions.

What it deliberately doesn't: tune anything on the corpus being reported out of sample,
or pool corpora into one figure (each corpus is reported on its own; a large corpus
would otherwise hide a small one).
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable
from pathlib import Path

from rag import Engine, Settings

from .corpora import fits
from .metrics import miss, score_answer
from .questions import TEXT_SUFFIXES

CACHE = Path(__file__).parent / ".cache"
FIGURES = ("accuracy", "refusal_recall", "false_refusal", "r_at_1", "r_at_5")
PROTOCOL = (
    "leave-one-corpus-out: a corpus's out-of-sample figures use a passage ranker (eval.retrieval.fit_chosen) "
    "and an answer scorer (eval.calibrate.fit) fitted on the other corpora's questions only; in-sample ones "
    "use both fitted on every corpus"
)
SPREAD_DRAWS = 10  # bootstrap refits of each fold's answer scorer (refit_spread); 0: none
SPREAD_FIGURES = ("accuracy", "refusal_recall", "false_refusal")


def subset(questions: list, n: int | None, seed: str) -> list:
    """A fixed, seeded sample of at most n questions keeping the share of unanswerable ones
    (n None or >= len: all of them, in file order)."""
    if n is None or n >= len(questions):
        return list(questions)
    rng = random.Random(seed)
    ans = [q for q in questions if q.answerable]
    un = [q for q in questions if not q.answerable]
    n_un = round(n * len(un) / len(questions))
    keep = {id(q) for q in rng.sample(ans, n - n_un) + rng.sample(un, n_un)}
    return [q for q in questions if id(q) in keep]


def loco_params(rows_by_corpus: dict[str, list[dict]], fit: Callable[[list[dict]], object]) -> dict[str, object]:
    """Per corpus, the parameters fitted on every other corpus's rows (never its own)."""
    return {
        name: fit([r for other, rows in rows_by_corpus.items() if other != name for r in rows])
        for name in rows_by_corpus
    }


def training(by_corpus: dict, but: str | None = None) -> dict:
    """The entries of `by_corpus` (corpus name -> anything) a model may fit on: those of the
    corpora eval.corpora.fits admits (never an everyday one), less the held-out corpus `but`."""
    return {name: v for name, v in by_corpus.items() if name != but and fits(name)}


def refit_spread(rows_by_corpus: dict[str, list[dict]], name: str, draws: int = SPREAD_DRAWS, fit=None) -> dict:
    """How `name`'s out-of-sample figures move when its answer scorer is refitted on bootstrap
    resamples of the other corpora's questions (each corpus's answerable and unanswerable ones
    resampled apart, so every draw keeps both; seeded by `name` and the draw).

    Returns {figure: {"mean", "sd", "low", "high", "n"}} over the n fitted draws, for
    SPREAD_FIGURES; {} when fewer than two draws could be fitted (a draw without a usable
    question of each kind is skipped). Rows as `eval.calibrate.collect`'s, marked with their corpus; `fit` defaults
    to `eval.calibrate.fit`."""
    from .calibrate import evaluate, outcomes
    from .calibrate import fit as fit_scorer

    fit = fit or fit_scorer
    if draws < 2:
        return {}
    held = rows_by_corpus[name]
    # Each fit corpus split once into its answerable and unanswerable questions, resampled apart.
    groups = [
        group
        for rows in training(rows_by_corpus, but=name).values()
        for group in ([r for r in rows if r["q"].answerable], [r for r in rows if not r["q"].answerable])
        if group
    ]
    keys = {"accuracy": "accuracy", "refusal_recall": "refusal_recall", "false_refusal": "false_refusal_rate"}
    values: dict[str, list[float]] = {f: [] for f in SPREAD_FIGURES}
    for draw in range(draws):
        rng = random.Random(f"spread:{name}:{draw}")
        try:
            scorer = fit([r for group in groups for r in rng.choices(group, k=len(group))])
        except ValueError:  # a small corpus's draw without a usable question of each kind
            continue
        measured = evaluate(held, outcomes(held, scorer), scorer.threshold)
        for f in SPREAD_FIGURES:
            values[f].append(measured[keys[f]])
    if len(values["accuracy"]) < 2:
        return {}
    summary = {"mean": statistics.mean, "sd": statistics.stdev, "low": min, "high": max}
    return {f: {**{k: round(how(vs), 4) for k, how in summary.items()}, "n": len(vs)} for f, vs in values.items()}


def spread_bounds(section: dict, margin_se: float = 2.0) -> dict:
    """The gate bounds a run supports: per corpus with a spread, each SPREAD_FIGURES figure's
    mean moved by `margin_se` standard errors (sd / sqrt(n), n the draws fitted; 10 when a
    report predates "n") against it: down for accuracy and refusal recall ({"min": b}), up
    for false refusals ({"max": b}), rounded outward to 0.005.

    eval/thresholds.json's resampled figures were set this way from an accepted run, and a
    later accepted run only tightens them (a ratchet: no run of small losses, each within
    the margin, adds up). The price: a corpus whose mean sits near its bound has little room
    left (the seeds' accuracy: mean 0.827 against 0.825 at ad74864). The standard error is
    that of the draws; the draws are seeded, so a change that alters nothing moves no mean.
    """
    bounds: dict[str, dict] = {}
    for name, corpus in section.items():
        for figure, s in (corpus.get("out_of_sample_spread") or {}).items():
            step = margin_se * s["sd"] / math.sqrt(s.get("n") or SPREAD_DRAWS)
            if figure == "false_refusal":
                bound = {"max": min(1.0, math.ceil((s["mean"] + step) * 200 - 1e-9) / 200)}
            else:
                bound = {"min": max(0.0, math.floor((s["mean"] - step) * 200 + 1e-9) / 200)}
            bounds.setdefault(name, {})[figure] = bound
    return bounds


def figures(scored: list[dict]) -> dict:
    """The per-corpus figures from eval.metrics.score_answer rows (None: nothing to measure)."""

    def mean(key: str, rows: list[dict]):
        vals = [r[key] for r in rows if r.get(key) is not None]
        return round(sum(vals) / len(vals), 4) if vals else None

    return {
        "accuracy": mean("accuracy", scored),
        "refusal_recall": mean("refused_unanswerable", scored),
        "false_refusal": mean("false_refusal", scored),
        "r_at_1": mean("r_at_1", scored),
        "r_at_5": mean("r_at_5", scored),
    }


def corpus_entry(source: str, docs: Path, questions: list, out_rows: list, in_rows: list, base: dict) -> dict:
    """One corpus's entry of the report's `corpora` section, in exactly the shape other
    tools read (issue 12): source, documents, questions, unanswerable, out_of_sample,
    in_sample (each FIGURES), baseline (r_at_1, r_at_5)."""
    return {
        "source": source,
        "documents": sum(1 for p in docs.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES),
        "questions": len(questions),
        "unanswerable": sum(not q.answerable for q in questions),
        "out_of_sample": figures(out_rows),
        "in_sample": figures(in_rows),
        "baseline": {"r_at_1": base["r_at_1"], "r_at_5": base["r_at_5"]},
    }


def answer_all(engine: Engine, questions: list, docs: Path, k: int, params) -> list[dict]:
    """Every question asked through the public Engine API with `params`, scored."""
    rows = []
    for q in questions:
        scorer, ranker = params if isinstance(params, tuple) else (params, None)
        result = engine.ask(q.question, q.history, k=k, scorer=scorer, ranker=ranker).to_dict()
        row = score_answer(q, result, docs, k)
        row["answer"] = result["answer"][:200]
        rows.append(row)
    return rows


def gate_corpora(section: dict, thresholds: dict) -> list[str]:
    """Out-of-sample figures that miss their threshold, as readable lines (empty: pass).
    A corpus or figure with a threshold but no measurement fails.

    Accuracy, refusal recall and false refusals (SPREAD_FIGURES) are judged by their spread's
    mean (over the resampled refits, `refit_spread`): a single fit is one draw of the fitting
    method, and on debian-faq (run c1b2aea) it lay above all ten resampled fits (0.478 against
    0.380-0.435), so a bound set on it failed almost any change by chance. Their bounds are set
    on that mean, so a run without a spread (--spread 0 or 1) leaves them not measured, and
    fails. R@1 / R@5 (the ranker is not resampled) are the single fit's."""
    failures = []
    for name, bounds in thresholds.items():
        got = section.get(name, {}).get("out_of_sample")
        spread = section.get(name, {}).get("out_of_sample_spread") or {}
        for metric, bound in bounds.items():
            if metric in SPREAD_FIGURES:
                label = f"{name} out-of-sample {metric} (mean of the refits, --spread 2 or more)"
                value = spread[metric]["mean"] if metric in spread else None
            else:
                label, value = f"{name} out-of-sample {metric}", None if got is None else got.get(metric)
            line = miss(label, value, bound)
            if line:
                failures.append(line)
    return failures


def to_open(measured: list[str]) -> list[str]:
    """The corpora a run measuring `measured` opens: those, then every fit corpus
    (eval.questions.fit_corpus_names) not among them. A fold trains on every fit corpus but the
    held-out one, asked for or not, so `--corpora git-faq` measures git-faq as the full run
    does, and an everyday corpus asked for alone has models to be measured by."""
    from .questions import fit_corpus_names

    return list(dict.fromkeys([*measured, *fit_corpus_names()]))


def open_corpora(
    corpora: list[str] | None = None,
    k: int = 8,
    per_corpus: int | None = None,
    seeds_engine: Engine | None = None,
) -> dict[str, tuple]:
    """name -> (engine, docs, questions) for each corpus (default: the seeds and every corpus
    of eval/corpora.py, packaged and everyday); indexes cached in eval/.cache/index/<name>."""
    from .corpora import CORPORA, EVERYDAY
    from .questions import SEEDS, load_corpus

    opened = {}
    for name in corpora or [SEEDS, *CORPORA, *EVERYDAY]:
        docs, questions = load_corpus(name)
        questions = subset(questions, per_corpus, f"issue-12:{name}")
        if name == SEEDS and seeds_engine is not None:
            engine = seeds_engine
        else:
            engine = Engine(Settings(docs=docs, index=CACHE / "index" / name, k=k))
        opened[name] = (engine, docs, questions)
    return opened


def collect_rows(opened: dict, ranker=None) -> dict[str, list[dict]]:
    """Per corpus, the rows of `eval.calibrate.collect` under passage `ranker` (None: the
    shipped one), each marked with its corpus."""
    from .calibrate import collect

    rows_by_corpus = {}
    for name, (engine, _, questions) in opened.items():
        rows = collect(engine, questions, ranker)
        for r in rows:
            r["corpus"] = name
        rows_by_corpus[name] = rows
    return rows_by_corpus


def collect_all(corpora: list[str] | None = None) -> dict[str, list[dict]]:
    """`collect_rows` of every corpus the models fit on (eval.questions.fit_corpus_names) under
    the shipped ranker (for eval.calibrate)."""
    from .questions import fit_corpus_names

    return collect_rows(open_corpora(corpora or fit_corpus_names()))


def fit_rankers(opened: dict, measured=None) -> tuple[dict, object]:
    """The passage ranker per corpus of `measured` (default: every opened one) fitted on the
    other corpora (eval.retrieval.fit_chosen, the shipped variant), and one fitted on all of
    them (in sample); never on an everyday corpus (eval.corpora.fits: fitted on too, they cost
    R@1 out of sample on three corpora of five, debian-faq .533 -> .511, git-faq .757 -> .718,
    git-manual .892 -> .880)."""
    from .retrieval import Corpus, collect_with, fit_chosen

    cols = {
        name: collect_with(engine, Corpus(name, docs, [q for q in qs if q.answerable and (q.gold or q.evidence)]))
        for name, (engine, docs, qs) in training(opened).items()
    }
    out = {name: fit_chosen([c for other, c in cols.items() if other != name]) for name in measured or opened}
    return out, fit_chosen(list(cols.values()))


def run(
    corpora: list[str],
    k: int,
    per_corpus: int | None = None,
    seeds_engine: Engine | None = None,
    log=print,
    spread_draws: int = SPREAD_DRAWS,
) -> tuple[dict, dict]:
    """The report's `corpora` section and the details behind it (parameters, rows).

    Both learned stages are refitted per fold: the passage ranker (rag/fusion.py) and the
    answer scorer (rag/scorer.py), each on the other corpora only."""
    import time

    from .baseline import baseline
    from .calibrate import fit
    from .corpora import source as corpus_source
    from .questions import SEEDS

    t0 = time.perf_counter()
    measured = list(dict.fromkeys(corpora))
    opened = open_corpora(to_open(measured), k, per_corpus, seeds_engine)
    rankers, in_ranker = fit_rankers(opened, measured)
    took = time.perf_counter() - t0
    log(f"opened {len(opened)} corpora and fitted {len(measured) + 1} passage rankers in {took:.0f} s")
    t0 = time.perf_counter()
    out_params, spreads = {}, {}
    for name in measured:
        # A fold reads the rows of its fit corpora and of the held-out one only: an everyday
        # corpus's rows under another fold's ranker would be collected for nothing.
        rows = collect_rows({n: v for n, v in opened.items() if n == name or fits(n)}, rankers[name])
        out_params[name] = (fit([r for rs in training(rows, but=name).values() for r in rs]), rankers[name])
        spreads[name] = refit_spread(rows, name, spread_draws)
    rows = collect_rows(training(opened), in_ranker)
    in_params = (fit([r for rs in training(rows).values() for r in rs]), in_ranker)
    took = time.perf_counter() - t0
    log(f"fitted {len(measured) + 1} answer scorers and {spread_draws} resampled refits per fold in {took:.0f} s")
    section, details = {}, {"protocol": PROTOCOL, "params": {}, "rows": {}}
    for name in measured:
        engine, docs, questions = opened[name]
        t0 = time.perf_counter()
        out_rows = answer_all(engine, questions, docs, k, out_params[name])
        in_rows = answer_all(engine, questions, docs, k, in_params)
        base = baseline(name, docs, questions)
        source = "five English news interviews (seeds/)" if name == SEEDS else corpus_source(name)
        section[name] = corpus_entry(source, docs, questions, out_rows, in_rows, base)
        if spreads[name]:
            section[name]["out_of_sample_spread"] = spreads[name]
        details["params"][name] = _params_dict(out_params[name])
        details["rows"][name] = [
            {
                "id": o["id"],
                "out": o["accuracy"] if o["answerable"] else o["refused_unanswerable"],
                "in": i["accuracy"] if i["answerable"] else i["refused_unanswerable"],
                "answer": o["answer"],
            }
            for o, i in zip(out_rows, in_rows)
        ]
        log(f"{name}: answered and scored in {time.perf_counter() - t0:.0f} s")
    details["params"]["all corpora (in sample)"] = _params_dict(in_params)
    return section, details


def _params_dict(params) -> dict:
    from dataclasses import asdict, is_dataclass

    if isinstance(params, tuple):  # (answer scorer, passage ranker)
        return {"scorer": _params_dict(params[0]), "ranker": _params_dict(params[1])}
    if hasattr(params, "to_json"):
        return params.to_json()
    if is_dataclass(params):
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(params).items()}
    return {"repr": repr(params)}
