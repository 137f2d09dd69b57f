"""`python -m eval.relevance_head`: does a relevance head learned from outside data help? (issue 13, a study)

What it does: harvests (question, answer passage) pairs from Debian packages that are not
evaluation corpora nor reserved (`PACKAGES`: man pages of coreutils, util-linux, apt, dpkg,
the Linux man-pages, ...): each man page's NAME summary ("malloc, free - allocate and free
dynamic memory") is phrased as a question in one of several forms (`phrase`: "How can I
allocate and free dynamic memory?", "Where can I read about ...?"), and its DESCRIPTION
(rendered by groff, capped at `DESC_CHARS`) is the answer document, one per page, in a
per-package corpus under eval/.cache/relevance/<package>/docs. Each corpus is indexed by
the product's Engine, and each question's candidates are gathered by the product's
retriever (`Retriever.signals`, depth rag.retrieve.DEPTH): the gold page's passages are
the positives, the other candidates the retriever puts first (same package, same topic,
wrong page) the hard negatives. Heads (`VARIANTS`) are fitted on the frozen MiniLM vectors
the index stores (question q, passage p): logistic regression over [q*p, |q-p|, cos(q, p)]
pointwise or pairwise, a diagonal bilinear beside the cosine, a small MLP ("answers" vs
"merely related"). Because they see only these packages, they are out of sample for every
evaluation corpus.

Then it measures, per head, on the evaluation corpora (their cached indexes in eval/.cache/index/):
  - within the harvest: R@1 of the head on each larger package, fitted on the others;
  - retrieval: the shipped ranker variant (eval.retrieval.CHOSEN) fitted leave-one-corpus-out
    with and without the head's score (and its gap from the best candidate) as features;
    R@1 / R@5 per corpus, beside the head alone and the cosine alone;
  - answerability: per question, the head's best score over the top three passages, as a
    separator of answerable from unanswerable questions (ROC AUC per corpus), beside the
    best passage cosine (the scorer's `cos_passage`).
It prints the tables and writes them to eval/.cache/relevance/result.json;
eval/report/relevance-head.md records the run and the verdict (not kept).

What it deliberately doesn't: touch python3.*-doc, debian-handbook (reserved) or git,
sqlite, debian-faq / doc-debian (the evaluation corpora); use the evaluation's "Which git
command can I use to" question form; ship anything (a study: rag/ is unchanged).
Method: a siamese-feature relevance classifier on frozen sentence embeddings (the [u*v,
|u-v|] head of InferSent, Conneau et al. 2017, and Sentence-BERT's classification objective,
Reimers & Gurevych 2019), fitted as L2 logistic regression, pointwise or
pairwise (a linear RankNet, Burges et al. 2005); hard negatives from the
first-stage retriever as in dense-retrieval training (Karpukhin et al. 2020, DPR).
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import random
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag import Engine, Settings, fusion
from rag.followup import resolve
from rag.retrieve import rank_scores

from .corpora import Package, unpack

HERE = Path(__file__).parent
CACHE = HERE / ".cache" / "relevance"
REPORT = HERE / "report" / "relevance-head.md"

# Debian 12 packages with man pages; none is an evaluation corpus or reserved. (systemd, subversion,
# mercurial-common, findutils and tar were left out for the embedding time on a shared 2-core machine.)
PACKAGES = tuple(
    Package(*p)
    for p in (
        ("manpages", "6.03-2", "efa1ba4cd19ad7baeae959c9209a7eb74be2ebb858bcabb412597bfc9f588c91"),
        ("manpages-dev", "6.03-2", "96f55cb5e26231d5567c89b692bced63825a14a2d5bd18fdf16ea2ed44eb9838"),
        ("coreutils", "9.1-1", "61038f857e346e8500adf53a2a0a20859f4d3a3b51570cc876b153a2d51a3091"),
        ("util-linux", "2.38.1-5+deb12u3", "8eb241ff24b2e1ee9c0373f4fc9bc728b85bf5966c1496154df7da01c0e42f34"),
        ("apt", "2.6.2", "796fc7fe18866f5b1fb27a115d7339e549d71b7ddbc15b8d6fc4226c243e96d1"),
        ("dpkg", "1.21.23", "f89e9f8d1a4a50ade44be3ed59a6ec55460fce205d2f8520c5c492137c5b609b"),
        ("procps", "2:4.0.2-3", "d9d0e75779cb79af869181f17b93c5c263a2b89cac6a0193c436160a4483ddc1"),
        ("openssh-client", "1:9.2p1-2+deb12u10", "42c250b8b9110382488c53c066a960bc564ddac2cb9e449f47b6cdbb5fc1cb60"),
    )
)
MAX_PAGES = 220  # per package, a seeded sample (manpages-dev has ~900 pages): keeps the embedding bill to minutes
DESC_CHARS = 1500  # the DESCRIPTION's first paragraphs, up to this many characters
HARD = 10  # hard negatives per question: the retriever's best non-gold candidates
SEED = 13
C = 1.0  # inverse L2 strength of the head's logistic regression


# ---- harvesting ------------------------------------------------------------------------


def render(path: Path) -> str:
    """A man page as plain text (groff, no hyphenation, one line per paragraph)."""
    src = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    out = subprocess.run(
        ["groff", "-man", "-Tutf8", "-rLL=4000n", "-rHY=0", "-P-cbou"],
        input=src,
        capture_output=True,
        env={"GROFF_NO_SGR": "1", "PATH": "/usr/bin:/bin"},
    )
    return out.stdout.decode("utf-8", "replace")


def sections(text: str) -> dict[str, str]:
    """Top-level sections of rendered man text: a heading starts a line, in capitals."""
    parts = re.split(r"(?m)^([A-Z][A-Z /-]+)\s*$", text)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def paragraphs(body: str, cap: int = DESC_CHARS) -> str:
    """The section's paragraphs (indentation dropped), the first ones up to `cap` characters."""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]
    out, size = [], 0
    for p in paras:
        if out and size + len(p) > cap:
            break
        out.append(p)
        size += len(p) + 2
    return "\n\n".join(out)


