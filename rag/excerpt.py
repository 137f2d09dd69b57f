"""Choose the sentences to quote and make them stand alone: answer (select) -> **excerpt** -> cite.

What it does: `select` takes the best-scored candidate and, at most, one more (MAX_SENTENCES)
when the best merely echoes the question (its successor says the rest) or when another is
nearly as good (FOLLOWER_RATIO) and adds something; `standalone` then makes the excerpt stand
alone: the code after the prose that introduces it, or the lead-in before the code, for "what
command"; the list or code block after a lead-in ending with ":" (`block_after`); for "what
is X?", the next sentence when it says by a pronoun what X is (`says_next`: "MFA is mandatory."
/ "It requires a second proof of identity ..."); two to four contiguous sentences for how/why
(HOW_MAX_SENTENCES); and the sentence before one whose subject is a pronoun ("It is a fishing
village on the coast."), or "he"/"they" when the question names nobody. A long unpunctuated
line (an auto-caption transcript) is quoted as a window around the question's words
(`window`). `cite` numbers the quotes (rag/cite.py) and cites a table row's header row with it.

What it deliberately doesn't: paraphrase or join sentences from different places into one;
every quote is verbatim and in its document's order.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from . import definitions, options
from .cite import number
from .kinds import AMOUNT_KINDS, type_match
from .language import fragment as _fragment
from .planted import planted_units
from .question import ORDINALS, Question
from .signals import Scored
from .structure import LIST_ITEM, continues_code, is_code, is_title, lead_in, name_line, table_header
from .text import NUMBER_WORDS, PRONOUN_START, leans_back, name_runs, terms
from .types import Citation, SentenceHit, cells, heading_path

FOLLOWER_RATIO = 0.92  # a second sentence must score within 8% of the best
MAX_SENTENCES = 2
REDUNDANT_COSINE = 0.85
# A best sentence adding fewer terms than this only restates the question. One new term may be
# the whole answer ("The Max plan includes unlimited data." for "How much data does the Max
# plan include?"): only a sentence adding none merely echoes.
ECHO_MAX_NEW_TERMS = 1


def select(
    scored: list[Scored], query: str, question: Question | None = None, hits: list[SentenceHit] | None = None
) -> list[Scored]:
    """The best sentence, plus at most one more: the next sentence when the best one only
    echoes the question ("I plan to return to Kazakhstan." is followed by how), else one
    that is nearly as good and adds question terms the first lacks. Given the parsed
    question and every retrieved unit (`hits`), the answer is then made to stand alone
    (`standalone`)."""
    chosen = _select(scored, query, question.kind if question is not None else None)
    if question is None or not chosen:
        return chosen
    if _ASKS_SEVERAL.match(question.text) and table_header(chosen[0].hit):
        chosen = _in_reading_order(chosen + _other_rows_of(chosen[0], chosen, scored, set(question.terms)))
    return standalone(chosen, scored, question, hits or [])


# "Which rooms have a projector?", "What plans include parking?": a plural asks for every one.
# (a plural noun, then a verb agreeing with it: "Which bus goes", "What does this" ask for one)
_ASKS_SEVERAL = re.compile(
    r"^\W*(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|can|will)\b)[a-z-]+\s+)?[a-z-]{1,}[^s\W]s\s+"
    r"(?:have|are|were|do|did|include|offer|allow|accept|can|could|will|run|open|need|take|go|serve|cost|"
    r"support|come|get|use|contain|require|let|may|must|should)\b",
    re.I,
)


def _other_rows_of(best: Scored, chosen: list[Scored], scored: list[Scored], asked: set[str]) -> list[Scored]:
    """For a question asking for several ("Which rooms have a projector?"): the other candidate
    rows of the best row's table (same document, heading and header) that hold the best row's
    value in each column the question names ("Projector": "Yes"), in rank order, BLOCK_MAX_UNITS
    in all at most. No column named ("Which classes run in the morning?" over "Class | Time"):
    none, since which rows qualify is then no cell's to say."""
    header = cells(table_header(best.hit))
    cols = [j for j, head in enumerate(header) if j and set(terms(head)) & asked]
    if not cols:
        return []

    def values(h: SentenceHit) -> list[str]:
        row = cells(h.text)
        return [" ".join(row[j].split()).casefold() if j < len(row) else "" for j in cols]

    wanted = values(best.hit)
    same = [
        c
        for c in scored
        if c.hit.source == best.hit.source
        and c.hit.context == best.hit.context
        and table_header(c.hit)
        and not any(c.hit is x.hit for x in chosen)
        and values(c.hit) == wanted
    ]
    return same[: max(0, BLOCK_MAX_UNITS - len(chosen))]


