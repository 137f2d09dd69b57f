"""The chat page: `python app.py` serves it on http://127.0.0.1:7860 (offline, no share link).

Chat tab: the empty chat says what is loaded (the collection's name, N documents, their
titles) and offers examples that answer on click; answers carry clickable [n] markers; the
sources panel shows each cited passage with the quote highlighted and opens the whole
document scrolled to it (on a phone the panel is a drawer with "Back to the answer"). A
question that can't be asked (empty, too long, index busy) stays in the box with the reason
under the chat. A conversation exports as Markdown with its citations. Documents tab: what
is indexed (titles, files, passages, when), upload with a progress line per file and batch
(after a confirmation when it would overwrite a file of the same name), delete after a
confirmation naming the document. A named API endpoint `ask` returns the same
JSON object as `python -m rag.ask --json`.

Building the page (`build_app`) is separate from serving it (`serve`), so tests build and
serve it on a free port. The engine (model, index) loads before the server starts, so the
first question does not pay for it. All formatting lives in rag/ui.py (tested without a
browser), document management in Engine.documents/add_documents/remove_document; what is
here is wiring. The only script on the page is the click handler below, and it reads
element ids, never document text.
"""

from __future__ import annotations

import argparse
import logging
import queue
import tempfile
import threading
import time
import uuid
from pathlib import Path

import rag  # sets the offline environment first
from rag import ui
from rag.cli import add_common_args, add_llm_arg, settings_from_args, setup_logging
from rag.config import server_options
from rag.documents import SUFFIXES
from rag.errors import BadInput, IndexBusy, RagError

log = logging.getLogger("rag")

EXAMPLES = [
    "How much do Kazakh oil workers earn?",
    "Where does Mukhtar Ablyazov live now?",
    "How many troops will the CSTO send?",
    "When did Nazarbayev hand over the presidency to Tokayev?",
    "What is the currency of Kazakhstan?",  # the seeds don't say: shows a refusal
]

