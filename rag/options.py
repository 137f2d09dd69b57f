"""Command-line options, as a question asks about them and as a manual defines them.

What it does: `asked(text)` finds the options a question names ("What does gzip -k do?" ->
("-k",)); `asks_meaning(text)` says whether it asks what one does ("what does ... do / mean
/ stand for", "what is ... for", "explain ...", "how does the -y option work"); `defined(unit)`
reads the options a unit of a document defines when it opens a definition list's entry, and
`entry_lines(unit)` finds the entries on its later lines (a `--help` text's rows run on as one
unit). The layouts read, as manual pages, `--help` texts, rST option lists, HTML <dt> and
Markdown lists and tables write them:

    -k --keep                      (a term line: the description is the next unit)
    -z, --gzip, --gunzip           (aliases, comma- or space-separated)
    -N                             (wget: an alias per line, then the description)
    --timestamping
    --color[=WHEN], --colour[=WHEN]
    -o logfile, -F num  or  --fuzz=num, -c N, --clients N
    --verbose, -v    increase verbosity     (term and description on one line)
    - `-k`, `--keep`: keep input files
    | `-p`, `--port PORT` | listen on PORT |

Why a module of its own: the text analysis of rag/text.py drops "-k" (one letter, no
term), so a question about an option read as terms alone is a question about the command
("What does gzip do?"), answered with any sentence about gzip. The retriever fetches the
entries defining the asked option from the retrieved documents (rag/retrieve.py
`Retriever.defining`) and the answerer quotes the entry (rag/answer.py `definition`).

What it deliberately doesn't: read roff sources (a manual page is read as rendered text) or
guess an option's meaning from prose that merely uses it ("use -k with -d"): such a
sentence is left to the answer scorer, as any other.
"""

from __future__ import annotations

import re

ALIAS_LINES = 3  # an entry's options written one per line ("-N" / "--timestamping"), at most

# An option token: "-k", "--keep", "--since=<date>", "--color[=WHEN]". Not inside a word
# ("e-mail", "x86-64").
_NAME = r"--?[A-Za-z][\w-]*"
# A question's option is also a single digit ("xargs -0"), never a longer number ("-15").
_ASKED = re.compile(rf"(?<![\w\-/.])({_NAME}|-\d)(?![\w.,-]\w|[\w-])")
_VALUED = re.compile(rf"(?<![\w\-/.]){_NAME}(?:=\S*)?")
# After an option in a definition: "=ARG", "[=ARG]", " ARG" or " N" in capitals, "<arg>", and
# a lower-case word ending the line or followed by a comma, "or" or the next option ("-O
# file", "-A acclist --accept acclist", "-F num  or  --fuzz=num").
_ARG = r"(?:\[?=[^\s,\]`*:|]*\]?|\s?<[^>\s]+>|\s[A-Z][A-Z_]*\b|\s[a-z][\w-]*(?=[ \t]*(?:,|\n|$|--?[A-Za-z]|or\s))|=)?"
_TOKEN = re.compile(rf"(--?[A-Za-z0-9?][\w-]*){_ARG}")
# Markup before a definition's first option: indentation, a list bullet, a table's border,
# backticks, emphasis, an HTML definition term's tag.
_LEAD = re.compile(r"^\s*(?:[*+\u2022]\s+|-\s+(?=[`*]*-)|\|\s*)?(?:<dt>)?[`*_]*")
_SEP = re.compile(r"[`*_]*(?:\s*[,|/]\s*|[ \t]+(?:or[ \t]+)?)[`*_]*")
_CLOSE = re.compile(r"[`*_]*(?:</dt>)?")
# What may follow a definition's options on its line: a manual's column (two spaces or a
# tab), a colon, a dash or a table's cell border, or one space before a capital ("--help
# Output a usage message").
_DESCRIPTION = re.compile(r"\s{2,}|\t|\s*(?:::?|[\u2013\u2014|])(?:\s|$)|\s+-{1,2}\s|\s[A-Z(]")
# A question asking what an option does: "what" with "do", "mean", "stand for", "for", or
# the word option, flag or switch ("What does the -s flag of bzip2 do?", "What is grep -o
# for?", "In diff, what does -y mean?", "What is the meaning of diff -y?"); "what is -d in
# cut?"; "explain", "describe", "tell me what", "the purpose of", "how does ... work".
_WHAT = re.compile(r"\bwhat\b", re.I)
_MEANING = re.compile(r"\b(?:do|does|did|mean|means|meaning|stand|stands|for|options?|flags?|switch|switches)\b", re.I)
_WHAT_IS = re.compile(rf"\bwhat(?:'s| is| are)\s+(?:the\s+)?`?{_NAME}", re.I)
_ASKS = re.compile(r"\b(?:explain|describe|tell me what|purpose)\b|\bhow does\b.*\bwork\b", re.I)
# What a question says about an option besides naming it: these words are no subject of its own.
GENERIC_WORDS = (
    "option options flag flags switch switches parameter parameters argument arguments command"
    " do does mean means meaning stand use explain describe tell purpose work what"
)


def asked(text: str) -> tuple[str, ...]:
    """The options a question names, in order, once each: "What does tar -z do?" -> ("-z",)."""
    out: list[str] = []
    for m in _ASKED.finditer(text):
        if m.group(1) not in out:
            out.append(m.group(1))
    return tuple(out)


def without(text: str) -> str:
    """`text` with the options it names and their values left out ("What does wget's
    --limit-rate=20k do?" -> "What does wget's  do?"): what else a question names."""
    return _VALUED.sub(" ", text)


def holds(text: str, wanted) -> bool:
    """True when `text` names one of the options `wanted` as a whole token ("-k", not "-kb")."""
    return any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in wanted)


def asks_meaning(text: str) -> bool:
    """True when a question naming an option asks what it does or means."""
    if not asked(text):
        return False
    return bool((_WHAT.search(text) and _MEANING.search(text)) or _WHAT_IS.search(text) or _ASKS.search(text))


def entry_lines(unit: str) -> list[tuple[int, str]]:
    """(offset, line) of each line of a unit that opens a definition list's entry: the first
    line, and later ones that define options with a description on their line (a `--help`
    text's two columns read as one unit)."""
    out, pos = [], 0
    for i, line in enumerate(unit.split("\n")):
        names, description = defined(line)
        if names and (i == 0 or description):
            out.append((pos, line))
        pos += len(line) + 1
    return out


def defined(unit: str) -> tuple[tuple[str, ...], str]:
    """(the options a unit defines, the description that follows them on its line) when the
    unit opens a definition list's entry, else ((), "").

    The unit must open with an option; the options run while tokens are options, joined by
    commas, spaces or "or". The rest of the line is the description ("" for a term line,
    whose description is the next unit). A sentence that only starts with an option and
    runs on as prose ("--silent is used and ...", a wrapped line) is no entry: after the
    options must come the line's end, two spaces or a tab (a manual's column), a colon, a
    dash, or a capital letter."""
    lead = _LEAD.match(unit)
    pos = lead.end() if lead else 0
    names: list[str] = []
    while (m := _TOKEN.match(unit, pos)) is not None:
        names.append(m.group(1))
        pos = m.end()
        sep = _SEP.match(unit, pos)
        if sep is None or not _TOKEN.match(unit, sep.end()):
            break
        pos = sep.end()
    if not names:
        return (), ""
    pos = _CLOSE.match(unit, pos).end()
    line = unit[pos:].split("\n", 1)[0]
    if not line.strip():
        return tuple(names), ""
    if _DESCRIPTION.match(line):
        return tuple(names), line.strip(" \t:|-\u2013\u2014")
    return (), ""
