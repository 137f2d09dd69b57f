"""Plain functions that turn answers and the index manifest into what the chat page shows.

What it does: renders an answer as HTML with clickable `[n]` markers, a sources panel in
which every citation shows its passage with the cited text highlighted and, one click away,
the whole document with the span marked (`mark-<turn>-<n>`) so the page can scroll to it;
refusals look different and list the nearest passages as not answering. Every piece of
document or user text goes through `html.escape` first, so a document holding `<script>` or
`<img onerror=...>` shows as text and runs nothing. Also: the Documents tab's rows and the
sanitising of uploaded file names.

What it deliberately doesn't: talk to Gradio (app.py does) or read files itself (callers
pass a `read(source) -> text` function), so all of it is tested without a browser.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath

from .documents import SUFFIXES
from .errors import BadInput, RagError
from .types import Answer, Citation

DOC_VIEW_CHARS = 60_000  # a longer document shows this much around the cited span


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cite_link(turn: int, n: int) -> str:
    return f'<a class="cite" href="#src-{turn}-{n}" data-turn="{turn}" data-n="{n}">[{n}]</a>'


def question_html(question: str) -> str:
    return f'<div class="rag-question">{esc(question)}</div>'


def verdict_html(ans: Answer) -> str:
    """What the grounding guard removed from a model's reply, and any fallback, said plainly."""
    out = ""
    if ans.dropped:
        items = "".join(f"<li><del>{esc(d['sentence'])}</del> <i>({esc(d['reason'])})</i></li>" for d in ans.dropped)
        out += f'<div class="rag-dropped">Removed by the grounding check:<ul>{items}</ul></div>'
    if ans.warning:
        out += f'<div class="rag-note">{esc(ans.warning)}</div>'
    return out


def streaming_html(partial: str) -> str:
    """A model's reply while it streams: plain escaped text, not yet checked."""
    note = '<div class="rag-note">Checking each sentence against its sources…</div>'
    return f'<div class="rag-pending">{esc(partial)}</div>{note}'


def message_html(ans: Answer, turn: int) -> str:
    """The chat bubble: the answer with clickable markers, or a refusal with nearby passages."""
    return _message_body(ans, turn) + verdict_html(ans)


def _message_body(ans: Answer, turn: int) -> str:
    if not ans.answered:
        items = "".join(
            f"<li><b>{esc(p.title)}</b> <code>{esc(p.source)}</code>: {esc(_snippet(p.text))}</li>" for p in ans.nearest
        )
        near = f'<div class="rag-near">Nearest passages (they do not answer the question):<ul>{items}</ul></div>'
        return f'<div class="rag-refusal"><b>{esc(ans.answer)}</b>{near if items else ""}</div>'
    # Escape the text between markers, never the markers themselves.
    parts = re.split(r"\[(\d+)\]", ans.answer)
    known = {c.n for c in ans.citations}
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(esc(part))
        else:
            out.append(_cite_link(turn, int(part)) if int(part) in known else esc(f"[{part}]"))
    return f'<div class="rag-answer">{"".join(out)}</div>'


def _snippet(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def highlight(text: str, start: int, end: int, mark_id: str = "") -> str:
    """`text` escaped, with text[start:end] wrapped in <mark>."""
    ident = f' id="{esc(mark_id)}"' if mark_id else ""
    return f"{esc(text[:start])}<mark{ident}>{esc(text[start:end])}</mark>{esc(text[end:])}"


def document_view(text: str, start: int, end: int, mark_id: str, limit: int = DOC_VIEW_CHARS) -> str:
    """The document with the span marked; a very long one is cut to `limit` chars around it."""
    lo, hi, note = 0, len(text), ""
    if len(text) > limit:
        lo = max(0, min(start - limit // 2, len(text) - limit))
        hi = lo + limit
        note = f'<p class="rag-note">Showing characters {lo:,}–{hi:,} of {len(text):,}.</p>'
    body = highlight(text[lo:hi], start - lo, end - lo, mark_id)
    return f'{note}<pre class="rag-doc">{body}</pre>'


def citation_html(c: Citation, turn: int, read: Callable[[str], str], show_scores: bool) -> str:
    tag = f"{turn}-{c.n}"
    score = f" · score {c.score:.2f}" if show_scores else ""
    try:
        text = read(c.source)
    except (OSError, RagError):
        text = None
    if text is not None and text[c.start : c.end] == c.text:
        p0, p1 = (c.passage_start, c.passage_end) if c.passage_end > c.passage_start else (c.start, c.end)
        passage = highlight(text[p0:p1], c.start - p0, c.end - p0)
        doc = document_view(text, c.start, c.end, f"mark-{tag}")
        opener = f'<a class="open-doc" href="#doc-{tag}" data-turn="{turn}" data-n="{c.n}">Show in document</a>'
        view = f'<div class="rag-docview" id="doc-{tag}" hidden>{doc}</div>'
    else:  # the file changed since it was indexed: show the quote, never a wrong highlight
        passage = f"<mark>{esc(c.text)}</mark>"
        opener = '<span class="rag-note">The file changed since indexing; re-index to see it in place.</span>'
        view = ""
    return (
        f'<div class="rag-src" id="src-{tag}"><div class="rag-src-head"><b>[{c.n}]</b> {esc(c.title)} '
        f'<code>{esc(c.source)}</code> <span class="rag-meta">chars {c.start}–{c.end}{score}</span></div>'
        f'<blockquote class="rag-passage">{passage}</blockquote>{opener}{view}</div>'
    )


def sources_html(turns: list[Answer], read: Callable[[str], str], show_scores: bool = True) -> str:
    """The sources panel for a conversation: the latest answer open, earlier ones folded."""
    if not turns:
        return '<div class="rag-sources-empty">Sources appear here: click a [n] marker to see it in its document.</div>'
    sections = []
    for turn in range(len(turns) - 1, -1, -1):
        ans = turns[turn]
        if ans.answered:
            body = "".join(citation_html(c, turn, read, show_scores) for c in ans.citations)
        else:
            body = '<p class="rag-note">No passage answers this question; nothing is cited.</p>'
        opened = " open" if turn == len(turns) - 1 else ""
        sections.append(
            f'<details class="rag-turn" id="turn-{turn}"{opened}><summary>Sources for “{esc(ans.question)}”</summary>'
            f"{body}</details>"
        )
    return "".join(sections)


def document_rows(manifest: dict | None) -> list[list]:
    """Rows for the Documents tab: title, file, chunks, last indexed."""
    if not manifest:
        return []
    return [
        [entry.get("title", ""), source, entry.get("chunks", 0), entry.get("indexed_at", "")]
        for source, entry in sorted(manifest.get("files", {}).items())
    ]


_UNSAFE = re.compile(r"[^\w .()+,\-\u2010-\u2015]+")  # letters, digits, dashes, a few marks


def safe_upload_name(name: str) -> str:
    """A file name that stays inside the docs folder: no folders, no dot files, known suffix."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base or not base.lower().endswith(SUFFIXES):
        raise BadInput(f"{name!r}: only {', '.join(SUFFIXES)} files can be indexed")
    if base.lower() in SUFFIXES or base.startswith("."):
        raise BadInput(f"{name!r}: needs a name before its extension")
    return base[:200]
