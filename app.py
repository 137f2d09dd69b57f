"""The chat page: `python app.py` serves it on http://127.0.0.1:7860 (offline, no share link).

Chat tab: answers with clickable [n] markers; the sources panel shows each cited passage
with the quote highlighted, and opens the whole document scrolled to it. Documents tab:
what is indexed, upload (indexed incrementally, with a progress bar) and delete. A named
API endpoint `ask` returns the same JSON object as `python -m rag.ask --json`.

Building the page (`build_app`) is separate from serving it (`serve`), so tests build and
serve it on a free port. The engine (model, index) loads before the server starts, so the
first question does not pay for it. All formatting lives in rag/ui.py (tested without a
browser); what is here is wiring. The only script on the page is the click handler below,
and it reads element ids, never document text.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import threading
from pathlib import Path

import rag  # sets the offline environment first
from rag import ui
from rag.cli import add_common_args, add_llm_arg, settings_from_args, setup_logging
from rag.documents import SUFFIXES, read_document
from rag.errors import BadInput, RagError
from rag.index import read_manifest

log = logging.getLogger("rag")

EXAMPLES = [
    "How much do Kazakh oil workers earn?",
    "Where does Mukhtar Ablyazov live now?",
    "How many troops will the CSTO send?",
    "When did Nazarbayev hand over the presidency to Tokayev?",
    "What is the population of Kazakhstan?",
]

CSS = """
.rag-answer a.cite { font-weight: 600; text-decoration: none; color: #2563eb; cursor: pointer; padding: 0 1px; }
.rag-refusal { border-left: 4px solid #d97706; background: rgba(217, 119, 6, .08); padding: .4em .8em; }
.rag-near { font-size: .9em; margin-top: .4em; opacity: .85; }
.rag-src { border: 1px solid rgba(128, 128, 128, .35); border-radius: 6px; padding: .5em .7em; margin: .5em 0; }
.rag-src.active { border-color: #2563eb; box-shadow: 0 0 0 2px rgba(37, 99, 235, .3); }
.rag-passage { margin: .4em 0; font-size: .92em; }
.rag-doc { white-space: pre-wrap; max-height: 380px; overflow: auto; font-family: inherit; font-size: .88em; }
.rag-meta, .rag-note { font-size: .85em; opacity: .75; }
#sources mark, .rag-passage mark { background: #fde68a; color: #111; }
.rag-dropped { font-size: .88em; margin-top: .5em; color: #b91c1c; }
.rag-pending { opacity: .8; }
"""

# Clicking [n] (in the chat) or "Show in document" (in the panel) opens that citation's
# document view and scrolls its <mark> into view. Ids come from rag/ui.py: src-/doc-/mark-<turn>-<n>.
HEAD = """<script>
function ragShow(turn, n) {
  const src = document.getElementById(`src-${turn}-${n}`);
  if (!src) return;
  const fold = src.closest('details'); if (fold) fold.open = true;
  document.querySelectorAll('.rag-src.active').forEach(e => e.classList.remove('active'));
  src.classList.add('active');
  const view = document.getElementById(`doc-${turn}-${n}`); if (view) view.hidden = false;
  const mark = document.getElementById(`mark-${turn}-${n}`);
  (mark || src).scrollIntoView({block: 'center'});
}
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a.cite, a.open-doc');
  if (!a) return;
  const m = (a.getAttribute('href') || '').match(/^#(?:src|doc)-(\\d+)-(\\d+)$/);
  if (!m) return;
  ev.preventDefault(); ev.stopPropagation();
  ragShow(m[1], m[2]);
}, true);
</script>"""


def build_app(engine: rag.Engine):
    import gradio as gr

    edit_lock = threading.Lock()  # one upload or delete at a time; answers go on meanwhile

    def read(source: str) -> str:
        return engine.document_text(source)

    def respond(message, chat, questions, turns, k, show_scores):
        chat, questions, turns = list(chat or []), list(questions or []), list(turns or [])
        if not (message or "").strip():
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        chat.append({"role": "user", "content": ui.question_html(message)})
        chat.append({"role": "assistant", "content": '<div class="rag-pending">Searching the documents…</div>'})
        yield "", chat, questions, turns, gr.skip()
        try:
            if engine.llm is None:
                ans = engine.ask(message, questions, k=int(k))
            else:  # stream the model's tokens, then show what the grounding guard kept
                for partial, ans in _streamed(engine, message, questions, int(k)):
                    if ans is None:
                        chat[-1] = {"role": "assistant", "content": ui.streaming_html(partial)}
                        yield "", chat, questions, turns, gr.skip()
        except RagError as exc:
            chat[-1] = {
                "role": "assistant",
                "content": f'<div class="rag-refusal"><b>Error:</b> {ui.esc(str(exc))}</div>',
            }
            yield "", chat, questions, turns, gr.skip()
            return
        questions.append(ans.question)
        turns.append(ans)
        chat[-1] = {"role": "assistant", "content": ui.message_html(ans, len(turns) - 1)}
        yield "", chat, questions, turns, ui.sources_html(turns, read, show_scores)

    def rerender(turns, show_scores):
        return ui.sources_html(list(turns or []), read, show_scores)

    def doc_choices():
        return [row[1] for row in ui.document_rows(read_manifest(engine.settings.index))]

    def table():
        return ui.document_rows(read_manifest(engine.settings.index))

    def add_documents(files, progress=gr.Progress()):  # noqa: B008  (how gradio injects a progress bar)
        if not files:
            return gr.skip(), gr.skip(), gr.skip()
        lines, added = [], []
        docs = engine.settings.docs
        with edit_lock:
            for f in files:
                path = Path(f if isinstance(f, str) else f.name)
                try:
                    name = ui.safe_upload_name(path.name)
                    read_document(path, name)  # refuse binary or empty files before they land
                except RagError as exc:
                    lines.append(f"Skipped: {exc}")
                    continue
                tmp = docs / f".{name}.upload"
                shutil.copyfile(path, tmp)
                os.replace(tmp, docs / name)  # never a half-copied file under the real name
                added.append(name)
            if added:
                progress(0, desc="Indexing")
                try:
                    report = engine.refresh(
                        progress=lambda done, total: progress((done, total), desc="Embedding", unit="texts")
                    )
                    if report:
                        lines.insert(0, f"Indexed: {', '.join(added)}. {report.summary()}")
                        lines += [f"Warning: {w}" for w in report.warnings]
                    else:
                        lines.insert(0, f"Already indexed, unchanged: {', '.join(added)}")
                except RagError as exc:
                    lines.insert(0, f"Indexing failed, the previous index still answers: {exc}")
        return "\n\n".join(lines), table(), gr.update(choices=doc_choices(), value=None)

    def delete_document(source):
        if not source:
            return "Choose a document to delete.", gr.skip(), gr.skip()
        with edit_lock:
            listed = doc_choices()
            if source not in listed:
                return f"{source!r} is not an indexed document.", table(), gr.update(choices=listed, value=None)
            if len(listed) == 1:
                return "The last document can't be deleted: the index needs at least one.", gr.skip(), gr.skip()
            root = engine.settings.docs.resolve()
            path = (root / source).resolve()
            if not path.is_relative_to(root):
                return f"{source!r} is outside the documents folder.", gr.skip(), gr.skip()
            path.unlink(missing_ok=True)
            try:
                report = engine.refresh()
                msg = f"Deleted {source}. {report.summary() if report else ''}"
            except RagError as exc:
                msg = f"Deleted {source}, but re-indexing failed (the previous index still answers): {exc}"
        return msg, table(), gr.update(choices=doc_choices(), value=None)

    def ask(question: str, history: list[str] | None = None, k: int | None = None) -> dict:
        """Answer a question from the documents: the same JSON object as `python -m rag.ask --json`.

        history: the previous user questions, oldest first (for follow-ups). On unusable
        input the object is {"error": message}.
        """
        try:
            return engine.ask(question, list(history or []), k=k).to_dict()
        except RagError as exc:
            return {"error": str(exc)}

    with gr.Blocks(title="Grounded document Q&A") as demo:
        gr.Markdown(
            "## Grounded document Q&A\n"
            f"Every answer quotes the documents in `{ui.esc(str(engine.settings.docs))}` and cites each sentence; "
            "click a **[n]** to see it in its document. When the documents don't say, it says so."
        )
        questions = gr.State([])
        turns = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            elem_id="chat",
                            height=520,
                            render_markdown=False,
                            label="Chat",
                            buttons=["copy", "copy_all"],
                        )
                        box = gr.Textbox(
                            placeholder="Ask about the documents…",
                            show_label=False,
                            elem_id="question",
                            submit_btn=True,
                        )
                        gr.Examples(EXAMPLES, inputs=[box], label="Examples")
                        clear = gr.Button("New conversation", size="sm")
                    with gr.Column(scale=2):
                        sources = gr.HTML(ui.sources_html([], read), elem_id="sources", label="Sources")
                with gr.Accordion("Settings", open=False):
                    k = gr.Slider(1, 20, value=engine.settings.k, step=1, label="Passages retrieved (k)")
                    show_scores = gr.Checkbox(value=True, label="Show scores")
            with gr.Tab("Documents", id="documents"):
                docs_table = gr.Dataframe(
                    value=table(),
                    headers=["Title", "File", "Chunks", "Last indexed"],
                    interactive=False,
                    elem_id="docs-table",
                )
                upload = gr.File(
                    label=f"Add documents ({', '.join(SUFFIXES)})",
                    file_count="multiple",
                    file_types=list(SUFFIXES),
                    elem_id="upload",
                )
                doc_status = gr.Markdown(elem_id="doc-status")
                with gr.Row():
                    victim = gr.Dropdown(choices=doc_choices(), label="Document", elem_id="victim")
                    delete = gr.Button("Delete document", variant="stop", elem_id="delete")

        box.submit(
            respond,
            [box, chatbot, questions, turns, k, show_scores],
            [box, chatbot, questions, turns, sources],
            api_visibility="private",
        )
        show_scores.change(rerender, [turns, show_scores], [sources], api_visibility="private")
        clear.click(
            lambda: ([], [], [], ui.sources_html([], read)),
            None,
            [chatbot, questions, turns, sources],
            api_visibility="private",
        )
        upload.upload(add_documents, [upload], [doc_status, docs_table, victim], api_visibility="private")
        delete.click(delete_document, [victim], [doc_status, docs_table, victim], api_visibility="private")
        gr.api(ask, api_name="ask", concurrency_limit=8)
    return demo


def _streamed(engine, question: str, history: list[str], k: int):
    """(text so far, None) while the model writes, then ("", Answer) once it is checked."""
    import queue

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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the chat page.")
    parser.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    parser.add_argument("--auth", default=os.environ.get("RAG_AUTH"), help="user:password (or RAG_AUTH)")
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

    loader = threading.Thread(target=load, name="engine-loader")
    loader.start()
    import gradio  # noqa: F401

    loader.join()
    if "error" in loaded:
        print(f"error: {loaded['error']}")
        return 2
    demo = build_app(loaded["engine"])
    print(f"Serving on http://{args.host}:{args.port}  (Ctrl+C stops)", flush=True)
    serve(demo, args.host, args.port, auth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
