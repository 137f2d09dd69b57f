"""The chat page: `python app.py` serves it on http://127.0.0.1:7860 (offline, no share link).

Building the page (`build_app`) is separate from launching it (`main`), so tests can
build and serve it on a free port. The engine (model, index) loads before the server
starts, so the first question does not pay for it. Formatting lives in rag/ui.py.
"""

from __future__ import annotations

import argparse
import os

import rag  # sets the offline environment first
from rag.cli import add_common_args, settings_from_args, setup_logging
from rag.errors import RagError
from rag.ui import answer_markdown

EXAMPLES = [
    "How much do Kazakh oil workers earn?",
    "Where does Mukhtar Ablyazov live now?",
    "How many troops will the CSTO send?",
    "What is the population of Kazakhstan?",
]


def build_app(engine: rag.Engine):
    import gradio as gr

    def respond(message: str, history: list[dict]) -> str:
        previous = [m["content"] for m in history if m.get("role") == "user" and isinstance(m.get("content"), str)]
        try:
            return answer_markdown(engine.ask(message, previous))
        except RagError as exc:
            return f"**Error:** {exc}"

    return gr.ChatInterface(
        respond,
        title="Grounded document Q&A",
        description=f"Answers quote the documents in `{engine.settings.docs}` and cite every sentence. "
        "When the documents don't say, it says so.",
        examples=EXAMPLES,
        cache_examples=False,
        flagging_mode="never",
        api_name="chat",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the chat page.")
    parser.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    add_common_args(parser)
    args = parser.parse_args(argv)
    setup_logging(quiet=args.quiet)
    engine = rag.Engine(settings_from_args(args))
    engine.ask("warm-up question")  # loads the model now, not on the first click
    build_app(engine).launch(server_name=args.host, server_port=args.port, share=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
