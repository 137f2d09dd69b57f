"""The chat page: formatting functions without a browser, and a real Gradio server round trip."""

import socket

import pytest

from rag.types import Answer, Citation, Passage
from rag.ui import answer_markdown, escape


@pytest.mark.parametrize(
    "raw, forbidden",
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", "](javascript"),
        ("**bold** and `code`", "**bold**"),
    ],
)
def test_document_text_is_inert(raw, forbidden):
    assert forbidden not in escape(raw)


def test_answer_and_refusal_markdown():
    c = Citation(n=1, source="a.txt", title="T <b>", text="Oil workers earn <300> dollars.", start=5, end=36, score=0.8)
    ans = Answer(question="q", answer=f"{c.text} [1]", answered=True, citations=[c])
    md = answer_markdown(ans)
    assert "**[1]**" in md and "&lt;300&gt;" in md and "<b>" not in md and "characters 5–36" in md
    p = Passage(chunk_id="x", source="b.txt", title="B", text="Near <i>text</i>", start=0, end=16, score=0.1)
    refusal = answer_markdown(Answer(question="q", answer="The documents don't say.", answered=False, nearest=[p]))
    assert "do not answer" in refusal and "[1]" not in refusal and "<i>" not in refusal


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_page_answers_through_the_api(engine):
    from gradio_client import Client

    from app import build_app

    port = _free_port()
    demo = build_app(engine)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, share=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        reply = client.predict("How much do Kazakh oil workers earn?", api_name="/chat")
        assert "300-500 dollars" in reply and "**[1]**" in reply and "cfb20d02cbb68263.txt" in reply
    finally:
        demo.close()
