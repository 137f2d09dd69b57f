"""The chat page in a real browser: Debian Chromium driven by Playwright, against the real app.

The app runs in this process on a free loopback port over a private copy of the seeds plus
one hostile document; screenshots go to tests/screenshots/ (git-ignored). Playwright never
downloads a browser here: it drives /usr/bin/chromium. Skipped (not failed) only where that
binary is missing, which `make test` prevents by installing it.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest
from conftest import SEEDS, free_port
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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


SERVED: dict = {}  # {"docs": the served documents folder}, for tests that check its files


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from app import build_app, serve

    base = tmp_path_factory.mktemp("browser")
    docs = base / "docs"
    shutil.copytree(SEEDS, docs)
    for p in docs.iterdir():
        p.chmod(0o644)
    (docs / "hostile memo.txt").write_text(HOSTILE)
    SERVED["docs"] = docs
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


DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


def _open(browser, app_url, viewport):
    ctx = browser.new_context(viewport=viewport, accept_downloads=True)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.errors = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.goto(app_url)
    pg.locator("#question textarea").wait_for()
    return ctx, pg


@pytest.fixture
def page(browser, app_url):
    ctx, pg = _open(browser, app_url, DESKTOP)
    yield pg
    ctx.close()


@pytest.fixture
def phone(browser, app_url):
    ctx, pg = _open(browser, app_url, PHONE)
    yield pg
    ctx.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


BUBBLES = "#chat .rag-answer, #chat .rag-refusal"


def ask(page, question: str, timeout_ms: int = 90_000):
    """Type `question`, press Enter, return the new answer or refusal bubble. An Enter the page
    has not yet wired (pressed while it still loads) leaves the text in the box and the chat
    without the question: it is pressed once more, with a warning in the test summary. A
    timeout fails with what the page showed, so a slow machine and a broken page differ."""
    before = page.locator(BUBBLES).count()
    asked = page.locator("#chat .message-row, #chat .message").count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('#chat .message-row, #chat .message').length > n", arg=asked, timeout=10_000
        )
    except PlaywrightTimeout:
        if box.input_value() != question:
            raise
        warnings.warn(f"Enter was not taken on the first press: {question!r}", stacklevel=2)
        box.press("Enter")
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('#chat .rag-answer, #chat .rag-refusal').length > n",
            arg=before,
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        chat = page.locator("#chat").inner_text()[-600:]
        note = page.locator("#ask-note").inner_text()
        pytest.fail(
            f"no answer to {question!r} in {timeout_ms} ms; chat ends {chat!r}; note {note!r}; "
            f"console errors {page.errors!r}"
        )
    return page.locator(BUBBLES).last


def test_answer_marker_opens_the_highlighted_passage(page):
    bubble = ask(page, "How much do Kazakh oil workers earn?")
    assert "300-500 dollars" in bubble.inner_text()
    marker = bubble.locator("a.cite", has_text="[1]")
    assert marker.count() == 1
    # what a screen reader says for the marker: its number and the document's title
    label = page.evaluate("e => e.textContent", marker.element_handle())
    assert label.startswith("[1] Source 1: Mukhtar Ablyazov"), label
    mark = page.locator("#mark-0-1")
    assert not mark.is_visible()  # the document view is folded until asked for
    marker.click()
    mark.wait_for(state="visible")
    assert "Our oil workers receive on average 300-500 dollars a month" in mark.inner_text()
    assert "active" in page.locator("#src-0-1").get_attribute("class")
    # scrolled into view: the mark lies inside the viewport
    box = mark.bounding_box()
    assert box and 0 <= box["y"] <= DESKTOP["height"]
    assert page.locator("#src-0-1 .rag-passage mark").inner_text().startswith("Our oil workers")
    # the document view has a heading (the title), the file, and a close control
    view = page.locator("#doc-0-1")
    assert "Mukhtar Ablyazov" in view.locator("h4").inner_text()
    assert "000_cfb20d02cbb68263.txt" in view.locator(".rag-docview-head").inner_text()
    page.screenshot(path=str(SHOTS / "answer-highlighted.png"))
    view.get_by_role("button", name="Close").click()
    assert view.is_hidden()
    assert page.errors == []


def test_markers_and_sources_work_from_the_keyboard(page):
    bubble = ask(page, "How much do Kazakh oil workers earn?")
    marker = bubble.locator("a.cite").first
    marker.focus()
    page.keyboard.press("Enter")
    page.locator("#mark-0-1").wait_for(state="visible")
    # focus moved to the source, which a screen reader announces by its label
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "src-0-1"
    assert page.locator("#src-0-1").get_attribute("aria-label").startswith("Source 1: ")
    page.keyboard.press("Tab")
    # the next stops are the panel's own controls
    assert page.evaluate("() => document.activeElement.closest('#sources') !== null")


def test_refusal_looks_different_and_cites_nothing(page):
    bubble = ask(page, "How do I bake sourdough bread?")
    assert "rag-refusal" in bubble.get_attribute("class")
    assert "The documents don't say" in bubble.inner_text()
    assert "Nearest passages" in bubble.inner_text() and bubble.locator("a.cite").count() == 0
    assert "nothing is cited" in page.locator("#sources").inner_text()
    # the bullets sit inside the box, not on its border
    box = bubble.bounding_box()
    bullet = bubble.locator("li").first.bounding_box()
    assert bullet["x"] - box["x"] >= 20
    page.screenshot(path=str(SHOTS / "refusal.png"))


def test_first_screen_says_what_is_loaded_and_an_example_answers_on_click(page):
    welcome = page.locator("#chat .rag-welcome")
    text = welcome.inner_text()
    assert "6 documents" in text and "Ask a question" in text
    assert "/" not in page.locator("#header").inner_text()  # the collection's name, not a path
    assert page.locator("#header h1").inner_text() == "Docs"
    welcome.locator("summary").click()
    assert "Mukhtar Ablyazov: Kazakhs Call Tokayev a Traitor to the Nation" in welcome.inner_text()
    page.screenshot(path=str(SHOTS / "first-screen.png"))
    assert page.locator("#chat").get_by_text("Chat", exact=True).count() == 0  # no label over the messages
    page.locator("#chat").get_by_text("How many troops will the CSTO send?").click()
    page.locator("#chat .rag-answer").wait_for()
    assert "3 thousand" in page.locator("#chat .rag-answer").inner_text()
    assert page.locator("#src-0-1").count() == 1
    page.screenshot(path=str(SHOTS / "example-answered.png"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_bad_questions_keep_the_text_and_say_why_plainly(browser, app_url, viewport):
    ctx, page = _open(browser, app_url, viewport)
    try:
        box = page.locator("#question textarea")
        long_question = ("How much do Kazakh oil workers earn? " * 90)[:3000]
        box.fill(long_question)
        box.press("Enter")
        note = page.locator("#ask-note [role=alert]")
        note.wait_for()
        said = note.inner_text()
        assert "3,000 characters" in said and "at most 2,000" in said and "Nothing was searched" in said
        assert box.input_value() == long_question
        assert page.locator("#chat .rag-answer, #chat .rag-refusal").count() == 0
        page.screenshot(path=str(SHOTS / f"too-long-{viewport['width']}.png"))
        box.fill("   ")
        box.press("Enter")
        page.wait_for_function("() => document.querySelector('#ask-note').innerText.includes('Type a question')")
        # a good question afterwards clears the note
        ask(page, "How many troops will the CSTO send?")
        assert page.locator("#ask-note [role=alert]").count() == 0
    finally:
        ctx.close()


def test_phone_reaches_the_sources_and_comes_back(phone):
    assert "6 documents loaded" in phone.locator("#chat .rag-welcome").inner_text()
    assert phone.locator("#chat .rag-welcome").bounding_box()["y"] >= 0  # the welcome's first line shows
    assert no_sideways_scroll(phone)
    phone.screenshot(path=str(SHOTS / "phone-first-screen.png"))
    bubble = ask(phone, "How much do Kazakh oil workers earn?")
    assert no_sideways_scroll(phone)
    marker = bubble.locator("a.cite").first
    assert not phone.locator("#sources").is_visible()  # the panel is a drawer, closed
    marker.click()
    mark = phone.locator("#mark-0-1")
    mark.wait_for(state="visible")
    box = mark.bounding_box()
    assert box and 0 <= box["y"] <= PHONE["height"]  # the quote is on screen, not 1,100 px down
    back = phone.get_by_role("button", name="Back to the answer")
    assert back.is_visible() and back.bounding_box()["y"] >= 0
    assert no_sideways_scroll(phone)
    phone.screenshot(path=str(SHOTS / "phone-sources.png"))
    back.click()
    assert not phone.locator("#sources").is_visible()
    marker_box = marker.bounding_box()
    assert marker_box and 0 <= marker_box["y"] <= PHONE["height"]  # back where the user was
    assert phone.evaluate("() => document.activeElement.classList.contains('cite')")
    phone.screenshot(path=str(SHOTS / "phone-back.png"))


def test_phone_documents_table_is_readable(phone):
    phone.get_by_role("tab", name="Documents").click()
    table = phone.locator("#docs-table")
    table.wait_for()
    first = table.locator("tbody tr").first
    assert re.search(r"just now|minutes? ago", first.locator("td[data-label='Last indexed']").inner_text())
    assert first.locator(".rag-file").bounding_box()["x"] + 10 < PHONE["width"]
    assert no_sideways_scroll(phone)
    assert phone.locator("#victim input").input_value() == ""  # nothing preselected
    phone.screenshot(path=str(SHOTS / "phone-documents.png"), full_page=True)


def test_follow_up_uses_the_chat_history_and_scores_can_be_hidden(page):
    ask(page, "Who is Mukhtar Ablyazov?")
    bubble = ask(page, "Where does he live now?")
    assert "Paris" in bubble.inner_text() or "living in France" in bubble.inner_text()  # both seeds say where
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


def test_upload_shows_progress_then_a_plain_status_and_delete_asks_first(page, tmp_path):
    new = tmp_path / "Aral Sea – notes ü.txt"
    new.write_text(NEW_DOC)
    page.get_by_role("tab", name="Documents").click()
    assert page.locator("#victim input").input_value() == ""  # nothing preselected
    # Record every state of the status line, and whether anything ever covered the table.
    page.evaluate(
        """() => { window.__seen = []; window.__covered = false;
        new MutationObserver(() => {
          window.__seen.push(document.querySelector('#doc-status').innerText);
          const over = [...document.querySelectorAll('#docs-table .wrap')].filter(
            w => getComputedStyle(w).opacity !== '0' && w.getBoundingClientRect().height > 0);
          if (over.length) window.__covered = true;
        }).observe(document.querySelector('#doc-status'), {subtree: true, childList: true, characterData: true}); }"""
    )
    page.locator("#upload input[type=file]").set_input_files(str(new))
    status = page.locator("#doc-status")
    status.get_by_text("Added").wait_for(timeout=60_000)
    seen = page.evaluate("() => window.__seen")
    assert any("Checking file 1 of 1: Aral Sea" in t for t in seen), seen
    assert any("Embedding passages and sentences" in t for t in seen), seen
    assert page.evaluate("() => window.__covered") is False
    assert re.fullmatch(r"Added ‘Notes on the Aral Sea’: \d+ passages?\.", status.inner_text().strip())
    table = page.locator("#docs-table").inner_text()
    assert "Notes on the Aral Sea" in table and "Aral Sea – notes ü.txt" in table and "just now" in table
    assert "T" not in page.locator("#docs-table td[data-label='Last indexed']").first.inner_text()  # not ISO
    assert page.locator("#upload").get_by_text("Aral Sea – notes ü.txt").count() == 0  # the drop zone is clear
    page.screenshot(path=str(SHOTS / "upload-status.png"))

    # The same name again: asked first, like a delete; Cancel keeps the file as it was.
    new.write_text(NEW_DOC + "The northern sea's fish catch recovered to 8,000 tonnes a year.\n")
    page.locator("#upload input[type=file]").set_input_files(str(new))
    question = page.locator("#replace-text")
    question.get_by_text("Replace ‘Notes on the Aral Sea’ (Aral Sea – notes ü.txt)?").wait_for(timeout=30_000)
    assert "cannot be undone" in question.inner_text()
    page.locator("#cancel-replace").click()
    status.get_by_text("Nothing was uploaded").wait_for()
    assert "8,000 tonnes" not in (SERVED["docs"] / "Aral Sea – notes ü.txt").read_text()
    page.locator("#upload input[type=file]").set_input_files(str(new))
    question.get_by_text("Replace ‘Notes on the Aral Sea’").wait_for(timeout=30_000)
    page.locator("#confirm-replace").click()
    status.get_by_text("Replaced ‘Notes on the Aral Sea’").wait_for(timeout=60_000)
    assert "with the uploaded file" in status.inner_text()
    assert "8,000 tonnes" in (SERVED["docs"] / "Aral Sea – notes ü.txt").read_text()

    page.get_by_role("tab", name="Chat").click()
    assert "7 documents loaded" in page.locator("#chat .rag-welcome").inner_text()  # the welcome follows
    bubble = ask(page, "When was the Kokaral dam finished?")
    assert "2005" in bubble.inner_text()
    assert "Aral Sea – notes ü.txt" in page.locator("#src-0-1").inner_text()

    page.get_by_role("tab", name="Documents").click()
    # Delete with nothing chosen: nothing happens but a hint.
    page.locator("#delete").click()
    status.get_by_text("Choose a document").wait_for()
    page.locator("#victim input").click()
    page.locator("#victim ul li", has_text="Notes on the Aral Sea (Aral Sea – notes ü.txt)").click()
    page.locator("#delete").click()
    confirm = page.locator("#confirm-text")
    confirm.get_by_text("Delete ‘Notes on the Aral Sea’").wait_for()
    assert "cannot be undone" in confirm.inner_text()
    page.locator("#cancel-delete").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "delete-confirm.png"))
    page.locator("#cancel-delete").click()
    status.get_by_text("Nothing was deleted").wait_for()
    assert "Notes on the Aral Sea" in page.locator("#docs-table").inner_text()
    page.locator("#delete").click()
    page.locator("#confirm-delete").click()
    status.get_by_text("Removed ‘Notes on the Aral Sea’").wait_for(timeout=60_000)
    assert "Aral Sea" not in page.locator("#docs-table").inner_text()
    assert page.locator("#victim input").input_value() == ""
    page.screenshot(path=str(SHOTS / "delete-done.png"))

    page.get_by_role("tab", name="Chat").click()
    # the earlier citation says its document was removed
    assert "was removed from the documents" in page.locator("#src-0-1").inner_text()
    page.screenshot(path=str(SHOTS / "removed-citation.png"))
    after = ask(page, "When was the Kokaral dam finished?")
    assert "The documents don't say" in after.inner_text() and after.locator("a.cite").count() == 0


def test_conversation_exports_as_markdown_with_citations(page):
    ask(page, "How much do Kazakh oil workers earn?")
    with page.expect_download() as got:
        page.locator("#export").click()
    text = Path(got.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Questions to Docs")
    assert "## 1. How much do Kazakh oil workers earn?" in text
    assert "000_cfb20d02cbb68263.txt, characters 3,374–3,520" in text
    assert "> Our oil workers receive on average 300-500 dollars a month" in text
