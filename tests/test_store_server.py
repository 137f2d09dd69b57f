"""Chroma server mode: a real `chroma run` on loopback holds the vectors; same answers, same incremental ingest."""

import json
import shutil

from conftest import CountingEmbedder, free_port, run_cli

import rag


def test_ingest_and_ask_through_a_chroma_server(chroma_url, tmp_path, docs_copy, engine):
    index = tmp_path / "index"
    env = {"RAG_CHROMA_URL": chroma_url}
    ingest = run_cli("rag.ingest", "--docs", str(docs_copy), "--index", str(index), env_extra=env)
    assert ingest.returncode == 0, ingest.stderr
    manifest = rag.index.read_manifest(index)
    assert not list(index.rglob("chroma"))  # the vectors are on the server, not in the folder
    embedded = rag.index.read_manifest(engine.settings.index)  # the same seeds in the embedded store
    assert manifest["store"] == chroma_url and manifest["counts"]["chunks"] == embedded["counts"]["chunks"] == 38

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
    old_chunks = rag.index.read_manifest(settings.index)["files"][victim.name]["chunks"]
    victim.write_text(victim.read_text() + "\nThe harvest festival in Taraz lasts nine days.\n")
    counting = CountingEmbedder()
    report = rag.build_index(settings, counting)
    assert report.changed == [victim.name] and len(report.unchanged) == 4
    # one file's chunks and sentences, not the corpus's 364 texts
    assert counting.texts == report.chunks_embedded + report.sentences_embedded < 200
    eng = rag.Engine(settings, auto_index=False)
    ans = eng.ask("How long does the harvest festival in Taraz last?")
    assert ans.answered and "nine days" in ans.answer and ans.citations[0].source == victim.name
    # One small collection (vector segment) per ingest, named after the index folder: the first
    # build's and the update's; nothing else. The changed file held more than MAX_DEAD of the
    # first segment's rows, so the update copied the first segment's live rows into its own
    # (a merge) and lists only that one; the first stays for the previous generation's readers.
    from rag.store import MAX_DEAD, server_client

    names = [c if isinstance(c, str) else c.name for c in server_client(chroma_url).list_collections()]
    mine = [n for n in names if n.startswith(rag.store.owner(settings.index))]
    manifest = rag.index.read_manifest(settings.index)
    segments = rag.generation.vector_segments(manifest)
    assert len(mine) == 2 and mine[0].split("-vec-")[0] == mine[1].split("-vec-")[0], mine
    first_rows = manifest["counts"]["chunks"] - manifest["files"][victim.name]["chunks"] + old_chunks
    assert old_chunks > MAX_DEAD * first_rows
    assert len(segments) == 1 and segments[0]["name"] in mine[0] + mine[1]
    assert report.rows_merged == manifest["counts"]["chunks"] - report.chunks_embedded
    assert eng.retriever.stored == eng.retriever.n_chunks == segments[0]["rows"]


def test_unreachable_server_is_a_clear_error_and_loses_nothing(tmp_path, docs_copy):
    index = tmp_path / "index"
    dead = f"http://127.0.0.1:{free_port()}"
    got = run_cli("rag.ingest", "--docs", str(docs_copy), "--index", str(index), "--chroma-url", dead)
    assert got.returncode == 4 and "cannot reach the Chroma server" in got.stderr  # (README: exit codes)
    assert "Traceback" not in got.stderr
    assert rag.index.current_generation(index) is None
    shutil.rmtree(index, ignore_errors=True)