VERB_FORMS = (
    "How do I {s}?",
    "How can I {s}?",
    "What can I use to {s}?",
    "Is there a way to {s}?",
    "I need to {s}. What should I use?",
    "What lets me {s}?",
)
NOUN_FORMS = (
    "Where can I read about {s}?",
    "What do the documents say about {s}?",
    "Tell me about {s}.",
    "What is there on {s}?",
)
_NOUNISH = re.compile(
    r"^(the|a|an|overview|introduction|format|description|conventions?|\w+(tion|sion|ment|ness|ity|ies))$"
)


def phrase(summary: str, section: str, rng: random.Random) -> str:
    """The NAME summary as a question: a verb-first summary as a how-to question (a verb in
    the third person, "lists", in its base form), another (sections 5 and 7 describe files
    and concepts) as a question about the topic."""
    s = summary.strip().rstrip(".")
    s = s[0].lower() + s[1:]
    first = s.split()[0]
    nounish = section[:1] in "57" or bool(_NOUNISH.match(first))
    if not nounish and first.endswith("s") and not first.endswith("ss"):  # "lists ...": the base form
        base = first[:-2] if re.search(r"(ch|sh|ss|x|z)es$", first) else first[:-1]
        s = base + s[len(first) :]
    return rng.choice(NOUN_FORMS if nounish else VERB_FORMS).format(s=s)


def harvest(pkg: Package) -> tuple[Path, list[dict]]:
    """The package's corpus folder (one document per man page's DESCRIPTION, opaque names)
    and its questions [{question, gold}], written once under eval/.cache/relevance/."""
    base = CACHE / pkg.name
    qfile = base / "questions.json"
    if qfile.exists():
        return base / "docs", json.loads(qfile.read_text())
    root = unpack(pkg)
    pages = sorted(
        p
        for p in (root / "usr/share/man").glob("man*/*")
        if p.is_file() and not p.is_symlink() and p.stat().st_size > 300
    )
    rng = random.Random(f"{SEED}:{pkg.name}")
    if len(pages) > MAX_PAGES:
        pages = sorted(rng.sample(pages, MAX_PAGES))
    docs, questions, seen = {}, [], set()
    for page in pages:
        sec = sections(render(page))
        m = re.match(r"(.+?)\s+[-\u2010\u2013\u2014]+\s+(.+)", " ".join(sec.get("NAME", "").split()))
        desc = paragraphs(sec.get("DESCRIPTION", ""))
        if not m or len(desc) < 200 or len(m.group(2).split()) < 3 or m.group(2).lower() in seen:
            continue
        seen.add(m.group(2).lower())
        name = f"page-{len(docs) + 1:04d}.txt"
        docs[name] = desc + "\n"
        section = page.parent.name.removeprefix("man")
        questions.append({"question": phrase(m.group(2), section, rng), "gold": name, "page": page.name})
    folder = base / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    qfile.write_text(json.dumps(questions, indent=0))
    return folder, questions


# ---- candidates and the head -------------------------------------------------------------


