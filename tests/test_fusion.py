"""The ranking code of retrieval (rag/fusion.py), table-driven, and the shipped ranker artefact."""

import dataclasses
import json

import numpy as np
import pytest

import rag
from rag import fusion, retrieve
from rag.errors import StoreError
from rag.text import terms


@pytest.mark.parametrize(
    "lists, expected",
    [
        ([["a", "b"]], {"a": 1 / 61, "b": 1 / 62}),
        ([["a", "b"], ["b", "a"]], {"a": 1 / 61 + 1 / 62, "b": 1 / 62 + 1 / 61}),
        ([["a"], ["b", "c"]], {"a": 1 / 61, "b": 1 / 61, "c": 1 / 62}),
        ([[], []], {}),
    ],
)
def test_reciprocal_rank_fusion(lists, expected):
    got = fusion.rrf(lists)
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(v) for k, v in expected.items())


@pytest.mark.parametrize(
    "ids, scores, expected",
    [
        (["b", "a", "c"], [0.5, 0.5, 0.9], [2, 1, 0]),  # a tie breaks on the id
        (["x"], [0.0], [0]),
        (["c", "b", "a"], [1.0, 2.0, 3.0], [2, 1, 0]),
    ],
)
def test_order_is_best_first_and_deterministic(ids, scores, expected):
    assert fusion.order(ids, np.asarray(scores)) == expected


def _signals():
    # Three candidates: two from document "d1", one from "d2"; BM25 found only the first two.
    return fusion.Signals(
        ids=["c1", "c2", "c3"],
        docs=["d1", "d1", "d2"],
        cos_chunk=np.array([0.5, 0.4, 0.6]),
        cos_sent=np.array([0.7, 0.3, 0.6]),
        bm25=np.array([4.0, 2.0, 0.0]),
        vec_rank=np.array([2, 3, 1]),
        bm25_rank=np.array([1, 2, 0]),
        cos_lead=np.array([0.5, 0.5, 0.6]),
        is_lead=np.array([True, False, True]),
        cos_doc=np.array([0.45, 0.45, 0.55]),
        doc_sents=np.array([9, 9, 3]),
        opens_yes_no=np.array([False, True, False]),
        yes_no_question=True,
        doc_coverage=np.array([0.75, 0.75, 0.2]),
    )


@pytest.mark.parametrize(
    "name, expected",
    [
        ("cos_chunk", [0.5, 0.4, 0.6]),
        ("cos_chunk_gap", [-0.1, -0.2, 0.0]),
        ("cos_sent", [0.7, 0.3, 0.6]),
        ("cos_sent_gap", [0.0, -0.4, -0.1]),
        ("bm25", [1.0, 0.5, 0.0]),
        ("rr_vec", [1 / 2, 1 / 3, 1.0]),
        ("rr_bm25", [1.0, 1 / 2, 0.0]),
        ("doc_cos_sent_gap", [0.0, 0.0, -0.1]),  # c2 is lifted by its document's best sentence
        ("doc_bm25", [1.0, 1.0, 0.0]),
        ("doc_share", [2 / 3, 2 / 3, 1 / 3]),
        ("doc_cos_chunk_gap", [-0.1, -0.1, 0.0]),
        ("cos_lead_gap", [-0.1, -0.1, 0.0]),
        ("is_lead", [1.0, 0.0, 1.0]),
        ("cos_doc_gap", [-0.15, -0.15, -0.05]),
        ("log_doc_sents", np.log([10, 10, 4])),
        ("yes_no_answer", [0.0, 1.0, 0.0]),  # a yes/no question, and c2 opens with "Yes"/"No"
        ("doc_coverage", [0.75, 0.75, 0.2]),
    ],
)
def test_features(name, expected):
    x = fusion.features(_signals())
    assert x.shape == (3, len(fusion.FEATURES))
    assert x[:, fusion.FEATURES.index(name)] == pytest.approx(expected)


