"""Chroma server mode: a real `chroma run` on loopback holds the vectors; same answers, same incremental ingest."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CountingEmbedder, free_port, run_cli

import rag

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    if not CHROMA.exists():
        pytest.fail(f"{CHROMA} missing: chromadb's CLI should come with the package")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma run exited at start-up")
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail("chroma run did not answer within 30 s")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)  # stopped by its PID (and its process group)
    proc.wait(timeout=30)


def test_ingest_and_ask_through_a_chroma_server(chroma_url, tmp_path, docs_copy, engine):
    index = tmp_path / "index"
    env = {"RAG_CHROMA_URL": chroma_url}
    ingest = run_cli("rag.ingest", "--docs", str(docs_copy), "--index", str(index), env_extra=env)
    assert ingest.returncode == 0, ingest.stderr
    gen = rag.index.current_generation(index)
    assert not (gen / "chroma").exists()  # the vectors are on the server, not in the folder
    manifest = json.loads((gen / "manifest.json").read_text())
    assert manifest["store"] == chroma_url and manifest["counts"]["chunks"] == 37

    q = "How much do Kazakh oil workers earn?"
    got = run_cli("rag.ask", "--json", "--docs", str(docs_copy), "--index", str(index), "--chroma-url", chroma_url, q)
    assert got.returncode == 0, got.stderr
    server = json.loads(got.stdout)
    local = engine.ask(q).to_dict()
    assert server["answer"] == local["answer"]
    assert [c["start"] for c in server["citations"]] == [c["start"] for c in local["citations"]]


def test_incremental_ingest_on_the_server_embeds_only_the_changed_file(chroma_url, tmp_path, docs_copy):
    settings = rag.Settings(docs=docs_copy, index=tmp_path / "index", chroma_url=chroma_url)
    rag.build_index(settings)
    victim = sorted(docs_copy.glob("*.txt"))[0]
    victim.write_text(victim.read_text() + "\nThe harvest festival in Taraz lasts nine days.\n")
    counting = CountingEmbedder()
    report = rag.build_index(settings, counting)
    assert report.changed == [victim.name] and len(report.unchanged) == 4
    # one file's chunks and sentences, not the corpus's 364 texts
    assert counting.texts == report.chunks_embedded + report.sentences_embedded < 200
    eng = rag.Engine(settings, auto_index=False)
    ans = eng.ask("How long does the harvest festival in Taraz last?")
    assert ans.answered and "nine days" in ans.answer and ans.citations[0].source == victim.name
    # Only the live and the previous generation keep a collection on the server.
    from rag.store import server_client

    names = [c if isinstance(c, str) else c.name for c in server_client(chroma_url).list_collections()]
    mine = [n for n in names if n.startswith(rag.store._owner(settings.index))]
    assert len(mine) == 2, mine


def test_unreachable_server_is_a_clear_error_and_loses_nothing(tmp_path, docs_copy):
    index = tmp_path / "index"
    dead = f"http://127.0.0.1:{free_port()}"
    got = run_cli("rag.ingest", "--docs", str(docs_copy), "--index", str(index), "--chroma-url", dead)
    assert got.returncode != 0 and "cannot reach the Chroma server" in got.stderr
    assert "Traceback" not in got.stderr
    assert rag.index.current_generation(index) is None
    shutil.rmtree(index, ignore_errors=True)