def candidates(engine: Engine, queries: list[str], labels) -> list[dict]:
    """Per query: its vector, the candidates' stored passage vectors, the shipped ranker's
    scores, the fusion features and the labels `labels(query index, metadata)` gives."""
    retriever = engine.retriever
    qvecs = engine.embedder.embed(queries)
    out = []
    for i, (query, qv) in enumerate(zip(queries, qvecs)):
        sig, rows = retriever.signals(query, qv)
        if not sig.ids:
            out.append({"q": np.asarray(qv), "p": np.zeros((0, len(qv))), "y": np.zeros(0, bool), "s": np.zeros(0)})
            continue
        got = retriever.chunks.get(ids=sig.ids, include=["embeddings"])
        emb = dict(zip(got["ids"], got["embeddings"]))
        out.append(
            {
                "q": np.asarray(qv, dtype=np.float32),
                "p": np.asarray([emb[c] for c in sig.ids], dtype=np.float32),
                "y": np.asarray([labels(i, rows[c][1]) for c in sig.ids], dtype=bool),
                "s": rank_scores(sig, "hybrid"),
                "x": fusion.features(sig),
                "ids": sig.ids,
            }
        )
    return out


def pair_features(q: np.ndarray, p: np.ndarray, form: str = "siamese") -> np.ndarray:
    """One question vector against passage vectors (rows): "siamese" [q*p, |q-p|, cos];
    "diagonal" [q*p, 10 cos] (a diagonal bilinear q^T W p beside a cosine the L2 penalty
    hardly shrinks, so the head learns a correction to the cosine)."""
    q = q / (np.linalg.norm(q) or 1.0)
    p = p / np.maximum(np.linalg.norm(p, axis=1, keepdims=True), 1e-9)
    cos = (p @ q)[:, None]
    if form == "diagonal":
        return np.hstack([p * q, 10.0 * cos])
    return np.hstack([p * q, np.abs(p - q), cos])


@dataclass(frozen=True)
class HeadVariant:
    """How a head is fitted: feature `form`, `pairwise` (logistic on gold-minus-negative
    differences, a linear RankNet / RankSVM) or pointwise (gold vs negative), L2 strength 1/c."""

    name: str
    form: str = "siamese"
    pairwise: bool = False
    c: float = C
    mlp: int = 0  # > 0: a one-hidden-layer MLP of this width instead (pointwise, L2 alpha = 1 / c)


VARIANTS = (
    HeadVariant("siamese, pointwise, C 1"),
    HeadVariant("siamese, pointwise, C 0.1", c=0.1),
    HeadVariant("siamese, pairwise, C 1", pairwise=True),
    HeadVariant("siamese, pairwise, C 0.1", pairwise=True, c=0.1),
    HeadVariant("diagonal + cosine, pairwise, C 1", form="diagonal", pairwise=True),
    HeadVariant("siamese, MLP 64, pointwise, alpha 1", c=1.0, mlp=64),
)


def training_rows(groups: list[dict], v: HeadVariant, hard: int = HARD) -> tuple[np.ndarray, np.ndarray]:
    """Positives: the gold passages among the candidates; negatives: the `hard` best-ranked
    others. Pairwise: each (gold, negative) pair's feature difference, both ways round."""
    xs, ys = [], []
    for g in groups:
        if not g["y"].any():
            continue
        order = np.argsort(-g["s"], kind="stable")
        neg = np.asarray([i for i in order if not g["y"][i]][:hard], dtype=int)
        pos = np.flatnonzero(g["y"])
        f = pair_features(g["q"], g["p"], v.form)
        if v.pairwise:
            best = pos[np.argmax(g["s"][pos])]  # the gold passage the retriever ranks first
            d = f[best][None, :] - f[neg]
            xs += [d, -d]
            ys += [np.ones(len(d), bool), np.zeros(len(d), bool)]
        else:
            keep = np.concatenate([pos, neg])
            xs.append(f[keep])
            ys.append(g["y"][keep])
    return np.vstack(xs), np.concatenate(ys)


def fit_head(groups: list[dict], v: HeadVariant):
    from sklearn.linear_model import LogisticRegression

    x, y = training_rows(groups, v)
    if v.mlp:
        from sklearn.neural_network import MLPClassifier

        model = MLPClassifier((v.mlp,), alpha=1.0 / v.c, early_stopping=True, max_iter=300, random_state=SEED)
        return model.fit(x, y), len(y), int(y.sum())
    model = LogisticRegression(
        C=v.c, max_iter=3000, fit_intercept=not v.pairwise, class_weight=None if v.pairwise else "balanced"
    )
    return model.fit(x, y), len(y), int(y.sum())