def _select(scored: list[Scored], query: str, kind: str | None = None) -> list[Scored]:
    if not scored:
        return []
    q_terms = set(terms(query))
    best = scored[0]
    chosen = [best]
    if best.type_score != 1.0 and len(best.terms - q_terms) < ECHO_MAX_NEW_TERMS:
        nxt = next((c for c in scored if c.hit.source == best.hit.source and c.hit.index == best.hit.index + 1), None)
        if nxt is not None:
            return [best, nxt]
    covered = set(best.terms) & q_terms
    for cand in scored[1:]:
        if len(chosen) >= MAX_SENTENCES or cand.score < FOLLOWER_RATIO * best.score:
            break
        if any(float(np.dot(cand.hit.vector, c.hit.vector)) > REDUNDANT_COSINE for c in chosen):
            continue
        new = (set(cand.terms) & q_terms) - covered
        # A second candidate for a typed question ("which bank") may name the answer the
        # first only describes ("the BTA bank"): it needs no new question terms, but it must
        # hold a name or number of its own, or it only adds a sentence about someone else.
        # Not for an amount under another heading: the best already states one, and that one is
        # another section's ("Large dog (25-40 kg) ... £62.00" under FULL GROOM beside BATH &
        # BRUSH's "Large dog ... £40.00").
        elsewhere = kind in AMOUNT_KINDS and heading_path(cand.hit.context) != heading_path(best.hit.context)
        adds = not elsewhere and _adds_names(cand, chosen)
        # A "which N" question's names are evidence only (type 0.5 without): no second answer.
        typed = kind != "which" and best.type_score == 1.0 and cand.type_score == 1.0
        if not new and not (typed and adds):
            continue
        chosen.append(cand)
        covered |= new
    return _in_reading_order(chosen)


# "he"/"she"/"they" lean back too, but need nothing when the question names whom it asks about.
_PERSON_START = re.compile(r"^\W*(he|his|she|her|they|their)\b", re.I)
HOW_MAX_SENTENCES = 4  # a how/why answer may quote this many contiguous sentences
HOW_BEFORE = 2  # prose units before a command a how-answer quotes with it, at most
# A step said in prose: a capitalised sentence ending as one ("Count the cash first.", "Keep your
# changes in the working tree:"), not a comment line of code ("# but not both").
_PROSE_STEP = re.compile(r"^[A-Z][^\n]*[.!:]$")
HOW_RATIO = 0.5  # each next sentence scoring at least this share of the best one's score (steps score low alone)


# A sentence pointing up to the code before it: "Run the command above", "the above script",
# "This command renews ...".
_POINTS_UP = re.compile(
    r"\b(?:the|this|that|these)\s+(?:commands?|scripts?|code|snippet|lines?|steps?)\s+above\b"
    r"|\babove\s+(?:commands?|scripts?|code|snippet|lines?)\b|^\W*(?:this|that|these)\s+(?:commands?|scripts?)\b",
    re.I,
)


