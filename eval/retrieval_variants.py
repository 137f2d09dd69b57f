"""`python -m eval.retrieval_variants [--misses] [--variant NAME]`: the shipped ranker's misses by
category, and candidate ranker features measured out of sample. A study only: nothing here runs in the product.

What it does: for every evaluation corpus it gathers what eval/retrieval.py gathers (each
answerable question's candidates and their `Signals`, the product's `Retriever.signals`)
plus the raw material of the variants: the question's vector, every chunk's text and
vector. Each variant adds feature columns beside the shipped ranker's (eval/retrieval.py
CHOSEN) and is scored leave-one-corpus-out: the ranker of fold c is fitted on the four other
corpora. A variant that itself learns (the query adapter) is cross-fitted, so that the
ranker never sees in-sample adapted cosines: fold c's adapter is fitted without c, and the
training rows of corpus j in that fold come from an adapter fitted without c and j. Prints
the shipped ranker's misses (out of sample) by category, then one line per variant (R@1 / R@5
per corpus, and their means; `--misses`: the misses only); a whole run writes them to
eval/report/retrieval-variants.md. The variants:

- query adapter: q' = W q with W = I + D fitted with a softmax over every passage of the
  corpus (in-batch negatives; temperature 0.05; ridge `lam` on D, pulling W to the
  identity), or W = I + U V^T of rank r over each question's candidates (retrieved hard
  negatives); features cos(q', passage) and its gap from the best (Yates et al. "embedding
  adapters"; the linear query transform of e.g. Wang et al. 2023 "Query-only adapters");
- Rocchio pseudo-relevance feedback on vectors: q' = q + beta * mean of the top-k candidates
  by cosine or by BM25 (Rocchio 1971);
- RM3-style feedback for BM25: the question's terms plus the m most weighted terms of the
  top-k passages (tf / length x idf), scored by BM25 over the candidates (Abdul-Jaleel et
  al. 2004);
- cross-reference share: the idf-weighted share of the question's terms that a passage
  holds only inside "Section 6.7, “...”" titles or "see ..." clauses (rag/text.py terms).

What it deliberately doesn't: write an artefact (eval/retrieval.py `--fit` does, for the
variant the study keeps) or use the Python documentation or debian-handbook.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rag import Engine, Settings, fusion
from rag.followup import resolve
from rag.kinds import reference_spans
from rag.text import terms

from .retrieval import CACHE, CHOSEN, HERE, SUBSETS, load_corpora, metrics, used

REPORT = HERE / "report" / "retrieval-variants.md"

BASE = [fusion.FEATURES.index(f) for f in used(SUBSETS[CHOSEN])]


@dataclass
class Data:
    name: str
    texts: dict  # chunk id -> text
    vectors: dict  # chunk id -> unit vector
    sources: dict  # chunk id -> source
    questions: list  # dicts: id, query, vec, sig, y (labels over sig.ids), gold (every relevant chunk id)


def _unit(a: np.ndarray) -> np.ndarray:
    return a / np.maximum(np.linalg.norm(a, axis=-1, keepdims=True), 1e-9)


def gather(corpus) -> Data:
    engine = Engine(Settings(docs=corpus.docs.resolve(), index=CACHE / corpus.name / "index"))
    r = engine.retriever
    got = r.chunks.get(ids=sorted(r.live), include=["documents", "metadatas", "embeddings"])
    metas = dict(zip(got["ids"], got["metadatas"]))
    data = Data(
        corpus.name,
        dict(zip(got["ids"], got["documents"])),
        {c: _unit(np.asarray(e, dtype=np.float32)) for c, e in zip(got["ids"], got["embeddings"])},
        {c: m["source"] for c, m in metas.items()},
        [],
    )
    queries = [resolve(q.question, q.history) for q in corpus.questions]
    for q, query, vec in zip(corpus.questions, queries, engine.embedder.embed(queries)):
        sig, rows = r.signals(query, vec)
        y = np.asarray([q.in_gold(rows[c][1]["source"], rows[c][1]["start"], rows[c][1]["end"]) for c in sig.ids])
        gold = [c for c, m in metas.items() if q.in_gold(m["source"], m["start"], m["end"])]
        data.questions.append(
            dict(id=q.id, query=query, vec=_unit(np.asarray(vec, np.float32)), sig=sig, y=y, gold=gold)
        )
    return data


def loco(corpora: dict[str, Data], extra=None, l2: float = fusion.L2) -> dict:
    """Per corpus: metrics of the shipped ranker's features plus `extra`'s columns, fitted on
    the other corpora (each weighing the same). `extra(data, excluded) -> [array (n, k)]` per
    question, where `excluded` is the set of corpora the variant must not have learnt from."""
    names = list(corpora)

    def matrix(q, ex):
        x = fusion.features(q["sig"])[:, BASE] if q["sig"].ids else np.zeros((0, len(BASE)))
        return np.hstack([x, ex]) if ex is not None else x

    out = {}
    for c in names:
        groups, weights = [], []
        for j in names:
            if j == c:
                continue
            data = corpora[j]
            ex = extra(data, frozenset((c, j))) if extra else [None] * len(data.questions)
            rows = [(matrix(q, e), q["y"]) for q, e in zip(data.questions, ex) if q["y"].any()]
            groups += rows
            weights += [1.0 / len(rows)] * len(rows)
        ranker = _fit(groups, np.asarray(weights), l2)
        data = corpora[c]
        ex = extra(data, frozenset((c,))) if extra else [None] * len(data.questions)
        ranked = []
        for q, e in zip(data.questions, ex):
            x = matrix(q, e)
            s = ((x - ranker.mean) / ranker.scale) @ ranker.weights if len(x) else x
            ranked.append([bool(q["y"][i]) for i in fusion.order(q["sig"].ids, s)] if len(x) else [])
        out[c] = metrics(ranked)
    return out


def _fit(groups, weights, l2) -> fusion.Ranker:
    """fusion.fit_listwise over ad-hoc columns (it indexes FEATURES by name)."""
    n = groups[0][0].shape[1]
    saved = fusion.FEATURES
    fusion.FEATURES = tuple(f"f{i}" for i in range(n))
    try:
        return fusion.fit_listwise(groups, weights, use=fusion.FEATURES, l2=l2)
    finally:
        fusion.FEATURES = saved


def _cos_columns(data: Data, q: dict, qv: np.ndarray) -> np.ndarray:
    ids = q["sig"].ids
    if not ids:
        return np.zeros((0, 2))
    c = np.stack([data.vectors[i] for i in ids]) @ _unit(qv)
    return np.column_stack([c, c - c.max()])


# --- query adapter -----------------------------------------------------------------------------


def fit_adapter(corpora: list[Data], lam: float, rank: int | None = None, tau: float = 0.05, steps: int = 150):
    """W (384 x 384): full I + D over whole-corpus negatives, or I + U V^T over each question's
    candidates when `rank` is given; Adam, lr 0.01, fixed seed."""
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(1)
    dim = len(next(iter(corpora[0].vectors.values())))
    eye = torch.eye(dim)
    if rank:
        u = torch.nn.Parameter(torch.zeros(dim, rank))
        v = torch.nn.Parameter(torch.randn(dim, rank) * 0.01)
        params, delta = [u, v], lambda: u @ v.T
        sets = []
        for d in corpora:  # (questions, candidate vectors, labels) per question
            sets.append(
                [
                    (
                        torch.tensor(q["vec"]),
                        torch.tensor(np.stack([d.vectors[i] for i in q["sig"].ids])),
                        torch.tensor(q["y"]),
                    )
                    for q in d.questions
                    if q["y"].any()
                ]
            )
    else:
        full = torch.nn.Parameter(torch.zeros(dim, dim))
        params, delta = [full], lambda: full
        sets = []
        for d in corpora:
            ids = sorted(d.vectors)
            at = {c: i for i, c in enumerate(ids)}
            qs = [q for q in d.questions if q["gold"]]
            mask = np.zeros((len(qs), len(ids)), bool)
            for k, q in enumerate(qs):
                mask[k, [at[c] for c in q["gold"]]] = True
            sets.append(
                (
                    torch.tensor(np.stack([q["vec"] for q in qs])),
                    torch.tensor(np.stack([d.vectors[c] for c in ids])),
                    torch.tensor(mask),
                )
            )
    opt = torch.optim.Adam(params, lr=0.01)
    for _ in range(steps if not rank else min(steps, 100)):
        opt.zero_grad()
        w = eye + delta()
        loss = lam * (delta() ** 2).sum()
        for s in sets:
            if rank:
                part = 0
                for q, e, y in s:
                    sc = e @ torch.nn.functional.normalize(w @ q, dim=0) / tau
                    part = part + torch.logsumexp(sc, 0) - torch.logsumexp(sc[y], 0)
                loss = loss + part / len(s) / len(sets)
            else:
                qv, pv, mask = s
                sc = torch.nn.functional.normalize(qv @ w.T, dim=1) @ pv.T / tau
                pos = torch.logsumexp(sc.masked_fill(~mask, -1e9), 1)
                loss = loss + (torch.logsumexp(sc, 1) - pos).mean() / len(sets)
        loss.backward()
        opt.step()
    return (eye + delta()).detach().numpy()


def adapter(corpora: dict[str, Data], **cfg):
    fitted = {}

    def extra(data: Data, excluded: frozenset) -> list:
        if excluded not in fitted:
            fitted[excluded] = fit_adapter([d for n, d in corpora.items() if n not in excluded], **cfg)
        return [_cos_columns(data, q, fitted[excluded] @ q["vec"]) for q in data.questions]

    return extra


# --- pseudo-relevance feedback -----------------------------------------------------------------


def rocchio(k: int, beta: float, by: str):
    def extra(data: Data, excluded) -> list:
        out = []
        for q in data.questions:
            sig = q["sig"]
            if not sig.ids:
                out.append(np.zeros((0, 2)))
                continue
            top = np.argsort(-(sig.cos_chunk if by == "cos" else sig.bm25), kind="stable")[:k]
            fb = _unit(np.mean([data.vectors[sig.ids[i]] for i in top], axis=0))
            out.append(_cos_columns(data, q, q["vec"] + beta * fb))
        return out

    return extra


class _Bm25:
    """BM25 (k1 1.5, b 0.75, bm25s's idf) over one corpus's chunks, with rag/text.py terms."""

    def __init__(self, data: Data):
        self.tf = {c: Counter(terms(t)) for c, t in data.texts.items()}
        self.df = Counter(t for tf in self.tf.values() for t in tf)
        self.n = len(self.tf)
        self.avg = np.mean([sum(tf.values()) for tf in self.tf.values()]) or 1.0

    def idf(self, t: str) -> float:
        return math.log(1 + (self.n - self.df[t] + 0.5) / (self.df[t] + 0.5))

    def score(self, weights: dict, cid: str) -> float:
        tf, s = self.tf[cid], 0.0
        length = sum(tf.values())
        for t, w in weights.items():
            f = tf.get(t, 0)
            if f:
                s += w * self.idf(t) * f * 2.5 / (f + 1.5 * (0.25 + 0.75 * length / self.avg))
        return s


def rm3(k: int = 3, m: int = 10, alpha: float = 0.5):
    indexes = {}

    def extra(data: Data, excluded) -> list:
        bm = indexes.setdefault(data.name, _Bm25(data))
        out = []
        for q in data.questions:
            ids = q["sig"].ids
            if not ids:
                out.append(np.zeros((0, 2)))
                continue
            qt = Counter(terms(q["query"]))
            base = np.asarray([bm.score(qt, c) for c in ids])
            weight = Counter()
            for i in np.argsort(-base, kind="stable")[:k]:
                tf = bm.tf[ids[i]]
                size = sum(tf.values()) or 1
                for t, f in tf.items():
                    if t not in qt:
                        weight[t] += f / size * math.log(1 + bm.n / bm.df[t])
            chosen = dict(weight.most_common(m))
            total = sum(chosen.values()) or 1.0
            expansion = {t: alpha * len(qt) * v / total for t, v in chosen.items()}
            s = base + np.asarray([bm.score(expansion, c) for c in ids])
            s = s / (s.max() or 1.0)
            out.append(np.column_stack([s, s - 1.0]))
        return out

    return extra


# --- cross-references --------------------------------------------------------------------------


def xref_share(query: str, text: str, idf) -> float:
    """Idf-weighted share of the question's terms matched in `text` that it holds only inside
    cross-references (rag.kinds.reference_spans: cited sections with their titles, manual
    pages, "see ..." sentences); 0 without any."""
    spans = reference_spans(text)
    if not spans:
        return 0.0
    inside = set(terms(" ".join(text[a:b] for a, b in spans)))
    cuts = [0] + [x for span in spans for x in span] + [len(text)]
    rest = set(terms(" ".join(text[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2))))
    matched = set(terms(query)) & (inside | rest)
    total = sum(idf(t) for t in matched)
    return sum(idf(t) for t in matched & (inside - rest)) / total if total else 0.0


def xref():
    indexes = {}

    def extra(data: Data, excluded) -> list:
        bm = indexes.setdefault(data.name, _Bm25(data))
        return [
            np.asarray([xref_share(q["query"], data.texts[c], bm.idf) for c in q["sig"].ids]).reshape(-1, 1)
            for q in data.questions
        ]

    return extra


def products(pairs):
    """Products of pairs of the shipped ranker's features (interactions a linear ranker lacks)."""
    at = [(fusion.FEATURES.index(a), fusion.FEATURES.index(b)) for a, b in pairs]

    def extra(data: Data, excluded) -> list:
        out = []
        for q in data.questions:
            x = fusion.features(q["sig"]) if q["sig"].ids else np.zeros((0, len(fusion.FEATURES)))
            out.append(np.column_stack([x[:, a] * x[:, b] for a, b in at]) if len(x) else np.zeros((0, len(at))))
        return out

    return extra


SHIPPED = used(SUBSETS[CHOSEN])
VARIANTS = {
    "adapter, full W, lam 1": lambda cs: adapter(cs, lam=1.0),
    "adapter, full W, lam 0.1": lambda cs: adapter(cs, lam=0.1),
    "adapter, full W, lam 0.01": lambda cs: adapter(cs, lam=0.01),
    "adapter, rank 4 over candidates, lam 0.1": lambda cs: adapter(cs, lam=0.1, rank=4),
    "rocchio top-3 by cosine, beta 0.5": lambda cs: rocchio(3, 0.5, "cos"),
    "rocchio top-5 by cosine, beta 0.5": lambda cs: rocchio(5, 0.5, "cos"),
    "rocchio top-3 by BM25, beta 0.5": lambda cs: rocchio(3, 0.5, "bm25"),
    "rocchio top-3 by BM25, beta 1": lambda cs: rocchio(3, 1.0, "bm25"),
    "rocchio top-5 by BM25, beta 0.5": lambda cs: rocchio(5, 0.5, "bm25"),
    "rm3 top-3, 10 terms": lambda cs: rm3(),
    "rm3 top-5, 20 terms": lambda cs: rm3(5, 20),
    "cross-reference share": lambda cs: xref(),
    "yes/no answer x 1/vector rank": lambda cs: products([("yes_no_answer", "rr_vec")]),
    "yes/no answer x sentence-cosine gap": lambda cs: products([("yes_no_answer", "cos_sent_gap")]),
    "yes/no answer x BM25": lambda cs: products([("yes_no_answer", "bm25")]),
    "every pairwise product, l2 0.1": lambda cs: products(list(itertools.combinations(SHIPPED, 2))),
}
L2 = {"every pairwise product, l2 0.1": 0.1}  # ridge penalty of a variant's ranker, when not fusion.L2


def line(name: str, res: dict) -> str:
    per = " · ".join(f"{c} {m['r_at_1']:.3f}/{m['r_at_5']:.3f}" for c, m in res.items())
    r1, r5 = (np.mean([m[k] for m in res.values()]) for k in ("r_at_1", "r_at_5"))
    return f"| {name} | {per} | {r1:.3f} / {r5:.3f} |"


def misses(corpora: dict[str, Data]) -> list[str]:
    """The shipped ranker's out-of-sample misses (gold not first) per corpus, by category (lines)."""
    names, lines = list(corpora), []
    for c in names:
        data = corpora[c]
        groups, weights = [], []
        for j in names:
            if j != c:
                rows = [(fusion.features(q["sig"])[:, BASE], q["y"]) for q in corpora[j].questions if q["y"].any()]
                groups += rows
                weights += [1.0 / len(rows)] * len(rows)
        ranker = _fit(groups, np.asarray(weights), fusion.L2)
        tops, found = Counter(), []
        for q in data.questions:
            sig = q["sig"]
            if not sig.ids:
                continue
            x = fusion.features(sig)[:, BASE]
            order = fusion.order(sig.ids, ((x - ranker.mean) / ranker.scale) @ ranker.weights)
            tops[sig.ids[order[0]]] += 1
            rel = [bool(q["y"][i]) for i in order]
            if not rel[0]:
                found.append((q, order, rel.index(True) if any(rel) else None))
        rank, cats = Counter(), Counter()
        for q, order, first in found:
            sig = q["sig"]
            top = sig.ids[order[0]]
            where = "2nd" if first == 1 else "3rd-5th" if first is not None and first < 5 else "6th+"
            rank["not among the candidates" if first is None else where] += 1
            gold = [i for i in order if q["y"][i]]
            quoted = set(terms(" ".join(data.texts[top][a:b] for a, b in reference_spans(data.texts[top]))))
            asked = set(terms(q["query"]))
            if asked and len(asked & quoted) >= 0.5 * len(asked):
                cats["top passage cites another entry by a title holding half the question's terms"] += 1
            if gold and sig.bm25_rank[gold[0]] == 0:
                cats["gold shares no BM25 term with the question"] += 1
            elif gold and sig.doc_coverage[gold[0]] < 0.3:
                cats["gold's document holds < 0.3 of the question's terms (idf-weighted)"] += 1
            if tops[top] >= 2:
                cats["top passage is a hub (first for 2+ questions)"] += 1
            if gold and data.sources[top] != data.sources[sig.ids[gold[0]]] and fusion.opens_yes_no(data.texts[top]):
                cats["top passage opens with a bare Yes/No"] += 1
        lines.append(f"- {c}: {len(found)} misses of {len(data.questions)}; the gold {dict(rank)}")
        lines += [f"  - {v} {k}" for k, v in cats.most_common()]
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.retrieval_variants", description=__doc__.split("\n\n")[0])
    ap.add_argument("--misses", action="store_true", help="only the shipped ranker's misses by category")
    ap.add_argument("--variant", action="append", default=[], help="only this variant (repeatable)")
    args = ap.parse_args(argv)
    command = " ".join(["python -m eval.retrieval_variants", *(sys.argv[1:] if argv is None else argv)])
    corpora = {}
    for c in load_corpora():
        corpora[c.name] = gather(c)
        print(f"{c.name}: gathered", file=sys.stderr)
    out = ["# Retrieval variants", "", f"`{command}` (eval/retrieval.py's NOTES say what was kept and why)", ""]
    out += ["## The shipped ranker's misses, out of sample", ""] + misses(corpora) + [""]
    print("\n".join(out), flush=True)
    if not args.misses:
        rows = [
            "## Variants, leave-one-corpus-out",
            "",
            "| variant | R@1 / R@5 per corpus | mean R@1 / R@5 |",
            "|---|---|---|",
        ]
        rows.append(line("shipped ranker", loco(corpora)))
        print("\n".join(rows), flush=True)
        for name, make in VARIANTS.items():
            if args.variant and name not in args.variant:
                continue
            rows.append(line(name, loco(corpora, make(corpora), l2=L2.get(name, fusion.L2))))
            print(rows[-1], flush=True)
        out += rows + [""]
    if not args.misses and not args.variant:  # a partial run never replaces the whole report
        REPORT.write_text("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
