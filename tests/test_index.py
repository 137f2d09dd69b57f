"""The index on disk: round trip, incremental updates, manifest checks, crashes, the lock."""

import json
import os
import signal
import time

import pytest
from conftest import CountingEmbedder, start_ingest

import rag
from rag.index import _Lock, current_generation, read_manifest, status


def _settings(docs, index, **kw):
    return rag.Settings(docs=docs, index=index, **kw)


def _answer(settings, question="How much do Kazakh oil workers earn?"):
    """The answer as JSON, without the timings (which differ run to run)."""
    out = rag.Engine(settings, auto_index=False).ask(question).to_dict()
    del out["timings_ms"]
    return out


def test_round_trip(seed_settings):
    manifest = read_manifest(seed_settings.index)
    assert manifest["format_version"] >= 1 and "MiniLM" in manifest["model"]
    assert manifest["chunking"] == seed_settings.chunking()
    assert sorted(manifest["files"]) == sorted(p.name for p in seed_settings.docs.glob("*.txt"))
    chunks = rag.Engine(seed_settings, auto_index=False).retriever.chunks
    assert chunks.count() == manifest["counts"]["chunks"] == sum(f["chunks"] for f in manifest["files"].values())
    assert status(seed_settings, manifest["model"]) == "fresh"
    # Stored chunk text is the source slice, and the collection is cosine with no embedding function.
    got = chunks.get(include=["documents", "metadatas"])
    for text, meta in zip(got["documents"], got["metadatas"]):
        source = open(seed_settings.docs / meta["source"], encoding="utf-8").read()
        assert source[meta["start"] : meta["end"]] == text
    assert chunks.configuration["hnsw"]["space"] == "cosine"


