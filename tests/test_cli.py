"""`python -m rag.ask` / `python -m rag.ingest` as scripts see them: output contract, exit codes."""

import json

import pytest
from conftest import run_cli


def _args(settings):
    return ["--docs", str(settings.docs), "--index", str(settings.index)]


def test_json_contract(seed_settings):
    out = run_cli("rag.ask", "--json", *_args(seed_settings), "How much do Kazakh oil workers earn?")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert {"question", "answer", "answered", "citations", "retrieved", "timings_ms"} <= set(d)
    assert d["answered"] is True
    c = d["citations"][0]
    assert {"n", "source", "title", "text", "start", "end", "score"} <= set(c)
    assert c["n"] == 1 and c["source"] == "000_cfb20d02cbb68263.txt" and "300-500 dollars" in c["text"]
    assert open(seed_settings.docs / c["source"], encoding="utf-8").read()[c["start"] : c["end"]] == c["text"]
    assert all({"source", "start", "end", "score"} <= set(r) for r in d["retrieved"])
    assert d["timings_ms"]["total_ms"] > 0


def test_human_output_and_refusal(seed_settings):
    out = run_cli("rag.ask", *_args(seed_settings), "How do I bake sourdough bread?")
    assert out.returncode == 0, out.stderr
    assert "The documents don't say." in out.stdout and "Nearest passages" in out.stdout
    assert "[1]" not in out.stdout


def test_jsonl_goes_on_after_a_bad_line(seed_settings):
    lines = [
        json.dumps({"question": "Who is Mukhtar Ablyazov?"}),
        "{not json",
        json.dumps({"question": "Where does he live now?", "history": ["Who is Mukhtar Ablyazov?"]}),
        json.dumps({"question": "   "}),
        json.dumps({"history": []}),
        json.dumps({"question": "How do I bake sourdough bread?", "history": "not a list"}),
        json.dumps({"question": "How do I bake sourdough bread?"}),
    ]
    out = run_cli("rag.ask", "--jsonl", *_args(seed_settings), stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert len(rows) == len(lines)
    assert [("error" in r) for r in rows] == [False, True, False, True, True, True, False]
    assert rows[1]["line"] == 2 and "JSON" in rows[1]["error"]
    assert "Paris" in rows[2]["answer"] or "living in France" in rows[2]["answer"]  # both seeds say where
    assert rows[6]["answered"] is False


@pytest.mark.parametrize(
    "args, message",
    [
        (["   "], "empty"),
        ([""], "empty"),
        ([], "empty"),
        (["--k", "0", "Who is Ablyazov?"], "at least 1"),
        (["--docs", "/nonexistent/folder", "Who is Ablyazov?"], "not found"),
        (["--jsonl", "Who is Ablyazov?"], "stdin"),
        (["--bogus-flag", "x"], "unrecognized"),
    ],
)
def test_bad_usage_exits_2_with_one_line(tmp_path, args, message):
    out = run_cli("rag.ask", "--index", str(tmp_path / "index"), *args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_ingest_reports_and_exits_2_on_an_empty_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = run_cli("rag.ingest", "--docs", str(empty), "--index", str(tmp_path / "index"))
    assert out.returncode == 2 and "no readable" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_ingest_names_the_files_it_leaves_out_for_their_format(tmp_path):
    docs = tmp_path / "docs"
    (docs / "man").mkdir(parents=True)
    (docs / "notes.md").write_text("# Notes\n\nThe ferry leaves at 6:40.\n")
    for name in ("releases.json", "man/gzip.1", "photo.JPG", ".hidden.json"):
        (docs / name).write_text("{}")
    args = ("rag.ingest", "--docs", str(docs), "--index", str(tmp_path / "index"), "--json")
    out = run_cli(*args)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["ignored"] == ["photo.JPG", "releases.json", "man/gzip.1"]  # walk order, no hidden
    note = "note: 3 files in formats it does not read left out: photo.JPG, releases.json, man/gzip.1 (it reads .txt"
    assert note in out.stderr
    named = run_cli(*args, str(docs / "notes.md"))
    assert json.loads(named.stdout)["ignored"] == [] and "note:" not in named.stderr  # a named update walks nothing


def test_ingest_says_up_to_date(seed_settings):
    out = run_cli("rag.ingest", *_args(seed_settings))
    assert out.returncode == 0 and "up to date" in out.stderr


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("notes.txt", "notes.txt"),
        ('weird\nname "quoted" it\'s.txt', 'weird\\nname "quoted" it\'s.txt'),  # one name, one line
        ("red\x1b[31mtext", "red\\x1b[31mtext"),  # an escape sequence never reaches the terminal
        ("invoice\u202etxt.exe", "invoice\\u202etxt.exe"),  # a right-to-left override is shown, not obeyed
        ("Caf\u00e9\u00a0menu \u2014 \u0645\u0646\u064a\u0648", "Caf\u00e9\u00a0menu \u2014 \u0645\u0646\u064a\u0648"),
    ],
)
def test_names_and_quotes_print_on_their_own_line_as_text(raw, shown):
    from rag.cli import format_answer, printable
    from rag.types import Answer, Citation

    assert printable(raw) == shown
    cited = Answer(
        question="q",
        answer="It says so. [1]",
        answered=True,
        citations=[Citation(n=1, source=raw, title=raw, text=raw, start=0, end=len(raw), score=1.0)],
    )
    out = format_answer(cited)
    assert out.count("\n") == 4 and f"[1] {shown} ({shown}, chars 0-{len(raw)})" in out and "\x1b" not in out