def head_scores(head, g: dict, v: HeadVariant) -> np.ndarray:
    """The head's score (log-odds up to a constant) for each candidate of one question."""
    if not len(g["p"]):
        return np.zeros(0)
    x = pair_features(g["q"], g["p"], v.form)
    if v.mlp:
        p = np.clip(head.predict_proba(x)[:, 1], 1e-9, 1 - 1e-9)
        return np.log(p / (1 - p))
    return head.decision_function(x)


# ---- measuring --------------------------------------------------------------------------


def r_at(groups: list[dict], scores: list[np.ndarray]) -> dict:
    r1 = r5 = 0
    n = 0
    for g, s in zip(groups, scores):
        if not len(g["y"]):
            n += 1
            continue
        order = fusion.order(g["ids"], s)
        hit = [bool(g["y"][i]) for i in order]
        r1 += hit[0]
        r5 += any(hit[:5])
        n += 1
    return {"r_at_1": r1 / max(n, 1), "r_at_5": r5 / max(n, 1), "n": n}


def auc(pos: list[float], neg: list[float]) -> float | None:
    """ROC AUC: P(a positive outscores a negative), ties half."""
    if not pos or not neg:
        return None
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.3f}"


EXTRA = ("head", "head_gap")


def with_head(g: dict, s: np.ndarray) -> np.ndarray:
    return np.column_stack([g["x"], s, s - (s.max() if len(s) else 0.0)])


def fit_ranker(groups_by_corpus: dict[str, list[dict]], extra: bool):
    """eval.retrieval's CHOSEN variant (plus the head's columns when `extra`), listwise,
    each corpus weighing the same."""
    from . import retrieval

    use = retrieval.used(retrieval.SUBSETS[retrieval.CHOSEN]) + (EXTRA if extra else ())
    saved = fusion.FEATURES
    fusion.FEATURES = saved + EXTRA  # a study-only widening; restored below
    try:
        groups, weights = [], []
        for gs in groups_by_corpus.values():
            usable = [(g["xh"], g["y"]) for g in gs if len(g["y"]) and g["y"].any()]
            groups += usable
            weights += [1.0 / len(usable)] * len(usable)
        return fusion.fit_listwise(groups, np.asarray(weights), use=use)
    finally:
        fusion.FEATURES = saved


def ranker_scores(ranker, g: dict) -> np.ndarray:
    saved = fusion.FEATURES
    fusion.FEATURES = saved + EXTRA
    try:
        return ranker.score(g["xh"]) if len(g["y"]) else np.zeros(0)
    finally:
        fusion.FEATURES = saved


def eval_groups() -> dict[str, list[dict]]:
    """Per evaluation corpus, every question's candidate group (answerable or not), cached in
    eval/.cache/relevance/eval-groups.pkl (delete it when the indexes change)."""
    from .protocol import open_corpora

    path = CACHE / "eval-groups.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = {}
    # The seeds' index as `python -m eval` opens it (run from the repository's root).
    seeds = Engine(Settings(docs=Path("seeds"), index=Path("index")))
    for name, (engine, _docs, questions) in open_corpora(seeds_engine=seeds).items():
        engine.refresh()
        qs = list(questions)
        queries = [resolve(q.question, q.history) for q in qs]
        groups = candidates(
            engine, queries, lambda i, meta, qs=qs: qs[i].in_gold(meta["source"], meta["start"], meta["end"])
        )
        for q, g in zip(qs, groups):
            g["answerable"] = q.answerable
            g["labelled"] = q.answerable and bool(q.gold or q.evidence)
        out[name] = groups
    path.write_bytes(pickle.dumps(out))
    return out


