"""A watched documents folder (rag/watch.py): change notices become named-path updates.

`classify` is table-driven; the rest runs the real watch (watchfiles on the real file system),
the real model and a real Chroma store (embedded, and a real `chroma run`)."""

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

import rag
from rag.config import server_options
from rag.watch import RESCAN, classify

DOCS = Path("/d/docs")
INDEXED = {"notes/a.md", "b.txt"}


def _is_dir(path: str) -> bool:
    return path in {"/d/docs/new-folder", "/d/docs/notes", "/d/docs/odd.md"}


def _indexed_under(source: str) -> bool:
    return any(s.startswith(source + "/") for s in INDEXED)


@pytest.mark.parametrize(
    "paths, index_dir, expected",
    [
        (["/d/docs/b.txt"], None, ["b.txt"]),  # an edit
        (["/d/docs/c.md", "/d/docs/b.txt", "/d/docs/c.md"], None, ["b.txt", "c.md"]),  # a batch, each once
        (["/d/docs/notes/a.md"], None, ["notes/a.md"]),  # in a subfolder
        (["/d/docs/Report.PDF"], None, ["Report.PDF"]),  # suffixes in any case, as a walk reads them
        (["/d/docs/gone.txt"], None, ["gone.txt"]),  # deleted (build_index tells added from deleted)
        (["/d/docs/.b.txt.swp", "/d/docs/b.txt~", "/d/docs/4913"], None, []),  # an editor's save litter
        (["/d/docs/.git/index", "/d/docs/.hidden/x.md"], None, []),  # hidden, as a walk skips them
        (["/d/docs/photo.jpg", "/d/docs/data.xlsx"], None, []),  # not indexed by any walk either
        (["/d/docs/new-folder"], None, RESCAN),  # a folder made or moved in
        (["/d/docs/odd.md"], None, RESCAN),  # a folder, whatever its name looks like
        (["/d/docs/notes-old"], None, []),  # gone, and nothing indexed below it: a stray file
        (["/d/docs/notes", "/d/docs/b.txt"], None, RESCAN),  # (an existing folder's own notice)
        (["/d/docs/index/gen-1/manifest.json", "/d/docs/b.txt"], Path("/d/docs/index"), ["b.txt"]),  # own writes
        (["/d/elsewhere.txt", "/d/docs"], None, []),  # the folder itself, and outside it
    ],
)
def test_classify_names_files_or_asks_for_a_rescan(paths, index_dir, expected):
    assert classify(paths, DOCS, index_dir, _is_dir, _indexed_under) == expected


def test_a_deleted_folder_with_indexed_files_asks_for_a_rescan():
    assert classify(["/d/docs/notes"], DOCS, None, lambda p: False, _indexed_under) is RESCAN


@pytest.mark.parametrize(
    "value, watch", [(None, True), ("1", True), ("0", False), ("no", False), (" OFF ", False), ("yes", True)]
)
def test_the_page_follows_its_folder_unless_told_not_to(monkeypatch, value, watch):
    if value is None:
        monkeypatch.delenv("RAG_WATCH", raising=False)
    else:
        monkeypatch.setenv("RAG_WATCH", value)
    assert server_options()["watch"] is watch


FACT = "The lighthouse keeper Ivar Lund counted 4,512 ships in 1911.\n"
QUESTION = "How many ships did Ivar Lund count?"


