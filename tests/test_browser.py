"""The chat page in a real browser: Debian Chromium driven by Playwright, against the real app.

The app runs in this process on a free loopback port over a private copy of the seeds plus
one hostile document; screenshots go to tests/screenshots/ (git-ignored). Playwright never
downloads a browser here: it drives /usr/bin/chromium. Skipped (not failed) only where that
binary is missing, which `make test` prevents by installing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, free_port

import rag

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"
HOSTILE = (
    "Zhanaozen archive memo\n\n"
    "The archive keeper of Zhanaozen is <script>window.__pwned = 1; alert('script')</script> Mr Beisenov. "
    "The archive code word is <img src=x onerror=\"window.__pwned = 2; alert('img')\"> written on the door.\n"
)
NEW_DOC = (
    "Notes on the Aral Sea\n\n"
    "The Aral Sea lost most of its water after Soviet irrigation projects diverted two rivers. "
    "The Kokaral dam, finished in 2005, raised the level of the northern Aral Sea by several metres.\n"
)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from app import build_app, serve

    base = tmp_path_factory.mktemp("browser")
    docs = base / "docs"
    shutil.copytree(SEEDS, docs)
    for p in docs.iterdir():
        p.chmod(0o644)
    (docs / "hostile memo.txt").write_text(HOSTILE)
    engine = rag.Engine(rag.Settings(docs=docs, index=base / "index"))
    demo = build_app(engine)
    port = free_port()
    serve(demo, "127.0.0.1", port, block=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app_url)
    yield pg
    ctx.close()


def ask(page, question: str):
    before = page.locator("#chat .rag-answer, #chat .rag-refusal").count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    bubbles = page.locator("#chat .rag-answer, #chat .rag-refusal")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .rag-answer, #chat .rag-refusal').length > n", arg=before
    )
    return bubbles.last


def test_answer_marker_opens_the_highlighted_passage(page):
    bubble = ask(page, "How much do Kazakh oil workers earn?")
    assert "300-500 dollars" in bubble.inner_text()
    marker = bubble.locator("a.cite", has_text="[1]")
    assert marker.count() == 1
    mark = page.locator("#mark-0-1")
    assert not mark.is_visible()  # the document view is folded until asked for
    marker.click()
    mark.wait_for(state="visible")
    assert "Our oil workers receive on average 300-500 dollars a month" in mark.inner_text()
    assert "active" in page.locator("#src-0-1").get_attribute("class")
    # scrolled into view: the mark lies inside the viewport
    box = mark.bounding_box()
    assert box and 0 <= box["y"] <= 1000
    assert page.locator("#src-0-1 .rag-passage mark").inner_text().startswith("Our oil workers")
    page.screenshot(path=str(SHOTS / "answer-highlighted.png"))


def test_refusal_looks_different_and_cites_nothing(page):
    bubble = ask(page, "What is the population of Kazakhstan?")
    assert "rag-refusal" in bubble.get_attribute("class")
    assert "The documents don't say" in bubble.inner_text()
    assert "Nearest passages" in bubble.inner_text() and bubble.locator("a.cite").count() == 0
    assert "nothing is cited" in page.locator("#sources").inner_text()
    page.screenshot(path=str(SHOTS / "refusal.png"))


def test_follow_up_uses_the_chat_history_and_scores_can_be_hidden(page):
    ask(page, "Who is Mukhtar Ablyazov?")
    bubble = ask(page, "Where does he live now?")
    assert "Paris" in bubble.inner_text()
    assert "score" in page.locator("#src-1-1").inner_text()
    page.get_by_text("Settings").click()
    page.get_by_label("Show scores").uncheck()
    page.wait_for_function("() => !document.querySelector('#src-1-1').innerText.includes('score')")


def test_hostile_document_renders_as_text_and_runs_nothing(page):
    bubble = ask(page, "Who is the archive keeper of Zhanaozen?")
    bubble.locator("a.cite").first.click()
    page.locator("#sources .rag-docview:not([hidden])").first.wait_for()
    sources = page.locator("#sources").inner_text()
    assert "<script>window.__pwned = 1" in sources  # shown literally, as text
    assert "<img src=x onerror=" in sources
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#sources img, #chat img, #sources script").count() == 0
    page.wait_for_timeout(300)  # give a would-be onerror handler time to fire
    assert page.dialogs == [] and page.evaluate("() => window.__pwned") is None
    page.screenshot(path=str(SHOTS / "hostile-inert.png"))


def test_upload_indexes_a_document_that_then_answers_and_delete_removes_it(page, tmp_path):
    new = tmp_path / "Aral Sea – notes ü.txt"
    new.write_text(NEW_DOC)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(new))
    status = page.locator("#doc-status")
    status.get_by_text("Indexed").wait_for(timeout=60_000)
    assert "1 added" in status.inner_text()
    assert "Aral Sea – notes ü.txt" in page.locator("#docs-table").inner_text()

    page.get_by_role("tab", name="Chat").click()
    bubble = ask(page, "When was the Kokaral dam finished?")
    assert "2005" in bubble.inner_text()
    assert "Aral Sea – notes ü.txt" in page.locator("#src-0-1").inner_text()

    page.get_by_role("tab", name="Documents").click()
    page.locator("#victim input").fill("Aral Sea – notes ü.txt")
    page.locator("#victim ul li", has_text="Aral Sea").first.click()
    page.locator("#delete").click()
    status.get_by_text("Deleted").wait_for(timeout=60_000)
    assert "Aral Sea" not in page.locator("#docs-table").inner_text()
    page.get_by_role("tab", name="Chat").click()
    after = ask(page, "When was the Kokaral dam finished?")
    assert "The documents don't say" in after.inner_text() and after.locator("a.cite").count() == 0
