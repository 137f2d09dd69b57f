"""Plain functions that turn answers and the documents list into what the chat page shows.

What it does: renders an answer as HTML with clickable, labelled `[n]` markers; a sources
panel in which every citation shows its passage with the cited text highlighted and, one
click away, the whole document (with a heading, the page for a PDF, a close button) with
the span marked (`mark-<turn>-<n>`) so the page can scroll to it; refusals look different
and list the nearest passages as not answering. Every piece of document or user text goes
through `html.escape` first, so a document holding `<script>` or `<img onerror=...>` shows
as text and runs nothing. Also: the first screen's welcome, the Documents table and delete
list, status lines in plain words (uploads, removals, refused questions), human-readable
times, and a conversation exported as Markdown with its citations.

What it deliberately doesn't: talk to Gradio (app.py does) or read files itself (callers
pass a `read(source) -> text` function and the `Engine.documents()` dicts), so all of it is
tested without a browser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .engine import MAX_QUESTION_CHARS, has_words
from .errors import BadInput, DocsError, IndexBusy, RagError, StoreError
from .text import plural
from .types import Answer, Citation

DOC_VIEW_CHARS = 60_000  # a longer document shows this much around the cited span
WELCOME_TITLES = 30  # the first screen lists this many titles, then says how many more


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _quoted(title: str) -> str:
    return f"‘{title}’"


def _named(doc: dict) -> str:
    """A document in a sentence: ‘its title’ (its file), or the file alone when it is its title."""
    return f"{_quoted(doc['title'])} ({doc['source']})" if doc["title"] != doc["source"] else _quoted(doc["source"])


def _page(c) -> int | None:
    return getattr(c, "page", None)  # Citation.page arrives with PDF reading (1-based, else None)


def _cite_link(turn: int, n: int, title: str = "") -> str:
    # The chat's sanitiser keeps class, title and role but drops aria-*: the words a screen
    # reader says go in a visually hidden span inside the link.
    label = f"Source {n}: {title}" if title else f"Source {n}"
    return (
        f'<a class="cite" href="#src-{turn}-{n}" title="{esc(label)}">[{n}]'
        f'<span class="rag-sr"> {esc(label)}</span></a>'
    )


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
    known = {c.n: c.title for c in ans.citations}
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(esc(part))
        else:
            out.append(_cite_link(turn, int(part), known[int(part)]) if int(part) in known else esc(f"[{part}]"))
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
    return f'{note}<pre class="rag-doc" tabindex="0">{body}</pre>'


def where(c) -> str:
    """'file.txt, page 3, characters 3,374–3,520' (the page only when the citation has one)."""
    page = _page(c)
    return f"{c.source}{f', page {page}' if page else ''}, characters {c.start:,}–{c.end:,}"


def citation_html(c: Citation, turn: int, read: Callable[[str], str], show_scores: bool) -> str:
    tag = f"{turn}-{c.n}"
    score = f" · score {c.score:.2f}" if show_scores else ""
    page = _page(c)
    try:
        text = read(c.source)
    except FileNotFoundError:
        text, gone = None, True
    except (OSError, RagError):
        text, gone = None, False
    else:
        gone = False
    if text is not None and text[c.start : c.end] == c.text:
        p0, p1 = (c.passage_start, c.passage_end) if c.passage_end > c.passage_start else (c.start, c.end)
        passage = highlight(text[p0:p1], c.start - p0, c.end - p0)
        doc = document_view(text, c.start, c.end, f"mark-{tag}")
        opener = (
            f'<a class="open-doc" href="#doc-{tag}" data-turn="{turn}" data-n="{c.n}" '
            f'aria-label="Show source {c.n} in its document">Show in document</a>'
        )
        head = (
            f'<div class="rag-docview-head"><h4 id="doc-title-{tag}">{esc(c.title)}</h4>'
            f'<span class="rag-meta">{esc(c.source)}{f" · page {page}" if page else ""}</span>'
            f'<button type="button" class="close-doc" data-turn="{turn}" data-n="{c.n}" '
            f'aria-label="Close the document {esc(_quoted(c.title))}">Close</button></div>'
        )
        view = (
            f'<div class="rag-docview" id="doc-{tag}" role="region" aria-labelledby="doc-title-{tag}" hidden>'
            f"{head}{doc}</div>"
        )
    elif gone:  # deleted from the documents since it was cited: the quote stays, as it was
        passage = f"<mark>{esc(c.text)}</mark>"
        opener = (
            f'<span class="rag-note rag-removed">{esc(_quoted(c.title))} was removed from the documents; '
            "the quote above is as it was when cited.</span>"
        )
        view = ""
    else:  # the file changed since it was indexed: show the quote, never a wrong highlight
        passage = f"<mark>{esc(c.text)}</mark>"
        opener = '<span class="rag-note">The file changed since indexing; re-index to see it in place.</span>'
        view = ""
    label = f"Source {c.n}: {c.title}, {where(c)}"
    section = f' <span class="rag-section">\u203a {esc(c.section)}</span>' if getattr(c, "section", "") else ""
    return (
        f'<section class="rag-src" id="src-{tag}" tabindex="-1" aria-label="{esc(label)}">'
        # The heading path says what the quote is under: a changelog entry's version, a FAQ's
        # chapter ("Changelog › 3.1.0" over "- Added CSV export.").
        f'<div class="rag-src-head"><b>[{c.n}]</b> {esc(c.title)}{section} '
        f'<code>{esc(c.source)}</code> <span class="rag-meta">{"page " + str(page) + " · " if page else ""}'
        f"chars {c.start}–{c.end}{score}</span></div>"
        f'<blockquote class="rag-passage">{passage}</blockquote>{opener}{view}</section>'
    )


BACK = '<button type="button" class="rag-back" aria-label="Back to the answer">← Back to the answer</button>'


def sources_html(turns: list[Answer], read: Callable[[str], str], show_scores: bool = True) -> str:
    """The sources panel for a conversation: the latest answer open, earlier ones folded.

    Starts with a "Back to the answer" button that only phones show (there the panel is a
    drawer over the chat)."""
    if not turns:
        return (
            f'{BACK}<div class="rag-sources-empty">Sources appear here: click a [n] marker in an answer '
            "to see its passage and its place in the document.</div>"
        )
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
    return BACK + "".join(sections)


# ---- the first screen ---------------------------------------------------------------


def collection_name(docs: Path) -> str:
    """What the header calls the documents folder: its name in words ("my_notes" -> "My notes")."""
    name = re.sub(r"[_\-]+", " ", Path(docs).resolve().name).strip() or "Documents"
    return name[0].upper() + name[1:]


def welcome_html(collection: str, docs: list[dict], examples: list[str]) -> str:
    """The empty chat: what is loaded (N documents, titles listed) and what to ask."""
    indexed = [d for d in docs if not d.get("skipped")]
    titles = "".join(
        f'<li title="{esc(d["source"])}">{esc(d["title"])} <span class="rag-meta">({esc(d["source"])})</span></li>'
        for d in indexed[:WELCOME_TITLES]
    )
    if len(indexed) > WELCOME_TITLES:
        titles += f"<li>… and {len(indexed) - WELCOME_TITLES:,} more (see the Documents tab)</li>"
    listing = (
        f"<details><summary><b>{esc(collection)}</b>: {plural(len(indexed), 'document')} loaded "
        f"(show titles)</summary><ul>{titles}</ul></details>"
    )
    how = (
        "Ask a question in your own words. Answers quote the documents; click a <b>[n]</b> to see the passage "
        "in its document. When the documents don't say, the answer says so."
    )
    tail = "Or try an example below." if examples else "For example, ask about something one of the titles above names."
    return f'<div class="rag-welcome" id="welcome">{listing}<p>{how}</p><p>{tail}</p></div>'


# ---- errors and status lines in plain words ------------------------------------------


def question_problem(message) -> str:
    """Why a question can't be asked, in plain words; "" when it can."""
    text = " ".join(str(message or "").split())
    if not text:
        return "Type a question first, then press Enter."
    if not has_words(text):
        return "Type a question in words (punctuation and emoji alone can't be searched), then press Enter."
    if len(text) > MAX_QUESTION_CHARS:
        return (
            f"Your question is {len(text):,} characters long; questions can be at most "
            f"{MAX_QUESTION_CHARS:,}. Nothing was searched. Shorten it (it is still in the box) and press Enter again."
        )
    return ""