CSS = """
.rag-answer a.cite { font-weight: 600; text-decoration: none; color: #2563eb; cursor: pointer; padding: 0 1px; }
.rag-answer a.cite:focus-visible, .rag-src a:focus-visible, .rag-src button:focus-visible, .rag-back:focus-visible
  { outline: 2px solid #2563eb; outline-offset: 2px; }
.rag-refusal { border-left: 4px solid #d97706; background: rgba(217, 119, 6, .08); padding: .5em .9em .5em 1em; }
.rag-refusal ul, .rag-dropped ul, .rag-welcome ul { padding-left: 1.4em; margin: .3em 0; }
.rag-near { font-size: .9em; margin-top: .4em; opacity: .85; }
.rag-src { border: 1px solid rgba(128, 128, 128, .35); border-radius: 6px; padding: .5em .7em; margin: .5em 0; }
.rag-src.active { border-color: #2563eb; box-shadow: 0 0 0 2px rgba(37, 99, 235, .3); }
.rag-src code, .rag-file { overflow-wrap: anywhere; }
.rag-passage { margin: .4em 0; font-size: .92em; }
.rag-docview { margin-top: .5em; border-top: 1px solid rgba(128, 128, 128, .35); padding-top: .4em; }
.rag-docview-head { display: flex; gap: .6em; align-items: baseline; flex-wrap: wrap; }
.rag-docview-head h4 { margin: 0; font-size: 1em; flex: 1 1 12em; }
.rag-docview-head button, .rag-back { border: 1px solid rgba(128, 128, 128, .5); border-radius: 6px;
  padding: .15em .7em; background: transparent; cursor: pointer; font: inherit; }
.rag-doc { white-space: pre-wrap; max-height: 380px; overflow: auto; font-family: inherit; font-size: .88em; }
.rag-meta, .rag-note { font-size: .85em; opacity: .75; }
#sources mark, .rag-passage mark { background: #fde68a; color: #111; }
.rag-dropped { font-size: .88em; margin-top: .5em; color: #b91c1c; }
.rag-pending { opacity: .8; }
.rag-alert { color: #b91c1c; font-size: .95em; padding: .2em 0; }
.rag-welcome { text-align: left; max-width: 44em; margin: 0 auto; padding: 0 1em; }
.rag-welcome summary { cursor: pointer; }
#chat .placeholder { justify-content: flex-start; align-items: stretch; height: auto; padding-top: .8em; }
#chat .placeholder-content { height: auto; }
.rag-progress { display: flex; gap: .6em; align-items: center; flex-wrap: wrap; }
.rag-progress progress { width: 12em; max-width: 100%; }
.rag-docs { width: 100%; border-collapse: collapse; border: 0 !important; }
#docs-table table, #docs-table tr, #docs-table th, #docs-table td
  { border-left: 0 !important; border-right: 0 !important; border-top: 0 !important; }
.rag-docs caption { text-align: left; font-size: .9em; opacity: .75; padding-bottom: .3em; }
.rag-docs th, .rag-docs td { text-align: left; padding: .35em .6em; vertical-align: top; border: 0 !important;
  border-bottom: 1px solid rgba(128, 128, 128, .25) !important; }
.rag-doc-title { font-weight: 600; }
.rag-back { display: none; }
.rag-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.rag-confirm { border-left: 4px solid #b91c1c; background: rgba(185, 28, 28, .07); padding: .5em .8em; }
@media (max-width: 760px) {
  /* The sources panel becomes a drawer over the chat, opened by a [n] marker, closed by "Back". */
  #sources-col { display: none !important; }
  #sources-col.rag-open { display: block !important; position: fixed; inset: 0; z-index: 1000;
    overflow-y: auto; padding: 0 12px 12px; background: var(--body-background-fill, #fff); min-width: 0 !important; }
  .rag-back { display: block; width: 100%; text-align: left; position: sticky; top: 0; z-index: 1; font-weight: 600;
    padding: .7em .8em; margin-bottom: .4em; border-radius: 0 0 8px 8px; background: var(--body-background-fill, #fff);
    box-shadow: 0 2px 6px rgba(0, 0, 0, .15); }
  #chat .examples { gap: .4em; }
  #chat .examples button.example { padding: .45em .7em; min-height: 0; }
  .rag-docs thead { display: none; }
  .rag-docs, .rag-docs caption, .rag-docs tbody, .rag-docs tr, .rag-docs td { display: block; width: auto; }
  .rag-docs tr { border-bottom: 1px solid rgba(128, 128, 128, .35); padding: .4em 0; }
  .rag-docs td { border: 0 !important; padding: .1em 0; }
  .rag-docs td[data-label="Passages"]::before, .rag-docs td[data-label="Last indexed"]::before
    { content: attr(data-label) ": "; opacity: .7; }
}
"""

# Clicking [n] (in the chat) or "Show in document" (in the panel) opens that citation's
# document view and scrolls its <mark> into view; on a phone the panel is a drawer, and
# "Back to the answer" closes it and returns focus to the marker. Ids come from rag/ui.py:
# src-/doc-/mark-<turn>-<n>. Links and buttons, so Enter and Space work from the keyboard.
HEAD = """<script>
let ragOpener = null;
const ragPhone = () => window.matchMedia('(max-width: 760px)').matches;
function ragShow(turn, n, opener) {
  const src = document.getElementById(`src-${turn}-${n}`);
  if (!src) return;
  if (opener && opener.closest('#chat')) ragOpener = opener;
  const col = document.getElementById('sources-col');
  if (ragPhone() && col) col.classList.add('rag-open');
  const fold = src.closest('details'); if (fold) fold.open = true;
  document.querySelectorAll('.rag-src.active').forEach(e => e.classList.remove('active'));
  src.classList.add('active');
  const view = document.getElementById(`doc-${turn}-${n}`); if (view) view.hidden = false;
  src.focus({preventScroll: true});
  const mark = document.getElementById(`mark-${turn}-${n}`);
  (mark || src).scrollIntoView({block: 'center'});
}
function ragBack() {
  const col = document.getElementById('sources-col'); if (col) col.classList.remove('rag-open');
  if (ragOpener && document.contains(ragOpener)) {
    ragOpener.focus({preventScroll: true});
    ragOpener.scrollIntoView({block: 'center'});
  }
}
document.addEventListener('click', (ev) => {
  const t = ev.target.closest ? ev.target : null;
  if (!t) return;
  if (t.closest('.rag-back')) { ev.preventDefault(); ragBack(); return; }
  const close = t.closest('button.close-doc');
  if (close) {
    const view = document.getElementById(`doc-${close.dataset.turn}-${close.dataset.n}`);
    if (view) view.hidden = true;
    const src = document.getElementById(`src-${close.dataset.turn}-${close.dataset.n}`);
    if (src) src.focus();
    return;
  }
  const a = t.closest('a.cite, a.open-doc');
  if (!a) return;
  const m = (a.getAttribute('href') || '').match(/^#(?:src|doc)-(\\d+)-(\\d+)$/);
  if (!m) return;
  ev.preventDefault(); ev.stopPropagation();
  ragShow(m[1], m[2], a);
}, true);
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && document.querySelector('#sources-col.rag-open')) ragBack();
});
</script>"""


