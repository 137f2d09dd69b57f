"""Shared fixtures: the real seeds, the real MiniLM model, real Chroma stores in temp dirs.

The seed index is built once per test session (about 20 s on 2 cores) and shared by the
tests that only read it; tests that change documents build their own in a temp dir.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

import rag  # noqa: E402  (sets the offline environment before anything else imports HF)
from eval import chroma_server  # noqa: E402
from rag.embed import default_embedder, ensure_fast_embedder  # noqa: E402

# The suite runs the production query path: the ONNX export exists before any Engine starts
# (a fresh machine pays the one-off export here, ~15 s).
ensure_fast_embedder()


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed (to prove incremental work)."""

    def __init__(self, inner=None, fail_after_calls: int | None = None):
        self.inner = inner or default_embedder()
        self.name = self.inner.name
        self.texts = 0
        self.calls = 0
        self.fail_after_calls = fail_after_calls

    def embed(self, texts):
        self.calls += 1
        if self.fail_after_calls is not None and self.calls > self.fail_after_calls:
            raise RuntimeError("simulated crash in the middle of embedding")
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> rag.Settings:
    index = tmp_path_factory.mktemp("seed-index")
    settings = rag.Settings(docs=SEEDS, index=index)
    rag.build_index(settings)
    return settings


@pytest.fixture(scope="session")
def engine(seed_settings) -> rag.Engine:
    return rag.Engine(seed_settings, auto_index=False)


@pytest.fixture(scope="session")
def engine_over(tmp_path_factory):
    """`engine_over(name, files)`: a real Engine over a folder holding `files` (file name ->
    text, written as UTF-8) in a temp dir, its index built on first use."""

    def build(name: str, files: dict[str, str]) -> rag.Engine:
        root = tmp_path_factory.mktemp(name)
        (root / "docs").mkdir()
        for file, text in files.items():
            (root / "docs" / file).write_text(text, encoding="utf-8")
        return rag.Engine(rag.Settings(docs=root / "docs", index=root / "index"))

    return build


@pytest.fixture
def docs_copy(tmp_path) -> Path:
    """A private, writable copy of the seeds."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    for p in docs.iterdir():
        p.chmod(0o644)
    return docs


free_port = chroma_server.free_port  # a loopback port nobody listens on right now (for servers the tests start)


def run_cli(*args, env_extra=None, stdin=None, timeout=300):
    """Run `python -m <args>` from the repo root, as a user would; returns CompletedProcess."""
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """A real `chroma run` on loopback for the whole session (started only when a test asks)."""
    try:
        with chroma_server.running(tmp_path_factory.mktemp("chroma-server"), wait_s=30) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(params=["embedded", "server"])
def store_url(request):
    """Each test taking this runs twice: embedded Chroma (None) and a real Chroma server (its URL)."""
    return request.getfixturevalue("chroma_url") if request.param == "server" else None


# `python -m rag.ingest` that stops itself (SIGSTOP) at a named point, so a test can look at
# the index, ask it questions, then kill -9 or continue the ingest: no sleeps, no races.
#   embed-N: inside the N-th call to the embedder (vectors of earlier calls are in the store)
#   publish: every vector and the lexical index written, the manifest not yet
#   pointer: the generation folder renamed into place, CURRENT not yet replaced
#   sweep:   published; deleting vector segments no kept generation lists
#   merge:   copying an old vector segment's live rows into the new one (rag/store.py merge_plan)
_STOPPING_INGEST = """
import os, signal, sys
import rag.cli, rag.generation as gen, rag.index as index, rag.store as store
point = sys.argv[1]
def stop():
    os.kill(os.getpid(), signal.SIGSTOP)
if point.startswith("embed-"):
    real, n = index.default_embedder, int(point.split("-")[1])
    class Stopping:
        def __init__(self):
            self.inner, self.calls = real(), 0
            self.name = self.inner.name
        def embed(self, texts):
            self.calls += 1
            if self.calls == n:
                stop()
            return self.inner.embed(texts)
    index.default_embedder = Stopping
elif point == "publish":
    real_publish = gen.publish
    def publish(*a, **k):
        stop()
        return real_publish(*a, **k)
    gen.publish = publish
elif point == "pointer":
    real_replace = os.replace
    def replace(src, dst, *a, **k):
        if str(dst).endswith(gen.CURRENT):
            stop()
        return real_replace(src, dst, *a, **k)
    os.replace = replace
elif point == "sweep":
    real_publish, real_drop, published = gen.publish, store.drop_unused, []
    def publish(*a, **k):
        published.append(real_publish(*a, **k))
        return published[-1]
    def drop_unused(*a, **k):
        if published:  # not the sweep of earlier leftovers before the build
            stop()
        return real_drop(*a, **k)
    gen.publish, store.drop_unused = publish, drop_unused
elif point == "merge":
    real_copy = store.copy_rows
    def copy_rows(*a, **k):
        stop()
        return real_copy(*a, **k)
    store.copy_rows = copy_rows
sys.exit(rag.cli.main_ingest(sys.argv[2:]))
"""


def stopped_ingest(point, docs, index, chroma_url=None, paths=()) -> subprocess.Popen:
    """An ingest stopped at `point` (see above); fails the test if it ends without getting there.
    `paths`: the files named as changed (`python -m rag.ingest PATH ...`), else a folder rescan."""
    cmd = [sys.executable, "-c", _STOPPING_INGEST, point, "--docs", str(docs), "--index", str(index), "-q"]
    if chroma_url:
        cmd += ["--chroma-url", chroma_url]
    cmd += [str(p) for p in paths]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        proc.returncode = os.waitstatus_to_exitcode(status)
        pytest.fail(f"the ingest ended ({proc.returncode}) before reaching {point}: {proc.stderr.read()[-800:]}")
    return proc


def kill_9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def resume(proc: subprocess.Popen) -> int:
    os.kill(proc.pid, signal.SIGCONT)
    return proc.wait(timeout=600)


def seeds_nobody_may_read(work: Path) -> tuple[Path, Path]:
    """(docs, index) paths in `work` (made world-writable: pytest's own tmp folders are closed to
    other users) with docs a copy of the seeds that user nobody may read but not write; the
    index is not built."""
    work.chmod(0o777)
    docs, index = work / "docs", work / "index"
    shutil.copytree(SEEDS, docs)
    for p in [docs, *docs.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return docs, index


def run_as_nobody(work: Path, *args) -> subprocess.CompletedProcess:
    """`python <args>` as user nobody (setpriv), from the repo root, with a copy of the ONNX
    model in `work`/cache, which nobody may read (root's own cache sits in /root, closed to
    other users). Root writes through any file mode, so permission cases run this way."""
    cache = work / "cache"
    if not cache.is_dir():
        cache.mkdir()
        for f in rag.config.cache_dir().glob("*.onnx"):
            shutil.copy(f, cache / f.name)
        for p in [cache, *cache.iterdir()]:
            p.chmod(0o777 if p.is_dir() else 0o644)
    env = dict(os.environ, HOME=str(work), RAG_CACHE=str(cache))
    cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
