"""What part of a page a unit is: answer (score, **read the layout**) -> cite.

What it does: predicates over one unit (rag.types.SentenceHit: its text, its passage's lines,
its context and its document's title), shared by the scoring (rag/signals.py), the quoting
(rag/excerpt.py) and the decision (rag/answer.py):
  - a line of code or a shell command (`is_code`: in a fenced or indented block, or shaped
    like one: "sudo -u deploy ./restart.sh"), a list item (`list_item`, `LIST_ITEM`), a
    lead-in ending with ":" (`lead_in`), a table row's header row (`table_header`), a line
    that is a person's name alone (`NAME_LINE`), a unit continuing the code before it
    (`continues_code`);
  - what is never quoted: the document's title (`is_title`), a page's running head or foot
    (`running_head`), a unit that is itself a question (`asks_itself`).

What it deliberately doesn't: parse Markdown or HTML (rag/readers.py and rag/chunks.py own
the formats and the units' context).
"""

from __future__ import annotations

import re

from .readers import MARKDOWN_SUFFIXES
from .types import SentenceHit, row_header


def is_title(h: SentenceHit) -> bool:
    """True for a unit that is the document's title ("Corner Café Opening Hours"), wherever it
    stands (a news page repeats its headline under a dateline) and however it is cased: quoted,
    it would read as an answer that only repeats the question's topic."""
    return _same_line(h.text, h.title)