@pytest.mark.parametrize(
    "opens, question, expected",
    [
        ([False, True, False], False, [0.0, 0.0, 0.0]),  # not a yes/no question: the opening word is moot
        (None, True, [0.0, 0.0, 0.0]),  # signals gathered without the passages' openings
        ([True, True, False], True, [1.0, 1.0, 0.0]),
    ],
)
def test_the_yes_no_feature_needs_both_a_yes_no_question_and_a_yes_no_opening(opens, question, expected):
    sig = dataclasses.replace(
        _signals(), opens_yes_no=None if opens is None else np.array(opens), yes_no_question=question
    )
    assert fusion.features(sig)[:, fusion.FEATURES.index("yes_no_answer")] == pytest.approx(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Yes. SQLite is in the public domain.", True),
        ("No, but the stable release gets security updates.", True),
        ("Yes\n\nThere's only one common catch: the C libraries.", True),  # the word alone on its line
        ("  * No: packages are upgraded in place.", True),  # a bullet before it
        ("NO!", True),
        ("No", True),
        ("yes; see the manual", True),
        ("No new functionality is added to the stable release.", False),  # "no" as a determiner
        ("Nobody maintains it.", False),
        ("Yesterday's release fixed it.", False),
        ("Is it free? Yes.", False),  # only the opening word counts
        ("The answer is no.", False),
        ("", False),
    ],
)
def test_a_passage_opens_with_yes_or_no_only_when_its_first_word_is_the_answer(text, expected):
    assert fusion.opens_yes_no(text) is expected


def test_no_candidates_give_an_empty_matrix():
    empty = fusion.Signals.empty()
    assert fusion.features(empty).shape == (0, len(fusion.FEATURES))


def test_the_shipped_ranker_loads_and_prefers_the_closer_passage():
    ranker = fusion.load_ranker()
    assert set(ranker.features) <= set(fusion.FEATURES) and len(ranker.meta["corpora"]) >= 3
    x = fusion.features(_signals())
    strong, weak = x[0].copy(), x[0].copy()
    for name in ("cos_chunk", "cos_chunk_gap", "cos_sent", "cos_sent_gap", "cos_doc_gap"):
        weak[fusion.FEATURES.index(name)] -= 0.2
    assert ranker.score(strong[None])[0] > ranker.score(weak[None])[0]
    # ... and, to a yes/no question, the passage that opens with the answer word
    answers = x[0].copy()
    answers[fusion.FEATURES.index("yes_no_answer")] = 1.0
    assert ranker.meta["depth"] == retrieve.DEPTH and "yes_no_answer" in ranker.features
    assert ranker.score(answers[None])[0] > ranker.score(x[0][None])[0]
    # ... and the passage whose document holds more of the question's terms
    covers = x[0].copy()
    covers[fusion.FEATURES.index("doc_coverage")] += 0.5
    assert ranker.score(covers[None])[0] > ranker.score(x[0][None])[0]


def test_the_listwise_fit_learns_which_column_marks_the_relevant_candidate(tmp_path):
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(60):  # 60 questions of 8 candidates; the relevant one is highest in column 2
        x = np.zeros((8, len(fusion.FEATURES)))  # the draws don't depend on how many features there are
        x[:, :4] = rng.normal(size=(8, 4))
        y = np.zeros(8, dtype=bool)
        y[int(np.argmax(x[:, 2] + 0.3 * rng.normal(size=8)))] = True
        groups.append((x, y))
    use = fusion.FEATURES[:4]
    ranker = fusion.fit_listwise(groups, use=use, meta={"corpora": ["synthetic"]})
    assert ranker.features == use and int(np.argmax(np.abs(ranker.weights))) == 2 and ranker.weights[2] > 0
    hits = sum(bool(y[int(np.argmax(ranker.score(x)))]) for x, y in groups)
    oracle = sum(bool(y[int(np.argmax(x[:, 2]))]) for x, y in groups)  # column 2 alone, noise unseen
    assert (oracle, hits) == (42, 43)  # of 60: as good as the marking column (the noise caps both)
    path = tmp_path / "ranker.json"
    ranker.save(path)
    again = fusion.load_ranker(path)
    assert all(np.allclose(again.score(x), ranker.score(x)) for x, _ in groups)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"version": fusion.RANKER_VERSION + 1}, "version"),
        ({"features": ["no_such_feature"]}, "features"),
        ({"features": []}, "features"),
        ({"weights": [1.0]}, "malformed"),
        ({"mean": [float("nan")] * len(fusion.FEATURES)}, "malformed"),
    ],
)
def test_a_stale_or_damaged_ranker_is_refused(tmp_path, change, message):
    data = json.loads(fusion.RANKER_PATH.read_text())
    data.update(change)
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match=message):
        fusion.load_ranker(path)