def usable_examples(engine: rag.Engine, examples: list[str] = EXAMPLES) -> list[str]:
    """The examples whose names (capitalised words past the first) the index has seen: the
    seeds' questions show for the seeds, not for a folder about something else."""
    from rag.text import terms

    known = engine.retriever.df.__contains__ if engine.retriever else (lambda t: False)
    out = []
    for q in examples:
        names = [w for w in q.rstrip("?").split()[1:] if w[:1].isupper()]
        if all(all(known(t) for t in terms(w)) for w in names):
            out.append(q)
    return out


def build_app(engine: rag.Engine):
    import gradio as gr

    collection = ui.collection_name(engine.settings.docs)
    examples = usable_examples(engine)
    export_dir = Path(tempfile.mkdtemp(prefix="rag-export-"))

    def read(source: str) -> str:
        return engine.document_text(source)

    def welcome():
        return ui.welcome_html(collection, engine.documents(), examples)

    def export_file(turns):
        if not turns:
            return gr.update(value=None, visible=False)
        folder = export_dir / uuid.uuid4().hex
        folder.mkdir()
        path = folder / f"conversation-{time.strftime('%Y%m%d-%H%M%S')}.md"
        path.write_text(ui.conversation_markdown(turns, collection), encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def respond(message, chat, questions, turns, k, show_scores):
        chat, questions, turns = list(chat or []), list(questions or []), list(turns or [])
        problem = ui.question_problem(message)
        if problem:  # nothing asked: the text stays in the box, the reason under it
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), ui.alert_html(problem), gr.skip()
            return
        chat.append({"role": "user", "content": ui.question_html(message)})
        chat.append({"role": "assistant", "content": '<div class="rag-pending">Searching the documents…</div>'})
        yield gr.skip(), chat, gr.skip(), gr.skip(), gr.skip(), "", gr.skip()
        try:
            if engine.llm is None:
                ans = engine.ask(message, questions, k=int(k))
            else:  # stream the model's tokens, then show what the grounding guard kept
                for partial, ans in _streamed(engine, message, questions, int(k)):
                    if ans is None:
                        chat[-1] = {"role": "assistant", "content": ui.streaming_html(partial)}
                        yield gr.skip(), chat, gr.skip(), gr.skip(), gr.skip(), "", gr.skip()
        except RagError as exc:  # the question goes back to the box, unanswered
            yield message, chat[:-2], gr.skip(), gr.skip(), gr.skip(), ui.alert_html(ui.error_text(exc)), gr.skip()
            return
        questions.append(ans.question)
        turns.append(ans)
        chat[-1] = {"role": "assistant", "content": ui.message_html(ans, len(turns) - 1)}
        yield "", chat, questions, turns, ui.sources_html(turns, read, show_scores), "", export_file(turns)

    def respond_example(evt, chat, questions, turns, k, show_scores):
        yield from respond(evt.value.get("text", ""), chat, questions, turns, k, show_scores)

    respond_example.__annotations__["evt"] = gr.SelectData  # how gradio passes the clicked example

    def rerender(turns, show_scores):
        return ui.sources_html(list(turns or []), read, show_scores)

    def listing():
        """(table, delete list with nothing chosen, the welcome) as they are now."""
        docs = engine.documents()
        return (
            ui.documents_html(docs),
            gr.update(choices=ui.document_choices(docs), value=None),
            gr.update(placeholder=ui.welcome_html(collection, docs, examples)),
        )

    def add_documents(files):
        """Generator: a progress line per file and per embedded batch, then the plain status."""
        if not files:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        names = _upload_names(files)
        events: queue.Queue = queue.Queue()
        result: dict = {}

        def work() -> None:
            try:
                result["report"] = engine.add_documents(files, progress=lambda f, m: events.put((f, m)))
            except BaseException as exc:  # handed to the page below
                result["error"] = exc
            finally:
                events.put(None)

        threading.Thread(target=work, daemon=True).start()
        yield ui.progress_html(0, f"Uploading {len(names)} file{'s' if len(names) != 1 else ''}"), *[gr.skip()] * 4
        while (event := events.get()) is not None:
            yield ui.progress_html(*event), *[gr.skip()] * 4
        if "error" in result:
            exc = result["error"]
            if not isinstance(exc, Exception):
                raise exc  # KeyboardInterrupt, SystemExit: not the page's to explain
            status = ui.alert_html(ui.upload_error(exc))
        else:
            status = ui.upload_status(result["report"], names, engine.documents())
        yield status, *listing(), None

    def ask_replace(files):
        """Before an upload overwrites a file of the same name, ask (as a delete does); returns
        (status, confirm box, its question, whether the upload may go ahead unasked)."""
        if not files:
            return gr.skip(), gr.update(visible=False), "", False
        question = ui.replace_question(
            _upload_names(files), engine.documents(), lambda source: (engine.settings.docs / source).exists()
        )
        if not question:
            return "", gr.update(visible=False), "", True
        return "", gr.update(visible=True), f'<div class="rag-confirm" role="alert">{ui.esc(question)}</div>', False

    def add_unless_asked(files, go_ahead):
        if not go_ahead:  # the confirm box asks first
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        yield from add_documents(files)

    def ask_delete(source):
        docs = {d["source"]: d for d in engine.documents()}
        if not source or source not in docs:
            return ui.alert_html("Choose a document in the list first."), gr.update(visible=False), ""
        question = ui.esc(ui.confirm_text(docs[source]))
        return "", gr.update(visible=True), f'<div class="rag-confirm" role="alert">{question}</div>'

    def delete_document(source, turns, show_scores):
        doc = next((d for d in engine.documents() if d["source"] == source), None)
        hide = gr.update(visible=False)
        if doc is None:
            return ui.alert_html("That document is no longer indexed."), hide, *listing(), gr.skip()
        try:
            engine.remove_document(source)
            status = f"<p>{ui.esc(ui.removed_status(doc))}</p>"
        except IndexBusy:
            status = ui.alert_html(
                "The file was deleted, but another indexing run holds the index; it leaves the index with the next "
                "update."
            )
        except RagError as exc:
            status = ui.alert_html(f"Nothing was deleted: {ui.error_text(exc)}")
        return status, hide, *listing(), ui.sources_html(list(turns or []), read, show_scores)

    def ask(question: str, history: list[str] | None = None, k: int | None = None) -> dict:
        """Answer a question from the documents: the same JSON object as `python -m rag.ask --json`.

        history: the previous user questions, oldest first (for follow-ups). On unusable
        input the object is {"error": message}.
        """
        try:
            return engine.ask(question, list(history or []), k=k).to_dict()
        except RagError as exc:
            return {"error": str(exc)}

    docs_now = engine.documents()
    with gr.Blocks(title=f"{collection}: grounded Q&A") as demo:
        gr.HTML(
            f'<header class="rag-header"><h1 style="margin:0;font-size:1.5em">{ui.esc(collection)}</h1>'
            '<p class="rag-meta" style="margin:.2em 0 0">Grounded answers: every sentence quotes the documents '
            "and cites its source; when they don't say, it says so.</p></header>",
            elem_id="header",
        )
        questions = gr.State([])
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3, min_width=300):
                        chatbot = gr.Chatbot(
                            elem_id="chat",
                            height=520,
                            render_markdown=False,
                            label="Conversation",
                            show_label=False,
                            buttons=["copy", "copy_all"],
                            placeholder=ui.welcome_html(collection, docs_now, examples),
                            examples=[{"text": q} for q in examples] or None,
                        )
                        note = gr.HTML("", elem_id="ask-note")
                        box = gr.Textbox(
                            placeholder="Ask about the documents…",
                            label="Your question",
                            show_label=False,
                            elem_id="question",
                            submit_btn=True,
                        )
                        with gr.Row():
                            clear = gr.Button("New conversation", size="sm", elem_id="clear")
                            export = gr.DownloadButton(
                                "Export conversation (Markdown)", visible=False, size="sm", elem_id="export"
                            )
                    with gr.Column(scale=2, min_width=300, elem_id="sources-col"):
                        sources = gr.HTML(ui.sources_html([], read), elem_id="sources", label="Sources")
                with gr.Accordion("Settings", open=False):
                    k = gr.Slider(1, 20, value=engine.settings.k, step=1, label="Passages retrieved (k)")
                    show_scores = gr.Checkbox(value=True, label="Show scores")
            with gr.Tab("Documents", id="documents"):
                docs_table = gr.HTML(ui.documents_html(docs_now), elem_id="docs-table")
                upload = gr.File(
                    label=f"Add documents ({', '.join(SUFFIXES)})",
                    file_count="multiple",
                    file_types=list(SUFFIXES),
                    elem_id="upload",
                )
                doc_status = gr.HTML("", elem_id="doc-status")
                go_ahead = gr.State(False)
                with gr.Group(visible=False, elem_id="replace-box") as replace_box:
                    replace_text = gr.HTML("", elem_id="replace-text")
                    with gr.Row():
                        replace = gr.Button("Yes, replace", variant="stop", elem_id="confirm-replace")
                        keep = gr.Button("Cancel", elem_id="cancel-replace")
                gr.Markdown("#### Delete a document")
                with gr.Row():
                    victim = gr.Dropdown(
                        choices=ui.document_choices(docs_now),
                        value=None,
                        label="Document to delete",
                        elem_id="victim",
                        scale=3,
                    )
                    delete = gr.Button("Delete…", variant="stop", elem_id="delete", scale=1)
                with gr.Group(visible=False, elem_id="confirm-box") as confirm_box:
                    confirm_text = gr.HTML("", elem_id="confirm-text")
                    with gr.Row():
                        confirm = gr.Button("Yes, delete it", variant="stop", elem_id="confirm-delete")
                        cancel = gr.Button("Cancel", elem_id="cancel-delete")

        asked = [chatbot, questions, turns, k, show_scores]
        answered = [box, chatbot, questions, turns, sources, note, export]
        box.submit(respond, [box, *asked], answered, api_visibility="private", show_progress="hidden")
        chatbot.example_select(respond_example, asked, answered, api_visibility="private", show_progress="hidden")
        show_scores.change(rerender, [turns, show_scores], [sources], api_visibility="private")
        clear.click(
            lambda: ([], [], [], ui.sources_html([], read), "", gr.update(value=None, visible=False)),
            None,
            [chatbot, questions, turns, sources, note, export],
            api_visibility="private",
        )
        uploaded = [doc_status, docs_table, victim, chatbot, upload]
        upload.upload(
            ask_replace,
            [upload],
            [doc_status, replace_box, replace_text, go_ahead],
            api_visibility="private",
            show_progress="hidden",
        ).then(
            add_unless_asked,
            [upload, go_ahead],
            uploaded,
            api_visibility="private",
            show_progress="hidden",
            concurrency_id="edit",
        )
        replace.click(lambda: gr.update(visible=False), None, [replace_box], api_visibility="private").then(
            add_documents, [upload], uploaded, api_visibility="private", show_progress="hidden", concurrency_id="edit"
        )
        keep.click(
            lambda: ("<p>Nothing was uploaded; the documents are unchanged.</p>", gr.update(visible=False), None),
            None,
            [doc_status, replace_box, upload],
            api_visibility="private",
        )
        delete.click(ask_delete, [victim], [doc_status, confirm_box, confirm_text], api_visibility="private")
        victim.change(lambda: gr.update(visible=False), None, [confirm_box], api_visibility="private")
        cancel.click(
            lambda: ("<p>Nothing was deleted.</p>", gr.update(visible=False)),
            None,
            [doc_status, confirm_box],
            api_visibility="private",
        )
        confirm.click(
            delete_document,
            [victim, turns, show_scores],
            [doc_status, confirm_box, docs_table, victim, chatbot, sources],
            api_visibility="private",
            concurrency_id="edit",
        )
        demo.load(listing, None, [docs_table, victim, chatbot], api_visibility="private", show_progress="hidden")
        gr.api(ask, api_name="ask", concurrency_limit=8)
    return demo