def package_groups(pkg: Package) -> list[dict]:
    """The harvested questions' candidate groups of one package, cached beside its index."""
    path = CACHE / pkg.name / "groups.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    docs, questions = harvest(pkg)
    engine = Engine(Settings(docs=docs.resolve(), index=CACHE / pkg.name / "index"))
    engine.refresh()
    golds = [q["gold"] for q in questions]
    groups = candidates(
        engine, [q["question"] for q in questions], lambda i, meta, golds=golds: meta["source"] == golds[i]
    )
    for g in groups:
        g["package"] = pkg.name
    path.write_bytes(pickle.dumps(groups))
    return groups


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.relevance_head", description=__doc__.split("\n")[0])
    parser.add_argument("--packages", default=",".join(p.name for p in PACKAGES))
    parser.add_argument("--variants", default=None, help="comma-separated indexes into VARIANTS (default all)")
    args = parser.parse_args(argv)
    variants = [VARIANTS[int(i)] for i in args.variants.split(",")] if args.variants else VARIANTS
    t0 = time.perf_counter()
    train, sizes = [], {}
    for pkg in PACKAGES:
        if pkg.name not in args.packages.split(","):
            continue
        groups = package_groups(pkg)
        sizes[pkg.name] = (len(groups), sum(int(g["y"].any()) for g in groups))
        train += groups
        print(f"{pkg.name}: {sizes[pkg.name][0]} questions, gold among candidates for {sizes[pkg.name][1]}", flush=True)
    groups = eval_groups()
    cos = lambda g: g["x"][:, fusion.FEATURES.index("cos_chunk")] if len(g["y"]) else np.zeros(0)
    labelled = {n: [g for g in gs if g["labelled"]] for n, gs in groups.items()}
    for gs in groups.values():
        for g in gs:
            g["xh"] = with_head(g, np.zeros(len(g["y"]))) if len(g["y"]) else np.zeros((0, len(fusion.FEATURES) + 2))
    base = {}
    for n, lab in labelled.items():
        ranker = fit_ranker({o: v for o, v in labelled.items() if o != n}, False)
        base[n] = r_at(lab, [ranker_scores(ranker, g) for g in lab])
    head_line = (
        "| variant | corpus | R@1 cosine | R@1 head | R@1 / R@5 ranker LOCO | R@1 / R@5 ranker LOCO + head | "
        "AUC ans-vs-unans, best cosine in top 3 | AUC, best head in top 3 |"
    )
    table = [head_line, "|" + "---|" * 8]
    held_lines = [
        "| variant | held-out package | R@1 shipped ranker | R@1 cosine | R@1 head |",
        "|---|---|---|---|---|",
    ]
    for v in variants:
        head, n_pairs, n_pos = fit_head(train, v)
        print(f"{v.name}: fitted on {n_pairs} rows ({n_pos} positive), {time.perf_counter() - t0:.0f} s", flush=True)
        for name in sizes:  # within the harvest, held out by package: does it carry over?
            te = [g for g in train if g["package"] == name and g["y"].any()]
            tr = [g for g in train if g["package"] != name]
            if len(te) < 50 or not tr:
                continue
            h = fit_head(tr, v)[0]
            held_lines.append(
                f"| {v.name} | {name} ({len(te)}) | {r_at(te, [g['s'] for g in te])['r_at_1']:.3f} | "
                f"{r_at(te, [cos(g) for g in te])['r_at_1']:.3f} | "
                f"{r_at(te, [head_scores(h, g, v) for g in te])['r_at_1']:.3f} |"
            )
            print(held_lines[-1], flush=True)
        for gs in groups.values():
            for g in gs:
                g["h"] = head_scores(head, g, v)
                g["xh"] = with_head(g, g["h"]) if len(g["y"]) else np.zeros((0, len(fusion.FEATURES) + 2))
        for name, gs in groups.items():
            lab = labelled[name]
            plus = fit_ranker({o: x for o, x in labelled.items() if o != name}, extra=True)
            r_plus = r_at(lab, [ranker_scores(plus, g) for g in lab])

            def top(g, key):
                if not len(g["y"]):
                    return -1e9
                return float(max(key(g)[fusion.order(g["ids"], g["s"])[:3]]))

            ans = [g for g in gs if g["answerable"]]
            un = [g for g in gs if not g["answerable"]]
            a_cos = auc([top(g, cos) for g in ans], [top(g, cos) for g in un])
            a_head = auc([top(g, lambda g: g["h"]) for g in ans], [top(g, lambda g: g["h"]) for g in un])
            table.append(
                f"| {v.name} | {name} | {r_at(lab, [cos(g) for g in lab])['r_at_1']:.3f} | "
                f"{r_at(lab, [g['h'] for g in lab])['r_at_1']:.3f} | "
                f"{base[name]['r_at_1']:.3f} / {base[name]['r_at_5']:.3f} | "
                f"{r_plus['r_at_1']:.3f} / {r_plus['r_at_5']:.3f} | {_fmt(a_cos)} | {_fmt(a_head)} |"
            )
            print(table[-1], flush=True)
    result = {"packages": sizes, "held_out": held_lines, "table": table, "seconds": round(time.perf_counter() - t0)}
    (CACHE / "result.json").write_text(json.dumps(result, indent=1))
    print("\n".join(held_lines + [""] + table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