def _small_docs(root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir()
    (docs / "bakery.txt").write_text("The bakery on Quay Street opens at 6:30 every weekday.\n")
    (docs / "ferry.md").write_text("# Ferry\n\nThe island ferry leaves the harbour every 40 minutes.\n")
    return docs


class Watching:
    """Engine.watch in a thread; `next()` is the next update's (report, sources)."""

    def __init__(self, engine: rag.Engine):
        self.updates: queue.Queue = queue.Queue()
        self.stop, self.ready = threading.Event(), threading.Event()
        self.thread = threading.Thread(
            target=engine.watch, args=(self.stop, lambda r, s: self.updates.put((r, s)), self.ready), daemon=True
        )

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(300), "the watch never became ready"
        self.updates.get(timeout=60)  # the catch-up rescan (nothing changed since the Engine's own)
        return self

    def next(self):
        return self.updates.get(timeout=300)

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the watch did not stop when asked"


def test_a_watched_folder_answers_from_a_file_saved_in_it(tmp_path, store_url):
    docs = _small_docs(tmp_path)
    engine = rag.Engine(rag.Settings(docs=docs, index=tmp_path / "index", chroma_url=store_url))
    assert not engine.ask(QUESTION).answered
    with Watching(engine) as watching:
        (docs / "light.txt").write_text(FACT)
        report, sources = watching.next()
        assert sources == ["light.txt"] and report.added == ["light.txt"] and not report.rebuilt
        answer = engine.ask(QUESTION)  # the engine answers from the new generation at once
        assert answer.answered and "4,512" in answer.answer
        assert answer.citations[0].source == "light.txt"

        (docs / "light.txt").write_text(FACT.replace("4,512", "3,977"))  # an edit
        report, sources = watching.next()
        assert sources == ["light.txt"] and report.changed == ["light.txt"]
        assert "3,977" in engine.ask(QUESTION).answer

        (docs / "sub").mkdir()  # a folder with a file in it: only a walk can say what it holds
        (docs / "sub" / "note.md").write_text("The museum's night tours start at 21:00 on Fridays.\n")
        while "sub/note.md" not in (report := watching.next()[0]).added:
            pass  # (the folder's notice and its file's may come in one batch or two)
        assert "21:00" in engine.ask("When do the museum's night tours start?").answer

        (tmp_path / "shared").mkdir()  # a link to a folder outside: a rescan names it, as a walk does
        (docs / "shared").symlink_to(tmp_path / "shared")
        while not any(s["source"] == "shared" for s in watching.next()[0].skipped):
            pass

        (docs / "light.txt").unlink()
        report, sources = watching.next()
        assert sources == ["light.txt"] and report.deleted == ["light.txt"]
        assert not engine.ask(QUESTION).answered
        listed = {d["source"]: d["skipped"] for d in engine.documents()}
        assert {s for s, why in listed.items() if not why} == {"bakery.txt", "ferry.md", "sub/note.md"}
        assert listed["shared"].startswith("symlink to a folder outside the documents folder"), listed


class _SlowWhenAsked:
    """The real embedder; while `slow` is set each call first waits 3 s (a long update in progress)."""

    def __init__(self):
        from rag.embed import default_embedder

        self.inner = default_embedder()
        self.name = self.inner.name
        self.slow = threading.Event()
        self.started = threading.Event()

    def embed(self, texts):
        if self.slow.is_set():
            self.started.set()
            time.sleep(3)
        return self.inner.embed(texts)


def test_uploads_and_the_watch_of_the_same_folder_take_turns(tmp_path):
    docs = _small_docs(tmp_path)
    embedder = _SlowWhenAsked()
    engine = rag.Engine(rag.Settings(docs=docs, index=tmp_path / "index"), embedder=embedder)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for i in range(3):
        (uploads / f"upload{i}.txt").write_text(f"Upload number {i} says the tide table changed on day {i + 3}.\n")
    with Watching(engine) as watching:  # the page's uploads write into the folder it watches
        embedder.slow.set()
        (docs / "saved.txt").write_text(FACT)  # another program saves a file: the watch starts indexing it
        assert embedder.started.wait(120), "the watch never started indexing the saved file"
        # ... and an upload arrives while that update holds the index: it waits its turn, never IndexBusy
        report = engine.add_documents(sorted(uploads.iterdir()))
        assert report.added == ["upload0.txt", "upload1.txt", "upload2.txt"]
        assert watching.next()[0].added == ["saved.txt"]
    assert len(engine.documents()) == 6


@pytest.mark.parametrize("change_first", [True, False], ids=["after-an-update", "while-warming-up"])
def test_ingest_watch_prints_a_report_per_change_and_stops_on_ctrl_c(tmp_path, change_first):
    # Ctrl+C must end the watch with exit 0 wherever it lands: in the Rust wait, or in Python
    # (the model's warm-up right after the first report, an update). A KeyboardInterrupt raised
    # mid-Python once made this exit 130 on a fast CI machine.
    docs = _small_docs(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rag.ingest",
            "--docs",
            str(docs),
            "--index",
            str(tmp_path / "index"),
            "--watch",
            "--json",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "stderr.txt").open("w"),  # a file, not a pipe nobody reads (a first ONNX export fills one)
        text=True,
    )
    try:
        first = json.loads(proc.stdout.readline())  # the first build, then the watch is in place
        assert first["added"] == ["bakery.txt", "ferry.md"] and first["first_build"]
        if change_first:
            (docs / "light.txt").write_text(FACT)
            update = json.loads(proc.stdout.readline())
            assert update["added"] == ["light.txt"] and update["unchanged"] == [] and "1 added" in update["summary"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=180) == 0
        err = (tmp_path / "stderr.txt").read_text()
        assert f"watching {docs} for changes (Ctrl+C stops)" in err and "Traceback" not in err
    finally:
        proc.kill()
        proc.wait()


def test_ingest_watch_takes_no_paths(tmp_path):
    from conftest import run_cli

    out = run_cli("rag.ingest", "--docs", str(_small_docs(tmp_path)), "--watch", "bakery.txt")
    assert out.returncode == 2 and "--watch follows the whole folder: name no PATH with it" in out.stderr


def test_the_page_follows_its_documents_folder(tmp_path):
    from app import watch_folder

    docs = _small_docs(tmp_path)
    engine = rag.Engine(rag.Settings(docs=docs, index=tmp_path / "index"))
    watcher = watch_folder(engine)  # what `python app.py` starts unless --no-watch / RAG_WATCH=0
    assert watcher.daemon and watcher.is_alive()
    (docs / "light.txt").write_text(FACT)
    deadline = time.monotonic() + 300
    while "light.txt" not in {d["source"] for d in engine.documents()}:
        assert time.monotonic() < deadline, "the page's watch never indexed the new file"
        time.sleep(0.2)
    answer = engine.ask(QUESTION)  # (a moment later the engine has reopened on the new generation)
    while not answer.answered and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = engine.ask(QUESTION)
    assert "4,512" in answer.answer and answer.citations[0].source == "light.txt"
