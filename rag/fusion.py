"""Rank candidate passages from several signals: index -> **retrieve (fusion)** -> answer.

What it does: rag/retrieve.py gathers candidate passages (the union of the vector and BM25
top lists) and, for each, raw signals (`Signals`) that `features()` turns into a fixed
matrix (FEATURES):

- passage level: cosine of the question with the passage vector, the best cosine with any
  one of its sentences (sentence-level max-similarity: one sentence can match a question
  that the whole-passage vector dilutes), BM25 (normalised by the question's best), ranks;
- document level: cosine with the document's centroid (the mean of its sentence vectors,
  a whole-document vector as a one-chunk-per-document pipeline has), its length, the best
  passage signals of the same document among the candidates, the document's share of the
  candidates, its first passage (its lead), and its coverage of the question's terms (the
  idf-weighted share of them found anywhere in the document: BM25 scores one passage at a
  time, and an FAQ entry may name the question's terms in different passages);
- answer form: for a yes/no question ("Can I ...?", rag/question.py `yes_no`), whether the
  passage opens with "Yes" or "No" (`opens_yes_no`): an FAQ entry answers such a question in
  its first word, while its neighbours on the same topic share its words and meaning but not
  that form. It is the one thing read from passage text, and only its first word.

A `Ranker` — a listwise logistic model (softmax over each question's candidates) over the
features it names — scores each row. It is fitted by `python -m eval.retrieval --fit` on
the evaluation corpora, leave-one-corpus-out for every figure reported, and stored in
rag/ranker.json with a version checked on load; the study chose which feature groups it
reads by their out-of-sample figures (eval/report/retrieval.md). Query time is a dot
product in numpy; scipy is imported only to fit. `rrf()` is reciprocal rank fusion
(Cormack, Clarke & Buettcher 2009), kept as the "rrf" variant (the previous default).

What it deliberately doesn't: read passage text beyond its opening word (no cross-encoder
ships offline here), or fit anything at query time. Features are relative to the question's
own candidates (gaps from the best), so one model carries over corpora of other sizes and styles.
Method: learning to rank (Liu 2009, "Learning to Rank for Information Retrieval"), listwise
as ListNet (Cao et al. 2007) with one relevant set per question (a conditional logit).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import StoreError

RRF_K = 60
RANKER_VERSION = 2  # 2: the yes/no answer-form and document term-coverage features, candidates from depth 50
L2 = 0.01  # ridge penalty of the listwise fit (eval.retrieval compares others)
RANKER_PATH = Path(__file__).parent / "ranker.json"

FEATURES = (
    "cos_chunk",  # cosine(question, passage vector)
    "cos_chunk_gap",  # that minus the best among the candidates (<= 0)
    "cos_sent",  # best cosine(question, one sentence of the passage)
    "cos_sent_gap",
    "bm25",  # BM25 score / the best BM25 score among the candidates (0 when BM25 missed it)
    "rr_vec",  # 1 / vector rank (0 when not in the vector list)
    "rr_bm25",  # 1 / BM25 rank
    "doc_cos_sent_gap",  # best cos_sent among the same document's candidates, minus the overall best
    "doc_bm25",  # best bm25 among the same document's candidates
    "doc_share",  # the document's candidates / all candidates
    "doc_cos_chunk_gap",  # best cos_chunk among the same document's candidates, minus the overall best
    "cos_lead_gap",  # cosine with the document's first passage (its lead), minus the best cos_chunk
    "is_lead",  # 1 for a document's first passage
    "cos_doc_gap",  # cosine with the document's centroid (mean of its sentence vectors), minus the best cos_chunk
    "log_doc_sents",  # log(1 + sentences in the document): long documents draw more lucky sentence matches
    "yes_no_answer",  # 1 when the question is a yes/no question and the passage opens with "Yes"/"No"
    "doc_coverage",  # idf-weighted share of the question's distinct terms found anywhere in the document
)

# "Yes." / "No, but ..." / "Yes\n\nThere's ...": the answer word standing alone, not "No new
# functionality is added" (a determiner) nor "Yesterday".
_OPENS_YES_NO = re.compile(r"^[\W_]*(yes|no)(?=\s*[.,;:!)\u2014\u2013-]|\s*$|\s*\n)", re.I)


def opens_yes_no(text: str) -> bool:
    """True when a passage's first word is a bare "Yes" or "No" (case-insensitive)."""
    return bool(_OPENS_YES_NO.match(text))


@dataclass
class Signals:
    """Raw per-candidate signals for one question; arrays of length n (candidates)."""

    ids: list[str]
    docs: list[str]  # the document each candidate belongs to (any hashable key)
    cos_chunk: np.ndarray
    cos_sent: np.ndarray
    bm25: np.ndarray  # raw BM25 score, 0 when absent
    vec_rank: np.ndarray  # 1-based, 0 when absent
    bm25_rank: np.ndarray  # 1-based, 0 when absent
    cos_lead: np.ndarray  # cosine(question, the first passage of the candidate's document)
    is_lead: np.ndarray  # bool: the candidate is its document's first passage
    cos_doc: np.ndarray  # cosine(question, the centroid of the document's sentence vectors)
    doc_sents: np.ndarray  # sentences in the candidate's document
    opens_yes_no: np.ndarray | None = None  # bool: the passage opens with "Yes"/"No" (None: all False)
    yes_no_question: bool = False  # the question is answered yes or no (rag/question.py `yes_no`)
    doc_coverage: np.ndarray | None = None  # share of the question's terms in the document (None: all 0)

    @classmethod
    def empty(cls) -> Signals:
        return cls([], [], *(np.zeros(0) for _ in range(9)))


