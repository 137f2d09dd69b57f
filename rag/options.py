"""Command-line options, as a question asks about them and as a manual defines them.

What it does, for questions: `asked(text)` finds the options a question names ("What does
gzip -k do?" -> ("-k",)); `asks_meaning(text)` says whether it asks what one does, the asking
words governing the option ("what does ... -k ... do / mean / stand for", "what is grep -o
for", "what's -k in gzip", "explain ...", "how does the -y option work"; not "What do I do if
git push -f fails?", but "the difference between -r and -a"); `typed(text)` reads an editor's
dashes as a program's ("\u2014all" -> "--all"); `bundled(option)` splits a bundle of one-letter
options ("-xzf" -> -x, -z, -f; "-A3" -> -A); `commands(text)` pairs each option with the
command written before it ("tar -x and gzip -d"); `subject(text)` is what else it names.

For documents: `defined(unit)` reads the options a unit defines when it opens a definition
list's entry, and `entry_lines(unit)` finds the entries on its later lines too (a `--help`
text's rows run on as one unit). The layouts read, as manual pages, `--help` texts, rST
option lists, HTML <dt>, AsciiDoc and Markdown lists and tables write them:

    -k --keep                      (a term line: the description is the next unit)
    -z, --gzip, --gunzip           (aliases, comma- or space-separated)
    -N                             (wget: an alias per line, then the description)
    --timestamping
    --color[=WHEN], --colour[=WHEN]
    -o logfile, -F num  or  --fuzz=num, -c N, --clients N, -# --fast --best, -<number>, -n <number>
    -i, --install package-file...,  -L [bind_address:]port,  -u, --unit=UNIT|PATTERN,  -i[SUFFIX]
    -exec command ;,  -exec command {} +
    --verbose, -v    increase verbosity     (term and description on one line)
    -c, --compression=LEVEL compression level   (one space after a value in capitals)
    - `-k`, `--keep`: keep input files
    | `-p`, `--port PORT` | listen on PORT |
    --retry-failed::
    ### `--force`, `-f`             (a heading per option: the text under it answers)

Which units answer: `entry_for(options, subject, hits)` is the entry of each option asked
with its description, in the document about the command asked (its file name, title or
headings name it, else its entry text does; `best_named`: the manual the question names
best); `entries_for(text, options, hits)` takes each option's entry from its own command's
manual when the question names several commands; `may_answer` says which other sentences
may answer when no entry does (those naming the option, or continuing a command line that
names it).

What it deliberately doesn't: read roff sources (a manual page is read as rendered text) or
guess an option's meaning from prose that merely uses it ("use -k with -d"): such a
sentence is left to the answer scorer, as any other.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .language import fragment as _fragment
from .text import terms
from .types import SentenceHit

ALIAS_LINES = 6  # an entry's forms written one per line (wget's "-N" / "--timestamping", ssh's five -R), at most
DESCRIBED = 8  # words that make an entry described: past it, the better-ranked entry answers

# An option token: "-k", "--keep", "--since=<date>", "--color[=WHEN]". Not inside a word
# ("e-mail", "x86-64").
_NAME = r"--?[A-Za-z][\w-]*"
# A question's option is also a single digit ("xargs -0"), never a longer number ("-15").
_ASKED = re.compile(rf"(?<![\w\-/.])({_NAME}|-\d)(?![\w.,-]\w|[\w-])")
_WORD_BEFORE = re.compile(r"[A-Za-z][\w.+-]*")
_BUNDLE = re.compile(r"-([A-Za-z]+)(\d*)")
# An option's dashes as a word processor types them: an en or em dash before a word.
_TYPOGRAPHIC = re.compile(r"(?<![\w-])[\u2013\u2014]([A-Za-z][\w-]*)")
_VALUED = re.compile(rf"(?<![\w\-/.])(?:{_NAME}|-\d(?![\w.,-]\w|[\w-]))(?:=\S*)?")
# After an option in a definition: "=ARG", "[=ARG]", "[ARG]", " [arg]", " ARG" or " N" in
# capitals, "<arg>", each perhaps repeated ("..."); a value may hold bracketed parts, a brace's
# choices or alternatives ("--lines=[+]NUM", "--follow[={name|descriptor}]", "--unit=UNIT|PATTERN",
# "-b [[ID][±offset]|all]", "-L [bind_address:]port:host:hostport", "-i[SUFFIX]"), and
# a lower-case word ending the line or followed by a comma, "or" or the next option ("-O
# file", "-A acclist --accept acclist", "-F num  or  --fuzz=num", "-c cmd : program ..."); a
# conjunction is none ("--keep-base and --onto" pairs two options in prose).
_LOWER_ARG = (
    r"\s(?!(?:and|or|with|vs|versus|then)\b)[a-z][\w:./-]*(?:\[[^\]\s]*\])?(?:\.\.\.|\u2026)?"
    r"(?=[ \t]*(?:,|\n|$|--?[A-Za-z]|or\s|:\s))"
)
_VALUE = r"(?:\[[^\]\s]*\]|\{[^}\s]*\}|\|(?=[^\s|`])|[^\s,\]`*:|{\[])*"
# find's actions end with the shell word that ends them: "-exec command ;", "-exec command {} +".
_ACTION_ARG = r"\s[a-z][\w-]*(?:\s\{\})?\s\\?[;+](?=[ \t]*(?:\n|$))"
_ARG = (
    rf"(?:\[\S*?\](?=[\s,]|$)|\[?={_VALUE}\]?|\s?<[^>\s]+>(?:\.\.\.)?|\s\[[^\s,]+"
    rf"|\s[A-Z][A-Z_]*\b(?:\.\.\.)?|{_ACTION_ARG}|{_LOWER_ARG}|=)?"
)
# An option, or a manual's placeholder for a number given as one ("-<number>": git log -3).
_TOKEN = re.compile(rf"(--?[A-Za-z0-9?#][\w-]*|-<[\w-]+>){_ARG}")
# How a manual writes "any digit" as an option: gzip's "-#" (-1 to -9), git log's "-<number>".
NUMBER = "-#"
# A --help row whose value is in capitals may run on after one space: "--compression=LEVEL compression level".
_CAPITAL_VALUE = re.compile(r"\[?=[A-Z][A-Z_]*\]?$")
# Markup before a definition's first option: indentation, a list bullet, a table's border,
# backticks, emphasis, an HTML definition term's tag.
_LEAD = re.compile(r"^\s*(?:[*+\u2022]\s+|-\s+(?=[`*]*-)|\|\s*)?(?:<dt>)?[`*_]*")
_SEP = re.compile(r"[`*_]*(?:\s*[,|/]\s*|[ \t]+(?:or[ \t]+)?)[`*_]*")
_CLOSE = re.compile(r"[`*_]*(?:</dt>)?")
# What may follow a definition's options on its line: a manual's column (two spaces or a
# tab), a colon, a dash or a table's cell border, or one space before a capital ("--help
# Output a usage message").
_DESCRIPTION = re.compile(r"\s{2,}|\t|\s*(?:::?|[\u2013\u2014|])(?:\s|$)|\s+-{1,2}\s|\s[A-Z(]")
# A question asking what an option does: the asking words govern the option, so "What do I
# do if git push -f fails?" and "What is the default for --depth?" ask something else.
_OPT = rf"`?(?:{_NAME}|-\d)(?:=\S*)?`?"
_IS = r"\bwhat(?:\s+is|\s+are|['\u2019]s)"
_MEANING = re.compile(
    "|".join(
        [
            rf"\bwhat\s+(?:does|do|did)\b.*?{_OPT}.*\b(?:do|does|mean|means|stand\s+for)\b",  # what does gzip -k do
            rf"{_IS}\b.*?{_OPT}.*\bfor\W*$",  # what is grep -o for
            # what is -d in cut / what's gzip -k / what is the -z option of tar
            rf"{_IS}\s+(?:the\s+)?(?:(?!(?:for|of|in|about)\b)[\w.+-]+\s+){{0,2}}{_OPT}"
            r"(?:\s+(?:option|flag|switch))?(?:\s+(?:in|of|for)\s+(?:the\s+)?[\w.+'\u2019-]+(?:\s+command)?)?\W*$",
            # ls -a: what does it do / I keep seeing -y in our scripts. What does that option do?
            rf"{_OPT}.*\bwhat\s+(?:does|do|is)\s+(?:it|that|this)\b(?:\s+(?:option|flag|switch))?(?:\s+\w+)?\s+(?:do|mean|for)\W*$",
            rf"\b(?:meaning|purpose)\s+of\b.*?{_OPT}",
            rf"\b(?:explain|describe)\b.*?{_OPT}",
            rf"\btell\s+me\s+what\b.*?{_OPT}",
            rf"\bhow\s+does\b.*?{_OPT}.*?\bwork",
            # two options compared: "the difference between -r and -a", "--cached vs --staged"
            rf"\bdifferen(?:ce|ces|t)\b.*?{_OPT}.*?\b(?:and|from|to)\b.*?{_OPT}",
            rf"{_OPT}.*?\b(?:vs|versus)\b.*?{_OPT}",
            rf"{_OPT}.*?\bdiffer(?:s|ent)?\s+(?:from|to)\b.*?{_OPT}",
        ]
    ),
    re.I,
)
# What a question says about an option besides naming it: these words are no subject of its own.
GENERIC_WORDS = (
    "option options flag flags switch switches parameter parameters argument arguments command"
    " do does mean means meaning stand use explain describe tell purpose work what actually exactly"
    " difference differences different differ differs versus vs compare"
    " run runs running ran call calls type typed typing pass passing"
)


def typed(text: str) -> str:
    """`text` with an option whose dashes a word processor made typographic written as a
    program reads it: "—all" or "–all" -> "--all" (an editor's "--" autocorrected to a dash),
    "–l" -> "-l" (one letter: a short option)."""
    return _TYPOGRAPHIC.sub(lambda m: ("-" if len(m.group(1)) == 1 else "--") + m.group(1), text)


def asked(text: str) -> tuple[str, ...]:
    """The options a question names, in order, once each: "What does tar -z do?" -> ("-z",)."""
    out: list[str] = []
    for m in _ASKED.finditer(typed(text)):
        if m.group(1) not in out:
            out.append(m.group(1))
    return tuple(out)


def bundled(option: str) -> tuple[str, ...]:
    """The one-letter options a bundle of them stands for, in order, once each: "-xzf" ->
    ("-x", "-z", "-f"), "-la" -> ("-l", "-a") (POSIX utility syntax guideline 5: options without
    arguments may be grouped behind one "-"); a letter with its value joined to it stands for
    that letter ("-A3", "-T0" -> ("-A",), guideline 6's joined form); () for a single option
    ("-k", "--keep"). Whether a manual defines the bundle itself (find's "-name") is for
    `entry_for` to find out first."""
    m = _BUNDLE.fullmatch(option)
    if m is None or (m.group(2) and len(m.group(1)) > 1) or len(m.group(1) + m.group(2)) < 2:
        return ()
    return tuple(dict.fromkeys(f"-{c}" for c in m.group(1)))


def expanded(wanted) -> tuple[str, ...]:
    """`wanted` with the one-letter options of each bundle after it: ("-xzf",) -> ("-xzf",
    "-x", "-z", "-f"), and a digit with the manual's placeholder for one ("-9" -> "-9", "-#");
    what a manual's entries are looked up by."""
    return tuple(dict.fromkeys(o for option in wanted for o in (option, *bundled(option), *_number(option))))


def _number(option: str) -> tuple[str, ...]:
    """(NUMBER,) for a digit option ("gzip -9", "git log -3"): a manual defines them all as one."""
    return (NUMBER,) if re.fullmatch(r"-\d", option) else ()


def without(text: str) -> str:
    """`text` with the options it names and their values left out ("What does wget's
    --limit-rate=20k do?" -> "What does wget's  do?"): what else a question names."""
    return _VALUED.sub(" ", typed(text))


def holds(text: str, wanted) -> bool:
    """True when `text` names one of the options `wanted` as a whole token ("-k", not "-kb")."""
    return any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in wanted)


def asks_meaning(text: str, named: tuple[str, ...] | None = None) -> bool:
    """True when a question naming an option asks what it does or means ("What does gzip -k
    do?", "In diff, what does -y mean?", "What is grep -o for?", "What's -k in gzip?",
    "Explain cut's --complement option"); not "What do I do if git push -f fails?".
    `named`: the options `asked(text)` found, when the caller has them already."""
    return bool(asked(text) if named is None else named) and bool(_MEANING.search(typed(text)))


def entry_lines(unit: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """(offset, line, its options) of each line of a unit that opens a definition list's
    entry: the first line, and later ones that define options with a description on their
    line (a `--help` text's two columns read as one unit)."""
    out, pos = [], 0
    for i, line in enumerate(unit.split("\n")):
        names, description = defined(line)
        if names and (i == 0 or description):
            out.append((pos, line, names))
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
    dash, or a capital letter, and then a word (find's example line "-name afile  -o  \\(" is none)."""
    lead = _LEAD.match(unit)
    pos = lead.end() if lead else 0
    names: list[str] = []
    last = ""
    while (m := _TOKEN.match(unit, pos)) is not None:
        names.append(NUMBER if m.group(1).startswith("-<") else m.group(1))
        last, pos = m.group(0), m.end()
        sep = _SEP.match(unit, pos)
        if sep is None or not _TOKEN.match(unit, sep.end()):
            break
        pos = sep.end()
    if not names or len(set(names)) < len(names):
        return (), ""  # an option twice is an expression, not an entry: find's "-name afile -o -name bfile"
    pos = _CLOSE.match(unit, pos).end()
    line = unit[pos:].split("\n", 1)[0]
    if not line.strip():
        return tuple(names), ""
    description = line.strip(" \t:|-\u2013\u2014")
    # Only punctuation after the options is no description: find's example "-name afile  -o  \(";
    # a marker alone ("-a::") ends a term line.
    if _DESCRIPTION.match(line) and (not description or any(c.isalnum() for c in description)):
        return tuple(names), description
    if re.match(r" [a-z]\w", line) and _CAPITAL_VALUE.search(last):
        return tuple(names), description
    return (), ""


def describes(unit: str, before: str) -> bool:
    """True when `unit` is the description of the entry whose names make up the line `before`
    ("-a, --append" / "Append the output to file or to typescript, ..."): `before` is a term
    line (`defined` gives names and no description) and `unit` opens no entry of its own."""
    names, description = defined(before)
    return bool(names) and not description and "\n" not in before.strip() and not defined(unit)[0]


# --- which units answer ----------------------------------------------------------------------

_GENERIC = frozenset(terms(GENERIC_WORDS))


def subject(question: str) -> set[str]:
    """What a question about an option names besides it, as terms: the command ("gzip" in
    "What does gzip -k do?"); the option, its value and words such as "option" or "do" left out."""
    return set(terms(without(question))) - _GENERIC


def commands(question: str) -> list[tuple[str, str]]:
    """Each option the question names, in order, with the command written right before it (up
    to two words: "git push --amend" -> "git push"); "" when no command word precedes it
    ("What is -d in cut?"). "What do tar -x and gzip -d do?" -> [("-x", "tar"), ("-d", "gzip")]:
    two commands, two manuals."""
    text = typed(question)
    out = []
    for m in _ASKED.finditer(text):
        named: list[str] = []
        for word in reversed(_WORD_BEFORE.findall(text[: m.start()])[-2:]):
            if not [t for t in terms(word) if t not in _GENERIC]:
                break
            named.insert(0, word)
        out.append((m.group(1), " ".join(named)))
    return out


def several_commands(question: str, pairs: list[tuple[str, str]] | None = None) -> list[str]:
    """The commands a question names options of, in order, when there are two or more ("ssh -p
    and scp -P" -> ["ssh", "scp"]); [] otherwise. `pairs`: `commands(question)`, when the
    caller has it already."""
    named = list(dict.fromkeys(c for _, c in (commands(question) if pairs is None else pairs) if c))
    return named if len(named) > 1 else []


def entries_for(question: str, wanted, hits: list[SentenceHit], excluded=lambda text: False) -> list[SentenceHit]:
    """`entry_for` for a question's options (`wanted`, from Question.options); when it names
    options of two or more commands ("the difference between gzip -k and xz -k", "ssh -p and
    scp -P"), each option's entry comes from its own command's manual, in the question's order."""
    about = subject(question)
    pairs = commands(question)
    if not several_commands(question, pairs):
        return entry_for(wanted, about, hits, excluded)
    units: list[SentenceHit] = []
    typed_here = {o for o, _ in pairs}
    for option, command in pairs:
        # The lower-case reading of an ALL CAPS question's option, not of "scp -P" beside "ssh -p".
        lower = () if option.lower() in typed_here else (option.lower(),)
        readings = tuple(dict.fromkeys(o for o in (*lower, option) if o in wanted))
        if readings:
            # Only a document whose name, title or headings name this option's command: scp's
            # -p is no answer to "ssh -p", though scp's manual mentions ssh often.
            named = set(terms(command)) if command else about
            own = [h for h in hits if not command or _naming(named, h)]
            _extend(units, entry_for(readings, named, own, excluded))
    return units


def _headings(context: str) -> list[str]:
    """The headings of a unit's heading path, outermost first ("Flags > `--force`, `-f`")."""
    return [part for line in context.split("\n") for part in line.split(" > ") if part.strip()]


@lru_cache(maxsize=4096)
def _place(source: str, title: str, context: str) -> frozenset[str]:
    """The terms of where a unit stands: its file name, title and headings. Read for every
    retrieved unit by best_named, entries_for and entry_for, so computed once per place."""
    return frozenset(terms(f"{source} {title} {context}"))


def _naming(about: set[str], h: SentenceHit) -> int:
    """How many of the question's subject terms the unit's file name, title and headings hold:
    git-push's manual names "git push" twice, git-commit's once."""
    return len(about & _place(h.source, h.title, h.context))


def _defines_some(h: SentenceHit) -> bool:
    """The unit opens an option's entry, or its heading names one: its document is a manual."""
    return bool(entry_lines(h.text)) or any(defined(x)[0] for x in _headings(h.context)[-1:])


def best_named(about: set[str], hits: list[SentenceHit]) -> set[str] | None:
    """The documents among `hits` whose file name, title and headings name the question's
    command as fully as the best-named manual's do (`_naming`), or as a document naming all of
    `about` does; None when none names it.
    The manual the question names is the one to answer from: git-commit's --amend is no answer
    to "What does git push --amend do?", git-checkout's -f none to "What does head -f do?"."""
    # A manual, or any document naming all the question names: git-push's retrieved passages
    # may hold no entry at all, and still it is the manual of "git push".
    need = max((n for h in hits if (n := _naming(about, h)) and (n == len(about) or _defines_some(h))), default=0)
    if not need:
        return None
    return {h.source for h in hits if _naming(about, h) >= need}


def _named(about: set[str], units: list[SentenceHit]) -> int:
    """How plainly the units' document is about what the question names (the command): 2 when
    its file name, title, heading path or the chunk's recurring names hold one of `about`'s
    terms (or `about` is empty), 1 when only the units' own text does, else 0. ls's manual,
    which says "sort" often, is no answer to "What does sort -n do?"."""
    h = units[0]
    if not about or about & _place(h.source, h.title, h.context) or about & set(terms(h.passage.subjects)):
        return 2
    return 1 if about & set(terms(" ".join(u.text for u in units))) else 0


def may_answer(wanted, about: set[str], h: SentenceHit, before: str) -> bool:
    """True when a unit may say what an option does, in a manual that defines none of `wanted`
    for the command: it names one, or continues the unit `before` it (it opens in lower case),
    which does ("$ git commit -a" / "will update the index with any files ..."), or its
    heading does ("### `--force`"), as the command's own option (`_names_for`); and its
    document is about the command (`_named`)."""
    held = (
        _names_for(h.text, wanted, about)
        or (h.text.lstrip()[:1].islower() and _names_for(before, wanted, about))
        or any(set(wanted) & set(defined(line)[0]) for line in _headings(h.context))
    )
    return held and _named(about, [h]) > 0


def _names_for(text: str, wanted, about: set[str]) -> bool:
    """True when `text` names one of `wanted` other than as another command's option: git-push's
    'replace it with "git commit --amend"' names git commit's --amend, no answer to "What does
    git push --amend do?" (the command words before it, `commands`, neither within the
    question's subject `about` nor holding it)."""
    if not holds(text, wanted):
        return False
    said = [set(terms(command)) - _GENERIC for option, command in commands(text) if option in wanted]
    return not said or any(not s or not about or s <= about or about <= s for s in said)


def _entry(h: SentenceHit, at: dict, excluded) -> list[SentenceHit]:
    """The units of the definition list's entry `h` opens: `h` alone, to the end of its
    description on its line and the lines it wraps onto ("--dry-run, -n   perform a trial
    run"), or whole when the description starts on its next line; else `h` with the units
    before and after it that only name more of its options (wget's "-N" / "--timestamping",
    one per line) and the description after them, and the unit after that when the
    description is a fragment ("Test." in gzip's "-t --test"). [] when no description follows
    (the next unit is another entry's, missing, or `excluded`: planted text)."""
    names, description = defined(h.text)
    if description:
        lines = h.text.split("\n")
        keep = 1
        while keep < len(lines) and lines[keep].strip() and not _TOKEN.match(lines[keep].strip()):
            keep += 1  # the description wraps onto the next line; a line opening with an option is a row
        text = "\n".join(lines[:keep]).rstrip()
        return [replace(h, text=text, end=h.start + len(text))]
    if "\n" in h.text.strip() and not defined(h.text.split("\n", 1)[1].strip())[0]:
        return [h]  # the description on the entry's next line, in the same unit
    units = [h]
    while (nxt := at.get((h.source, units[-1].index + 1))) is not None and not excluded(nxt.text):
        more, described = defined(nxt.text)
        if not more:
            # The aliases' lines before `h` share its description ("-N" above "--newer").
            while len(units) <= ALIAS_LINES and (prev := at.get((h.source, units[0].index - 1))) is not None:
                before, described = defined(prev.text)
                if not before or described or "\n" in prev.text.strip() or excluded(prev.text):
                    break
                units.insert(0, prev)
            units.append(nxt)
            after = at.get((h.source, nxt.index + 1))
            if _fragment(nxt.text) and after is not None and not defined(after.text)[0] and not excluded(after.text):
                units.append(after)
            return units
        if described or len(units) == ALIAS_LINES:
            return []
        units.append(nxt)
    return []


def _entries(h: SentenceHit, at: dict, option: str, excluded):
    """(is it on a later line of `h`, the units) for each entry of `h` defining `option`: one
    opening `h` or a later line of it (a --help row), or `h` itself when its heading defines
    it and it opens that heading's text (Markdown's "### `--force`, `-f`")."""
    for offset, line, names in entry_lines(h.text):
        if option in names or set(_number(option)) & set(names):
            # A later line of the unit (a --help text's row) is quoted from where it starts.
            if offset:
                offset += len(line) - len(line.lstrip())
            entry = h if offset == 0 else replace(h, text=h.text[offset:], start=h.start + offset)
            yield offset > 0, _entry(entry, at, excluded)
    prev = at.get((h.source, h.index - 1))
    if (
        h.context
        and (prev is None or prev.context != h.context)
        and not entry_lines(h.text)
        and any(option in defined(line)[0] for line in _headings(h.context)[-1:])
    ):
        yield False, [h]


def entry_for(wanted, about: set[str], hits: list[SentenceHit], excluded=lambda text: False) -> list[SentenceHit]:
    """The units that answer what the options of `wanted` do: the entry defining each, with
    its description (`_entry`), in the question's order, from one document about the command
    the question names (`about`, from `subject`); [] when the retrieved units hold none. sed's
    "--sandbox" is no answer to "What does grep --sandbox do?".

    Several options asked ("What do gzip's -k and -d do?", "the difference between --soft and
    --hard") get an entry each, once (-k and --keep share one); an ALL CAPS question's
    lower-case variants ride along, so a manual defining both "-K" and "-k" shows both. A
    bundle of one-letter options ("tar -xzf", "ls -la") that no entry defines as written is
    answered by the entries of all its letters (`_bundle`).

    Only a document naming the command as fully as the best-named manual among `hits` answers
    (file name, title and headings, counted in the subject's terms: `_naming`). Among those,
    first to last: one whose name, title or headings name the command over one
    whose entry text merely does (`_named`); the one explaining more of the options asked;
    fewer entries on a later line of a unit (a --help text's rows run on as one unit, which a
    window may cut mid-row); the best-ranked (`hits` come in passage order; those
    Retriever.defining fetched come last)."""
    at = {(h.source, h.index): h for h in hits}
    allowed = best_named(about, hits)
    best: tuple[tuple[int, int, int, int], list[SentenceHit]] | None = None
    for rank, source in enumerate(dict.fromkeys(h.source for h in hits)):
        if allowed is not None and source not in allowed:
            continue
        in_doc = [h for h in hits if h.source == source and not excluded(h.text)]
        units: list[SentenceHit] = []
        answered = later = 0
        for option in wanted:
            found = _option_entry(option, about, in_doc, at, excluded) or (
                False,
                _bundle(option, about, in_doc, at, excluded),
            )
            if not found[1]:
                continue
            answered, later = answered + 1, later + found[0]
            _extend(units, found[1])
        named = _named(about, units) if units else 0
        if named and (best is None or (named, answered, -later, -rank) > best[0]):
            best = ((named, answered, -later, -rank), units)
    return best[1] if best else []


def _option_entry(option: str, about, hits, at, excluded) -> tuple[bool, list[SentenceHit]] | None:
    """(is it on a later line of its unit, the units) of the entry defining `option` among
    `hits` (one document's), preferring a named one (`_named`), then one opening its unit,
    then a described one (DESCRIBED words), then the first; None when there is none."""
    found: dict[tuple[int, bool, int, int], tuple[bool, list[SentenceHit]]] = {}
    for k, h in enumerate(hits):
        for later, units in _entries(h, at, option, excluded):
            named = _named(about, units) if units else 0
            if named:
                # A described entry over a bare mention: find's "-type c" and its paragraph, not
                # the conformance list's "-type  Supported." (words counted up to DESCRIBED).
                said = min(len(" ".join(u.text for u in units).split()), DESCRIBED)
                found.setdefault((-named, later, -said, k), (later, units))
    return found[min(found)] if found else None


def _bundle(option: str, about, hits, at, excluded) -> list[SentenceHit]:
    """The entries of every letter of a bundle ("-x", "-z", "-f" of "tar -xzf"), in order,
    among `hits` (one document's); [] when it is no bundle or a letter has no entry there
    (half an explanation of a bundle reads as the whole of it)."""
    units: list[SentenceHit] = []
    for letter in bundled(option):
        found = _option_entry(letter, about, hits, at, excluded)
        if found is None:
            return []
        _extend(units, found[1])
    return units


def _extend(units: list[SentenceHit], more: list[SentenceHit]) -> None:
    """Append the units of `more` that `units` lacks: two options asked may share an entry
    ("-k" and "--keep")."""
    seen = {(u.source, u.start) for u in units}
    units += [u for u in more if (u.source, u.start) not in seen]