def test_incremental_add_change_delete(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    first = CountingEmbedder()
    report = rag.build_index(settings, first)
    assert len(report.added) == 5 and first.texts == report.chunks_embedded + report.sentences_embedded

    # Nothing changed: nothing embedded, no new generation.
    again = CountingEmbedder()
    report = rag.build_index(settings, again)
    assert again.texts == 0 and not report.changed_anything
    gen_before = current_generation(settings.index).name

    # Add one, change one, delete one: only the added and changed files are embedded.
    (docs_copy / "new.md").write_text("# Steppe note\n\nThe yurt festival in Shymkent drew 4,200 visitors.\n")
    changed = docs_copy / "002_0ae6b7c4b969d250.txt"
    changed.write_text(changed.read_text() + "\nAblyazov added that the festival budget was 77 million tenge.\n")
    (docs_copy / "004_5d244a4e81530a41.txt").unlink()
    third = CountingEmbedder()
    report = rag.build_index(settings, third)
    assert report.added == ["new.md"] and report.changed == ["002_0ae6b7c4b969d250.txt"]
    assert report.deleted == ["004_5d244a4e81530a41.txt"]
    assert third.texts == report.chunks_embedded + report.sentences_embedded
    manifest = read_manifest(settings.index)
    assert third.texts == sum(
        manifest["files"][s]["chunks"] + manifest["files"][s]["sentences"]
        for s in ("new.md", "002_0ae6b7c4b969d250.txt")
    )
    assert current_generation(settings.index).name != gen_before

    engine = rag.Engine(settings, auto_index=False)
    sources = {m["source"] for m in engine.retriever.chunks.get(include=["metadatas"])["metadatas"]}
    assert "004_5d244a4e81530a41.txt" not in sources and "new.md" in sources
    assert engine.retriever.chunks.count() == manifest["counts"]["chunks"]
    stored = sum(len(engine.retriever.sentences._read(e["key"])[1]) for e in manifest["files"].values())
    assert stored == manifest["counts"]["sentences"]
    ans = engine.ask("How many visitors did the yurt festival in Shymkent draw?")
    assert ans.answered and ans.citations[0].source == "new.md" and "4,200" in ans.citations[0].text
    ans = engine.ask("What was the festival budget according to Ablyazov?")
    assert ans.answered and "77 million tenge" in ans.answer


def test_manifest_mismatch_rebuilds_instead_of_mixing(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    other = _settings(docs_copy, tmp_path / "index", chunk_max_tokens=120)
    assert status(other, rag.embed.default_embedder().name) == "stale"
    counter = CountingEmbedder()
    report = rag.build_index(other, counter)
    assert report.rebuilt and sorted(report.added) == sorted(p.name for p in docs_copy.iterdir())
    manifest = read_manifest(settings.index)
    assert manifest["chunking"]["max_tokens"] == 120
    engine = rag.Engine(other, auto_index=False)
    assert engine.retriever.chunks.count() == manifest["counts"]["chunks"]  # only the new vectors
    assert max(m["n_tokens"] for m in engine.retriever.chunks.get(include=["metadatas"])["metadatas"]) <= 120


def test_engine_rebuilds_a_stale_index_by_itself(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    (docs_copy / "extra.txt").write_text("The Charyn canyon is 154 kilometres long, the guide said.\n")
    assert status(settings, rag.embed.default_embedder().name) == "stale"
    ans = rag.Engine(settings).ask("How long is the Charyn canyon?")
    assert ans.answered and ans.citations[0].source == "extra.txt"


def test_a_crash_mid_ingest_leaves_the_old_index_answering(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    before = _answer(settings)
    gen = current_generation(settings.index)

    (docs_copy / "000_cfb20d02cbb68263.txt").write_text("Oil workers now earn 900 dollars a month.\n" * 40)
    (docs_copy / "more.txt").write_text("Another document about the steppe and its many horses.\n" * 30)
    with pytest.raises(RuntimeError, match="simulated crash"):
        rag.build_index(settings, CountingEmbedder(fail_after_calls=1))
    assert current_generation(settings.index) == gen
    assert not list(settings.index.glob("*.tmp"))
    assert _answer(settings) == before

    report = rag.build_index(settings)  # the next ingest completes
    assert sorted(report.changed + report.added) == ["000_cfb20d02cbb68263.txt", "more.txt"]


def test_kill_9_mid_ingest_leaves_the_old_index_answering(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    before = _answer(settings)
    gen = current_generation(settings.index)
    for i in range(30):
        (docs_copy / f"bulk{i}.txt").write_text(f"Bulk document {i} about grain exports and railways.\n" * 60)
    proc = start_ingest(docs_copy, settings.index)
    deadline = time.time() + 120
    while time.time() < deadline and not list(settings.index.glob("gen-*.tmp")):
        time.sleep(0.05)
    assert list(settings.index.glob("gen-*.tmp")), "the ingest never started writing"
    time.sleep(1.0)  # well inside the embedding of 30 new files
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert current_generation(settings.index) == gen
    assert _answer(settings) == before
    report = rag.build_index(settings)
    assert len(report.added) == 30 and not list(settings.index.glob("gen-*.tmp"))


def test_a_second_ingest_is_told_the_index_is_busy(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    with _Lock(settings.index, wait=False):
        with pytest.raises(rag.IndexBusy, match="another ingest"):
            rag.build_index(settings)


def test_manifest_records_what_a_reader_needs(seed_settings):
    manifest = json.loads((current_generation(seed_settings.index) / "manifest.json").read_text())
    for entry in manifest["files"].values():
        assert {"sha256", "title", "chunks", "sentences", "indexed_at", "size", "mtime_ns"} <= set(entry)
    assert len(manifest["corpus_hash"]) == 64


def test_a_damaged_store_is_rebuilt_not_trusted(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    before = _answer(settings)
    damaged = current_generation(settings.index)
    db = damaged / "chroma" / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[:1000])  # a truncated database file
    engine = rag.Engine(settings)  # notices, rebuilds, and answers from the rebuilt index
    assert current_generation(settings.index) != damaged and not damaged.exists()
    after = engine.ask("How much do Kazakh oil workers earn?").to_dict()
    del after["timings_ms"]
    assert after == before


def test_an_index_built_by_other_ingest_code_is_stale(seed_settings, monkeypatch):
    import rag.index

    name = rag.embed.default_embedder().name
    assert status(seed_settings, name) == "fresh"
    monkeypatch.setattr(rag.index, "CODE_VERSION", "something-else")
    assert status(seed_settings, name) == "stale"
