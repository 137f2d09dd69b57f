"""Command lines `python -m rag.ask` and `python -m rag.ingest`: a thin layer over the library.

What it does: parses flags over Settings.from_env(), calls the library, and is the only
place (with the chat page) that turns the library's errors into messages and exit codes:
0 answered or refused, 2 bad usage or input (one line on stderr, no traceback),
1 unexpected internal error (one line; RAG_DEBUG=1 shows the traceback).

Output contract (other tools rely on it): `--json` prints one object per question with
question, answer, answered, citations [{n, source, title, text, start, end, score}],
retrieved [{source, start, end, score}], timings_ms; `--jsonl` reads
{"question": str, "history": [str]} per line and writes one object per line; a line it
cannot use yields {"error": ...} and the run goes on.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import signal
import sys
import textwrap
import threading
import time
import traceback
import unicodedata
from pathlib import Path

from .config import Settings, debug
from .errors import BadInput, DocsError, IndexBusy, RagError, StoreError
from .types import Answer

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_BUSY, EXIT_STORE = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code is 2 as well; keep its message one line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """--docs, --index, --chroma-url, --quiet: shared by rag.ask, rag.ingest and app.py."""
    parser.add_argument("--docs", help="documents folder (env RAG_DOCS; default seeds/)")
    parser.add_argument("--index", help="index folder (env RAG_INDEX; default index/)")
    parser.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (env RAG_CHROMA_URL)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or notes on stderr (warnings still)")


def add_llm_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--llm",
        help="let a model write the answer, checked sentence by sentence: openai:<model> (OPENAI_BASE_URL, "
        "OPENAI_API_KEY), ollama:<model>, llamacpp:<path.gguf> (env RAG_LLM; default: extractive)",
    )


def settings_from_args(args) -> Settings:
    """Settings.from_env() with the command line's --docs/--index/--k on top."""
    s = Settings.from_env()
    return s.with_(
        docs=Path(args.docs) if args.docs else None,
        index=Path(args.index) if args.index else None,
        k=getattr(args, "k", None),
        chroma_url=getattr(args, "chroma_url", None),
        llm=getattr(args, "llm", None),
    )