def error_text(exc: Exception) -> str:
    """A library error as a sentence for the page (the user's question stays in the box)."""
    if isinstance(exc, IndexBusy):
        return (
            "The documents are being re-indexed right now, so nothing was searched. "
            "Your question is still in the box: press Enter again in a few seconds."
        )
    if isinstance(exc, StoreError):
        return f"The index could not be read, so nothing was searched ({exc}). Your question is still in the box."
    if isinstance(exc, BadInput):
        msg = str(exc)
        return msg[:1].upper() + msg[1:] + ("" if msg.endswith(".") else ".")
    return f"Something went wrong, nothing was searched ({exc}). Your question is still in the box."


def upload_error(exc: BaseException) -> str:
    """What the page says when an upload fails: what happened to the files, and what to do."""
    if isinstance(exc, IndexBusy):
        return (
            "Saved, but another indexing run holds the index right now; the file is indexed with the "
            "next update (upload it again in a minute)."
        )
    if isinstance(exc, DocsError):  # the folder would not take the file: nothing was indexed
        msg = str(exc)
        return f"Not uploaded: {msg}" + ("" if msg.endswith(".") else ".")
    if isinstance(exc, RagError):
        return f"Indexing failed; the previous index still answers. {error_text(exc)}"
    return f"Indexing failed; the previous index still answers ({type(exc).__name__}: {exc})."


