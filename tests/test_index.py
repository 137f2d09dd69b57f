"""The index on disk: round trip, incremental updates, manifest checks, crashes, the lock."""

import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import SEEDS, CountingEmbedder, kill_9, run_cli, stopped_ingest

import rag
from rag.generation import Lock
from rag.index import current_generation, read_manifest, status


def _settings(docs, index, **kw):
    return rag.Settings(docs=docs, index=index, **kw)


def _answer(settings, question="How much do Kazakh oil workers earn?"):
    """The answer as JSON, without the timings (which differ run to run)."""
    out = rag.Engine(settings, auto_index=False).ask(question).to_dict()
    del out["timings_ms"]
    return out


def test_round_trip(seed_settings):
    manifest = read_manifest(seed_settings.index)
    assert manifest["format_version"] == rag.generation.FORMAT_VERSION and "MiniLM" in manifest["model"]
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
    live = sorted(engine.retriever.live)
    sources = {m["source"] for m in engine.retriever.chunks.get(ids=live, include=["metadatas"])["metadatas"]}
    assert "004_5d244a4e81530a41.txt" not in sources and "new.md" in sources
    assert len(live) == manifest["counts"]["chunks"]
    # The shared store keeps the previous generation's chunks too (a reader may hold it), nothing more.
    # (one segment per ingest that embedded something: the first build's and this one's; the
    # changed and deleted files' old rows stay in the first as tombstones, filtered at read time).
    assert _store_segments(settings) == _listed_segments(settings) and len(_store_segments(settings)) == 2
    assert _store_ids(settings) == _kept_ids(settings) and len(_kept_ids(settings)) > len(live)
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


def _store_segments(settings) -> set[str]:
    """Every vector segment the shared store holds for this index's rules, listed or not."""
    manifest = read_manifest(settings.index)
    return rag.store.writable(settings.index, manifest["store"], manifest["store_tag"]).segments()


def _listed_segments(settings) -> set[str]:
    """The vector segments the generations on disk (the live and the previous one) list."""
    out = set()
    for gen in rag.generation.generations(settings.index):
        manifest = json.loads((gen / rag.generation.MANIFEST).read_text())
        out |= {s["name"] for s in rag.generation.vector_segments(manifest)}
    return out


def _store_ids(settings) -> set[str]:
    """Every chunk id the shared vector store holds for this index's rules."""
    manifest = read_manifest(settings.index)
    segments = sorted(_store_segments(settings))
    col = rag.store.readable(settings.index, manifest["store"], manifest["store_tag"], segments)
    return set(col.get(include=[])["ids"])


def _kept_ids(settings) -> set[str]:
    """The chunk ids the live and the previous generation reference (what the store must hold)."""
    from rag.chunks import chunk_id

    out = set()
    for gen in rag.generation.generations(settings.index):
        files = rag.generation.manifest(gen)["files"]
        out |= {chunk_id(e["key"], i) for e in files.values() for i in range(e["chunks"])}
    return out


KILL_POINTS = ["embed-1", "embed-6", "publish", "pointer"]


def test_kill_9_at_every_stage_leaves_the_old_index_answering(docs_copy, tmp_path, store_url):
    """An ingest stopped at each stage: a reader sees the old generation, exactly; kill -9 then
    changes nothing; a sweep interrupted after publishing leaves the new one complete; the
    next ingest removes every vector the killed ones added."""
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    victim = docs_copy / "002_0ae6b7c4b969d250.txt"
    victim.write_text(victim.read_text() + "\nThe ferry to Aktau leaves at dawn.\n")
    rag.build_index(settings)  # two generations: the next publish has one to sweep
    reader = rag.Engine(settings, auto_index=False)  # a long-lived reader, like the app
    before = _answer(settings)
    gen = current_generation(settings.index)
    for r, point in enumerate(KILL_POINTS + ["sweep"]):
        for i in range(12):
            (docs_copy / f"bulk{i}.txt").write_text(f"Round {r}, bulk document {i}: grain exports and railways.\n" * 40)
        (docs_copy / "fact.txt").write_text(f"The Round {r} grain train carries {1000 + r} tonnes.\n")
        proc = stopped_ingest(point, docs_copy, settings.index, store_url)
        try:
            if point != "sweep":
                assert current_generation(settings.index) == gen, point
                reader.refresh()
                assert reader.ask("How much do Kazakh oil workers earn?").answer == before["answer"], point
                assert _answer(settings) == before, point  # a fresh reader: old generation, byte for byte
        finally:
            kill_9(proc)
        if point == "sweep":  # killed after publishing: the new generation is complete
            assert current_generation(settings.index) != gen
            reader.refresh()
            ans = reader.ask(f"How many tonnes does the Round {r} grain train carry?")
            assert ans.answered and f"{1000 + r} tonnes" in ans.answer
        else:
            assert current_generation(settings.index) == gen, point
            assert _answer(settings) == before, point
    report = rag.build_index(settings)  # the next ingest completes and sweeps every leftover
    assert not report.changed_anything  # the sweep-killed ingest had published everything
    assert not list(settings.index.glob("gen-*.tmp"))
    (docs_copy / "fact.txt").write_text("The last grain train carries 7 tonnes.\n")
    rag.build_index(settings)
    # No segment of a killed build survives: the store holds exactly the segments the kept
    # generations list, and no row of the killed rounds' documents.
    assert _store_segments(settings) == _listed_segments(settings)
    assert _kept_ids(settings) <= _store_ids(settings)
    manifest = read_manifest(settings.index)
    segments = sorted(_store_segments(settings))
    stored = rag.store.readable(settings.index, manifest["store"], manifest["store_tag"], segments)
    texts = stored.get(include=["documents"])["documents"]
    assert texts and not [t for t in texts for r in range(len(KILL_POINTS)) if f"Round {r}," in t]