def test_an_unreadable_ranker_is_a_store_error(tmp_path):
    path = tmp_path / "ranker.json"
    path.write_text("{not json")
    with pytest.raises(StoreError, match="unreadable"):
        fusion.load_ranker(path)


def test_signals_on_the_real_seed_index_are_what_they_claim(engine):
    """Every candidate's signals recomputed independently from the real index: the passage
    cosine, the best sentence cosine, the document centroid; and search() orders by the ranker."""
    retriever = engine.retriever
    query = "How much do Kazakh oil workers earn?"
    vector = engine.embedder.embed([query])[0]
    sig, rows = retriever.signals(query, vector, depth=10)
    assert sig.ids == sorted(sig.ids) and len(sig.ids) >= 10  # the union of two top-10 lists
    assert ((sig.vec_rank > 0) | (sig.bm25_rank > 0)).all()
    stored = retriever.chunks.get(ids=sig.ids, include=["embeddings"])
    emb = dict(zip(stored["ids"], stored["embeddings"]))
    q = vector / np.linalg.norm(vector)
    for i, cid in enumerate(sig.ids):
        meta = rows[cid][1]
        e = np.asarray(emb[cid])
        assert sig.cos_chunk[i] == pytest.approx(float(e @ q) / np.linalg.norm(e), abs=1e-5)
        sents = [retriever.sentences.get(meta["key"], j)[3] for j in range(meta["s_first"], meta["s_last"] + 1)]
        assert sig.cos_sent[i] == pytest.approx(max(float(s @ q) for s in sents), abs=1e-5)
        doc = np.load(retriever.sentences.folder / f"{meta['key']}.npy")
        assert sig.doc_sents[i] == len(doc)
        assert sig.cos_doc[i] == pytest.approx(float(doc.mean(axis=0) @ q) / np.linalg.norm(doc.mean(axis=0)), abs=1e-5)
    passages = retriever.search(query, vector, k=5, depth=10)
    scores = fusion.load_ranker().score(fusion.features(sig))
    assert [p.chunk_id for p in passages] == [sig.ids[i] for i in fusion.order(sig.ids, scores)[:5]]
    assert [p.score for p in passages] == pytest.approx(sorted(scores, reverse=True)[:5])
    # the oil workers' pay is in the first passage
    assert "300-500 dollars a month" in passages[0].text


@pytest.mark.parametrize("mode", ["rrf", "vector", "bm25"])
def test_other_modes_rank_by_their_own_lists(engine, mode):
    retriever = engine.retriever
    query = "How much do Kazakh oil workers earn?"
    vector = engine.embedder.embed([query])[0]
    sig, _ = retriever.signals(query, vector, depth=10)
    passages = retriever.search(query, vector, k=5, mode=mode, depth=10)
    if mode == "rrf":
        lists = [
            [c for c, r in sorted(zip(sig.ids, ranks), key=lambda t: t[1]) if r > 0]
            for ranks in (sig.vec_rank, sig.bm25_rank)
        ]
        fused = fusion.rrf(lists)
        expected = sorted(fused, key=lambda c: (-fused[c], c))[:5]
    else:
        ranks = sig.vec_rank if mode == "vector" else sig.bm25_rank
        expected = [c for c, r in sorted(zip(sig.ids, ranks), key=lambda t: t[1]) if r > 0][:5]
    assert [p.chunk_id for p in passages] == expected


