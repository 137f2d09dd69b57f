"""`python -m eval`: the grounding evaluation that gates CI.

What it does: runs every question of eval/questions.jsonl through the real pipeline (the
Engine and the JSON object `python -m rag.ask --json` prints) over the seeds, once per
retrieval variant (hybrid, the product; vector-only and BM25-only, the baselines, feeding
the same answerer), scores each answer with eval/metrics.py, and writes
eval/report/latest.json, latest.md and latest.png. It exits 1 when a hybrid metric
misses its threshold in eval/thresholds.json (never lowered to pass: fix the system).

What it deliberately doesn't: judge with an LLM or NLI model (none runs offline here);
support is the lexical check of rag/ground.py, whose blind spots its docstring lists.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rag import Engine, Settings
from rag.ground import split_claims

from .metrics import METRICS, aggregate, score_answer
from .questions import load

HERE = Path(__file__).parent
REPORT = HERE / "report"
THRESHOLDS = HERE / "thresholds.json"
VARIANTS = ("hybrid", "vector", "bm25")
LABELS = {
    "recall_at_k": "R@k",
    "mrr": "MRR",
    "accuracy": "accuracy",
    "refused_unanswerable": "refusal recall",
    "false_refusal": "false refusals",
    "citation_recall": "cit. recall",
    "citation_precision": "cit. precision",
    "quote_exactness": "quote exact",
    "uncited_sentences": "uncited",
}


def run(engine: Engine, questions, variant: str, docs: Path, k: int) -> list[dict]:
    rows = []
    for q in questions:
        result = engine.ask(q.question, q.history, k=k, mode=variant).to_dict()
        row = score_answer(q, result, docs, k)
        row["answer"] = result["answer"]
        row["mode"] = result["mode"]
        row["dropped"] = len(result["dropped"])
        row["kept"] = len(split_claims(result["answer"])) if result["mode"] == "llm" and result["answered"] else 0
        rows.append(row)
    return rows


def gate(overall: dict, thresholds: dict) -> list[str]:
    """The metrics that miss their threshold, as readable lines (empty: pass)."""
    failures = []
    for metric, bound in thresholds.items():
        value = overall.get(metric)
        if value is None:
            failures.append(f"{metric}: not measured")
        elif "min" in bound and value < bound["min"]:
            failures.append(f"{metric} = {value} < {bound['min']}")
        elif "max" in bound and value > bound["max"]:
            failures.append(f"{metric} = {value} > {bound['max']}")
    return failures


def _fmt(v) -> str:
    return "–" if v is None else (str(v) if isinstance(v, int) else f"{v:.3f}")


def table(by_cat: dict, overall: dict) -> list[str]:
    head = "| category | n | " + " | ".join(LABELS[m] for m in METRICS) + " |"
    lines = [head, "|" + "---|" * (len(METRICS) + 2)]
    for cat, agg in sorted(by_cat.items()):
        lines.append(f"| {cat} | {agg['n']} | " + " | ".join(_fmt(agg[m]) for m in METRICS) + " |")
    lines.append(f"| **all** | {overall['n']} | " + " | ".join(f"**{_fmt(overall[m])}**" for m in METRICS) + " |")
    return lines


def write_markdown(report: dict, path: Path) -> None:
    lines = [
        "# Grounding evaluation",
        "",
        f"Run {report['run_at']} over `{report['docs']}`, k = {report['k']}, "
        f"{report['questions']} questions. Thresholds: `eval/thresholds.json`.",
        "",
    ]
    lines += [
        f"**Gate: {'PASS' if not report['failures'] else 'FAIL'}**"
        + ("" if not report["failures"] else " — " + "; ".join(report["failures"])),
        "",
    ]
    lines += [
        "## Variants (all questions)",
        "",
        "| variant | " + " | ".join(LABELS[m] for m in METRICS) + " |",
        "|" + "---|" * (len(METRICS) + 1),
    ]
    for v, res in report["variants"].items():
        lines.append(f"| {v} | " + " | ".join(_fmt(res["overall"][m]) for m in METRICS) + " |")
    for v, res in report["variants"].items():
        lines += ["", f"## {v}: per category", ""] + table(res["by_category"], res["overall"])
    wrong = [
        r
        for r in report["variants"]["hybrid"]["rows"]
        if (r["answerable"] and not r["accuracy"]) or (not r["answerable"] and r["answered"])
    ]
    lines += ["", "## Hybrid: questions answered wrongly", ""]
    lines += [f"- `{r['id']}` ({r['category']}): {r['answer'][:160]}" for r in wrong] or ["none"]
    path.write_text("\n".join(lines) + "\n")


def write_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = ["recall_at_k", "accuracy", "refused_unanswerable", "citation_recall", "citation_precision"]
    fig, axes = plt.subplots(2, 1, figsize=(12, 8))
    hybrid = report["variants"]["hybrid"]["by_category"]
    cats = sorted(hybrid)
    width = 0.8 / len(shown)
    for i, m in enumerate(shown):
        vals = [hybrid[c][m] if hybrid[c][m] is not None else 0 for c in cats]
        axes[0].bar([x + i * width for x in range(len(cats))], vals, width, label=LABELS[m])
    axes[0].set_xticks([x + 0.4 - width / 2 for x in range(len(cats))], cats, rotation=20)
    axes[0].set_ylim(0, 1.05)
    axes[0].set_title("Hybrid retrieval: metrics per question category")
    axes[0].legend(fontsize=8, ncol=len(shown))
    variants = list(report["variants"])
    for i, m in enumerate(shown):
        vals = [report["variants"][v]["overall"][m] or 0 for v in variants]
        axes[1].bar([x + i * width for x in range(len(variants))], vals, width, label=LABELS[m])
    axes[1].set_xticks([x + 0.4 - width / 2 for x in range(len(variants))], variants)
    axes[1].set_ylim(0, 1.05)
    axes[1].set_title("All questions: per retrieval variant")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description="Grounding evaluation over the seeds.")
    parser.add_argument("--index", default="index", help="index of the seeds (built if missing; default index/)")
    parser.add_argument("--k", type=int, default=Settings().k, help="passages considered")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--no-gate", action="store_true", help="report only; exit 0 whatever the numbers")
    parser.add_argument("--llm", help="evaluate answers written by a model (openai:<model>, ...): hybrid only")
    args = parser.parse_args(argv)
    if args.llm and args.variants == ",".join(VARIANTS):
        args.variants = "hybrid"
    stem = "latest-llm" if args.llm else "latest"

    docs = Path("seeds")
    questions = load(docs=docs)
    engine = Engine(Settings(docs=docs, index=Path(args.index), k=args.k, llm=args.llm))
    thresholds = json.loads(THRESHOLDS.read_text())
    report = {
        "run_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "docs": str(docs),
        "k": args.k,
        "questions": len(questions),
        "thresholds": thresholds,
        "variants": {},
    }
    for variant in args.variants.split(","):
        t0 = time.perf_counter()
        rows = run(engine, questions, variant, docs, args.k)
        cats: dict[str, list] = {}
        for r in rows:
            cats.setdefault(r["category"], []).append(r)
        report["variants"][variant] = {
            "overall": aggregate(rows),
            "by_category": {c: aggregate(rs) for c, rs in cats.items()},
            "seconds": round(time.perf_counter() - t0, 2),
            "rows": rows,
        }
        if args.llm:
            dropped, kept = sum(r["dropped"] for r in rows), sum(r["kept"] for r in rows)
            report["variants"][variant]["llm"] = {
                "model": args.llm,
                "answers_by_model": sum(r["mode"] == "llm" for r in rows),
                "fallbacks_to_extractive": sum(r["mode"] != "llm" for r in rows),
                "sentences_dropped_share": round(dropped / (dropped + kept), 3) if dropped + kept else None,
            }
    report["failures"] = (
        gate(report["variants"]["hybrid"]["overall"], thresholds)
        if "hybrid" in report["variants"]
        else ["hybrid variant not run"]
    )
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / f"{stem}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    write_markdown(report, REPORT / f"{stem}.md")
    write_chart(report, REPORT / f"{stem}.png")

    hybrid = report["variants"].get("hybrid")
    if hybrid:
        print("\n".join(table(hybrid["by_category"], hybrid["overall"])))
    for v, res in report["variants"].items():
        print(f"{v:>7}: " + ", ".join(f"{LABELS[m]} {_fmt(res['overall'][m])}" for m in METRICS))
        if "llm" in res:
            print(f"{'':>7}  model: {res['llm']}")
    print(f"report: {REPORT / (stem + '.md')}")
    if report["failures"]:
        print("GATE FAIL: " + "; ".join(report["failures"]), file=sys.stderr)
        return 0 if args.no_gate else 1
    print("GATE PASS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
