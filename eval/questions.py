"""The labelled question sets, loaded and checked against their corpus on load.

The seeds' set is eval/questions.jsonl; every other corpus's is eval/questions/<name>.jsonl
(its documents: `python -m eval.corpora`, eval/corpora.py). Each line:
{"id", "category", "question", "history"?: [str], "answerable"?: bool (default true),
 "key_facts"?: [str], "evidence"?: [str], "gold"?: [file], "removed"?: [file]}.
Two ways to label an answerable question:
  - evidence: exact substrings of a document (hand-written questions); `load()` resolves each
    to (source, start, end) and refuses a string it cannot find, so a typo in the gold can
    never pass silently; key facts are required and must lie in the evidence's documents;
  - gold: the documents that answer it (an FAQ entry's answer); each must exist, and any
    key facts must be in one of them.
An unanswerable question may name the documents removed from the corpus to make it so
(`removed`: the gold of an FAQ entry); `load()` checks they are really absent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
QUESTIONS = HERE / "questions.jsonl"
QUESTIONS_DIR = HERE / "questions"


@dataclass(frozen=True)
class Evidence:
    source: str
    start: int
    end: int
    text: str


@dataclass
class Question:
    id: str
    category: str
    question: str
    history: list[str] = field(default_factory=list)
    answerable: bool = True
    key_facts: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    gold: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def in_gold(self, source: str, start: int, end: int) -> bool:
        """True when a passage [start, end) of `source` holds the answer: it lies in a gold
        document, or contains a gold evidence span."""
        if source in self.gold:
            return True
        return any(e.source == source and start <= e.start and e.end <= end for e in self.evidence)

    def supported_by(self, source: str, start: int, end: int) -> bool:
        """True when the span [start, end) of `source` overlaps a gold evidence span."""
        return any(e.source == source and start < e.end and e.start < end for e in self.evidence)


TEXT_SUFFIXES = (".txt", ".md", ".csv", ".html", ".htm")  # labels are checked in the raw text


def corpus_texts(docs: Path) -> dict[str, str]:
    """Every text document of a folder (TEXT_SUFFIXES), keyed by its path relative to the folder."""
    return {
        p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(docs.rglob("*"))
        if p.suffix in TEXT_SUFFIXES and p.is_file()
    }


def load(path: Path = QUESTIONS, docs: Path = Path("seeds")) -> list[Question]:
    """The questions of `path`, every label checked against the documents in `docs`;
    ValueError naming the line when one does not hold."""
    from .metrics import normalise_fact

    texts = corpus_texts(docs)
    out, seen = [], set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["id"] in seen:
            raise ValueError(f"{path}:{lineno}: duplicate id {row['id']}")
        seen.add(row["id"])
        evidence = []
        for text in row.get("evidence", []):
            found = [(s, t.index(text)) for s, t in texts.items() if text in t]
            if not found:
                raise ValueError(f"{path}:{lineno}: evidence not found verbatim in {docs}: {text!r}")
            evidence += [Evidence(s, i, i + len(text), text) for s, i in found]
        q = Question(
            id=row["id"],
            category=row["category"],
            question=row["question"],
            history=row.get("history", []),
            answerable=row.get("answerable", True),
            key_facts=row.get("key_facts", []),
            evidence=evidence,
            gold=row.get("gold", []),
            removed=row.get("removed", []),
        )
        where = f"{path}:{lineno}"
        for g in q.gold:
            if g not in texts:
                raise ValueError(f"{where}: gold document {g!r} is not in {docs}")
        for r in q.removed:
            if r in texts:
                raise ValueError(f"{where}: document {r!r} should have been removed from {docs}")
        if q.answerable:
            if not (q.gold or (q.key_facts and q.evidence)):
                raise ValueError(f"{where}: an answerable question needs gold documents, or key_facts and evidence")
            if q.removed:
                raise ValueError(f"{where}: an answerable question cannot have its documents removed")
            homes = set(q.gold) | {e.source for e in q.evidence}
            for fact in q.key_facts:
                alts = [normalise_fact(a) for a in fact.split("|")]
                if not any(a in normalise_fact(texts[h]) for h in homes for a in alts):
                    raise ValueError(f"{where}: key fact {fact!r} is in none of its gold documents")
        elif q.gold or q.evidence or q.key_facts:
            raise ValueError(f"{where}: an unanswerable question has no gold, evidence or key facts")
        out.append(q)
    return out


SEEDS = "seeds"


def corpus_names() -> list[str]:
    """The seeds first, then every corpus with a question file."""
    return [SEEDS] + sorted(p.stem for p in QUESTIONS_DIR.glob("*.jsonl"))


def fit_corpus_names() -> list[str]:
    """The corpora the learned models (passage ranker, answer scorer) fit on: corpus_names()
    but the everyday ones, measured only (eval.corpora.fits)."""
    from .corpora import fits

    return [n for n in corpus_names() if fits(n)]


def load_corpus(name: str, prepare: bool = True) -> tuple[Path, list[Question]]:
    """(docs folder, checked questions) of a corpus; the seeds, an everyday one kept in the
    repository, or one of eval/corpora.py's packages (fetched and extracted first when `prepare`)."""
    if name == SEEDS:
        docs = HERE.parent / "seeds"
        return docs, load(QUESTIONS, docs)
    from .corpora import CORPORA, EVERYDAY, EVERYDAY_DIR
    from .corpora import prepare as prepare_docs

    if name in EVERYDAY:
        return EVERYDAY_DIR / name, load(QUESTIONS_DIR / f"{name}.jsonl", EVERYDAY_DIR / name)
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; known: {', '.join(corpus_names())}")
    docs = prepare_docs(name) if prepare else CORPORA[name].docs
    return docs, load(QUESTIONS_DIR / f"{name}.jsonl", docs)
