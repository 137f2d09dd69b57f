"""Shared fixtures: the real seeds, the real MiniLM model, real Chroma stores in temp dirs.

The seed index is built once per test session (about 20 s on 2 cores) and shared by the
tests that only read it; tests that change documents build their own in a temp dir.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

import rag  # noqa: E402  (sets the offline environment before anything else imports HF)
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


@pytest.fixture
def docs_copy(tmp_path) -> Path:
    """A private, writable copy of the seeds."""
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    for p in docs.iterdir():
        p.chmod(0o644)
    return docs


def free_port() -> int:
    """A loopback port nobody listens on right now (for servers the tests start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ingest(docs, index, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`python -m rag.ingest` in the background, as a second user would start it (to kill or race)."""
    return subprocess.Popen(
        [sys.executable, "-m", "rag.ingest", "--docs", str(docs), "--index", str(index), "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )


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