@pytest.fixture(scope="module")
def faq_engine(tmp_path_factory):
    """A real index of three FAQ-like entries: two on one topic (one answering "Yes."), and a
    long one whose terms "parking" and "permit" lie in different passages."""
    root = tmp_path_factory.mktemp("faq")
    docs = root / "docs"
    docs.mkdir()
    (docs / "entry-1.txt").write_text("Yes. Students can renew a library card online at no charge.\n")
    (docs / "entry-2.txt").write_text("Library cards for students are renewed at the front desk every year.\n")
    filler = " ".join(f"Room {i} of the west wing holds old maps and charts of the harbour." for i in range(60))
    (docs / "entry-3.txt").write_text(f"Parking is free on Sundays. {filler} A permit costs ten euros a year.\n")
    return rag.Engine(rag.Settings(docs=docs, index=root / "index"))


def test_a_yes_no_question_marks_the_passages_that_answer_it_yes_or_no(faq_engine):
    """For "Can I ...?" the entry that opens with "Yes." carries the feature, its neighbour
    on the same topic does not; a wh-question marks neither."""
    col = fusion.FEATURES.index("yes_no_answer")
    for query, expected in [
        ("Can students renew a library card online?", {"entry-1.txt": 1.0, "entry-2.txt": 0.0}),
        ("How do students renew a library card?", {"entry-1.txt": 0.0, "entry-2.txt": 0.0}),
    ]:
        sig, rows = faq_engine.retriever.signals(query, faq_engine.embedder.embed([query])[0])
        assert sig.yes_no_question is query.startswith("Can")
        got = {rows[c][1]["source"]: float(v) for c, v in zip(sig.ids, fusion.features(sig)[:, col])}
        assert {k: got[k] for k in expected} == expected


def test_document_coverage_counts_the_question_terms_found_anywhere_in_the_document(faq_engine):
    """The idf-weighted share of the question's terms in each document, read from the BM25
    postings, equals the share computed from the documents' own text; a document is credited
    for terms that only its passages outside the candidates hold."""
    retriever = faq_engine.retriever
    query = "Where do students get a parking permit for the library?"
    weight = {t: retriever.idf(t) for t in dict.fromkeys(terms(query))}
    docs = faq_engine.settings.docs
    keys = {rows[1]["source"]: rows[1]["key"] for rows in _all_rows(retriever).values()}
    got = retriever.doc_coverage(query, keys.values())
    for source, key in keys.items():
        held = set(terms((docs / source).read_text()))
        expected = sum(w for t, w in weight.items() if t in held) / sum(weight.values())
        assert got[key] == pytest.approx(expected, abs=1e-9)
    # entry-3 holds "parking" and "permit" in different passages, and not the other terms
    passages = [text for text, meta in _all_rows(retriever).values() if meta["source"] == "entry-3.txt"]
    assert len(passages) >= 2 and not any("Parking" in p and "permit" in p for p in passages)
    share = (retriever.idf("park") + retriever.idf("permit")) / sum(weight.values())
    assert got[keys["entry-3.txt"]] == pytest.approx(share) and 0 < share < 1
    # ... and the signal carries it to every candidate of the document, even from a depth of 1
    sig, rows = retriever.signals(query, faq_engine.embedder.embed([query])[0], depth=1)
    for cid, value in zip(sig.ids, sig.doc_coverage):
        assert value == pytest.approx(got[rows[cid][1]["key"]])
    assert retriever.doc_coverage("", keys.values()) == dict.fromkeys(keys.values(), 0.0)


def _all_rows(retriever) -> dict:
    got = retriever.chunks.get(ids=sorted(retriever.live), include=["documents", "metadatas"])
    return {cid: (doc, meta) for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"])}