def _same_line(a: str, b: str) -> bool:
    """The same words in the same order, whatever their spacing and case."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# A running head or foot of a text rendering, one line in columns: a manual page's
# "BASE64(1)   User Commands   BASE64(1)" / "GNU coreutils 9.1   September 2022   BASE64(1)",
# an RFC's "RFC 2616   HTTP/1.1   June 1999" / "Fielding, et al.   Standards Track   [Page 5]".
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t+)(?=\S)")
_RUNNING_EDGE = re.compile(r"^(?:[A-Z0-9][\w.+:-]*\(\d\w*\)|\[Page \d+\]|RFC \d+)$")


def running_head(text: str) -> bool:
    """True for a page's running head or foot (see _RUNNING_EDGE, or one column repeated at both
    ends): page furniture, never an answer."""
    line = text.strip()
    if "\n" in line or not _COLUMN_GAP.search(line):
        return False
    columns = re.split(r" {3,}|\t+", line)
    # A BSD manual's foot repeats its first column last: "BSD   December 16, 2022   BSD".
    return bool(
        _RUNNING_EDGE.match(columns[0])
        or _RUNNING_EDGE.match(columns[-1])
        or (len(columns) > 2 and columns[0] == columns[-1])
    )


# A line of code or a shell command: no sentence punctuation at its end, and a flag, a path,
# an assignment, a pipe, or a lower-case program name first ("sudo -u deploy ./restart.sh").
_CODE_LINE = re.compile(r"^\s*(?:[$#>]\s*)?[a-z_./~][\w./~-]*(?:\s+\S+)*\s*$")


def asks_itself(text: str) -> bool:
    """A unit that is itself a question ("What does await the CSTO troops?"): it states nothing.
    A sentence that only quotes one (a cross-reference) does state something and stays quotable."""
    body = text.strip().rstrip(")").rstrip()
    if body.endswith("?"):
        return True
    # A question in quotes asks only if the quote is the whole unit ('"Why now?"'), not the
    # end of a statement ('see Section 6.10, "What is in the pool directory?"').
    return body[:1] in "\"\u201c'\u2018" and body.rstrip("\"\u201d'\u2019").endswith("?") and len(body) > 1


def _looks_like_code(text: str) -> bool:
    last = text.rstrip()[-1:] if text.strip() else ""
    if re.match(r"\s*\$ \S", text) and last not in ".!?:":  # a shell prompt: "$ git init"
        return True
    return (
        bool(_CODE_LINE.match(text.split("\n", 1)[0]))
        and last not in ".!?:"
        and any(tok.startswith(("-", "./", "/", "~")) or "=" in tok or tok in ("|", "sudo") for tok in text.split())
    )


# The line that opens a code block: a Markdown fence (``` or ~~~, with an info string; HTML
# <pre> and DOCX code are read into one), an AsciiDoc listing delimiter ("----").
_FENCE = r"`{3,}|~{3,}"
_FENCE_LINE = re.compile(rf"(?:{_FENCE})\s*[\w+.#-]*\s*|----")


def in_code_block(h: SentenceHit) -> bool:
    """True when the unit is the content of a fenced code block (rag/chunks.py makes a block one
    unit, its fences excluded): the line before it in its passage is a fence, or, when the
    passage opens with the unit (a chunk starts at a unit, so after the opening fence) and it
    does not end like a sentence, the line after it is a bare closing fence. A short command
    ("systemctl restart queue-worker.service") has no flag or path to tell it by."""
    before = h.passage.text[: max(0, h.start - h.passage.start)]
    if before.endswith("\n"):
        return bool(_FENCE_LINE.fullmatch(before[:-1].rsplit("\n", 1)[-1].strip()))
    if _indented_block(h, before):
        return True
    if before.strip() or h.text.rstrip().endswith((":", ".", "?", "!")):
        return False  # a lead-in over an opening fence ("Run this:" / "```") is prose
    after = h.passage.text[max(0, h.end - h.passage.start) :]
    return after.startswith("\n") and bool(_CLOSING_FENCE.fullmatch(after[1:].split("\n", 1)[0].strip()))


def _indented_block(h: SentenceHit, before: str) -> bool:
    """True for a Markdown indented code block (every line indented four spaces or a tab, a
    blank line before it: "## Flushing the cache" / "" / "    redis-cli FLUSHDB"), which
    markdown-it-py made one unit. Only in a Markdown file: plain text indents prose (a manual
    page's option descriptions), reST a block quote or a directive's body. A block that opens
    its passage shows no indent there (a chunk starts at a unit's first character) and is not
    recognised."""
    if not h.source.lower().endswith(MARKDOWN_SUFFIXES):
        return False
    indent = before[len(before.rstrip(" \t")) :]
    if not (before[: len(before) - len(indent)].endswith("\n\n") or not before.rstrip()):
        return False
    # Under a list item, an indented paragraph is the item's own ("1. Open the panel." / "" /
    # "    Then hold RESET."), however its lines wrap ("1. Open the panel and" / "click Settings."),
    # no code.
    above = before.rstrip().rsplit("\n\n", 1)[-1].split("\n")
    if LIST_ITEM.match(above[0]) or any(line[:1] in (" ", "\t") for line in above):
        return False
    return (indent.startswith("\t") or len(indent) >= 4) and all(
        line.startswith(("    ", "\t")) or not line.strip() for line in h.text.split("\n")[1:]
    )


_CLOSING_FENCE = re.compile(rf"{_FENCE}|----")  # _FENCE_LINE without an info string: a fence that closes


def is_code(h: SentenceHit) -> bool:
    return in_code_block(h) or _looks_like_code(h.text)


# A line that is a person's name alone: "Martin Delaney", "Dr Helen Achterberg".
NAME_LINE = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][a-z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]+){1,3}$")


def name_line(text: str, title: str) -> bool:
    """True for a line that is a person's name alone (`NAME_LINE`, a signature's "Martin Delaney"),
    unless it is the document's title: "Warehouse Rules" heading a page is shaped like a name."""
    return bool(NAME_LINE.match(" ".join(text.split()))) and not _same_line(text, title)


def continues_code(h: SentenceHit, prev: SentenceHit) -> bool:
    """True for a unit that opens in lower case after a line of code, and is none itself: it
    continues the code ("$ git bisect reset" / "to return you to the branch you were on")."""
    return h.text.lstrip()[:1].islower() and _looks_like_code(prev.text) and not is_code(h)


_BULLET_MARK = r"(?:[-*+\u2022\u25e6]|\d{1,2}[.)]|[a-z][.)])"  # "-", "\u2022", "3.", "b)"
LIST_ITEM = re.compile(rf"^\s*{_BULLET_MARK}\s+\S")


_BULLET = re.compile(rf"\s*{_BULLET_MARK}\s+")  # a line's opening up to a list item's words


def list_item(h: SentenceHit) -> bool:
    """The unit is a list item: its text opens with a bullet or a number, or its line in the
    passage does (the chunker may leave the bullet out of the unit's span)."""
    if LIST_ITEM.match(h.text):
        return True
    text, at = h.passage.text, h.start - h.passage.start
    return bool(_BULLET.fullmatch(text[text.rfind("\n", 0, max(at, 0)) + 1 : max(at, 0)]))


def lead_in(text: str) -> bool:
    """True for a sentence that ends with a colon: it introduces the list, table or code after it."""
    return text.rstrip().endswith(":")


def table_header(h: SentenceHit) -> str:
    """The header row of a table row's table (the last line of its context), or ""."""
    return row_header(h.text, h.context)
