"""The chat page without a browser: formatting functions, upload names, and the served API.

The browser half (clicks, highlights, uploads, hostile documents) is tests/test_browser.py.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import free_port, run_cli

from rag.errors import BadInput
from rag.types import Answer, Citation, Passage
from rag.ui import document_rows, document_view, highlight, message_html, safe_upload_name, sources_html

DOC = "Intro. Oil workers earn <300> dollars. <script>alert(1)</script> Tail."
CIT = Citation(n=1, source="a.txt", title="T <b>", text="Oil workers earn <300> dollars.", start=7, end=38, score=0.8)


@pytest.mark.parametrize(
    "raw, forbidden",
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ('" onmouseover="alert(1)', '" onmouseover'),
    ],
)
def test_document_text_is_inert_everywhere_it_is_shown(raw, forbidden):
    c = Citation(n=1, source=raw, title=raw, text=raw, start=0, end=len(raw), score=1.0)
    ans = Answer(question=raw, answer=f"{raw} [1]", answered=True, citations=[c])
    refusal = Answer(
        question=raw,
        answer="The documents don't say.",
        answered=False,
        nearest=[Passage(chunk_id="x", source=raw, title=raw, text=raw, start=0, end=len(raw), score=0.1)],
    )
    for html in (message_html(ans, 0), message_html(refusal, 0), sources_html([ans], lambda s: raw)):
        assert forbidden not in html


def test_markers_link_only_to_real_citations():
    ans = Answer(question="q", answer=f"{CIT.text} [1] and a stray [7]", answered=True, citations=[CIT])
    html = message_html(ans, 3)
    assert html.count('class="cite"') == 1 and 'href="#src-3-1"' in html and "[7]" in html
    assert "&lt;300&gt;" in html


def test_sources_panel_marks_the_exact_span_in_passage_and_document():
    assert DOC[CIT.start : CIT.end] == CIT.text
    ans = Answer(question="q", answer=f"{CIT.text} [1]", answered=True, citations=[CIT])
    html = sources_html([ans], lambda s: DOC, show_scores=True)
    assert '<mark id="mark-0-1">Oil workers earn &lt;300&gt; dollars.</mark>' in html
    assert 'id="doc-0-1" hidden' in html and "score 0.80" in html and "T &lt;b&gt;" in html
    assert "score" not in sources_html([ans], lambda s: DOC, show_scores=False)
    # The file changed after indexing: show the quote, never a highlight at the wrong place.
    changed = sources_html([ans], lambda s: "Something else entirely. " + DOC, show_scores=True)
    assert "changed since indexing" in changed and "mark-0-1" not in changed


def test_refusal_panel_and_earlier_turns_fold():
    refusal = Answer(question="pop?", answer="The documents don't say.", answered=False)
    ans = Answer(question="oil?", answer=f"{CIT.text} [1]", answered=True, citations=[CIT])
    html = sources_html([ans, refusal], lambda s: DOC)
    assert html.index("pop?") < html.index("oil?")  # newest first
    assert '<details class="rag-turn" id="turn-1" open>' in html and '<details class="rag-turn" id="turn-0">' in html
    assert "nothing is cited" in html
    assert "rag-refusal" in message_html(refusal, 1) and "rag-answer" in message_html(ans, 0)


@pytest.mark.parametrize(
    "length, start, note",
    [(100, 50, False), (200_000, 150_000, True), (200_000, 10, True), (200_000, 199_990, True)],
)
def test_long_documents_show_a_window_around_the_span(length, start, note):
    text = "x" * length
    view = document_view(text, start, start + 5, "m", limit=60_000)
    assert '<mark id="m">xxxxx</mark>' in view
    assert ("Showing characters" in view) == note
    assert len(view) < 61_000 + 200


def test_highlight_offsets():
    assert highlight("a<b>c", 1, 4) == "a<mark>&lt;b&gt;</mark>c"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("notes.txt", "notes.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win.md", "win.md"),
        ("/abs/path/x.md", "x.md"),
        ("Aral Sea – notes ü.txt", "Aral Sea – notes ü.txt"),
        ("a;rm -rf $HOME.txt", "a_rm -rf _HOME.txt"),
        ("Report.MARKDOWN", "Report.MARKDOWN"),
        (".hidden.txt", "hidden.txt"),  # never a dot file, which ingestion would skip
    ],
)
def test_upload_names_stay_inside_the_folder(name, expected):
    assert safe_upload_name(name) == expected


@pytest.mark.parametrize("name", ["evil.exe", "archive.txt.gz", ".txt", "..", ""])
def test_upload_names_refused(name):
    with pytest.raises(BadInput):
        safe_upload_name(name)


def test_document_rows_from_manifest():
    manifest = {
        "files": {"b.txt": {"title": "B", "chunks": 2, "indexed_at": "t2"}, "a.md": {"title": "A", "chunks": 1}}
    }
    assert document_rows(manifest) == [["A", "a.md", 1, ""], ["B", "b.txt", 2, "t2"]]
    assert document_rows(None) == []


def test_auth_parsing():
    from app import parse_auth

    assert parse_auth("me:secret:with:colons") == ("me", "secret:with:colons")
    assert parse_auth(None) is None
    for bad in ("nopassword", ":x", "x:"):
        with pytest.raises(BadInput):
            parse_auth(bad)


@pytest.fixture(scope="module")
def served(engine):
    from app import build_app, serve

    port = free_port()
    demo = build_app(engine)
    serve(demo, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "timings_ms"}


def test_ask_endpoint_returns_the_cli_json(served, seed_settings):
    from gradio_client import Client

    client = Client(served, verbose=False)
    got = client.predict("How much do Kazakh oil workers earn?", api_name="/ask")
    cli = run_cli(
        "rag.ask",
        "--json",
        "--docs",
        str(seed_settings.docs),
        "--index",
        str(seed_settings.index),
        "How much do Kazakh oil workers earn?",
    )
    assert cli.returncode == 0, cli.stderr
    assert _strip(got) == _strip(json.loads(cli.stdout))
    assert "300-500 dollars" in got["answer"] and got["citations"][0]["n"] == 1
    follow = client.predict("Where does he live now?", ["Who is Mukhtar Ablyazov?"], api_name="/ask")
    assert "Paris" in follow["answer"] and "Ablyazov" in follow["query"]
    assert "error" in client.predict("   ", api_name="/ask")


def test_twenty_concurrent_requests_all_answer_correctly(served, engine):
    from gradio_client import Client

    questions = [
        "How much do Kazakh oil workers earn?",
        "How many troops will the CSTO send?",
        "What is the population of Kazakhstan?",
        "How many hours a night does Abliazov sleep?",
    ] * 5
    expected = {q: _strip(engine.ask(q).to_dict()) for q in set(questions)}

    def one(q):
        return q, Client(served, verbose=False).predict(q, api_name="/ask")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, questions))
    assert len(results) == 20
    for q, got in results:
        assert _strip(got) == expected[q], q


def test_auth_keeps_strangers_out(engine):
    from gradio_client import Client

    from app import build_app, serve

    port = free_port()
    demo = build_app(engine)
    serve(demo, "127.0.0.1", port, auth=("reader", "s3cret"), block=False)
    try:
        url = f"http://127.0.0.1:{port}/"
        with pytest.raises(Exception):  # noqa: B017  (gradio_client raises a plain ValueError here)
            Client(url, verbose=False).predict("How many troops will the CSTO send?", api_name="/ask")
        ok = Client(url, auth=("reader", "s3cret"), verbose=False)
        assert "3 thousand" in ok.predict("How many troops will the CSTO send?", api_name="/ask")["answer"]
    finally:
        demo.close()