def _group_max(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.empty_like(values)
    for g in np.unique(groups):
        mask = groups == g
        out[mask] = values[mask].max()
    return out


def features(s: Signals) -> np.ndarray:
    """(n, len(FEATURES)) float matrix, column order as FEATURES."""
    n = len(s.ids)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    _, groups = np.unique(np.asarray(s.docs, dtype=object).astype(str), return_inverse=True)
    top_bm25 = s.bm25.max()
    bm25 = s.bm25 / top_bm25 if top_bm25 > 0 else np.zeros(n)
    rr_vec = np.where(s.vec_rank > 0, 1.0 / np.maximum(s.vec_rank, 1), 0.0)
    rr_bm25 = np.where(s.bm25_rank > 0, 1.0 / np.maximum(s.bm25_rank, 1), 0.0)
    share = np.bincount(groups)[groups] / n
    cols = {
        "cos_chunk": s.cos_chunk,
        "cos_chunk_gap": s.cos_chunk - s.cos_chunk.max(),
        "cos_sent": s.cos_sent,
        "cos_sent_gap": s.cos_sent - s.cos_sent.max(),
        "bm25": bm25,
        "rr_vec": rr_vec,
        "rr_bm25": rr_bm25,
        "doc_cos_sent_gap": _group_max(s.cos_sent, groups) - s.cos_sent.max(),
        "doc_bm25": _group_max(bm25, groups),
        "doc_share": share,
        "doc_cos_chunk_gap": _group_max(s.cos_chunk, groups) - s.cos_chunk.max(),
        "cos_lead_gap": s.cos_lead - s.cos_chunk.max(),
        "is_lead": s.is_lead.astype(float),
        "cos_doc_gap": s.cos_doc - s.cos_chunk.max(),
        "log_doc_sents": np.log1p(s.doc_sents),
        "yes_no_answer": (
            np.zeros(n) if s.opens_yes_no is None else np.asarray(s.opens_yes_no, dtype=float) * s.yes_no_question
        ),
        "doc_coverage": np.zeros(n) if s.doc_coverage is None else s.doc_coverage,
    }
    return np.column_stack([np.asarray(cols[f], dtype=float) for f in FEATURES])


def rrf(ranked_lists: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: id -> sum over lists of 1 / (k + rank), rank 1-based."""
    fused: dict[str, float] = {}
    for ranked in ranked_lists:
        for rank, cid in enumerate(ranked, 1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    return fused


def order(ids: list[str], scores: np.ndarray) -> list[int]:
    """Indices of `ids` best first; ties break on id, so a query always gets the same order."""
    return sorted(range(len(ids)), key=lambda i: (-float(scores[i]), ids[i]))


@dataclass(frozen=True)
class Ranker:
    """A linear scorer over some of FEATURES: score = ((x[:, used] - mean) / scale) . weights + bias."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    meta: dict

    def score(self, x: np.ndarray) -> np.ndarray:
        """One score per row of a features() matrix (all FEATURES columns); higher is better."""
        cols = [FEATURES.index(f) for f in self.features]
        return ((x[:, cols] - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self) -> dict:
        return {
            "version": RANKER_VERSION,
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict) -> Ranker:
        """StoreError when the artefact was made for another version or feature set."""
        if data.get("version") != RANKER_VERSION:
            raise StoreError(f"ranker version {data.get('version')!r}, expected {RANKER_VERSION}: refit it")
        names = tuple(data.get("features", ()))
        if not names or any(f not in FEATURES for f in names):
            raise StoreError("ranker features are not among rag.fusion.FEATURES: refit it")
        arrays = [np.asarray(data[k], dtype=float) for k in ("mean", "scale", "weights")]
        if any(a.shape != (len(names),) for a in arrays) or not all(np.isfinite(a).all() for a in arrays):
            raise StoreError("ranker arrays are malformed: refit it")
        return cls(names, *arrays, float(data["bias"]), data.get("meta", {}))

    def save(self, path: Path = RANKER_PATH) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n")


def load_ranker(path: Path = RANKER_PATH) -> Ranker:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise StoreError(f"ranker artefact {path} unreadable ({exc})") from exc
    return Ranker.from_json(data)


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def fit_listwise(
    groups: list[tuple[np.ndarray, np.ndarray]],
    group_weight: np.ndarray | None = None,
    use: tuple[str, ...] = FEATURES,
    l2: float = L2,
    meta=None,
) -> Ranker:
    """Listwise: a softmax over each question's candidates (conditional logit, McFadden 1973;
    ListNet-style, Cao et al. 2007), maximising the probability mass on its relevant ones.

    `groups`: (features() matrix (n, len(FEATURES)), labels (n,) bool) per question; `use`: the
    feature names the model reads. Questions without a relevant
    candidate carry no signal and are skipped. L2 penalty `l2` on the standardised weights
    (the loss is a weighted mean over questions)."""
    from scipy.optimize import minimize

    cols = [FEATURES.index(f) for f in use]
    groups = [(x[:, cols], y.astype(bool)) for x, y in groups if len(y) and y.any()]
    gw = np.ones(len(groups)) if group_weight is None else np.asarray(group_weight, dtype=float)
    gw = gw / gw.sum()
    mean, scale = _standardise(np.vstack([x for x, _ in groups]))
    zs = [((x - mean) / scale, y) for x, y in groups]

    def loss(w):
        total, grad = l2 * 0.5 * w @ w, l2 * w
        for (z, y), g in zip(zs, gw):
            s = z @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            mass = p[y].sum()
            total -= g * np.log(mass + 1e-300)
            r = np.where(y, p / mass, 0.0)
            grad = grad + g * (z.T @ (p - r))
        return total, grad

    w = minimize(loss, np.zeros(len(mean)), jac=True, method="L-BFGS-B").x
    return Ranker(tuple(use), mean, scale, w, 0.0, dict(meta or {}))