def alert_html(text: str) -> str:
    return f'<div class="rag-alert" role="alert">{esc(text)}</div>' if text else ""


def progress_html(fraction: float, message: str) -> str:
    """A progress bar with what is happening, for the status line (it covers nothing)."""
    pct = round(100 * max(0.0, min(1.0, fraction)))
    return (
        f'<div class="rag-progress" role="status"><progress max="100" value="{pct}" '
        f'aria-label="Indexing progress">{pct}%</progress> <span>{esc(message)} ({pct}%)</span></div>'
    )


def _sources(names: list[str]) -> list[str]:
    """The documents-folder names uploaded files take (rag/collection.py `safe_name`); a name it
    refuses is left out (the upload's own error says why)."""
    from .collection import safe_name

    out = []
    for name in names:
        try:
            out.append(safe_name(name))
        except BadInput:
            continue
    return out


def upload_status(report, names: list[str], docs: list[dict]) -> str:
    """'Added ‘Beekeeping guide’: 12 passages.' per uploaded file, then what was refused and why.

    `report`: the IngestReport of Engine.add_documents; `names`: the uploaded files' names
    (as the user had them); `docs`: Engine.documents() after the upload."""
    by_source = {d["source"]: d for d in docs}
    lines = []
    for source in _sources(names):
        d = by_source.get(source, {"title": source, "chunks": 0})
        what = plural(d["chunks"], "passage")
        if source in report.added:
            lines.append(f"Added {_quoted(d['title'])}: {what}.")
        elif source in report.changed:
            lines.append(f"Replaced {_named(dict(d, source=source))} with the uploaded file: {what}.")
        elif source in report.unchanged:
            lines.append(f"{_quoted(d['title'])} was already indexed, unchanged.")
    # Only what concerns these uploads: the folder's other files may carry old warnings.
    lines += [f"Not added: {w}" for w in report.warnings if any(n in w for n in names)]
    return "".join(f"<p>{esc(line)}</p>" for line in lines) or "<p>Nothing was added.</p>"


def replace_question(names: list[str], docs: list[dict], exists: Callable[[str], bool]) -> str:
    """The question asked before an upload overwrites files of the same name ("" when it
    overwrites none): like a delete, replacing a document's file cannot be undone.

    `names`: the uploaded files' names; `docs`: Engine.documents(); `exists(source)`: whether
    the documents folder holds that file now (indexed or not yet)."""
    by_source = {d["source"]: d for d in docs}
    clashes = []
    for source in _sources(names):
        if source in by_source or exists(source):
            clashes.append(_named({"title": by_source.get(source, {}).get("title") or source, "source": source}))
    if not clashes:
        return ""
    which = clashes[0] if len(clashes) == 1 else f"{len(clashes)} documents: {', '.join(clashes)}"
    files = "file" if len(clashes) == 1 else "files"
    return (
        f"Replace {which}? The uploaded {files} overwrite{'s' if len(clashes) == 1 else ''} the {files} of the "
        "same name in the documents folder, and the index is updated. This cannot be undone."
    )


