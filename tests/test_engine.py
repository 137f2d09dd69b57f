"""Answers from the real pipeline on the real seeds: citations, refusals, follow-ups, variants."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

import rag


def _check_citations(ans, docs):
    """Every citation is an exact quote, numbered 1..N in order of first use in the answer."""
    assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
    first_use = [int(m) for m in __import__("re").findall(r"\[(\d+)\]", ans.answer)]
    assert sorted(set(first_use), key=first_use.index) == [c.n for c in ans.citations]
    for c in ans.citations:
        assert open(docs / c.source, encoding="utf-8").read()[c.start : c.end] == c.text
        assert c.text in ans.answer


def test_oil_workers_pay_is_cited_from_the_right_passage(engine, seed_settings):
    ans = engine.ask("How much do Kazakh oil workers earn?")
    assert ans.answered
    top = ans.citations[0]
    assert top.source == "000_cfb20d02cbb68263.txt" and "300-500 dollars" in top.text
    _check_citations(ans, seed_settings.docs)


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Kazakhstan?",  # "January 7th" is a date, not the amount asked for
        "What is Kazakhstan's GDP?",
        "What is the currency of Kazakhstan?",
        "How do I bake sourdough bread?",
    ],
)
def test_out_of_corpus_questions_are_refused_with_nearest_passages(engine, question):
    ans = engine.ask(question)
    assert not ans.answered
    assert ans.citations == [] and "[1]" not in ans.answer
    assert "don't say" in ans.answer
    assert ans.nearest and all(p.text for p in ans.nearest)


def test_a_question_about_something_never_mentioned_says_so(engine):
    ans = engine.ask("What sanctions did the United States impose on Kazakhstan?")
    assert not ans.answered and "never mention" in ans.answer and "United States" in ans.answer
    assert ans.citations == []


@pytest.mark.parametrize(
    "question, history, carried, expected",
    [
        # Two seeds say where he lives: AFP ("He now lives in Paris") and the Tages-Anzeiger
        # piece ("... former minister living in France"); either, cited from its own seed.
        (
            "Where does he live now?",
            ["Who is Mukhtar Ablyazov?"],
            "Ablyazov",
            {"001_99bcf2b5a63aed0a.txt": "Paris", "002_0ae6b7c4b969d250.txt": "living in France"},
        ),
        ("How many did it send?", ["What is the CSTO?"], "CSTO", {"000_cfb20d02cbb68263.txt": "3 thousand"}),
        (
            "And who is his daughter?",
            ["What does Ablyazov say about Nursultan Nazarbayev?"],
            "Nazarbayev",
            {"002_0ae6b7c4b969d250.txt": "Dariga"},
        ),
    ],
)
def test_follow_up_questions_use_the_history(engine, seed_settings, question, history, carried, expected):
    ans = engine.ask(question, history)
    assert ans.answered
    assert any(c.source in expected and expected[c.source] in c.text for c in ans.citations), ans.answer
    assert carried in ans.query and carried not in engine.ask(question).query  # the history was used
    _check_citations(ans, seed_settings.docs)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("How many hours a night does Abliazov sleep?", "He sleeps three hours a night."),  # spelt so in 003
        ("How many hours a night does Ablyazov sleep?", "He sleeps three hours a night."),  # ... Ablyazov elsewhere
        ("When did Nazarbayev hand over the presidency to Kasym Tokayev?", "handed over the presidency to Tokayev"),
        ("Which movement does Moukhtar Ablyazov lead?", "Democratic Choice of Kazakhstan opposition movement"),
        ("What did Abliazov say about Kassym-Jomart Tokayev's decision to sack his cabinet?", "sack his cabinet"),
    ],
)
def test_spelling_variants_do_not_defeat_retrieval(engine, question, expected):
    assert any(expected in p.text for p in engine.ask(question).retrieved)


def test_a_false_premise_gets_the_contradicting_evidence(engine):
    ans = engine.ask("Why did the CSTO send 50,000 soldiers?")
    assert ans.answered and "3 thousand" in ans.answer and "50,000" not in ans.answer


def test_retrieved_lists_passages_best_first(engine):
    ans = engine.ask("How many policemen does Kazakhstan have?", k=6)
    assert len(ans.retrieved) == 6
    scores = [p.score for p in ans.retrieved]
    assert scores == sorted(scores, reverse=True)
    assert len({(p.source, p.start) for p in ans.retrieved}) == 6  # passages, not documents
    for p in ans.retrieved:  # every passage knows all its sentences, overlapping ones included
        assert p.sentences[0].start == p.start and p.sentences[-1].end == p.end


@pytest.mark.parametrize("mode", ["vector", "bm25"])
def test_single_retriever_baselines_run(engine, mode):
    ans = engine.ask("How much do Kazakh oil workers earn?", mode=mode)
    assert ans.retrieved and all((p.vector_rank is None) == (mode == "bm25") for p in ans.retrieved)


def test_retrieval_is_deterministic_across_processes(engine, seed_settings):
    """Chroma's HNSW must give the same neighbours in a fresh process as in this one."""
    questions = ["How much do Kazakh oil workers earn?", "Who is Nazarbayev's nephew?", "What did Putin do?"]
    here = [[(p.source, p.start, p.end) for p in engine.ask(q).retrieved] for q in questions]
    stdin = "\n".join(json.dumps({"question": q}) for q in questions)
    out = run_cli(
        "rag.ask", "--jsonl", "--docs", str(seed_settings.docs), "--index", str(seed_settings.index), stdin=stdin
    )
    assert out.returncode == 0, out.stderr
    there = [
        [(r["source"], r["start"], r["end"]) for r in json.loads(line)["retrieved"]] for line in out.stdout.splitlines()
    ]
    assert here == there