def standalone(chosen: list[Scored], scored: list[Scored], q: Question, hits: list[SentenceHit]) -> list[Scored]:
    """The chosen sentences, made to answer on their own:
    - "What command ...?" answered by the prose before a code block quotes the code too, and
      answered by the code, quotes the lead-in before it (a sentence ending with ":");
    - a how/why answer runs on through up to four contiguous sentences of its section while each
      scores at least HOW_RATIO of the best (the steps of a procedure match the question weakly
      one by one);
    - a sentence whose subject is a pronoun ("It is a fishing village.") comes with the
      sentence before it, which says what "it" is (cited too), and one pointing up to the code
      before it ("Run the command above to reset the router") with that code."""
    at = {(h.source, h.index): h for h in hits}
    muted = planted_units(hits)  # planted notes and the claims after them on their lines
    by_hit = {(c.hit.source, c.hit.index): c for c in scored}
    out = list(chosen)

    def unit(h: SentenceHit) -> Scored:
        return by_hit.get((h.source, h.index)) or Scored(h, {}, frozenset(), chosen[0].score)

    best = chosen[0]
    nxt = at.get((best.hit.source, best.hit.index + 1))
    prev = at.get((best.hit.source, best.hit.index - 1))
    if (
        prev is not None
        and _POINTS_UP.search(best.hit.text)
        and is_code(prev)
        and (prev.source, prev.index) not in muted
        and not _another_section(prev, best.hit)
        and not any(c.hit is prev for c in out)
    ):
        # "Run the command above to reset the router": the code it points up to is what answers
        out.insert(0, unit(prev))
        return out
    if q.command and not is_code(best.hit):
        if nxt is not None and is_code(nxt):
            out[1:1] = [unit(h) for h in block_after(best.hit, at, muted) if not any(c.hit is h for c in out)]
    elif q.command and prev is not None and lead_in(prev.text) and (prev.source, prev.index) not in muted:
        # The code itself answers; its lead-in ("To undo the last commit but keep its changes,
        # run::") says what it does, so it is quoted before it, as when the lead-in ranks first.
        if not any(c.hit is prev for c in out):
            out.insert(0, unit(prev))
    elif lead_in(best.hit.text) and nxt is not None:
        # A lead-in ("Creating a new repository from scratch is very easy:", "Currently there
        # are three versions of Debian GNU/Linux:") announces what follows: the list or code
        # block after it is what answers, so it is quoted too, each unit cited in its own right.
        out[1:1] = [unit(h) for h in block_after(best.hit, at, muted) if not any(c.hit is h for c in out)]
    elif q.options and nxt is not None and continues_code(nxt, best.hit):
        # "What does git commit -a do?" answered by "$ git commit -a": what it does is the
        # sentence that continues it ("will update the index with any files ...").
        if not any(c.hit is nxt for c in out):
            out.append(unit(nxt))
    elif q.defines and nxt is not None and says_next(q.defines, best.hit.text, nxt.text):
        # "Multi-factor authentication (MFA) is mandatory." / "It requires a second proof of
        # identity ...": what the name is comes in the next sentence, about it.
        if not any(c.hit is nxt for c in out):
            out.append(unit(nxt))
    elif q.how_why and len(out) == 1:
        i = best.hit.index
        if is_code(best.hit):
            # A command answering "how do I ...?" comes with the steps before it in its section
            # ("Count the cash first." over "till close --print-report"), at most HOW_BEFORE.
            j = best.hit.index
            while j > best.hit.index - HOW_BEFORE and (before := at.get((best.hit.source, j - 1))) is not None:
                same_section = heading_path(before.context) == heading_path(best.hit.context)
                if not same_section or is_code(before) or (before.source, before.index) in muted:
                    break
                if _fragment(before.text) or is_title(before) or not _PROSE_STEP.match(before.text):
                    break
                out.insert(0, unit(before))
                j -= 1
        while len(out) < HOW_MAX_SENTENCES:
            nxt = by_hit.get((best.hit.source, i + 1))
            if nxt is None or nxt.score < HOW_RATIO * best.score or _another_section(nxt.hit, best.hit):
                break
            out.append(nxt)
            i += 1
    final: list[Scored] = []
    for c in out:
        prev = at.get((c.hit.source, c.hit.index - 1))
        # A unit opening in lower case after a line of code continues it ("$ git bisect reset"
        # / "to return you to the branch you were on before."): the code is its subject.
        # A line of code is no continuation: it is a command of its own ("docker compose stop db"
        # after another section's "docker compose up -d db").
        after_code = prev is not None and continues_code(c.hit, prev)
        # An option's description under its names' line ("--ignore=N" / "if possible, exclude N
        # processing units"): the option is what it describes, and the answer to "how do I ...";
        # so is the asked term's line over its definition (an HTML <dt>, "Canned response"), not
        # a manual's section heading in capitals ("GIT" over "Part of the git(1) suite").
        describes = prev is not None and (
            options.describes(c.hit.text, prev.text)
            or bool(
                q.defines
                and definitions.key(prev.text) == definitions.key(q.defines)
                and (not prev.text.isupper() or q.defines.isupper())
            )
        )
        # A role under a name's line (a signature: "Martin Delaney" / "Contracts Manager, Apex
        # Sports Surfaces Ltd") answers "who" with the name above it.
        signed = (
            q.kind == "person"
            and prev is not None
            and name_line(prev.text, prev.title)
            and type_match("person", c.hit.text, q.text) == 0.0
        )
        if (
            (
                leans_back(PRONOUN_START, c.hit.text)
                or (not q.names and leans_back(_PERSON_START, c.hit.text))
                or after_code
                or describes
                or signed
            )
            and prev is not None
            and not any(x.hit is prev for x in out + final)
            and (not _fragment(prev.text) or after_code or describes or signed)  # a short command is a subject too
            and (prev.source, prev.index) not in muted
        ):
            final.append(unit(prev))
        final.append(c)
    return _in_reading_order(final) if len(final) > len(chosen) else final


