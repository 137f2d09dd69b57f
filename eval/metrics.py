"""The grounding evaluation's metrics, each defined once, each a pure function of one answer.

Per question (`score_answer`) and then averaged per category and overall (`aggregate`):
  - recall@k / MRR: does a retrieved passage contain a gold evidence span, and how high;
  - answer accuracy: every gold key fact appears in the answer (normalised);
  - refusal: refusals on unanswerable questions (recall) and on answerable ones (false);
  - citation recall / precision (ALCE, Gao et al. 2023) with rag.ground.check as judge;
  - quote exactness: `source[start:end] == text` for every citation;
  - uncited sentences: answer sentences that carry no citation.
A metric that does not apply to a question (citations of a refusal) is None and left out
of its average, so a refusal can neither help nor hurt citation precision.
"""

from __future__ import annotations

import re
from pathlib import Path

from rag.ground import check, split_claims

from .questions import Question


def normalise_fact(text: str) -> str:
    """Lower case, uniform quotes and dashes, digit groups joined, punctuation to spaces."""
    text = text.lower()
    text = re.sub(r"[\u2018\u2019\u201c\u201d\"'`]", "", text)
    text = re.sub(r"[\u2013\u2014\u2212]", "-", text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 10,000 -> 10000
    text = re.sub(r"[^\w$%.\-]+", " ", text)
    return " ".join(text.replace(". ", " ").split())


def has_fact(answer: str, fact: str) -> bool:
    """A key fact is present; "a|b" accepts either spelling of the same fact."""
    norm = normalise_fact(answer)
    return any(normalise_fact(alt) in norm for alt in fact.split("|"))


def answer_correct(answer: str, key_facts: list[str]) -> bool:
    """Answer accuracy: every key fact appears in the answer."""
    return all(has_fact(answer, f) for f in key_facts)


def answer_is_correct(q: Question, answer: str, first_source: str | None) -> bool:
    """An answer (already known to be given, not a refusal) is right: for a question
    labelled with gold documents (an FAQ entry), its first citation lies in one of them
    and it holds every key fact there is; for one labelled with evidence, it holds every
    key fact."""
    if q.gold and first_source not in q.gold:
        return False
    return answer_correct(answer, q.key_facts)


def retrieval_rank(q: Question, retrieved: list[dict]) -> int | None:
    """1-based rank of the first retrieved passage that holds the answer: it contains a gold
    evidence span, or lies in a gold document (Question.in_gold)."""
    for rank, p in enumerate(retrieved, 1):
        if q.in_gold(p["source"], p["start"], p["end"]):
            return rank
    return None


def quote_exact(citation: dict, docs: Path) -> bool:
    """The citation's text is exactly its span of the source file, opened as a user would."""
    try:
        source = open(docs / citation["source"], encoding="utf-8").read()
    except OSError:
        return False
    return source[citation["start"] : citation["end"]] == citation["text"]


def citation_scores(answer: str, citations: list[dict]) -> dict:
    """ALCE citation recall and precision for one answer, judged by rag.ground.check.

    recall: share of answer sentences whose cited passages (together) support them.
    precision: share of citations that are relevant: a citation is irrelevant when it
    alone does not support its sentence and the others support it without it.
    Out-of-range citation numbers cite nothing.
    """
    by_n = {c["n"]: c["text"] for c in citations}
    claims = split_claims(answer)
    supported = relevant = n_cites = uncited = 0
    for claim in claims:
        if not claim.citations:
            uncited += 1
            continue
        texts = [by_n[n] for n in claim.citations if n in by_n]
        ok = check(claim.text, texts).supported
        supported += ok
        for n in claim.citations:
            n_cites += 1
            if n not in by_n:
                continue
            alone = check(claim.text, [by_n[n]]).supported
            others = [by_n[m] for m in claim.citations if m != n and m in by_n]
            relevant += alone or (ok and not check(claim.text, others).supported)
    return {
        "claims": len(claims),
        "citation_recall": supported / len(claims) if claims else None,
        "citation_precision": relevant / n_cites if n_cites else None,
        "uncited_sentences": uncited,
    }


def score_answer(q: Question, result: dict, docs: Path, k: int) -> dict:
    """Every metric for one question's JSON answer (the `python -m rag.ask --json` object)."""
    labelled = bool(q.evidence or q.gold)
    rank = retrieval_rank(q, result["retrieved"]) if labelled else None
    first = result["citations"][0]["source"] if result["citations"] else None
    row = {
        "id": q.id,
        "category": q.category,
        "answerable": q.answerable,
        "answered": result["answered"],
        "recall_at_k": None if not labelled else float(rank is not None and rank <= k),
        "r_at_1": None if not labelled else float(rank == 1),
        "r_at_5": None if not labelled else float(rank is not None and rank <= 5),
        "mrr": None if not labelled else (1.0 / rank if rank else 0.0),
        "accuracy": float(result["answered"] and answer_is_correct(q, result["answer"], first))
        if q.answerable
        else None,
        "refused_unanswerable": None if q.answerable else float(not result["answered"]),
        "false_refusal": float(not result["answered"]) if q.answerable else None,
        "quote_exactness": None,
        "citation_recall": None,
        "citation_precision": None,
        "uncited_sentences": None,
    }
    if result["answered"]:
        row["quote_exactness"] = (
            sum(quote_exact(c, docs) for c in result["citations"]) / len(result["citations"])
            if result["citations"]
            else 0.0
        )
        row.update(citation_scores(result["answer"], result["citations"]))
        row.pop("claims", None)
    return row


METRICS = (
    "recall_at_k",
    "mrr",
    "accuracy",
    "refused_unanswerable",
    "false_refusal",
    "citation_recall",
    "citation_precision",
    "quote_exactness",
    "uncited_sentences",
)


def aggregate(rows: list[dict]) -> dict:
    """Mean of each metric over the rows where it applies (uncited sentences: the total)."""
    out: dict = {"n": len(rows)}
    for m in METRICS:
        vals = [r[m] for r in rows if r.get(m) is not None]
        if m == "uncited_sentences":
            out[m] = sum(vals) if vals else 0
        else:
            out[m] = round(sum(vals) / len(vals), 4) if vals else None
    return out