@pytest.mark.parametrize("bad", ["", "   \n\t ", "\x00\x01", "x" * 5000, "?!?...", "\U0001f642\U0001f525", "\ud83d?!"])
def test_unusable_questions_raise_bad_input(engine, bad):
    with pytest.raises(rag.BadInput):
        engine.ask(bad)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Caf\udce9?", "Café?"),  # a Latin-1/Windows-1252 byte through a non-UTF-8 pipe or argv
        ("How much do oil workers earn\udc85", "How much do oil workers earn…"),
        ("x \ud83d y", "x \ufffd y"),  # half of a surrogate pair: not from bytes
        ("Cafe\u0301 hours?", "Café hours?"),  # NFC
        ("  Who\x00 is\tAblyazov? ", "Who is Ablyazov?"),
    ],
)
def test_clean_question_repairs_what_tokenizers_cannot_take(raw, clean):
    assert rag.engine.clean_question(raw) == clean


def test_a_bad_line_never_stops_a_jsonl_run(seed_settings):
    stdin = (
        b'{"question": "Caf\xe9 prices?"}\n'  # a Windows-1252 byte, not UTF-8
        b'{"question": "\\ud83d?!"}\n'  # valid JSON naming half a surrogate pair, and no word
        b'{"question": "How much do Kazakh oil workers earn?"}\n'
    )
    cmd = ["rag.ask", "--jsonl", "--docs", str(seed_settings.docs), "--index", str(seed_settings.index)]
    for locale in ("C.UTF-8", "C"):  # (Python reads stdin strictly or not depending on it)
        out = subprocess.run(
            [sys.executable, "-m", *cmd],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            timeout=300,
            env=dict(os.environ, LC_ALL=locale),
        )
        assert out.returncode == 0, out.stderr
        lines = [json.loads(x) for x in out.stdout.decode().splitlines()]
        assert len(lines) == 3 and lines[0]["question"] == "Café prices?" and not lines[0]["answered"]
        assert lines[1] == {"error": lines[1]["error"], "line": 2} and "has no words" in lines[1]["error"]
        assert lines[2]["answered"] and "300-500 dollars" in lines[2]["answer"]


def test_odd_but_usable_questions_get_a_normal_answer(engine):
    for q in ["How much do oil workers earn? \U0001f6e2\ufe0f", "how MUCH do KAZAKH oil WORKERS earn"]:
        ans = engine.ask(q)
        assert ans.answered and "300-500 dollars" in ans.answer, q
    # "What is oil?" in Arabic: no document is in Arabic, so the right outcome is a refusal with passages.
    ans = engine.ask("\u0645\u0627 \u0647\u0648 \u0627\u0644\u0646\u0641\u0637\u061f")
    assert not ans.answered and ans.nearest and not ans.citations


def test_engine_update_indexes_the_named_files_without_walking_the_folder(docs_copy, tmp_path, monkeypatch):
    """Engine.update / add_documents / remove_document stat and read only the files they name
    (the folder walk is made to fail); a change nobody named waits for the next refresh()."""
    import rag.documents
    import rag.index

    engine = rag.Engine(rag.Settings(docs=docs_copy, index=tmp_path / "index"))

    def no_walk(*args, **kwargs):
        raise AssertionError("the documents folder was walked")

    monkeypatch.setattr(rag.index, "walk_files", no_walk)
    monkeypatch.setattr(rag.documents, "walk_files", no_walk)
    (docs_copy / "ferry.txt").write_text("Ferry timetable\n\nThe ferry to Aktau leaves at 6:40 every Tuesday.\n")
    unnamed = docs_copy / "000_cfb20d02cbb68263.txt"
    unnamed.write_text("Oil workers in Zhanaozen now earn 4,100 dollars a month, the union says.\n" * 3)
    report = engine.update([docs_copy / "ferry.txt"])
    assert report.added == ["ferry.txt"] and not report.changed
    assert "6:40" in engine.ask("When does the ferry to Aktau leave?").answer
    assert "4,100" not in engine.ask("How much do oil workers in Zhanaozen earn?").answer  # not named yet
    upload = tmp_path / "up" / "Beekeeping.txt"
    upload.parent.mkdir()
    upload.write_text("Beekeeping guide\n\nA hive needs a dry place facing the morning sun.\n")
    assert engine.add_documents([upload]).added == ["Beekeeping.txt"]
    assert engine.remove_document("ferry.txt").deleted == ["ferry.txt"]
    with pytest.raises(rag.BadInput, match="not inside the documents folder"):
        engine.update([tmp_path / "up" / "Beekeeping.txt"])
    monkeypatch.undo()
    report = engine.refresh()  # the rescan finds the change nobody named
    assert report.changed == [unnamed.name] and not report.added and not report.deleted
    assert "4,100" in engine.ask("How much do oil workers in Zhanaozen earn?").answer