_LEADING_PRONOUN = re.compile(r"^\W*(?:it|this|these|they)\b", re.I)


def says_next(name: str, text: str, following: str) -> bool:
    """True when `text` names `name` and the `following` sentence says what it is, of it by a
    pronoun: "In return you earn comp days." / "These are extra paid days off ...",
    "Multi-factor authentication (MFA) is mandatory." / "It requires a second proof of
    identity ..." (rag.definitions.states, the pronoun read as the name)."""
    pronoun = _LEADING_PRONOUN.match(following)
    if pronoun is None or not definitions.names(text, name):
        return False
    return definitions.states(name + following[pronoun.end() :], name)


BLOCK_MAX_UNITS = 4  # units of a list or code block quoted after its lead-in, at most


def block_after(h: SentenceHit, at: dict, muted: frozenset) -> list[SentenceHit]:
    """The units after `h` (a lead-in, or prose before code) that form the block it introduces:
    the next retrieved unit of its document and, when that is a line of code, a list item or a
    table row (a block is split one line, item or row per unit), the next ones as long as they
    are too, BLOCK_MAX_UNITS at most, another thing's item or row (rag.rivals) left out; a
    fragment or planted text ends it. `at` maps (source, index) to
    the retrieved units; `muted` holds the planted ones' (source, index) (planted_units)."""
    out: list[SentenceHit] = []
    i = h.index + 1
    while len(out) < BLOCK_MAX_UNITS and (nxt := at.get((h.source, i))) is not None:
        if out and not all(is_code(u) or LIST_ITEM.match(u.text) or table_header(u) for u in (out[0], nxt)):
            break
        if nxt.rival and (LIST_ITEM.match(nxt.text) or table_header(nxt)):
            i += 1  # another thing's item or row ("Coffee | 2.40 | 2.60" for a croissant): not quoted
            continue
        # Planted text, or a fragment that is no code line or list item ("$ git init", "- stable"
        # are short): a list's bare number split off ("1.") says nothing.
        fragment = _fragment(nxt.text) and not (is_code(nxt) or LIST_ITEM.match(nxt.text))
        if (nxt.source, nxt.index) in muted or fragment or _another_section(nxt, h):
            break
        out.append(nxt)
        i += 1
    return out


# A heading that numbers a part of one sequence: "2. Connect the router", "Step 2", "Day 3",
# "Week 2: Loops", "Lesson 4", "Step Two", "Part II", "Phase 3"; its label (or none) and number.
_SEQUENCE_HEADING = re.compile(
    rf"^(?:(?P<label>[a-z]+)\s+(?P<n>\d+|[ivx]+|{'|'.join((*NUMBER_WORDS, *ORDINALS, 'last', 'final'))})\b"
    r"|(?P<bare>\d+)[.)](?:\s|$))",
    re.I,
)


def _sequence_label(heading: str) -> str | None:
    """The label of a numbered heading ("step" of "Step 2", "" of "2. Connect"), else None."""
    m = _SEQUENCE_HEADING.match(heading.strip())
    if m is None:
        return None
    return "" if m.group("bare") else m.group("label").lower()


def _another_section(h: SentenceHit, of: SentenceHit) -> bool:
    """True when `h` stands under another heading than `of` and not in a subsection of its: a
    run of steps or a block ends at the next topic ("## Deleting a local branch" after "## Undoing
    the last commit", "## Closing the till" after "## Opening the till", though both name the
    till), not at the next part of one sequence ("### 2. Connect the router" after "### 1.
    Unpack the router", "Day 2" after "Day 1", also from a subsection of "Step 1"), nor in a
    section that goes on under the same heading ("Installing on Linux (continued)")."""
    here, there = heading_path(h.context), heading_path(of.context)
    if here == there or (there and here[: len(there)] == there):
        return False
    k = next((i for i, (a, b) in enumerate(zip(here, there)) if a != b), None)
    if k is None:  # one path holds the other: back up to a parent section, or out of one
        return True
    a, b = here[k], there[k]
    if a.lower().startswith(b.lower()) and not a[len(b) :].strip()[:1].isalnum():
        return False  # "Installing on Linux (continued)"
    label = _sequence_label(a)
    return label is None or label != _sequence_label(b)


def _in_reading_order(chosen: list[Scored]) -> list[Scored]:
    """Sentences of one document read in its order ("... within 14 days ... [1] Refunds are
    paid within five working days. [2]"); from several documents, best first."""
    if len({c.hit.source for c in chosen}) == 1:
        return sorted(chosen, key=lambda c: c.hit.start)
    return chosen


