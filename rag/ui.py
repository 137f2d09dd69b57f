"""Plain functions that turn an Answer into what the chat page shows (tested without a browser).

What it does: renders an answer as Markdown with its numbered sources beneath, every piece
of document text HTML-escaped first, so a document holding `<script>` shows as text. A
refusal is marked as one and lists the nearest passages, labelled as not answering.

What it deliberately doesn't: talk to Gradio (app.py does), or highlight spans inside the
full document view (the chat-page issue builds that on these functions).
"""

from __future__ import annotations

import html
import re

from .types import Answer

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    """Document text made inert: HTML-escaped, and Markdown's own marks backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


def answer_markdown(ans: Answer) -> str:
    if not ans.answered:
        lines = [f"**{escape(ans.answer)}**", "", "_Nearest passages (they do not answer the question):_"]
        for p in ans.nearest:
            snippet = p.text if len(p.text) <= 280 else p.text[:280].rsplit(" ", 1)[0] + " …"
            lines.append(f"- *{escape(p.title)}* ({escape(p.source)}): {escape(snippet)}")
        return "\n".join(lines)
    body = ans.answer
    for c in ans.citations:
        body = body.replace(f"[{c.n}]", f"\x00{c.n}\x00")
    body = re.sub(r"\x00(\d+)\x00", r"**[\1]**", escape(body))
    lines = [body, "", "**Sources**"]
    for c in ans.citations:
        lines.append(
            f"{c.n}. *{escape(c.title)}* ({escape(c.source)}, characters {c.start}–{c.end}): “{escape(c.text)}”"
        )
    return "\n".join(lines)
