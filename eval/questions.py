"""The labelled question set (eval/questions.jsonl), loaded and checked against the seeds.

Each line: {"id", "category", "question", "history"?: [str], "answerable"?: bool (default
true), "key_facts"?: [str], "evidence"?: [str]}. Evidence strings must be exact substrings
of a seed file; `load()` resolves each to (source, start, end) and refuses a set with a
string it cannot find, so a typo in the gold can never pass silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
QUESTIONS = HERE / "questions.jsonl"


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

    def supported_by(self, source: str, start: int, end: int) -> bool:
        """True when the span [start, end) of `source` overlaps a gold evidence span."""
        return any(e.source == source and start < e.end and e.start < end for e in self.evidence)


def load(path: Path = QUESTIONS, docs: Path = Path("seeds")) -> list[Question]:
    texts = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.txt"))}
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
        )
        if q.answerable and not (q.key_facts and q.evidence):
            raise ValueError(f"{path}:{lineno}: an answerable question needs key_facts and evidence")
        out.append(q)
    return out