def _names_and_numbers(text: str) -> set[str]:
    return set(name_runs(text, first=True)) | set(re.findall(r"\b\d[\d,.]*", text))


def _adds_names(cand: Scored, chosen: list[Scored]) -> bool:
    return bool(_names_and_numbers(cand.hit.text) - set().union(*(_names_and_numbers(c.hit.text) for c in chosen)))


WINDOW_WORDS = 30  # a long unit without sentence punctuation is quoted as this many words
# A unit that ends a sentence is an edited sentence, quoted whole up to this many words: long
# sentences of news and manuals run 40-70 words, a caption line's cut piece runs ~150.
SENTENCE_WORDS = 3 * WINDOW_WORDS
_SENTENCE_END = re.compile(r"[.!?;:](?:\s|$)")


def window(text: str, q_terms: set[str]) -> tuple[int, int]:
    """(start, end) in `text` of what to quote: all of it, unless it is one line of more than
    WINDOW_WORDS words without sentence punctuation inside it and either no sentence end or more
    than SENTENCE_WORDS words (an auto-caption transcript line, cut by
    rag/chunks.py into long windows); then the WINDOW_WORDS words holding the most question
    terms, starting a few words before the first of them (the answer follows the words the
    question shares with it)."""
    words = list(re.finditer(r"\S+", text))
    body = text.rstrip()
    if len(words) <= WINDOW_WORDS or "\n" in text.strip() or _SENTENCE_END.search(body[:-1]):
        return 0, len(text)
    if len(words) <= SENTENCE_WORDS and body[-1:] in ".!?":  # one long edited sentence: whole
        return 0, len(text)
    hit = [bool(set(terms(w.group())) & q_terms) for w in words]
    counts = [sum(hit[i : i + WINDOW_WORDS]) for i in range(len(words) - WINDOW_WORDS + 1)]
    best = max(range(len(counts)), key=lambda i: (counts[i], -i))
    first = next((j for j in range(best, best + WINDOW_WORDS) if hit[j]), best)
    start = max(0, min(first - 3, len(words) - WINDOW_WORDS))
    return words[start].start(), words[start + WINDOW_WORDS - 1].end()


def cite(chosen: list[Scored], query: str = "", text_of=None) -> tuple[str, list[Citation]]:
    """Answer text with [n] after each sentence; citations numbered 1..N by first use. A long
    unpunctuated unit is quoted as a window around the `query`'s terms (`window`). `text_of(source)`
    (the document's text, or None) finds a table's header row that lies before the row's passage."""
    citations: list[Citation] = []
    parts = []
    q_terms = set(terms(query))
    for s in chosen:
        h = s.hit
        a, b = window(h.text, q_terms)
        if (a, b) != (0, len(h.text)):
            h = replace(h, text=h.text[a:b], start=h.start + a, end=h.start + b)
        header = _header_span(h, text_of)
        if header is not None:  # a table row is quoted under its header row, which says what each cell is
            start, end, text = header
            shown = replace(h.passage, start=min(start, h.passage.start))  # the passage shown holds the header
            n = number(citations, h.source, h.title, text, start, end, s.score, shown)
            part = f"{' '.join(text.split())} [{n}]"
            if part not in parts:
                parts.append(part)
        n = number(citations, h.source, h.title, h.text, h.start, h.end, s.score, h.passage)
        parts.append(f"{' '.join(h.text.split())} [{n}]")  # a quote wrapped over lines reads as one line
    return " ".join(parts), citations


HEADER_LOOKBACK = 4000  # characters before a row's passage searched for its header row


def _header_span(h: SentenceHit, text_of=None) -> tuple[int, int, str] | None:
    """(start, end, text) of a table row's header row in the document, found in the row's
    passage (the context holds it with its spacing collapsed), else in the document's text
    just before the passage (`text_of(source)`: a passage may open at the table's first row);
    None for other units or when not found."""
    header = table_header(h)
    if not header:
        return None
    pattern = r"[ \t]*".join(re.escape(tok) for tok in header.split())
    base, before = h.passage.start, h.passage.text[: max(0, h.start - h.passage.start)]
    found = list(re.finditer(pattern, before))
    if not found and text_of is not None:
        text = text_of(h.source)
        if text and text[h.start : h.end] == h.text:  # the file is the one indexed
            base = max(0, h.passage.start - HEADER_LOOKBACK)
            found = list(re.finditer(pattern, text[base : h.start]))
    if not found:
        return None
    m = found[-1]  # the last header before the row is its own
    return base + m.start(), base + m.end(), m.group()
