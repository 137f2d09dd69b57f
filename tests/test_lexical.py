"""BM25 in segments (rag/lexical.py): the same scores and ranking as one bm25s index over the live
chunks, after any sequence of adds, changes, deletes and merges; segments shared and swept."""

import hashlib
import json
import shutil

import bm25s
import numpy as np
import pytest

import rag
from rag import generation, lexical
from rag.chunks import chunk_document, chunk_id
from rag.documents import load_documents
from rag.index import current_generation, read_manifest
from rag.text import terms

# Questions a reader of the seeds asks (and a few with repeated or rare terms).
SEED_QUERIES = [
    "How much do Kazakh oil workers earn?",
    "What did Tokayev promise about reforms?",
    "Who is Ablyazov?",
    "oil oil price",
    "What did the president say about elections?",
    "Zhanaozen strike wages",
    "When did the protests in Almaty begin?",
    "Nazarbayev Security Council chairman",
    "inflation tenge devaluation",
    "What is the role of the parliament?",
]


@pytest.fixture(scope="module")
def seed_terms(seed_settings):
    """[(key, chunk ids, terms per chunk)] of the seeds, as rag/index.py hands them to rag/lexical.py."""
    docs, _ = load_documents(seed_settings.docs)
    out = []
    for doc in docs:
        chunks, _ = chunk_document(doc, seed_settings.chunk_max_tokens, seed_settings.chunk_overlap)
        out.append((chunks[0].id.rsplit("-c", 1)[0], [c.id for c in chunks], [terms(c.embed_text()) for c in chunks]))
    return out


def _reference(docs):
    """A full in-memory bm25s index over `docs`' chunks (sorted by id, as the index used to be)."""
    pairs = sorted((cid, toks) for _, ids, tt in docs for cid, toks in zip(ids, tt))
    retriever = bm25s.BM25()
    retriever.index([toks for _, toks in pairs], show_progress=False)
    return retriever, [cid for cid, _ in pairs]


def _scores(index: lexical.Lexical, tokens) -> dict[str, np.float32]:
    out = {}
    for (seg, _), acc in zip(index.parts, index.scores(tokens)):
        if acc is not None:
            hit = np.flatnonzero(acc > 0)
            out.update(zip(np.asarray(seg.ids)[hit].tolist(), acc[hit]))
    return out


def _same_as_full_rebuild(store, section, live_docs):
    index = lexical.Lexical(store, section)
    ref, ids = _reference(live_docs)
    assert index.n_chunks == len(ids)
    for query in SEED_QUERIES:
        tokens = [t for t in terms(query) if t in ref.vocab_dict]
        assert [t for t in terms(query) if index.df(t)] == tokens, query
        want = ref.get_scores(tokens) if tokens else np.zeros(len(ids), dtype=np.float32)
        got = _scores(index, tokens)
        # bit for bit: each posting rounded to float32 and summed in float32 in query order, as bm25s does
        assert {cid: want[i] for i, cid in enumerate(ids) if want[i] > 0} == got, query
        # the top 10 by bm25s's scores, ties in chunk-id order (a brute-force sort of every chunk)
        expected = sorted((-float(v), i) for i, v in enumerate(want) if v > 0)[:10]
        assert index.ranked(tokens, 10) == [(ids[i], -v) for v, i in expected], query
        if tokens:  # the same scores as bm25s's own retrieve() (which leaves ties in numpy's order)
            _, scores = ref.retrieve([tokens], k=min(10, len(ids)), show_progress=False)
            assert [v for _, v in index.ranked(tokens, 10)] == [float(v) for v in scores[0] if v > 0], query
    for term in {t for q in SEED_QUERIES for t in terms(q)}:  # document frequencies over live chunks
        live = sum(1 for _, _, tt in live_docs for toks in tt if term in toks)
        assert index.df(term) == live, term


def _variant(doc, n: int):
    """The same document after an edit: a new key (content-addressed) and one more term per chunk."""
    key = hashlib.sha1(f"{doc[0]}-{n}".encode()).hexdigest()[:16]
    return key, [chunk_id(key, i) for i in range(len(doc[1]))], [toks + [f"edit{n}"] for toks in doc[2]]


def test_seed_ranking_equals_bm25s_on_a_table_of_queries(seed_terms, tmp_path):
    section, _ = lexical.update(tmp_path, None, seed_terms, [])
    assert [s["rows"] for s in section["segments"]] == [sum(len(ids) for _, ids, _ in seed_terms)]
    _same_as_full_rebuild(tmp_path, section, seed_terms)
    ties = 0  # the seeds have many (chunks of one length, each holding a term once): they must not reorder
    ref, ids = _reference(seed_terms)
    for query in SEED_QUERIES:
        tokens = [t for t in terms(query) if t in ref.vocab_dict]
        scores = ref.get_scores(tokens) if tokens else np.zeros(1)
        ties += len(scores[scores > 0]) - len(set(scores[scores > 0].tolist()))
    assert ties > 0