def _streamed(engine, question: str, history: list[str], k: int):
    """(text so far, None) while the model writes, then ("", Answer) once it is checked."""
    tokens: queue.Queue = queue.Queue()
    result: dict = {}

    def work() -> None:
        try:
            result["answer"] = engine.ask(question, history, k=k, on_token=tokens.put)
        except BaseException as exc:  # handed to the caller's thread below
            result["error"] = exc
        finally:
            tokens.put(None)

    threading.Thread(target=work, daemon=True).start()
    text = ""
    while (piece := tokens.get()) is not None:
        text += piece
        yield text, None
    if "error" in result:
        raise result["error"]
    yield "", result["answer"]


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise BadInput("--auth / RAG_AUTH must look like user:password")
    return user, password


def serve(demo, host: str = "127.0.0.1", port: int = 7860, auth=None, block: bool = True):
    """Launch a built page; never with a share link."""
    return demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth,
        css=CSS,
        head=HEAD,
        prevent_thread_lock=not block,
        footer_links=["api"],
        quiet=True,
    )


def watch_folder(engine: rag.Engine) -> threading.Thread:
    """Follow the documents folder in a daemon thread while the page serves: a file saved,
    added or deleted there is answerable from a moment later (Engine.watch). A folder that
    can't be watched is said once in the log; the page goes on answering from the index."""

    def said(report, sources) -> None:
        if report.changed_anything:
            log.info("%s", report.summary())

    def run() -> None:
        try:
            engine.watch(on_update=said)
        except RagError as exc:
            log.warning("not following %s for changes: %s", engine.settings.docs, exc)

    watcher = threading.Thread(target=run, name="docs-watcher", daemon=True)
    watcher.start()
    return watcher