def removed_status(doc: dict) -> str:
    return (
        f"Removed {_named(doc)}: its {plural(doc['chunks'], 'passage')} "
        f"{'is' if doc['chunks'] == 1 else 'are'} no longer searched, and the file is gone from the documents folder."
    )


def confirm_text(doc: dict) -> str:
    """The question asked before a delete, naming the document."""
    return (
        f"Delete {_named(doc)}? The file is removed from the documents folder "
        f"and its {plural(doc['chunks'], 'passage')} {'leaves' if doc['chunks'] == 1 else 'leave'} the index. "
        "This cannot be undone."
    )


def choice_label(doc: dict) -> str:
    return f"{doc['title']} ({doc['source']})" if doc["title"] != doc["source"] else doc["source"]


def document_choices(docs: list[dict]) -> list[tuple[str, str]]:
    """(label, source) pairs for the delete list: titles with file names, by title."""
    return sorted(((choice_label(d), d["source"]) for d in docs), key=lambda p: p[0].casefold())


def human_time(iso: str, now: datetime | None = None) -> str:
    """'just now', '5 minutes ago', 'today 14:07 UTC', 'yesterday 09:12 UTC', '3 Nov 2026, 14:07 UTC'."""
    try:
        when = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return iso or "—"
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    if 0 <= seconds < 60:
        return "just now"
    if 0 <= seconds < 3600:
        return f"{plural(int(seconds // 60), 'minute')} ago"
    days = (now.date() - when.date()).days
    clock = when.strftime("%H:%M UTC")
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    return f"{when.day} {when.strftime('%b %Y')}, {clock}"


def documents_html(docs: list[dict], now: datetime | None = None) -> str:
    """The Documents table: title with its file name, passages, last indexed (or why skipped).

    A real <table> with a caption; on a phone CSS turns each row into a card, so nothing
    scrolls sideways."""
    if not docs:
        return '<p class="rag-note">No documents are indexed.</p>'
    rows = []
    for d in docs:
        if d.get("skipped"):
            passages, when = "—", f"Skipped: {esc(d['skipped'])}"
        else:
            passages = f"{d['chunks']:,}"
            when = esc(human_time(d.get("indexed_at", ""), now))
        page = f" · {plural(d['pages'], 'page')}" if d.get("pages") else ""
        title = f'<span class="rag-doc-title">{esc(d["title"])}</span><br>' if d["title"] != d["source"] else ""
        rows.append(
            f'<tr><td data-label="Document">{title}<code class="rag-file">{esc(d["source"])}</code>{page}</td>'
            f'<td data-label="Passages">{passages}</td><td data-label="Last indexed">{when}</td></tr>'
        )
    indexed = sum(1 for d in docs if not d.get("skipped"))
    return (
        f'<table class="rag-docs"><caption>{plural(indexed, "document")} indexed</caption>'
        "<thead><tr><th>Document</th><th>Passages</th><th>Last indexed</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# ---- export ----------------------------------------------------------------------------


def conversation_markdown(turns: list[Answer], collection: str, now: datetime | None = None) -> str:
    """The conversation as Markdown: each question, its answer, and every citation with its
    file, page (if any), character range and quote."""
    now = now or datetime.now(UTC)
    out = [f"# Questions to {collection}", "", f"Exported {now.strftime('%Y-%m-%d %H:%M UTC')}.", ""]
    for i, ans in enumerate(turns, 1):
        out += [f"## {i}. {ans.question}", "", ans.answer, ""]
        if ans.answered and ans.citations:
            out += ["Sources:", ""]
            for c in ans.citations:
                quote = " ".join(c.text.split())
                out.append(f"- [{c.n}] {c.title}: `{where(c)}`")
                out.append(f"  > {quote}")
            out.append("")
        elif not ans.answered:
            out += ["(No passage answers this question; nothing is cited.)", ""]
        for d in ans.dropped:
            out.append(f"- Removed by the grounding check: ~~{d['sentence']}~~ ({d['reason']})")
        if ans.dropped:
            out.append("")
    return "\n".join(out).rstrip() + "\n"
