"""What a document says its own subject is: question -> retrieve -> **answer**, for "What is
tar used for?" and "What does the tac command do?" (rag/question.py `defined_of`).

What it does: finds, in the document about the asked name, the units that define it:
  - the NAME line of a manual page, "gzip, gunzip, zcat - compress or expand files"
    (`name_line`), followed by the first sentence of its DESCRIPTION section;
  - else the first sentence with the name as its subject, "apt-get is the command-line tool
    for handling packages", "The mount command serves to attach ..." (`opener`), as a
    README or a manual without a NAME line writes it.
A document is about the name (`names_document`) when its file name is the name ("tar.txt",
"git-commit.txt" for "git commit", "fastsync-README.md"), or its title is a manual page's
"TAR(1)" header; a NAME line listing the name ("zcat" in gzip's) makes any document one.
`pick` works on unit texts by index, so the retriever (rag/retrieve.py `Retriever.describing`,
fetching these units when the question's own retrieval missed them) and the answerer
(`definition_units`) choose the same units.

What it deliberately doesn't: define names no document is about ("What is a hunk?" stays an
ordinary question for the learned answer scorer), or read a sentence that merely mentions the
name: an opener counts only in the document about the name. Source of the NAME line's form:
man-pages(7), "NAME", whose one-line description whatis(1) and apropos(1) read the same way.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .text import STOPWORDS, terms
from .types import SentenceHit

# A file named for its subject with a suffix saying what kind of text it is: "fastsync-README.md".
_DOC_SUFFIX = re.compile(r"[-_. ](?:readme|manual|man|help|guide|usage|docs?|notes)$", re.I)
# A manual page's header line as its title: "TAR(1)   GNU TAR Manual   TAR(1)".
_MAN_TITLE = re.compile(r"^\s*([\w.+-]+)\(\d\w*\)")
# The man-pages(7) NAME line: names separated by commas, a dash, the one-line description.
_NAME_LINE = re.compile(r"^\s*((?:[\w.+-]+\s*,\s*)*[\w.+-]+)\s+(?:\\?-{1,2}|\u2013|\u2014)\s+\S")
_HEADING = "description"  # the manual section whose first sentence says what the program does
DESCRIBING = 3  # units of the DESCRIPTION section searched for one saying what the program does
# Words a DESCRIPTION sentence opens with when it does not say what the program does.
_NOT_A_VERB = STOPWORDS | {"note", "see", "unless", "since", "although", "historically", "traditionally"}
KINDS = r"command|tool|program|utility|package|library|module|daemon|service|script"


def key(name: str) -> str:
    """A name as one comparable token: "git commit", "Git-Commit" and "git_commit" are one."""
    return re.sub(r"[\s_-]+", "-", name.strip()).casefold()


def names_document(name: str, source: str, title: str) -> bool:
    """True when the document `source` (a path relative to the docs folder) titled `title` is
    about `name`: its file name without suffix, or with a README/help-like suffix removed, is
    the name, or its title is the name's manual page header ("TAR(1) ... TAR(1)")."""
    stem = PurePosixPath(source).name.rsplit(".", 1)[0] if "." in PurePosixPath(source).name else source
    stem = PurePosixPath(stem).name
    wanted = key(name)
    if key(stem) == wanted or key(_DOC_SUFFIX.sub("", stem)) == wanted:
        return True
    m = _MAN_TITLE.match(title)
    return bool(m) and key(m.group(1)) == wanted


def name_line(text: str, name: str) -> bool:
    """True for a manual's NAME line listing `name`: "gzip, gunzip, zcat - compress or expand
    files" for "zcat"; "git-commit - Record changes to the repository" for "git commit"."""
    m = _NAME_LINE.match(text)
    return bool(m) and key(name) in {key(n) for n in m.group(1).split(",")}


def opener(text: str, name: str) -> bool:
    """True for a sentence opening with `name` as its subject and a verb after it: "apt-get is
    the command-line tool ...", "GNU tar is an archiving program ...", "The mount command
    serves to attach ...", "systemctl may be used to ..." (not "tar files are ...": a word in
    -s with a verb after it is a plural noun)."""
    spelled = r"[\s_-]+".join(re.escape(part) for part in re.split(r"[\s_-]+", name.strip()))
    return bool(
        re.match(
            rf"^\W*(?:the\s+|this\s+|gnu\s+)?{spelled}(?:\(\d\w*\))?(?:\s+(?:{KINDS}))?\s+"
            r"(?:is|are|was|can|may|will|[a-z]+[^s\W]s\b(?!\s+(?:is|are|were|can|may|will|have|do)\b))\b",
            text,
            re.I,
        )
    )


def pick(texts: dict[int, str], name: str, named: bool) -> list[int]:
    """The indices of the units that define `name`, in document order, from a document's
    units (index -> text, all of them or those at hand): its NAME line and the DESCRIPTION
    sentence saying what the program does (`_described`); else, in a document about the name (`named`), the
    first `opener`. [] when there is none."""
    order = sorted(texts)
    lines = [i for i in order if name_line(texts[i], name)]
    if lines:
        described = _described(texts, [i for i in order if i > lines[0]], name)
        # "stat - display file or file system status" needs no "Display file or file system status."
        if described and set(terms(texts[described[0]])) <= set(terms(texts[lines[0]])):
            described = []
        return [lines[0]] + described
    if named:
        return [i for i in order if opener(texts[i], name)][:1]
    return []


def _described(texts: dict[int, str], after: list[int], name: str) -> list[int]:
    """The DESCRIPTION sentence that says what the program does, among the units `after` its
    NAME line: the first `opener` of the section's first DESCRIBING units ("chown changes the
    user and/or group ownership ..." after "This manual page documents the GNU version of
    chown."), else its first sentence when that opens with a verb ("Write each FILE to standard
    output, last line first."), not a function word ("The default signal for kill is TERM.",
    "If --list is given, ..."): [] when neither."""
    heading = next((n for n, i in enumerate(after) if texts[i].strip().casefold() == _HEADING), None)
    if heading is None:
        return []
    section = [i for i in after[heading + 1 : heading + 1 + DESCRIBING] if i - after[heading] <= DESCRIBING]
    said = [i for i in section if opener(texts[i], name)]
    if said:
        return said[:1]
    first = re.match(r"\W*([^\W\d_]+)", texts[section[0]]) if section and section[0] == after[heading] + 1 else None
    return [section[0]] if first and first.group(1).casefold() not in _NOT_A_VERB else []


def definition_units(name: str, hits: list[SentenceHit]) -> list[SentenceHit]:
    """The units answering "What is `name`?" among the retrieved `hits`: those `pick` chooses
    in the first document, in rank order, about the name or listing it in a NAME line;
    [] when no retrieved document defines it."""
    docs: dict[str, list[SentenceHit]] = {}
    for h in hits:
        docs.setdefault(h.source, []).append(h)
    for units in docs.values():
        at = {h.index: h for h in units}
        chosen = pick({i: h.text for i, h in at.items()}, name, names_document(name, units[0].source, units[0].title))
        if chosen:
            return [at[i] for i in chosen]
    return []