def _upload_names(files) -> list[str]:
    """The uploaded files' names as the user had them (Gradio hands paths or file objects)."""
    return [Path(f if isinstance(f, str) else f.name).name for f in files]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the chat page.")
    defaults = server_options()  # RAG_HOST, RAG_PORT, RAG_AUTH: read in rag/config.py only
    parser.add_argument("--host", default=defaults["host"])
    parser.add_argument("--port", type=int, default=defaults["port"])
    parser.add_argument("--auth", default=defaults["auth"], help="user:password (or RAG_AUTH)")
    parser.add_argument(
        "--no-watch",
        dest="watch",
        action="store_false",
        default=defaults["watch"],
        help="don't index files added, edited or deleted in the documents folder while serving (or RAG_WATCH=0)",
    )
    add_llm_arg(parser)
    add_common_args(parser)
    args = parser.parse_args(argv)
    setup_logging(quiet=args.quiet)
    try:
        auth = parse_auth(args.auth)
    except RagError as exc:
        print(f"error: {exc}")
        return 2
    # The engine (index check, Chroma, the ONNX model) loads in a thread while gradio imports
    # (~5.5 s, most of start-up); the model is warm before the page is served, not on the first click.
    loaded: dict = {}

    def load() -> None:
        try:
            loaded["engine"] = rag.Engine(settings_from_args(args))
            loaded["engine"].ask("warm-up question")
        except RagError as exc:
            loaded["error"] = exc
        except Exception as exc:  # never a KeyError on "engine" below: one line saying what failed
            loaded["error"] = f"internal error: {type(exc).__name__}: {exc}"

    loader = threading.Thread(target=load, name="engine-loader")
    loader.start()
    import gradio  # noqa: F401

    loader.join()
    if "error" in loaded:
        print(f"error: {loaded['error']}")
        return 2
    demo = build_app(loaded["engine"])
    if args.watch:
        watch_folder(loaded["engine"])
    print(f"Serving on http://{args.host}:{args.port}  (Ctrl+C stops)", flush=True)
    serve(demo, args.host, args.port, auth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