def test_a_second_ingest_is_told_the_index_is_busy(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    with Lock(settings.index, wait=False):
        with pytest.raises(rag.IndexBusy, match="another ingest"):
            rag.build_index(settings)


def test_manifest_records_what_a_reader_needs(seed_settings):
    manifest = rag.generation.manifest(current_generation(seed_settings.index))
    for entry in manifest["files"].values():
        assert {"sha256", "title", "chunks", "sentences", "indexed_at", "size", "mtime_ns"} <= set(entry)
    assert len(manifest["corpus_hash"]) == 64


def test_a_damaged_store_is_rebuilt_not_trusted(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    before = _answer(settings)
    damaged = current_generation(settings.index)
    tag = read_manifest(settings.index)["store_tag"]
    db = rag.generation.chroma_dir(settings.index, tag) / "chroma.sqlite3"
    db.write_bytes(db.read_bytes()[:1000])  # a truncated database file
    engine = rag.Engine(settings)  # notices, rebuilds, and answers from the rebuilt index
    assert current_generation(settings.index) != damaged and not damaged.exists()
    after = engine.ask("How much do Kazakh oil workers earn?").to_dict()
    del after["timings_ms"]
    assert after == before


def test_the_manifest_carries_the_format_version_checked_on_load(seed_settings, tmp_path):
    gen = current_generation(seed_settings.index)
    assert read_manifest(seed_settings.index)["format_version"] == rag.generation.FORMAT_VERSION == 6
    copy = tmp_path / "gen"
    copy.mkdir()
    manifest = json.loads((gen / rag.generation.MANIFEST).read_text())
    (copy / rag.generation.MANIFEST).write_text(json.dumps(dict(manifest, format_version=3)))
    with pytest.raises(rag.StoreError, match=r"format 3, this version reads \(5, 6\)"):
        rag.generation.manifest(copy)


def test_a_comment_edit_does_not_rebuild_but_a_version_bump_does(seed_settings, tmp_path, monkeypatch):
    """The index follows INGEST_VERSION, not the bytes of the source files."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    pkg = tmp_path / "src"
    shutil.copytree(ROOT / "rag", pkg / "rag", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("documents.py", "chunks.py", "text.py"):
        with open(pkg / "rag" / name, "a") as fh:
            fh.write("\n# a comment: reading, splitting and tokenising are unchanged\n")
    code = (
        "import sys; from pathlib import Path; import rag; "
        "print(rag.status(rag.Settings(docs=Path(sys.argv[1]), index=Path(sys.argv[2])), sys.argv[3]))"
    )
    name = read_manifest(seed_settings.index)["model"]
    out = subprocess.run(
        [sys.executable, "-c", code, str(seed_settings.docs), str(seed_settings.index), name],
        cwd=pkg,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "fresh", out.stderr
    monkeypatch.setattr(rag.index, "INGEST_VERSION", rag.index.INGEST_VERSION + 1)
    assert status(seed_settings, name) == "stale"


CASE = Path(__file__).resolve().parent.parent.parent / "shared" / "cases" / "skipped-file-never-reindexed" / "docs"
CASE_DOCS = {
    "rules.txt": "Swimming Pool Rules\nChildren under 8 must be accompanied by an adult.\n",
    "notes.txt": "",
}


def _ask_json(docs, index, question, env=None):
    out = run_cli("rag.ask", "--json", "--docs", str(docs), "--index", str(index), question, env_extra=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "how, broken, env",
    [
        ("empty", b"", None),
        ("NUL bytes", b"Staff Notes\x00\x00 garbage\n", None),
        (
            "too large",
            b"Staff Notes\nThe pool opens at six.\n" + b"filler line of text\n" * 60_000,
            {"RAG_MAX_FILE_MB": "1"},
        ),
    ],
)
def test_a_skipped_file_is_indexed_once_it_is_fixed(tmp_path, how, broken, env):
    """shared/cases/skipped-file-never-reindexed: a file skipped once is retried when its size or mtime moves."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in CASE_DOCS.items():
        (docs / name).write_text(text)
    (docs / "notes.txt").write_bytes(broken)
    index = tmp_path / "index"
    first = _ask_json(docs, index, "Must children be accompanied?", env)
    assert first["answer"] == "Children under 8 must be accompanied by an adult. [1]"
    report = run_cli("rag.ingest", "--json", "--docs", str(docs), "--index", str(index), env_extra=env)
    got = json.loads(report.stdout)
    assert [s["source"] for s in got["skipped"]] == ["notes.txt"] and got["skipped"][0]["reason"], got
    assert not got["added"] and got["unchanged"] == ["rules.txt"]

    (docs / "notes.txt").write_text("Staff Notes\nThe sauna is closed for repairs until the end of March.\n")
    second = _ask_json(docs, index, "Why is the sauna closed?", env)  # rag.ask alone, no explicit ingest
    assert second["answered"] and second["answer"] == "The sauna is closed for repairs until the end of March. [1]"
    assert second["citations"][0]["source"] == "notes.txt"
    assert read_manifest(index)["skipped"] == {}


def test_a_file_skipped_as_too_large_is_retried_when_the_limit_is_raised(tmp_path, monkeypatch):
    """helper 79: raising RAG_MAX_FILE_MB left the skipped file skipped (its size and mtime had not moved)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rules.txt").write_text(CASE_DOCS["rules.txt"])
    (docs / "notes.txt").write_bytes(b"Staff Notes\nThe sauna is closed.\n" + b"x" * 1_100_000)
    settings = rag.Settings(docs=docs, index=tmp_path / "index")
    monkeypatch.setenv("RAG_MAX_FILE_MB", "1")
    rag.build_index(settings)
    name = read_manifest(settings.index)["model"]
    assert read_manifest(settings.index)["skipped"]["notes.txt"]["max_file_bytes"] == 1_000_000
    assert status(settings, name) == "fresh"
    monkeypatch.setenv("RAG_MAX_FILE_MB", "5")
    assert status(settings, name) == "stale"


def test_the_case_folder_reproduces(tmp_path):
    """The shipped case itself, when it is there: notes.txt empty, then given its text."""
    if not CASE.is_dir():
        pytest.skip("the shared cases are not on this machine")
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(CASE, docs)
    for p in docs.iterdir():
        p.chmod(0o644)
    index = tmp_path / "index"
    assert _ask_json(docs, index, "Must children be accompanied?")["answered"]
    (docs / "notes.txt").write_text("Staff Notes\nThe sauna is closed for repairs until the end of March.\n")
    got = _ask_json(docs, index, "Why is the sauna closed?")
    assert got["answer"] == "The sauna is closed for repairs until the end of March. [1]"


def test_a_file_that_stays_broken_is_not_reindexed_at_every_start(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    (docs_copy / "empty.txt").write_text("")
    rag.build_index(settings)
    name = read_manifest(settings.index)["model"]
    assert status(settings, name) == "fresh"
    os.utime(docs_copy / "empty.txt", ns=(1, 1))  # touched, still empty
    assert status(settings, name) == "stale"
    report = rag.build_index(settings)  # tried again, still skipped: no new generation
    assert not report.changed_anything
    assert [s["source"] for s in report.skipped] == ["empty.txt"]
    assert report.skipped[0]["reason"].startswith("empty file")
    assert status(settings, name) == "fresh"


# Vector segments (rag/store.py): each ingest adds a small collection; merges keep them bounded.

_QUERIES = [
    "How much do Kazakh oil workers earn?",
    "What did the festival budget amount to?",
    "Which canyon did the guide describe?",
    "grain exports and railways",
]


def _top_k(settings, k=8) -> list[list[tuple[str, float]]]:
    """Each query's top-k passages (chunk id, score) through the full retriever (vector + BM25 + ranker)."""
    engine = rag.Engine(settings, auto_index=False)
    vectors = engine.embedder.embed(_QUERIES)
    return [[(p.chunk_id, p.score) for p in engine.retriever.search(q, v, k)] for q, v in zip(_QUERIES, vectors)]


def _same_top_k(a, b) -> bool:
    """The same passages in the same order, with scores equal to float32 noise: a segment's
    vectors summed in another order differ in the sixth digit (rounding to five digits once
    split 7.756515 into 7.75651 and 7.75652)."""
    return [[c for c, _ in q] for q in a] == [[c for c, _ in q] for q in b] and all(
        abs(x - y) < 1e-4 for qa, qb in zip(a, b) for (_, x), (_, y) in zip(qa, qb)
    )


def _segments(settings) -> list[str]:
    return [s["name"] for s in rag.generation.vector_segments(read_manifest(settings.index))]


def test_segmented_updates_answer_like_a_fresh_build_and_stay_bounded(docs_copy, tmp_path, store_url):
    """Twelve ingests (adds, changes, deletes, a file changed back) give the same top-k as one
    full build of the same folder; the segment count never passes MAX_SEGMENTS (merges happen,
    and a merged-away segment's collection is dropped once no kept generation lists it)."""
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    target = docs_copy / "002_0ae6b7c4b969d250.txt"
    original = target.read_text()
    merged, counts = 0, []
    for i in range(12):
        (docs_copy / f"note{i}.txt").write_text(f"Note {i}: the grain train {i} carries {100 + i} tonnes of wheat.\n")
        if i % 3 == 1:
            target.write_text(original + f"\nAblyazov added that the festival budget was {70 + i} million tenge.\n")
        if i % 4 == 2:
            (docs_copy / f"note{i - 1}.txt").unlink()
        if i == 9:
            target.write_text(original)  # changed back: its key is the first build's again
        report = rag.build_index(settings)
        merged += report.rows_merged
        counts.append(len(_segments(settings)))
        assert counts[-1] <= rag.store.MAX_SEGMENTS, counts
        assert _store_segments(settings) == _listed_segments(settings)  # nothing unlisted survives
    assert merged > 0 and max(counts) == rag.store.MAX_SEGMENTS, (merged, counts)
    incremental = _top_k(settings)
    fresh = _settings(docs_copy, tmp_path / "fresh", chroma_url=store_url)
    rag.build_index(fresh)
    assert len(_segments(fresh)) == 1
    assert _same_top_k(incremental, _top_k(fresh))
    assert all(len(x) == 8 for x in incremental)
    assert _answer(settings, "How many tonnes does the grain train 11 carry?") == _answer(
        fresh, "How many tonnes does the grain train 11 carry?"
    )


def test_a_merge_killed_midway_leaves_the_old_generation_answering(docs_copy, tmp_path, store_url):
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    for i in range(rag.store.MAX_SEGMENTS - 1):  # one segment per ingest: the next one must merge
        (docs_copy / f"note{i}.txt").write_text(f"Note {i}: the grain train {i} carries {100 + i} tonnes of wheat.\n")
        rag.build_index(settings)
    assert len(_segments(settings)) == rag.store.MAX_SEGMENTS
    before, gen = _answer(settings), current_generation(settings.index)
    listed = _segments(settings)
    (docs_copy / "last.txt").write_text("The last grain train carries 7 tonnes of barley.\n")
    proc = stopped_ingest("merge", docs_copy, settings.index, store_url)
    try:
        assert current_generation(settings.index) == gen
        assert _answer(settings) == before  # mid-merge: the old generation, byte for byte
    finally:
        kill_9(proc)
    assert current_generation(settings.index) == gen and _answer(settings) == before
    assert _segments(settings) == listed
    report = rag.build_index(settings)  # the next ingest merges, and drops the killed one's segment
    assert report.added == ["last.txt"] and report.rows_merged > 0
    assert len(_segments(settings)) < rag.store.MAX_SEGMENTS
    assert _store_segments(settings) == _listed_segments(settings)
    ans = rag.Engine(settings, auto_index=False).ask("How many tonnes of barley does the last grain train carry?")
    assert ans.answered and "7 tonnes" in ans.answer


# The file table split from the manifest (format 6, rag/generation.py Table) --------------------

_SAME = ("title", "sha256", "chunks", "sentences", "key", "warning", "encoding", "pages")


def _table_files(gen: Path) -> tuple[dict, dict]:
    """(the manifest file as written, {source: entry} of the generation's table base)."""
    return json.loads((gen / rag.generation.MANIFEST).read_text()), json.loads((gen / rag.generation.TABLE).read_text())


def _as_format_5(index: Path) -> None:
    """Rewrite the live generation the way format 5 wrote it: its file table inline, no TABLE."""
    gen = current_generation(index)
    manifest = rag.generation.manifest(gen)
    del manifest["table"]
    for segment in manifest["vectors"]["segments"]:
        segment.pop("live")
    manifest["format_version"] = 5
    (gen / rag.generation.MANIFEST).write_text(json.dumps(manifest))
    (gen / rag.generation.TABLE).unlink()


def test_updates_keep_what_a_fresh_build_would_write(docs_copy, tmp_path, store_url, monkeypatch):
    """A change, an addition, a deletion, a touch and a fold, one update each: the merged table,
    counts and corpus hash equal those of a fresh build of the final folder, and so does an answer."""
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    victim = docs_copy / "002_0ae6b7c4b969d250.txt"
    victim.write_text(victim.read_text() + "\nThe ferry to Aktau leaves at dawn.\n")
    assert rag.build_index(settings).changed == [victim.name]
    (docs_copy / "new.txt").write_text("The grain train to Aktau carries 640 tonnes of wheat.\n" * 3)
    assert rag.build_index(settings).added == ["new.txt"]
    gone = sorted(p.name for p in docs_copy.glob("*.txt"))[0]
    (docs_copy / gone).unlink()
    assert rag.build_index(settings).deleted == [gone]
    os.utime(docs_copy / "new.txt", ns=(1, 1))  # touched, same bytes: its stat only
    report = rag.build_index(settings)
    assert not report.changed_anything and read_manifest(settings.index)["files"]["new.txt"]["mtime_ns"] == 1
    gen = current_generation(settings.index)
    head, _ = _table_files(gen)
    # (a BM25 compaction, due when a deletion leaves over 25 % dead rows, re-points every entry it moves)
    assert {victim.name, "new.txt", gone} <= set(head["table"]["changes"])
    assert head["table"]["changes"][gone] is None  # a deletion is a change too
    monkeypatch.setattr(rag.generation, "FOLD_AT", 0)  # the next update writes a new base
    victim.write_text(victim.read_text() + "\nIt returns at dusk.\n")
    rag.build_index(settings)
    head, base = _table_files(current_generation(settings.index))
    assert head["table"]["changes"] == {} and gone not in base and "new.txt" in base

    fresh = _settings(docs_copy, tmp_path / "fresh", chroma_url=store_url)
    rag.build_index(fresh)
    updated, built = read_manifest(settings.index), read_manifest(fresh.index)
    assert list(updated["files"]) == list(built["files"]) == sorted(p.name for p in docs_copy.glob("*.txt"))
    for source, entry in built["files"].items():
        assert {k: updated["files"][source][k] for k in _SAME} == {k: entry[k] for k in _SAME}, source
    assert updated["counts"] == built["counts"] and updated["corpus_hash"] == built["corpus_hash"]
    question = "How many tonnes does the grain train to Aktau carry?"
    assert _answer(settings, question) == _answer(fresh, question)
    assert "640 tonnes" in _answer(settings, question)["answer"]


def test_a_one_file_update_links_the_table_and_writes_only_its_change(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    first = current_generation(settings.index)
    head, base = _table_files(first)
    assert head["table"] == {"changes": {}} and len(base) == 5 and "files" not in head
    victim = docs_copy / "002_0ae6b7c4b969d250.txt"
    victim.write_text(victim.read_text() + "\nThe ferry to Aktau leaves at dawn.\n")
    rag.build_index(settings)
    second = current_generation(settings.index)
    head, _ = _table_files(second)
    assert list(head["table"]["changes"]) == [victim.name]
    # the base is the same file (one inode), not a copy: publishing wrote the change alone
    assert (first / rag.generation.TABLE).stat().st_ino == (second / rag.generation.TABLE).stat().st_ino
    assert (
        read_manifest(settings.index)["files"][victim.name]["sha256"] == head["table"]["changes"][victim.name]["sha256"]
    )
    segments = head["vectors"]["segments"]
    assert [s["live"] for s in segments] == [head["counts"]["chunks"] - segments[-1]["rows"], segments[-1]["rows"]]


def head_chunks(settings):
    return read_manifest(settings.index)["counts"]["chunks"]


def test_a_reader_reopens_after_an_update_from_the_change(docs_copy, tmp_path):
    """After a one-file update, Engine.reopen reads the live chunk ids from {key: chunks}
    (the same ids the whole table lists), keeps the store client its earlier generation
    loaded, and answers from the new file; another Engine starts with a fresh client."""
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    engine = rag.Engine(settings, auto_index=False)
    before = engine.retriever
    victim = docs_copy / "002_0ae6b7c4b969d250.txt"
    victim.write_text(victim.read_text() + "\nThe ferry to Aktau leaves at dawn with 312 passengers.\n")
    rag.build_index(settings, changed=[victim])
    engine.reopen()
    after = engine.retriever
    gen = current_generation(settings.index)
    files = rag.generation.manifest(gen)["files"]
    counts = rag.generation.chunk_counts(gen, rag.generation.head(gen))
    assert counts == {e["key"]: e["chunks"] for e in files.values()} and len(counts) == 5
    expected = {f"{e['key']}-c{i:05d}" for e in files.values() for i in range(e["chunks"])}
    assert set(after.live) == expected and len(after.live) == len(expected) == head_chunks(settings)
    key, n = files[victim.name]["key"], files[victim.name]["chunks"]
    assert f"{key}-c00000" in after.live and f"{key}-c0" not in after.live and f"{key}-c{n:05d}" not in after.live
    old_key = before.live.counts.keys() - after.live.counts.keys()
    assert len(old_key) == 1 and f"{old_key.pop()}-c00000" not in after.live
    assert after.chunks.client is before.chunks.client  # the store's loaded segments kept
    ans = engine.ask("How many passengers does the ferry to Aktau carry?")
    assert ans.answered and "312" in ans.answer and ans.citations[0].source == victim.name
    assert rag.Engine(settings, auto_index=False).retriever.chunks.client is not after.chunks.client


def test_a_format_5_index_is_updated_in_place_not_rebuilt(docs_copy, tmp_path, store_url):
    """An index written before the table split is read, answers, and its next update splits
    its table and keeps its store (nothing re-embedded but the changed file)."""
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    before = _answer(settings)
    _as_format_5(settings.index)
    assert status(settings, rag.embed.default_embedder().name) == "fresh"
    assert _answer(settings) == before
    victim = docs_copy / "002_0ae6b7c4b969d250.txt"
    victim.write_text(victim.read_text() + "\nThe ferry to Aktau leaves at dawn.\n")
    (docs_copy / "new.txt").write_text("The grain train to Aktau carries 640 tonnes of wheat.\n" * 3)
    report = rag.build_index(settings)
    assert not report.rebuilt and report.changed == [victim.name] and report.added == ["new.txt"]
    assert report.chunks_embedded < 12  # the two files' chunks, not the corpus
    head, base = _table_files(current_generation(settings.index))
    assert head["format_version"] == 6 and head["table"] == {"changes": {}} and len(base) == 6
    assert all("live" in s for s in head["vectors"]["segments"])
    assert "640 tonnes" in _answer(settings, "How many tonnes does the grain train to Aktau carry?")["answer"]


def test_kill_9_while_the_table_is_written_leaves_the_old_index_answering(docs_copy, tmp_path, store_url):
    """The write path of a new table base (a fold, here from a format-5 index): stopped after
    it and before the pointer moves, a reader answers from the old generation exactly; kill -9;
    the next ingest publishes a complete one."""
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    _as_format_5(settings.index)
    gen = current_generation(settings.index)
    before = _answer(settings)
    (docs_copy / "fact.txt").write_text("The grain train carries 4321 tonnes.\n")
    for point in ("publish", "pointer"):
        proc = stopped_ingest(point, docs_copy, settings.index, store_url)
        try:
            assert current_generation(settings.index) == gen
            assert _answer(settings) == before, point
        finally:
            kill_9(proc)
        assert current_generation(settings.index) == gen and _answer(settings) == before, point
    report = rag.build_index(settings)
    assert report.added == ["fact.txt"] and not report.rebuilt
    assert "4321 tonnes" in _answer(settings, "How many tonnes does the grain train carry?")["answer"]
    assert sorted(read_manifest(settings.index)["files"]) == sorted(p.name for p in docs_copy.glob("*.txt"))
    assert not list(settings.index.glob("gen-*.tmp"))


def _no_walk(*args, **kwargs):
    raise AssertionError("a named-path update walked the documents folder")


def test_a_named_path_update_writes_what_a_fresh_build_would(docs_copy, tmp_path, store_url, monkeypatch):
    """Changes named by path (an edit, an addition in a subfolder, a deletion, a legacy-encoded
    file, an unreadable one): no folder walk, and the table, counts, corpus hash, skipped files,
    warnings and an answer equal a fresh build's of the final folder."""
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    latin = "Le caf\xe9 d'Aktau ouvre \xe0 huit heures. Il sert du th\xe9 et des g\xe2teaux.\n" * 3
    (docs_copy / "latin.txt").write_bytes(latin.encode("cp1252"))
    rag.build_index(settings)
    monkeypatch.setattr(rag.index, "walk_files", _no_walk)
    monkeypatch.setattr(rag.documents, "walk_files", _no_walk)
    victim = docs_copy / "002_0ae6b7c4b969d250.txt"
    victim.write_text(victim.read_text() + "\nThe ferry to Aktau leaves at dawn.\n")
    report = rag.build_index(settings, changed=[victim.name])  # a source: relative to the folder
    assert report.changed == [victim.name] and not report.added and not report.deleted
    (docs_copy / "sub").mkdir()
    (docs_copy / "sub" / "grain.md").write_text("# Grain\n\nThe grain train to Aktau carries 640 tonnes of wheat.\n")
    (docs_copy / "empty.txt").write_text("")
    gone = docs_copy / "004_5d244a4e81530a41.txt"
    gone.unlink()
    report = rag.build_index(settings, changed=[docs_copy / "sub" / "grain.md", docs_copy / "empty.txt", gone])
    assert report.added == ["sub/grain.md"] and report.deleted == [gone.name]
    assert [s["source"] for s in report.skipped] == ["empty.txt"]
    assert not rag.build_index(settings, changed=["latin.txt"]).changed_anything  # named, not moved
    monkeypatch.undo()

    fresh = _settings(docs_copy, tmp_path / "fresh", chroma_url=store_url)
    rag.build_index(fresh)
    updated, built = read_manifest(settings.index), read_manifest(fresh.index)
    assert list(updated["files"]) == list(built["files"]) and "sub/grain.md" in built["files"]
    for source, entry in built["files"].items():
        assert {k: updated["files"][source][k] for k in _SAME + ("size", "mtime_ns")} == {
            k: entry[k] for k in _SAME + ("size", "mtime_ns")
        }, source
    assert updated["counts"] == built["counts"] and updated["corpus_hash"] == built["corpus_hash"]
    assert list(updated["skipped"].items()) == list(built["skipped"].items()) and "empty.txt" in built["skipped"]
    assert updated["warnings"] == built["warnings"] and any("latin.txt" in w for w in built["warnings"])
    assert status(settings, updated["model"]) == "fresh"
    question = "How many tonnes does the grain train to Aktau carry?"
    assert _answer(settings, question) == _answer(fresh, question)
    assert "640 tonnes" in _answer(settings, question)["answer"]
    # ... and so does the rescan that follows: it finds nothing left to do
    assert not rag.build_index(settings).changed_anything


def test_a_named_path_outside_the_folder_is_refused(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    rag.build_index(settings)
    gen = current_generation(settings.index)
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret notes outside the documents folder.\n")
    (docs_copy / "link.txt").symlink_to(outside)
    (docs_copy / "notes.json").write_text('{"a": 1}\n')
    for path, message in [
        ("../outside.txt", "not inside the documents folder"),
        (outside, "not inside the documents folder"),
        ("link.txt", "not inside the documents folder"),
        ("notes.json", "files are indexed"),
        (".hidden.txt", "hidden"),
        ("nothere.txt", "no such file in the documents folder"),  # a typo: never "up to date (0 documents)"
    ]:
        with pytest.raises(rag.BadInput, match=message):
            rag.build_index(settings, changed=[path])
    assert current_generation(settings.index) == gen  # nothing published
    # the command line says so too, with the usage exit code
    out = run_cli("rag.ingest", "--docs", str(docs_copy), "--index", str(settings.index), str(outside), "-q")
    assert out.returncode == 2 and "not inside the documents folder" in out.stderr
    (docs_copy / "more.txt").write_text("The ferry to Aktau leaves at dawn and returns at dusk.\n" * 3)
    out = run_cli(
        "rag.ingest", "--docs", str(docs_copy), "--index", str(settings.index), "--json", str(docs_copy / "more.txt")
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["added"] == ["more.txt"] and "link.txt" not in read_manifest(settings.index)["files"]


def test_kill_9_during_a_named_path_update_leaves_the_old_index_answering(docs_copy, tmp_path, store_url):
    settings = _settings(docs_copy, tmp_path / "index", chroma_url=store_url)
    rag.build_index(settings)
    before = _answer(settings)
    gen = current_generation(settings.index)
    for r, point in enumerate(KILL_POINTS):
        named = [docs_copy / f"fact{r}.txt"] + [docs_copy / f"bulk{r}-{i}.txt" for i in range(12)]
        named[0].write_text(f"The Round {r} grain train carries {1000 + r} tonnes.\n" * 30)
        for i, path in enumerate(named[1:]):  # (enough texts to reach the sixth embedding call)
            path.write_text(f"Round {r}, bulk document {i}: grain exports and railways.\n" * 40)
        proc = stopped_ingest(point, docs_copy, settings.index, store_url, paths=named)
        try:
            assert current_generation(settings.index) == gen, point
            assert _answer(settings) == before, point
        finally:
            kill_9(proc)
        assert current_generation(settings.index) == gen and _answer(settings) == before, point
    facts = [f"fact{r}.txt" for r in range(len(KILL_POINTS))]
    report = rag.build_index(settings, changed=facts)
    assert report.added == facts and read_manifest(settings.index)["counts"]["documents"] == 5 + len(facts)
    assert _store_segments(settings) == _listed_segments(settings)  # the killed builds' segments swept
    ans = rag.Engine(settings, auto_index=False).ask("How many tonnes does the Round 2 grain train carry?")
    assert ans.answered and "1002 tonnes" in ans.answer


# Files that change under an ingest, and links that lead nowhere (a newcomer's reports).


def test_every_ask_names_the_files_the_index_skipped_not_only_the_first(tmp_path):
    # A newcomer's report: the first ask said "notes.txt: empty file (0 bytes), skipped"; every
    # later one (the index fresh, no ingest) said nothing, though the file is still not read.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rules.txt").write_text("Spa Rules\nChildren must be accompanied by an adult at all times.\n")
    (docs / "notes.txt").write_text("")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "hours.txt").write_text("The sauna opens at 9 am.\n")
    (docs / "shared").symlink_to("../shared")
    args = ["rag.ask", "--docs", str(docs), "--index", str(tmp_path / "index"), "Must children be accompanied?"]
    said = ["notes.txt: empty file (0 bytes), skipped", "shared: symlink to a folder outside the documents folder"]
    first = run_cli(*args)
    assert first.returncode == 0 and all(s in first.stderr for s in said), first.stderr
    gen = current_generation(tmp_path / "index")
    (tmp_path / "shared" / "more.txt").write_text("The steam room opens at 10 am.\n")  # (out: no rescan)
    again = run_cli(*args)
    assert again.returncode == 0 and all(s in again.stderr for s in said), again.stderr
    assert current_generation(tmp_path / "index") == gen  # no ingest ran: the notes are the manifest's
    # A file skipped later, with nothing else changed, is in the next reminder too.
    (docs / "blank.md").write_text("   \n")
    run_cli("rag.ingest", "--docs", str(docs), "--index", str(tmp_path / "index"), "-q")
    assert "blank.md: " in run_cli(*args).stderr
    # A skipped file deleted is forgotten: the index is stale once, then fresh without it.
    (docs / "notes.txt").unlink()
    assert (
        status(rag.Settings(docs=docs, index=tmp_path / "index"), read_manifest(tmp_path / "index")["model"]) == "stale"
    )
    run_cli(*args)
    after = run_cli(*args).stderr
    assert "notes.txt" not in after and "blank.md: " in after, after


def test_an_index_pointed_at_another_folder_says_what_it_held(tmp_path):
    # A typo in --docs with the same --index replaced a good index of another folder in silence.
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, text in [(one, "The sauna is closed for repairs."), (two, "The gym opens at 6 am.")]:
        folder.mkdir()
        (folder / "notes.txt").write_text(text + "\n")
    index = tmp_path / "index"
    rag.build_index(_settings(one, index))
    report = rag.build_index(_settings(two, index))
    assert report.replaced == str(one.resolve()) and report.changed == ["notes.txt"], report
    note = report.replaced_note(index)
    assert str(one.resolve()) in note and "its own --index" in note
    out = run_cli("rag.ingest", "--docs", str(one), "--index", str(index))  # and back: the CLI says so
    assert out.returncode == 0 and f"held the documents of {two.resolve()}" in out.stderr, out.stderr
    # A folder moved (its old path gone) is no other folder: nothing to warn of.
    moved = tmp_path / "moved"
    one.rename(moved)
    assert rag.build_index(_settings(moved, index)).replaced == ""


def test_symlink_loops_and_broken_links_are_skipped_once_with_an_accurate_reason(docs_copy, tmp_path):
    (docs_copy / "self.txt").symlink_to("self.txt")  # ln -s self.txt D/self.txt
    (docs_copy / "loop-a.txt").symlink_to("loop-b.txt")
    (docs_copy / "loop-b.txt").symlink_to("loop-a.txt")
    (docs_copy / "x.txt").symlink_to("gone.txt")  # dangling, inside the folder
    settings = _settings(docs_copy, tmp_path / "index")
    report = rag.build_index(settings)
    reasons = {s["source"]: s["reason"] for s in report.skipped}
    assert set(reasons) == {"self.txt", "loop-a.txt", "loop-b.txt", "x.txt"}
    assert all(reasons[s].startswith("symlink loop") for s in ("self.txt", "loop-a.txt", "loop-b.txt")), reasons
    assert reasons["x.txt"] == "broken link (its target gone.txt does not exist), skipped"
    assert len(report.added) == 5
    # Skipped once: not "stale" at every start (which re-ran the ingest before every answer).
    name = read_manifest(settings.index)["model"]
    assert status(settings, name) == "fresh"
    engine = rag.Engine(settings)
    assert engine.refresh() is None
    assert "300-500 dollars" in engine.ask("How much do Kazakh oil workers earn?").answer
    # The link's target appears: the link is tried again and indexed.
    (docs_copy / "gone.txt").write_text("The Charyn canyon is 154 kilometres long.\n")
    assert status(settings, name) == "stale"
    report = rag.build_index(settings)
    assert sorted(report.added) == ["gone.txt", "x.txt"]
    # The command line answers too (it crashed with "internal error: RuntimeError: Symlink loop").
    out = run_cli("rag.ask", "--docs", str(docs_copy), "--index", str(settings.index), "How long is the Charyn canyon?")
    assert out.returncode == 0 and "154 kilometres" in out.stdout, out.stderr
    assert "internal error" not in out.stderr


class _Meddler(CountingEmbedder):
    """The real embedder; on its first call (the ingest has read every file by then) it
    edits or deletes a file, as a user saving in an editor or a sync job would mid-ingest."""

    def __init__(self, act):
        super().__init__()
        self.act = act

    def embed(self, texts):
        if self.calls == 0:
            self.act()
        return super().embed(texts)


def test_a_file_edited_during_an_ingest_is_seen_changed_by_the_next(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    edited = docs_copy / "002_0ae6b7c4b969d250.txt"
    before = edited.read_text()

    def edit():
        edited.write_text(before + "\nAblyazov added that the festival budget was 77 million tenge.\n")

    rag.build_index(settings, _Meddler(edit))
    entry = read_manifest(settings.index)["files"][edited.name]
    assert entry["size"] == len(before.encode())  # the state it was read at, not the edited file's
    assert entry["sha256"] == hashlib.sha256(before.encode()).hexdigest()
    assert status(settings, read_manifest(settings.index)["model"]) == "stale"
    report = rag.build_index(settings)
    assert report.changed == [edited.name]
    assert "77 million tenge" in _answer(settings, "What was the festival budget according to Ablyazov?")["answer"]


def test_a_file_deleted_during_an_ingest_is_dropped_and_the_rest_indexed(docs_copy, tmp_path):
    settings = _settings(docs_copy, tmp_path / "index")
    doomed = docs_copy / "004_5d244a4e81530a41.txt"
    report = rag.build_index(settings, _Meddler(doomed.unlink))  # a first build: nothing indexed before
    files = read_manifest(settings.index)["files"]
    assert sorted(files) == sorted(p.name for p in docs_copy.glob("*.txt")) and len(files) == 4
    assert doomed.name not in report.added and len(report.added) == 4
    assert f"{doomed.name}: deleted during the ingest, not indexed" in report.warnings
    assert doomed.name not in " ".join(read_manifest(settings.index)["warnings"])
    assert status(settings, read_manifest(settings.index)["model"]) == "fresh"
    assert "300-500 dollars" in _answer(settings)["answer"]


@pytest.mark.parametrize(
    "report, expected",
    [
        (rag.IngestReport("g", False, unchanged=["a.txt"]), "index up to date (1 document)"),
        (rag.IngestReport("g", False, unchanged=["a.txt", "b.txt"]), "index up to date (2 documents)"),
        (rag.IngestReport("g", False, added=["a.txt", "b.txt"], first_build=True), "index built: 2 added;"),
        (rag.IngestReport("g", False, added=["c.txt"], unchanged=["a.txt"]), "index updated: 1 added, 1 unchanged;"),
    ],
)
def test_ingest_summaries_read_as_a_person_would_say_them(report, expected):
    assert report.summary().startswith(expected)


def test_a_long_ingest_says_what_it_is_doing(tmp_path, monkeypatch):
    # A 1.2 MB one-line file took minutes with no word on stderr: an ingest past NOTE_CHARS of
    # text or NOTE_TEXTS texts logs (logger "rag", which the CLI prints) what it splits, how
    # much it embeds, and then how far it got every NOTE_SECONDS. The limits are lowered here
    # so one seed document (real model, real store) crosses them.
    import logging

    import rag.index

    monkeypatch.setattr(rag.index, "NOTE_CHARS", 1)
    monkeypatch.setattr(rag.index, "NOTE_TEXTS", 1)
    monkeypatch.setattr(rag.index, "NOTE_SECONDS", 0.0)
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (docs / seed.name).write_bytes(seed.read_bytes())
    notes: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: notes.append(record.getMessage())
    log = logging.getLogger("rag")
    old_level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        report = rag.build_index(_settings(docs, tmp_path / "index"))
    finally:
        log.removeHandler(handler)
        log.setLevel(old_level)
    total = report.chunks_embedded + report.sentences_embedded
    size = len(seed.read_text(encoding="utf-8"))
    assert notes[0] == f"splitting 1 document ({size / 1e3:.0f} KB of text) into passages"
    from rag.text import plural

    passages, sentences = plural(report.chunks_embedded, "passage"), plural(report.sentences_embedded, "sentence")
    assert notes[1] == f"embedding {total:,} texts ({passages} and {sentences})"
    done = [int(n.split()[1].replace(",", "")) for n in notes[2:]]
    assert done and done == sorted(done) and 0 < done[0] and done[-1] < total  # never "total of total"
    assert all(n.endswith(f"of {total:,} texts ({100 * d // total}%)") for n, d in zip(notes[2:], done))