def test_scores_after_adds_changes_deletes_and_merges_equal_a_full_rebuild(seed_terms, tmp_path):
    store = tmp_path
    live = {d[0]: d for d in seed_terms[:2]}
    segment_of = {}
    section, moved = lexical.update(store, None, list(live.values()), [])
    segment_of.update({k: moved[""] for k in live})

    def ingest(added=(), removed=()):
        nonlocal section
        gone = [(segment_of.pop(k), k, len(live.pop(k)[1])) for k in removed]
        section, moved = lexical.update(store, section, list(added), gone)
        for k, seg in segment_of.items():
            segment_of[k] = moved.get(seg, seg)
        for doc in added:
            live[doc[0]] = doc
            segment_of[doc[0]] = moved[""]
        _same_as_full_rebuild(store, section, list(live.values()))
        listed = {s["name"] for s in section["segments"]}
        assert set(segment_of.values()) <= listed and set(section["tombstones"]) <= listed
        return section

    ingest(added=seed_terms[2:4])  # two added
    small = min(live, key=lambda k: (len(live[k][1]), k))
    rows, where = len(live[small][1]), segment_of[small]
    assert rows <= lexical.MAX_DEAD * sum(len(d[1]) for d in live.values())  # so no compaction yet
    ingest(added=[_variant(live[small], 1)], removed=[small])  # one changed: a tombstone where it was
    assert section["tombstones"] == {where: {small: rows}}
    ingest(removed=[sorted(live)[0]])  # one deleted
    # many one-document edits: no generation lists more than MAX_SEGMENTS segments
    for n in range(2, 14):
        key = sorted(live)[n % len(live)]
        ingest(added=[_variant(live[key], n)], removed=[key])
        assert len(section["segments"]) <= lexical.MAX_SEGMENTS
    # deleting most of the corpus compacts to one segment without tombstones
    keep = sorted(live)[0]
    section = ingest(added=[seed_terms[4]], removed=[k for k in sorted(live) if k != keep])
    assert len(section["segments"]) == 1 and section["tombstones"] == {}
    # every segment no longer listed can go; the listed ones still answer
    lexical.remove_unused(store, lexical.in_use([section]))
    lexical._load.cache_clear()
    _same_as_full_rebuild(store, section, list(live.values()))
    assert sorted(p.name for p in generation.lexical_dir(store).iterdir()) == [section["segments"][0]["name"]]


def test_an_edit_writes_one_small_segment_shares_the_rest_and_sweeps_what_no_generation_lists(docs_copy, tmp_path):
    settings = rag.Settings(docs=docs_copy, index=tmp_path / "index")
    rag.build_index(settings)
    first = read_manifest(settings.index)
    base = first["lexical"]["segments"][0]["name"]
    victim = sorted(first["files"])[1]
    text = (docs_copy / victim).read_text()
    (docs_copy / victim).write_text(text + "\nThe camel fair in Turkistan sold 312 camels.\n")
    rag.build_index(settings)
    second = read_manifest(settings.index)
    segments = second["lexical"]["segments"]
    assert [s["name"] for s in segments][0] == base and len(segments) == 2  # the base segment is shared
    assert segments[1]["rows"] == second["files"][victim]["chunks"]  # the new one holds the edited file only
    assert second["files"][victim]["segment"] == segments[1]["name"]
    assert second["lexical"]["tombstones"] == {base: {first["files"][victim]["key"]: first["files"][victim]["chunks"]}}
    engine = rag.Engine(settings, auto_index=False)
    live = [(e["key"], [chunk_id(e["key"], i) for i in range(e["chunks"])], None) for e in second["files"].values()]
    assert engine.retriever.n_chunks == sum(len(ids) for _, ids, _ in live) == second["counts"]["chunks"]
    hits = engine.retriever._bm25_ranked("How many camels did the Turkistan fair sell?", 5)
    assert hits[0][0].startswith(second["files"][victim]["key"])
    # A third generation: the first is no longer kept, and neither is anything only it listed.
    (docs_copy / "extra.txt").write_text("The Ili river freezes in December, the ferryman said.\n")
    rag.build_index(settings)
    third = read_manifest(settings.index)
    store = generation.store_dir(settings.index, third["store_tag"])
    on_disk = {p.name for p in generation.lexical_dir(store).iterdir()}
    listed = {s["name"] for m in (second, third) for s in m["lexical"]["segments"]}
    assert on_disk == listed