def setup_logging(quiet: bool) -> None:
    """Our notes on stderr; other libraries' chatter (model loading, bm25s) stays quiet."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("rag")
    log.addHandler(handler)
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    log.propagate = False


def _run(fn) -> int:
    """Call fn(); map the library's errors to exit codes with one line on stderr."""
    try:
        return fn()
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if isinstance(exc, IndexBusy):
            return EXIT_BUSY  # try again, or pass --wait
        if isinstance(exc, StoreError):
            return EXIT_STORE  # the index or the Chroma server: not writable, damaged, unreachable
        return EXIT_USAGE if isinstance(exc, (BadInput, DocsError)) else EXIT_INTERNAL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if debug():
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc} (set RAG_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


def printable(text: str) -> str:
    """`text` for a terminal line: control characters (a newline in a file name, an escape
    sequence in a document, a right-to-left override) written as escapes ("\\n", "\\x1b"), so one name stays on one
    line and nothing a document holds can drive the terminal."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS else c for c in text)


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # (they reorder a line)


def format_answer(ans: Answer, width: int = 100) -> str:
    """The human form: the answer with [n] markers, then the numbered sources."""
    lines = [textwrap.fill(printable(" ".join(ans.answer.split())), width)]
    if ans.citations:
        lines += ["", "Sources:"]
        for c in ans.citations:
            where = f"{c.source}, page {c.page}" if getattr(c, "page", None) else c.source
            section = f" \u203a {c.section}" if getattr(c, "section", "") else ""
            lines.append(printable(f"[{c.n}] {c.title}{section} ({where}, chars {c.start}-{c.end})"))
            quote = printable(" ".join(c.text.split()))  # the cited span may be wrapped over lines: fold it
            lines.append(textwrap.fill(f"\u201c{quote}\u201d", width, initial_indent="    ", subsequent_indent="    "))
    elif ans.nearest:
        lines += ["", "Nearest passages (they do not answer the question):"]
        for p in ans.nearest:
            text = printable(" ".join(p.text.split()))
            snippet = text if len(text) <= 300 else text[:300].rsplit(" ", 1)[0] + " \u2026"
            lines.append(printable(f"- {p.title} ({p.source}, chars {p.start}-{p.end})"))
            lines.append(textwrap.fill(snippet, width, initial_indent="    ", subsequent_indent="    "))
    if ans.dropped:
        lines += ["", "Removed by the grounding check:"]
        lines += [f"- {d['sentence']} ({d['reason']})" for d in ans.dropped]
    if ans.warning:
        lines += ["", f"Note: {ans.warning}"]
    return "\n".join(lines)


def _jsonl(engine, k: int | None) -> int:
    # Bytes that are not UTF-8 reach the engine as surrogates whatever the locale says (which
    # would make them an exception that ends the run): clean_question reads them.
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or "question" not in row:
                raise BadInput('each line must be an object with a "question"')
            history = row.get("history") or []
            if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
                raise BadInput('"history" must be a list of strings')
            out = engine.ask(row["question"], history, k=k).to_dict()
        except json.JSONDecodeError as exc:
            out = {"error": f"not valid JSON: {exc}", "line": lineno}
        except BadInput as exc:
            out = {"error": str(exc), "line": lineno}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return EXIT_OK


def main_ask(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m rag.ask", description="Ask the documents a question; get a cited answer.")
    parser.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin, write one object per line")
    parser.add_argument(
        "--history", action="append", default=[], metavar="Q", help="an earlier question, oldest first (repeatable)"
    )
    parser.add_argument("--k", type=int, help="passages considered (env RAG_K; default 8)")
    add_llm_arg(parser)
    add_common_args(parser)
    args = parser.parse_args(argv)

    def run() -> int:
        if args.jsonl and args.question:
            raise BadInput("--jsonl reads questions from stdin; give no question argument")
        if not args.jsonl:
            from .engine import clean_question

            clean_question(args.question if args.question is not None else "")  # fail fast, before loading
        if args.k is not None and args.k < 1:
            raise BadInput("--k must be at least 1")
        setup_logging(args.quiet or args.json or args.jsonl)
        from .engine import Engine

        t0 = time.perf_counter()
        engine = Engine(settings_from_args(args))
        if args.jsonl:
            return _jsonl(engine, args.k)
        ans = engine.ask(args.question, args.history, k=args.k)
        ans.timings_ms["startup_ms"] = (time.perf_counter() - t0) * 1000 - ans.timings_ms["total_ms"]
        print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=1) if args.json else format_answer(ans))
        return EXIT_OK

    return _run(run)


def main_ingest(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m rag.ingest", description="Index (or update the index of) a documents folder.")
    add_common_args(parser)
    parser.add_argument("--wait", action="store_true", help="wait for another running ingest instead of failing")
    parser.add_argument(
        "--json", action="store_true", help="print the report (added, changed, deleted, skipped with reasons) as JSON"
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="after the update, keep following the folder: each file added, edited or deleted is indexed "
        "as the system reports it, until Ctrl+C (with --json, one report per line)",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only these files changed (added, edited or deleted; inside --docs): update them without "
        "walking the folder (default: rescan the whole folder)",
    )
    args = parser.parse_args(argv)
    if args.watch and args.paths:
        parser.error("--watch follows the whole folder: name no PATH with it")

    def run() -> int:
        setup_logging(args.quiet)
        from .embed import ensure_fast_embedder
        from .index import build_index

        if args.watch:
            return _watch(settings_from_args(args), args.json, args.quiet)

        changed = [os.path.abspath(p) for p in args.paths] or None  # (relative to where it runs)
        settings = settings_from_args(args)
        try:
            report = build_index(settings, wait=args.wait, changed=changed)
        except IndexBusy as exc:
            raise IndexBusy(f"{exc}, or pass --wait to start when it is done") from exc
        ensure_fast_embedder()  # so `ask` answers without importing torch
        _say(report, settings.index, args.json, args.quiet, indent=1)
        return EXIT_OK

    return _run(run)


def _say(report, index_dir, as_json: bool, quiet: bool, indent: int | None = None) -> None:
    """An ingest's report: warnings and notes on stderr, the JSON object on stdout, the summary."""
    if report.replaced:
        print(f"warning: {report.replaced_note(index_dir)}", file=sys.stderr)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if report.ignored and not quiet:
        print(f"note: {report.ignored_note()}", file=sys.stderr)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=indent), flush=True)
    if not quiet:
        print(report.summary(), file=sys.stderr, flush=True)


def _watch(settings, as_json: bool, quiet: bool) -> int:
    """`python -m rag.ingest --watch`: the first update (a rescan), then one per change notice."""
    from .embed import default_embedder, ensure_fast_embedder
    from .watch import follow

    said = []

    def show(report, sources) -> None:
        if sources is not None and not report.changed_anything:
            return  # (a notice about a file that turned out unchanged: a touch, an upload indexed already)
        _say(report, settings.index, as_json, quiet)
        if not said:  # the first update: the model and the watch are ready
            said.append(True)
            ensure_fast_embedder()
            default_embedder().embed(["warm-up"])  # loaded now: the first change is indexed in a moment
            if not quiet:
                print(f"watching {settings.docs} for changes (Ctrl+C stops)", file=sys.stderr, flush=True)

    # Ctrl+C asks the watch to stop at its next tick, after the update in hand: a KeyboardInterrupt
    # raised wherever Python happened to be (an update half done, the print of a report) would
    # end with exit 130 and a lost report. A second Ctrl+C aborts at once (the index keeps its
    # last complete state: an update commits whole or not at all).
    stop = threading.Event()

    def on_sigint(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if not quiet:
            print("stopping after the update in hand (Ctrl+C again aborts it)", file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        follow(settings, stop=stop, on_update=show)
    finally:
        signal.signal(signal.SIGINT, previous)
    return EXIT_OK
