"""What a document says its own subject is: question -> retrieve -> **answer**, for "What is
tar used for?" and "What does the tac command do?" (rag/question.py `defined_of`).

What it does: finds, in the document about the asked name, the units that define it:
  - the NAME line of a manual page listing the name, "gzip, gunzip, zcat - compress or
    expand files" (`listing`), followed by the sentence saying what the program does (the
    DESCRIPTION section's, `_described`; a second name's own sentence, "pkill will send ...");
  - else, in a README or a manual without a NAME line, its lead ("Use quern when you need
    to ...", a tagline under its title) or the first sentence with the name as its subject,
    "apt-get is the command-line tool for handling packages", "The mount command serves to
    attach ..." (`opener`, `_introduced`).
For a name no document is about, `states` says whether a sentence says what it is ("A hunk
is ...", not "We tried strace in March"), and `headed` whether a passage stands under a heading
about it: the answerer refuses a what-is answer that does neither (rag/answer.py `compose`).
A document is about the name (`about`) when its file name is the name ("tar.txt",
"git-commit.txt" for "git commit", "fastsync-README.md"), or its title is a manual page's
"TAR(1)" header; a NAME line listing the name ("zcat" in gzip's, `listing`) makes any
document one.
`pick` works on unit texts by index, so the retriever (rag/retrieve.py `Retriever.describing`,
fetching these units when the question's own retrieval missed them) and the answerer
(`definition_units`) choose the same units.

What it deliberately doesn't: define names no document is about ("What is a hunk?" stays an
ordinary question for the learned answer scorer, `states` only vetoes its answer), or read a
sentence that merely mentions the name: an opener counts only in the document about the name.
Source of the NAME line's form: man-pages(7), "NAME", whose one-line description whatis(1) and
apropos(1) read the same way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from . import options
from .question import PROGRAM_KINDS, defined_of
from .text import STOPWORDS, terms
from .types import SentenceHit, heading_path

# A file named for its subject with a suffix saying what kind of text it is: "fastsync-README.md"
# (not "watch-notes.txt": notes about a thing are not its documentation).
_DOC_SUFFIX = re.compile(r"[-_. ](?:readme|manual|man|help|guide|usage|docs?|overview|intro(?:duction)?)$", re.I)
# A manual page's header line as its title: "TAR(1)   GNU TAR Manual   TAR(1)".
_MAN_TITLE = re.compile(r"^\s*([\w.+-]+)\(\d\w*\)")
# The man-pages(7) NAME line: names separated by commas, a dash, the one-line description;
# lz4's repeats its names after the dash ("lz4 - lz4, unlz4, lz4cat - Compress or ...").
_NAMES = r"((?:[\w.+-]+\s*,\s*)*[\w.+-]+)\s+(?:\\?-{1,2}|\u2013|\u2014)\s+"
_NAME_LINE = re.compile(rf"^\s*{_NAMES}(?:{_NAMES})?\S")
_HEADING = "description"  # the manual section whose first sentence says what the program does
DESCRIBING = 3  # units of the DESCRIPTION section searched for one saying what the program does
# Words a DESCRIPTION sentence opens with when it does not say what the program does.
_NOT_A_VERB = STOPWORDS | {"note", "see", "unless", "since", "although", "historically", "traditionally"}
_FULL_STOP = re.compile(r"\.[\"')\]\u2019\u201d*_`]*\s*$")
LEAD = 3  # a document's first units searched for its lead sentence (rag.definitions._introduced)
_SYNOPSIS = re.compile(r"\[\s|\s\]|\{\s|\s\}|\s\|\s")
# A manual speaking of its program: "This command updates the index ..." (git-add's DESCRIPTION).
_SELF = re.compile(rf"^\W*this\s+(?:{PROGRAM_KINDS})\s+(?:is|can|may|will|[a-z]+[^s\W]s)\b", re.I)


def key(name: str) -> str:
    """A name as one comparable token: "git commit", "Git-Commit" and "git_commit" are one."""
    return re.sub(r"[\s_-]+", "-", name.strip()).casefold()


def about(name: str, source: str, title: str) -> int:
    """How plainly the document `source` (a path relative to the docs folder) titled `title`
    is about `name`: 2 when its file name without suffix is the name ("tar.txt") or its title
    is the name's manual page header ("TAR(1) ... TAR(1)"), 1 when its file name is the name
    with a README/help-like suffix ("fastsync-README.md", "teasel.nvim-README.md"), else 0."""
    file = PurePosixPath(source).name
    stem = file.rsplit(".", 1)[0] if "." in file else file
    wanted = key(name)
    m = _MAN_TITLE.match(title)
    if key(stem) == wanted or (m and key(m.group(1)) == wanted):
        return 2
    bare = _DOC_SUFFIX.sub("", stem)
    # "teasel.nvim-README.md" documents teasel, a project named with its platform's suffix
    # (not "ld.so.txt" ld, nor "tar.1.txt" tar: no README-like suffix says so).
    return 1 if key(bare) == wanted or (bare != stem and key(bare.split(".")[0]) == wanted) else 0


def listing(text: str, name: str) -> tuple[int, int, bool] | None:
    """(start, end, is it the first name) of the line of `text` that is a manual's NAME line
    listing `name`: "gzip, gunzip, zcat - compress or expand files" for "zcat" (not first);
    "git-commit - Record changes to the repository" for "git commit"; bzip2's second line,
    "bzcat - decompresses files to stdout", in a unit holding the whole NAME section. None
    when no line lists it."""
    wanted, pos = key(name), 0
    lines = text.split("\n")
    for n, line in enumerate(lines):
        m = _NAME_LINE.match(line)
        if m:
            names = [key(x) for group in m.groups() if group for x in group.split(",")]
            if wanted in names:
                start, end = pos + len(line) - len(line.lstrip()), pos + len(line.rstrip())
                # Its description may wrap onto the next lines ("... or\n ascii"), up to the next name's line.
                for more in lines[n + 1 :]:
                    if not more.strip() or _NAME_LINE.match(more):
                        break
                    end += 1 + len(more.rstrip())
                return start, end, n == 0 and names[0] == wanted
        pos += len(line) + 1
    return None


def _spelled(name: str) -> str:
    """A pattern for `name` however its words are joined: "git commit", "git-commit", "git_commit"."""
    return r"[\s_-]+".join(re.escape(part) for part in re.split(r"[\s_-]+", name.strip()))


def opener(text: str, name: str) -> bool:
    """True for a sentence opening with `name` as its subject and a verb after it: "apt-get is
    the command-line tool ...", "GNU tar is an archiving program ...", "The mount command
    serves to attach ...", "systemctl may be used to ..." (not "tar files are ...": a word in
    -s with a verb after it is a plural noun)."""
    spelled = _spelled(name)
    return bool(
        # A sentence, not a synopsis line ("ip netns exec NETNS ip [ OPTIONS ] OBJECT { COMMAND
        # | help }"): no brackets or braces of a grammar.
        not _SYNOPSIS.search(text)
        and re.match(
            rf"^\W*(?:the\s+|this\s+|gnu\s+)?{spelled}(?:\(\d\w*\))?(?:\s+(?:{PROGRAM_KINDS}))?(?:\s*\([^)]*\))?\s+"
            # Present tense only: "ip was written by Alexey N. Kuznetsov" is its history.
            r"(?:is|are|can|may|will|(?!was\b)[a-z]+[^s\W]s\b(?!\s+(?:is|are|were|can|may|will|have|do)\b))\b",
            text,
            re.I,
        )
    )


# A definition's subject: the name after an article, its last word standing for it ("Conffiles
# is ..." for "Debian conffile"), plural or not, with a kind noun or a parenthesis after it.
_SUBJECT = (
    r"^\W*(?:(?:a|an|the|this|that|each|every|gnu)\s+)?{head}\b['\u2019\"]*"
    r"(?:\s+(?:{kinds}))?(?:\s*\([^)]*\))?,?\s+"
)
# The verb joining it to what it is: a copula or modal, or a verb in -s ("strace traces ...";
# not a plural noun's "tar files are ...").
_DEFINING = (
    r"(?:is|are|was|were|can|may|will|has|have|mean|refer|denote|stand)\b"
    r"|[a-z]+[^siu\W]s\b(?!\s+(?:is|are|were|can|may|will|have|do)\b)"  # not "status", "basis", "grass"
)
# A NAME line, glossary entry or definition list's term: "rsync - a fast ...", "strace: trace
# ...", "surrogate key" alone on its line over its indented definition, or alone as a unit (an
# HTML <dt>, quoted before its definition: rag/excerpt.py `standalone`).
_TERM_OF = r"^\W*{head}\W*(?:(?:\s+-{{1,2}}|\s*:|\s*\u2013|\s*\u2014)\s|[ \t]*\n\s+\w|$)"
_CALLED = r"\b(?:called|named|termed|known\s+as)\s+(?:an?\s+|the\s+)?[\"'\u201c\u2018*_`]*{head}\b"
# The name with an apposition saying what it is, wherever it stands: "as Riverline, a
# 12-kilometre tram line ...", "Orla, our payroll system, ...", "Hot-desking, which means ...",
# "a tasca \u2014 a small, family-run tavern", "Single sign-on (SSO) lets ...".
_APPOSED = (
    r"(?<![\w-]){name}\W?\s*(?:,|\s[-\u2013\u2014]{{1,2}}|\()\s*"
    r"(?:a|an|the|our|your|their|its|which|who|one\s+of)\s"
    r"|(?<![\w-]){name}\s+[\u2013\u2014]\s+[a-z]+ing\b"  # "run on chemosynthesis \u2014 making food from ..."
    r"|\(\W*{name}\W*\)"
    r"|\bby\s+(?:the\s+term\s+)?\W?{word}\W?\s+we\s+mean\b"  # "By runbook we mean ..."
    r"|(?<![\w-]){name}\s*:\s+\S+(?:\s+\S+){{3}}"  # "A note on harissa: the name refers to ..."
    r"|^\W*{name}\s*\|"  # a table's first cell: "| PO | Purchase order: ..."
)


def states(text: str, name: str) -> bool:
    """True when the sentence `text` says what `name` is, not merely names it: the name is the
    subject of a defining verb ("A bare repository is ...", "Conffiles is a list ...", "strace
    (the tracer) traces ...", `_SUBJECT`), the term of a NAME line or glossary entry ("rsync -
    a fast file-copying tool", "rsync: ..."), what something is called ("... is called a hunk",
    "known as rsync"), or in an apposition that says it (`_APPOSED`: "Orla, our payroll
    system, ...", "Single sign-on (SSO) lets ...", "By runbook we mean ..."). "We tried strace
    in March." and "... to replace a pile of rsync scripts." only mention it.

    Source: the copula and "called"/"known as" patterns of definition extraction (Klavans and
    Muresan, DEFINDER, 2001; Westerhout, 2009), kept to the sentence's start for the subject."""
    last = re.split(r"[\s_-]+", name.strip())[-1]
    if last.endswith("y"):
        plural = rf"{re.escape(last[:-1])}(?:y|ies)"
    elif last.endswith("s") and len(last) > 3:  # "slip days": "Spending a slip day gives ..."
        plural = rf"{re.escape(last[:-1])}s?"
    else:
        plural = rf"{re.escape(last)}(?:s|es)?"
    head = rf"(?:[\w./+-]+[\s_-]+){{0,2}}{plural}"  # up to two words before its last one
    subject = _SUBJECT.format(head=head, kinds=f"{PROGRAM_KINDS}|setting|option|variable")
    # A clause may open after a dash, colon or semicolon: "for anyone new \u2014 dogfooding is when ...".
    clauses = [text, *(text[m.end() :] for m in re.finditer(r"\s[\u2013\u2014]\s|[:;]\s", text))]
    return bool(
        any(re.match(subject + rf"(?:{_DEFINING})", clause, re.I) for clause in clauses)
        or re.match(_TERM_OF.format(head=head), text, re.I)
        or re.search(_CALLED.format(head=head), text, re.I)
        or any(re.search(_APPOSED.format(name=_spelled(name), word=re.escape(w)), text, re.I) for w in name.split())
        or _quoted_term(text, name)
    )


def _quoted_term(text: str, name: str) -> bool:
    """True when the sentence puts a word of `name` in quotation marks as a term it introduces:
    'contains a "bare" git repository--it is just ...', 'it stays in the "incoming" directory'."""
    words = [w for w in re.split(r"[\s_-]+", name.strip()) if len(w) > 2 and w.casefold() not in STOPWORDS]
    return any(re.search(rf"[\"\u201c]{re.escape(w)}[\"\u201d]", text, re.I) for w in words)


def names(text: str, name: str) -> bool:
    """True when `text` holds `name`, however its words are joined, as whole words."""
    return bool(re.search(rf"(?<![\w-]){_spelled(name)}(?![\w-])", text, re.I))


def headed(name: str, title: str, context: str) -> bool:
    """True when a passage's title or one of its headings is `name` ("git stash" over a
    glossary's entry) or asks what it is (an FAQ entry titled 'What is "incoming"?',
    rag/question.py `defined_of`): the passage is about it, and may say what it is in any form
    ("... it stays for a short while in the "incoming" directory before ..."). A title that
    merely holds the name ("GIT-ADD(1)  Git Manual") is none."""
    wanted = key(name)
    headings = [title, *re.split(r"\n| > ", context)]
    return any(key(h.strip(" #*_`\"'")) == wanted or key(defined_of(h.strip()) or "") == wanted for h in headings if h)


def pick(texts: dict[int, str], name: str, named: bool, sections: dict[int, str] | None = None) -> list[int]:
    """The indices of the units that define `name`, in document order, from a document's
    units (index -> text, all of them or those at hand; `sections`: index -> the unit's
    heading, when its document has headings): its NAME line and the sentence saying what the
    program does (`_described`); else, in a document about the name (`named`), the first
    `opener`. [] when there is none."""
    order = sorted(texts)
    line = next(((i, found) for i in order if (found := listing(texts[i], name))), None)
    if line is None:
        return _introduced(texts, order, name) if named else []
    i, (start, end, first) = line
    after = [j for j in order if j > i]
    # A second name of the page (bzip2's "bzcat", pgrep's "pkill") has its own sentence or none:
    # the DESCRIPTION's first one is about the first name.
    described = (
        _described(texts, after, name, sections or {}) if first else [j for j in after if opener(texts[j], name)][:1]
    )
    # "stat - display file or file system status" needs no "Display file or file system status."
    if described and set(terms(texts[described[0]])) <= set(terms(texts[i][start:end])):
        described = []
    return [i] + described


def _introduced(texts: dict[int, str], order: list[int], name: str) -> list[int]:
    """How a document about `name` without a NAME line introduces it. Its first unit after
    badges and markup, when a statement, is its tagline or lead ("Tail many log files in one
    terminal, ...", "Use quern when you need to turn ..."). Otherwise the first statement of
    its first LEAD such units (after a code line or a greeting ending in "!") when that names
    it; else its first `opener` ending in a full stop ("quillsync keeps a folder of Markdown
    notes ...", not the example "thistlectl flags list --project checkout"); else that
    statement all the same. Without one among the units at hand, which must run from the
    first: its first opener."""
    openers = [i for i in order if opener(texts[i], name)]
    first = [i for n, i in enumerate(order) if i == n]  # the units at hand that run from the first
    prose = [i for i in first if not _MARKUP.match(texts[i])][:LEAD]
    lead = next((i for i in prose if _statement(texts[i])), None)
    if lead is None:
        return openers[:1]
    stated = [i for i in openers if _FULL_STOP.search(texts[i])]
    if lead != prose[0] and stated and not names(texts[lead], name):
        return stated[:1]
    return [lead]


_MARKUP = re.compile(r"\s*[\[!<`|#]")  # a badge, an image, a tag, code, a table row, a heading


def _statement(text: str) -> bool:
    """A statement of prose: four words or more ending in a full stop, not an option entry or
    markup."""
    return (
        len(text.split()) >= 4
        and bool(_FULL_STOP.search(text))
        and not re.match(r"\s*-", text)
        and not _MARKUP.match(text)
    )


def _described(texts: dict[int, str], after: list[int], name: str, sections: dict[int, str]) -> list[int]:
    """The sentence that says what the program does, among the units `after` its NAME line:
    the first `opener` of the DESCRIPTION section's first DESCRIBING units ("chown changes the
    user and/or group ownership ..." after "This manual page documents the GNU version of
    chown.", or "This command updates the index ..."), else the section's first sentence when
    that opens with a verb ("Write each FILE to standard output, last line first."), not a
    function word ("The default signal for kill is TERM.", "If --list is given, ..."); in a
    page without a DESCRIPTION heading, its first `opener` ("jq can transform JSON in various
    ways"). The heading is a unit of its own, or the section of the units under it (a plain
    text's line in capitals: rag.chunks.caps_heading). [] when none."""
    heading = next((i for i in after if texts[i].strip().casefold() == _HEADING), None)
    if heading is None:  # the heading as context: it stands just before its section's first unit
        heading = next((i - 1 for i in after if sections.get(i, "").strip().casefold() == _HEADING), None)
    if heading is None:
        return [i for i in after if opener(texts[i], name)][:1]
    # The section starts after the option entries it may open with (expr's "--help display
    # this help and exit", "--version" and its line): they say nothing of the program.
    start = heading + _entries(texts, heading + 1)
    section = [i for i in after if heading < i and start < i <= start + DESCRIBING]
    said = [i for i in section if opener(texts[i], name) or _SELF.match(texts[i])]
    if said:
        return said[:1]
    first = re.match(r"\W*([^\W\d_]+)", texts[section[0]]) if section and section[0] == start + 1 else None
    return [section[0]] if first and first.group(1).casefold() not in _NOT_A_VERB else []


def _entries(texts: dict[int, str], i: int) -> int:
    """How many units from index `i` on are option entries: a unit opening with an option
    ("--help display this help and exit"), and the unit after one that holds only its
    names ("--version", then "output version information and exit": rag.options.describes)."""
    n = 0
    while re.match(r"\s*-{1,2}[A-Za-z]", text := texts.get(i + n, "")):
        n += 2 if options.describes(texts.get(i + n + 1, ""), text) else 1
    return n


def definition_units(name: str, hits: list[SentenceHit]) -> list[SentenceHit]:
    """The units answering "What is `name`?" among the retrieved `hits`, as `pick` chooses
    them, from the document that defines it best: one whose NAME line lists the name, then
    the one most plainly about it (`about`: watch(1)'s page, not "watch-notes.txt"), then the
    best-ranked; a NAME section's unit is cut to the line listing the name. [] when no
    retrieved document defines it."""
    docs: dict[str, list[SentenceHit]] = {}
    for h in hits:
        docs.setdefault(h.source, []).append(h)
    best = None
    for rank, units in enumerate(docs.values()):
        at = {h.index: h for h in units}
        strength = about(name, units[0].source, units[0].title)
        sections = {i: "".join(heading_path(h.context)[-1:]) for i, h in at.items()}  # innermost headings
        chosen = pick({i: h.text for i, h in at.items()}, name, strength > 0, sections)
        if chosen:
            found = listing(at[chosen[0]].text, name)
            order = (found is not None, strength, -rank)
            if best is None or order > best[0]:
                best = (order, [at[i] for i in chosen], found)
    if best is None:
        return []
    _, chosen, found = best
    if found is not None:
        start, end, _ = found
        h = chosen[0]
        chosen[0] = replace(h, text=h.text[start:end], start=h.start + start, end=h.start + end)
    return chosen