def test_an_index_of_the_previous_format_is_rebuilt_with_a_message(docs_copy, tmp_path):
    settings = rag.Settings(docs=docs_copy, index=tmp_path / "index")
    rag.build_index(settings)
    gen = current_generation(settings.index)
    manifest = generation.manifest(gen)  # (its file table merged in)
    old = dict(manifest, format_version=4)
    del old["lexical"]
    (gen / generation.MANIFEST).write_text(json.dumps(old))
    report = rag.build_index(settings)
    assert report.rebuilt and sorted(report.added) == sorted(manifest["files"])
    assert "format 4, this version reads (5, 6)" in report.rebuilt_because
    assert report.summary().startswith(f"index rebuilt ({report.rebuilt_because})")
    assert read_manifest(settings.index)["format_version"] == generation.FORMAT_VERSION


def test_a_damaged_segment_is_a_store_error_never_a_wrong_score(seed_terms, tmp_path):
    section, _ = lexical.update(tmp_path, None, seed_terms, [])
    folder = generation.segment_dir(tmp_path, section["segments"][0]["name"])
    shutil.copytree(folder, tmp_path / "copy")
    (folder / "indptr.npy").write_bytes((folder / "indptr.npy").read_bytes()[:100])
    lexical._load.cache_clear()
    with pytest.raises(rag.StoreError, match="unreadable"):
        lexical.Lexical(tmp_path, section)


def test_one_document_per_ingest_merges_the_smallest_segments(seed_terms, tmp_path):
    """Adds only (no tombstones): segments pile up, and past MAX_SEGMENTS the smallest merge."""
    singles = []
    for _, ids, tt in seed_terms:
        for cid, toks in zip(ids, tt):
            key = hashlib.sha1(cid.encode()).hexdigest()[:16]
            singles.append((key, [chunk_id(key, 0)], [toks]))
    section, live, merges = None, [], 0
    for doc in singles[:20]:
        section, moved = lexical.update(tmp_path, section, [doc], [])
        live.append(doc)
        merges += len(moved) > 1
        assert len(section["segments"]) <= lexical.MAX_SEGMENTS and section["tombstones"] == {}
        assert sum(s["rows"] for s in section["segments"]) == len(live)
    assert merges >= 3  # ingests 9, 13, 17 at least
    assert max(s["rows"] for s in section["segments"]) < len(live)  # never everything rewritten
    _same_as_full_rebuild(tmp_path, section, live)


def test_a_document_deleted_then_restored_byte_for_byte_is_live_again(seed_terms, tmp_path):
    """Its segment's name digests its keys: restoring it lists the same segment, without the tombstone."""
    base, moved = lexical.update(tmp_path, None, seed_terms[:3], [])
    alone, moved = lexical.update(tmp_path, base, [seed_terms[3]], [])
    name = moved[""]
    gone, _ = lexical.update(tmp_path, alone, [], [(name, seed_terms[3][0], len(seed_terms[3][1]))])
    assert gone["tombstones"] == {name: {seed_terms[3][0]: len(seed_terms[3][1])}}
    back, moved = lexical.update(tmp_path, gone, [seed_terms[3]], [])
    assert moved[""] == name and back == alone
    _same_as_full_rebuild(tmp_path, back, seed_terms[:4])


@pytest.mark.parametrize(
    "scores, k",
    [
        ([0.5, 0.5, 0.5, 0.5], 2),  # all tied: the first positions
        ([1.0, 2.0, 2.0, 1.0, 3.0], 3),  # ties at the boundary
        ([3.0, 1.0, 2.0], 5),  # fewer entries than k
        ([1.0], 1),
        ([2.0, 1.0, 2.0, 1.0, 2.0, 1.0], 4),
        (np.random.default_rng(7).choice([0.25, 0.5, 1.5, 2.0], 2000).tolist(), 50),  # many ties
        (np.random.default_rng(8).random(5000).tolist(), 10),  # distinct
    ],
)
def test_top_k_is_score_descending_then_position_ascending(scores, k):
    scores = np.asarray(scores, dtype=np.float32)
    positions = np.random.default_rng(len(scores)).permutation(len(scores) * 3)[: len(scores)]
    brute = sorted(range(len(scores)), key=lambda i: (-float(scores[i]), int(positions[i])))[:k]
    assert lexical.top_k(scores, positions, k).tolist() == brute


def test_ranked_orders_copied_chunks_by_chunk_id(tmp_path):
    """Copies of one text score alike: they come out in chunk-id order, whatever the segment order."""
    text = ["steppe", "festival", "yurt", "visitors"]
    docs = [(f"k{i:02d}", [chunk_id(f"k{i:02d}", 0)], [text]) for i in (5, 1, 9, 3)]
    section, _ = lexical.update(tmp_path, None, docs[:2], [])
    section, _ = lexical.update(tmp_path, section, docs[2:], [])
    got = lexical.Lexical(tmp_path, section).ranked(["yurt"], 3)
    assert [cid for cid, _ in got] == sorted(chunk_id(f"k{i:02d}", 0) for i in (5, 1, 9, 3))[:3]
    assert len({v for _, v in got}) == 1
