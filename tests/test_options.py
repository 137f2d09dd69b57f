"""Questions about command-line options (rag/options.py): the pure parts table-driven, then
end to end over manuals of my own in the layouts real ones use (a rendered manual page with
term lines and an option summary, a Markdown list, an HTML definition list, an rST option
list, an HTML definition list): real model, real Chroma in a temp dir.

The class: "What does gzip -k do?" was read as "What does gzip do?" ("-k" is no term) and
answered with any sentence about gzip; the entry defining -k was rarely even retrieved.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag import options
from rag.chunks import _trim, split_sentences
from rag.types import Passage, SentenceHit, Span


@pytest.mark.parametrize(
    "question, asked, meaning",
    [
        ("What does gzip -k do?", ("-k",), True),
        ("What does the tar -z option do?", ("-z",), True),
        ("What does the -s flag of bzip2 do?", ("-s",), True),
        ("What is grep -o for?", ("-o",), True),
        ("what does --color mean in ls?", ("--color",), True),
        ("Explain the rsync --delete option", ("--delete",), True),
        ("What do -a and -v do in rsync?", ("-a", "-v"), True),
        # naming an option without asking what it does
        ("In which file does git config --global save my name?", ("--global",), False),
        ('Why do I get "ld: cannot find -lfoo"?', ("-lfoo",), False),
        ("How do I use tar -x?", ("-x",), False),
        # other phrasings
        ("In diff, what does -y mean?", ("-y",), True),
        ("What is the meaning of diff -y?", ("-y",), True),
        ("What is -d in cut?", ("-d",), True),
        ("Tell me what cp -u does.", ("-u",), True),
        ("How does the -y option of diff work?", ("-y",), True),
        ("ls -a: what does it do?", ("-a",), True),
        ("What is gzip -k?", ("-k",), True),
        ("What\u2019s -k in gzip?", ("-k",), True),
        ("Meaning of gzip -k?", ("-k",), True),
        ("What does gzip -k actually do?", ("-k",), True),
        # the asking words govern something else
        ("What do I do if git push -f fails?", ("-f",), False),
        ("What is the default for --depth?", ("--depth",), False),
        ("I ran tar -x. What does it mean when it says EOF?", ("-x",), False),
        # a story, then the question about the option it named
        ("I keep seeing `-y` in zip commands in our build scripts. What does that option actually do?", ("-y",), True),
        # no option at all: hyphenated words, ranges, negative numbers
        ("What is the e-mail address of the x86-64 team?", (), False),
        ("What does a well-known cost-of-living index do?", (), False),
        ("What happens at -5 degrees?", ("-5",), False),  # a digit is an option ("xargs -0"): not asked about
        ("What does xargs -0 do?", ("-0",), True),
        ("What does -15 mean?", (), False),
        ("What does the 3-5 range mean?", (), False),
        # two options compared
        ("What's the difference between cp -r and cp -a?", ("-r", "-a"), True),
        ("git diff --cached vs --staged: what is the difference?", ("--cached", "--staged"), True),
        ("How does -K differ from -k in tar?", ("-K", "-k"), True),
        ("Is there any difference in speed when using -j?", ("-j",), False),  # asks about speed
        ("What is the difference between Debian and Ubuntu?", (), False),
        # an editor's typographic dashes
        ("What does git push \u2014force do?", ("--force",), True),
        ("What does ls \u2013l do?", ("-l",), True),
    ],
)
def test_asked_options(question, asked, meaning):
    assert options.asked(question) == asked
    assert options.asks_meaning(question) is meaning


@pytest.mark.parametrize(
    "unit, names, description",
    [
        # a manual page's term line: the description is the next unit
        ("-k --keep", ("-k", "--keep"), ""),
        ("-z, --gzip, --gunzip, --ungzip", ("-z", "--gzip", "--gunzip", "--ungzip"), ""),
        ("--color[=WHEN], --colour[=WHEN]", ("--color", "--colour"), ""),
        ("-f, --file=ARCHIVE", ("-f", "--file"), ""),
        ("-o FILE, --output FILE", ("-o", "--output"), ""),
        ("--depth <n>", ("--depth",), ""),
        ("<dt>--all</dt>", ("--all",), ""),
        # term and description on one line: a summary's row, a short option, Markdown, rST, asciidoc
        ("--verbose, -v\t\tincrease verbosity", ("--verbose", "-v"), "increase verbosity"),
        ("--help Output a usage message and exit.", ("--help",), "Output a usage message and exit."),
        ("`-k`, `--keep`: keep input files", ("-k", "--keep"), "keep input files"),
        ("* `--depth <n>`: create a shallow clone", ("--depth",), "create a shallow clone"),
        ("-k, --keep  Keep the input files.", ("-k", "--keep"), "Keep the input files."),
        ("-a::", ("-a",), ""),
        ("-# --fast --best", ("-#", "--fast", "--best"), ""),
        ("-c cmd : program passed in as string", ("-c",), "program passed in as string"),
        # lower-case and one-letter argument names, wget's aliases, a Markdown table's row
        ("-O file", ("-O",), ""),
        ("-A acclist --accept acclist", ("-A", "--accept"), ""),
        ("-c N, --clients N", ("-c", "--clients"), ""),
        ("`-j N`, `--jobs=N`: render N pages", ("-j", "--jobs"), "render N pages"),
        ("| `-w`, `--watch` | rebuild on change", ("-w", "--watch"), "rebuild on change"),
        # a value with a bracketed part or a brace's choices (tail's manual)
        ("-n, --lines=[+]NUM", ("-n", "--lines"), ""),
        ("-f, --follow[={name|descriptor}]", ("-f", "--follow"), ""),
        # prose that opens with an option is no entry
        ("--silent is used and a line is selected, the exit status is 0", (), ""),
        ("-k keeps the input files", (), ""),
        ("gzip -k file.txt", (), ""),
        ("-0 ... -9", (), ""),
        ("Use -k to keep the input.", (), ""),
        # an expression in an example: an option twice, or no word after the options (find's manual)
        ("-name afile -o -name\n       bfile -print will never print afile.", (), ""),
        ("-name afile  -o  \\(", (), ""),
        ("--keep-base and --onto", (), ""),
        # arguments as real manuals write them (dpkg, ssh, journalctl, sed, make, find)
        ("-i, --install package-file...", ("-i", "--install"), ""),
        ("-L [bind_address:]port:host:hostport", ("-L",), ""),
        ("-b [[ID][\u00b1offset]|all], --boot[=[ID][\u00b1offset]|all]", ("-b", "--boot"), ""),
        ("-u, --unit=UNIT|PATTERN", ("-u", "--unit"), ""),
        ("-i[SUFFIX], --in-place[=SUFFIX]", ("-i", "--in-place"), ""),
        ("-j [jobs], --jobs[=jobs]", ("-j", "--jobs"), ""),
        ("-size n[cwbkMG]", ("-size",), ""),  # a pair of options in prose (git rebase's incompatible ones)
        # find's actions, ended by the shell word that ends them
        ("-exec command ;", ("-exec",), ""),
        ("-exec command {} +", ("-exec",), ""),
        ("-execdir command \\;", ("-execdir",), ""),
        # a number as an option: git log's "-<number>", gzip's "-#" (options.NUMBER)
        ("-<number>, -n <number>, --max-count=<number>", ("-#", "-n", "--max-count"), ""),
        ("-# --fast --best", ("-#", "--fast", "--best"), ""),
        # a --help row whose value in capitals runs on after one space; not a short option's value
        (
            "  -c, --compression=LEVEL compression level from 0 to 9",
            ("-c", "--compression"),
            "compression level from 0 to 9",
        ),
        ("-f FILE is read first", (), ""),
    ],
)
def test_defined_options(unit, names, description):
    assert options.defined(unit) == (names, description)


@pytest.mark.parametrize(
    "question, wanted",
    [
        ("What does tar -xzf do?", ("-xzf",)),
        ("WHAT DOES TAR -XZF DO?", ("-xzf", "-XZF")),  # shouting: lower case first, as written after
        ("WHAT DO -K AND -D DO IN GZIP?", ("-k", "-d", "-K", "-D")),
        ("In which file does git config --global save my name?", ()),  # names one, asks no meaning
    ],
)
def test_the_options_a_question_asks_about(question, wanted):
    from rag.question import parse

    assert parse(question).options == wanted


@pytest.mark.parametrize(
    "question, pairs",
    [
        ("What do tar -x and gzip -d do?", [("-x", "tar"), ("-d", "gzip")]),
        ("What is the difference between gzip -k and xz -k?", [("-k", "gzip"), ("-k", "xz")]),
        ("What does git push --amend do?", [("--amend", "git push")]),
        ("What is -d in cut?", [("-d", "")]),
        ("We run wget -c in a cron job. What does -c do?", [("-c", "wget"), ("-c", "")]),
    ],
)
def test_the_command_each_option_belongs_to(question, pairs):
    assert options.commands(question) == pairs
    several = list(dict.fromkeys(c for _, c in pairs if c))
    assert options.several_commands(question) == (several if len(several) > 1 else [])


@pytest.mark.parametrize(
    "text, program",
    [
        ("What does \u2014all do?", "What does --all do?"),
        ("What does \u2013all do?", "What does --all do?"),
        ("What does ls \u2014l do?", "What does ls -l do?"),
        ("ls \u2014 the listing command", "ls \u2014 the listing command"),  # a dash between words
        ("a well\u2013known tool", "a well\u2013known tool"),
    ],
)
def test_typographic_dashes_are_read_as_typed(text, program):
    assert options.typed(text) == program


@pytest.mark.parametrize(
    "option, letters",
    [
        ("-xzf", ("-x", "-z", "-f")),
        ("-la", ("-l", "-a")),
        ("-vv", ("-v",)),  # a letter repeated (more verbose) is that option once
        ("-A3", ("-A",)),  # a value joined to its letter ("grep -A3", "xz -T0", "cut -f2")
        ("-T0", ("-T",)),
        ("-xz2", ()),
        ("-k", ()),
        ("--keep", ()),
        ("-name", ("-n", "-a", "-m", "-e")),  # entry_for looks for an entry of "-name" first
        ("-no-pager", ()),
    ],
)
def test_bundled(option, letters):
    assert options.bundled(option) == letters
    assert options.expanded((option,)) == (option, *letters)


def test_a_digit_is_looked_up_as_the_manuals_number_placeholder():
    """ "gzip -9", "git log -3": a manual defines the digits as one entry, "-#" or "-<number>"."""
    assert options.expanded(("-9",)) == ("-9", options.NUMBER)
    assert options.expanded(("-15",)) == ("-15",)  # no option a question asks about ("What does -15 mean?")


@pytest.mark.parametrize(
    "text, held",
    [
        ('After you push, replace it with "git commit --amend" to produce commit B.', False),
        ("git push --amend rewrites the remote branch.", True),
        ("You can use --amend to fix it.", True),  # no command before it: the manual's own
        ("--amend is rejected by the server.", True),
        ('Run "git commit --amend", then git push --amend.', True),  # one of them is git push's
    ],
)
def test_an_option_of_another_command_is_not_the_asked_commands(text, held):
    assert options._names_for(text, ("--amend",), {"git", "push"}) is held


@pytest.mark.parametrize(
    "text, wanted, held",
    [
        ("Use -k to keep the input.", ("-k",), True),
        ("Use -kb to keep the input.", ("-k",), False),
        ("see --keep-dirlinks", ("--keep",), False),
        ("(-k) keeps them", ("-k",), True),
        ("a well-known tool", ("-known",), False),
    ],
)
def test_holds(text, wanted, held):
    assert options.holds(text, wanted) is held


@pytest.mark.parametrize(
    "unit, before, says",
    [
        ("if possible, exclude N processing units", "--ignore=N", True),
        ("Append the output to file or to typescript.", "-a, --append", True),
        ("-b, --batch", "-a, --append", False),  # an entry of its own
        ("Print the value of EXPRESSION.", "DESCRIPTION", False),
        ("Print nothing.", "-q, --quiet    print nothing but errors", False),  # that entry is described on its line
    ],
)
def test_describes(unit, before, says):
    assert options.describes(unit, before) is says


def test_without_leaves_what_else_is_named():
    assert options.without("What does wget's --limit-rate=20k do?").split() == ["What", "does", "wget's", "do?"]


def test_a_units_leading_option_dash_is_kept():
    """A manual's term line and a long option keep their dashes (a list bullet's dash is still trimmed)."""
    text = (
        "OPTIONS\n       -k --keep\n              Keep input files.\n\n       -# --fast --best\n"
        "              Regulate the speed.\n\n- a bullet item here\n\n-Buy milk\n\n-it was raining, she said.\n"
        "\n\u2022   --keep-base and --onto\n"
    )
    units = [text[s.start : s.end] for s in split_sentences(text)]
    assert "-k --keep" in units and "-# --fast --best" in units
    assert "a bullet item here" in units and "Buy milk" in units and "it was raining, she said." in units
    assert "--keep-base and --onto" in units  # a long option in prose after a bullet
    assert _trim("-pnum or --strip=num", 0, 20) == Span(0, 20)  # a value joined to its option


def _hits(text: str, source: str = "tool.txt", title: str = "TOOL(1)") -> list[SentenceHit]:
    """Every unit of `text` as a retrieved sentence of one passage (no index: the pure part)."""
    spans = split_sentences(text)
    passage = Passage("c0", source, title, text, 0, len(text), 1.0)
    return [
        SentenceHit(source, title, text[s.start : s.end], s.start, s.end, None, passage, i) for i, s in enumerate(spans)
    ]


HELP_ROWS = """tool - pack files

Options:
  -a, --all             pack every file, hidden ones too
  -q, --quiet           print nothing except errors
"""


@pytest.mark.parametrize(
    "text, question, expected",
    [
        # a --help text's rows run on as one unit: the row on its later line is quoted from its start
        (HELP_ROWS, "What does tool -q do?", ["-q, --quiet           print nothing except errors"]),
        # a description that is a fragment takes the next unit too (gzip's "-t --test")
        (
            "OPTIONS\n\n       -t --test\n              Test.  Check the compressed file integrity.\n",
            "What does tool -t do?",
            ["-t --test", "Test.", "Check the compressed file integrity."],
        ),
        # the command asked is not the document's: no entry
        (HELP_ROWS, "What does grep -q do?", []),
        # a described entry over a bare mention in a list (find's conformance list, then its entry)
        (
            "STANDARDS\n\n       -t     Supported.\n\nTESTS\n\n       -t type\n"
            "              File is of the given type, one of f or d.\n",
            "What does tool -t do?",
            ["-t type", "File is of the given type, one of f or d."],
        ),
    ],
)
def test_entry_for(text, question, expected):
    hits = _hits(text)
    if question.endswith("-q do?"):  # make the two rows one unit, as a wrapped --help text reads
        rows = [h for h in hits if h.text.startswith(("-a", "-q"))]
        joined = replace(rows[0], text=text[rows[0].start : rows[1].end], end=rows[1].end)
        hits = [h for h in hits if h not in rows] + [joined]
    got = options.entry_for(options.asked(question), options.subject(question), hits)
    assert [u.text for u in got] == expected
    assert all(text[u.start : u.end] == u.text for u in got)  # a citation quotes the file exactly


def test_an_entrys_forms_one_per_line_share_its_description():
    """ssh's -R: five forms, a unit each, then the description (ALIAS_LINES)."""
    lines = [
        "-R [bind_address:]port:host:hostport",
        "-R [bind_address:]port:local_socket",
        "-R remote_socket:host:hostport",
        "-R remote_socket:local_socket",
        "-R [bind_address:]port",
        "Forward connections to the given port on the remote host.",
    ]
    text = "\n".join(lines) + "\n"
    passage = Passage("c0", "ssh.txt", "SSH(1)", text, 0, len(text), 1.0)
    hits, at = [], 0
    for i, line in enumerate(lines):
        hits.append(SentenceHit("ssh.txt", "SSH(1)", line, at, at + len(line), None, passage, i))
        at += len(line) + 1
    got = options.entry_for(("-R",), options.subject("What does ssh -R do?"), hits)
    assert [u.text for u in got] == lines


def test_the_manual_the_question_names_answers_even_without_entries_retrieved():
    """Only prose of crane-fetch's manual was retrieved, and crane-send's --amend entry: "crane
    fetch" names crane-fetch's manual fully, so crane-send's entry is no answer (best_named)."""
    fetch = _hits("Fetching is safe to repeat.\n", source="crane-fetch.txt", title="CRANE-FETCH(1)")
    send = _hits("--amend\n       Replace the last crate sent.\n", source="crane-send.txt", title="CRANE-SEND(1)")
    hits = fetch + send
    assert options.best_named(options.subject("What does crane fetch --amend do?"), hits) == {"crane-fetch.txt"}
    assert options.entry_for(("--amend",), options.subject("What does crane fetch --amend do?"), hits) == []
    got = options.entry_for(("--amend",), options.subject("What does crane send --amend do?"), hits)
    assert [u.text for u in got] == ["--amend", "Replace the last crate sent."]


HERON_MAN = """HERON(1)                      User Commands                     HERON(1)

NAME
       heron - pack and unpack nest archives

SYNOPSIS
       heron [OPTION]... [FILE]...

DESCRIPTION
       Heron packs files into nest archives and unpacks them again.  By default
       heron replaces each input file by its packed copy.

OPTIONS
   Summary
       --dry-run, -n            show what would be packed, pack nothing
       --level=N, -L N          set the packing level

   Details
       -k, --keep
              Keep the input files after packing.  Without it, each input
              file is deleted once its packed copy is written.

       -r, --recursive
              Pack the files of directories and their subdirectories.

       -t, --test
              Test the integrity of nest archives and report damaged ones.

       -q, --quiet
              Print nothing but errors.

       -0, --null
              Read file names ending in a null character, not a newline.

EXIT STATUS
       heron exits with status 0 on success and 2 when an archive is damaged.
"""

WREN_MAN = """WREN(1)                       User Commands                      WREN(1)

NAME
       wren - watch folders for changes

OPTIONS
       --sandbox
              Run every hook in a sandbox without network access.

       -i, --interval=SECONDS
              Check the folders every SECONDS seconds (default 5).
"""

KITE_MD = """# kite command reference

kite uploads files to a shared folder.

## Options

- `-s`, `--silent`: print nothing while uploading.
- `-p`, `--parallel`: upload up to four files at once.
- `--resume`: continue an interrupted upload where it stopped.
"""

LARK_HTML = """<html><head><title>lark options</title></head><body><h1>lark</h1>
<p>lark prints labels.</p><h2>Options</h2><dl>
<dt><code>-w</code>, <code>--wide</code></dt><dd>Print labels in wide format.</dd>
<dt>--copies=N</dt><dd><p>Print N copies of each label.</p></dd></dl></body></html>
"""

OWL_RST = """owl
===

owl sorts photos.

Options
-------

-d, --date     Sort the photos by the date they were taken.
-r, --reverse  Sort in reverse order.
"""

FINCH_MAN = """FINCH(1)                      User Commands                     FINCH(1)

NAME
       finch - fetch feeds

OPTIONS
       -N
       --newer
           Fetch only the items newer than the local copy.

       -O file
           Write every item to file instead of the screen.

EXAMPLES
       To fetch everything again:

       $ finch -a
       will fetch every item, old ones too, and replace the local copy.
"""

ROBIN_HELP = """Usage: robin [OPTION]... QUEUE
Cancel jobs in a print queue.

Options:
  -a, --all             cancel every job in the queue
  -q, --quiet           print nothing except errors
  -f, --format=FMT      print the job list in FMT, one of table, json or csv
  -h, --help            display this help and exit
"""

# A manual longer than a chunk: the entry asked about lies far from the passages retrieved.
_STORK_OPTIONS = "".join(
    f"       -{c}, --{word}\n              Set the {word} of each stork record to the value given.\n\n"
    for c, word in zip("abcdefghijklmnoprstuvwy", [f"field{i}" for i in range(23)])
)
STORK_MAN = (
    "STORK(1)                      User Commands                     STORK(1)\n\nNAME\n       stork - edit bird ringing"
    " records\n\nDESCRIPTION\n       stork edits the bird ringing records of a station, one record per"
    " ring.\n\nOPTIONS\n"
    + "".join(_STORK_OPTIONS.replace("field", name) for name in ("field", "column", "row", "cell"))
    + "       -Z, --zero-fill\n              Pad every ring number with zeros to eight digits.\n\n"
    + "".join(_STORK_OPTIONS.replace("field", name) for name in ("tag", "mark", "note", "slot"))
)

# One heading per option (a Markdown reference), and a page that names an option in prose only.
EGRET_MD = """# egret reference

egret syncs two folders.

### `--force`, `-f`

Overwrite files that changed on both sides.

### `--dry-run`

Show what would be copied, copy nothing.
"""

TROUBLESHOOTING_MD = """# Publishing troubleshooting

A forced push that fails usually means the branch is protected on the server.
Ask an administrator to lift the protection, or push to a new branch instead.
"""

PIPIT_MD = """# pipit reference

pipit serves a folder over HTTP.

| Option | Meaning |
|---|---|
| `-p`, `--port PORT` | listen on PORT instead of 8000 |
| `--open` | open the page in a browser once it is ready |
"""

# Two manuals of one tool's subcommands (as git's): each names the tool, one defines --amend.
CRANE_SEND_MAN = """CRANE-SEND(1)                  Crane Manual                  CRANE-SEND(1)

NAME
       crane-send - send local crates to a remote yard

OPTIONS
       --amend
              Replace the last crate sent with the local one.

       -q, --quiet
              Report nothing but errors.
"""

CRANE_FETCH_MAN = """CRANE-FETCH(1)                 Crane Manual                 CRANE-FETCH(1)

NAME
       crane-fetch - fetch crates from a remote yard

DESCRIPTION
       After a crate was replaced with "crane send --amend", fetch again to see the new one.

OPTIONS
       -p, --prune
              Before fetching, drop local crates the remote yard no longer has.

       -q, --quiet
              Report nothing but errors.

       -<number>, -n <number>
              Fetch at most <number> crates.
"""

CORPUS = {
    "crane-send.txt": CRANE_SEND_MAN,
    "crane-fetch.txt": CRANE_FETCH_MAN,
    "heron.txt": HERON_MAN,
    "wren.txt": WREN_MAN,
    "kite.md": KITE_MD,
    "lark.html": LARK_HTML,
    "owl.rst": OWL_RST,
    "finch.txt": FINCH_MAN,
    "pipit.md": PIPIT_MD,
    "robin.txt": ROBIN_HELP,
    "stork.txt": STORK_MAN,
    "egret.md": EGRET_MD,
    "troubleshooting.md": TROUBLESHOOTING_MD,
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("options", CORPUS)


@pytest.mark.parametrize(
    "question, expected",
    [
        # a term line and its description, the next unit: both quoted, each cited
        (
            "What does heron -k do?",
            "-k, --keep [1] Keep the input files after packing. [2]",
        ),
        (
            "What is the --test option of heron for?",
            "-t, --test [1] Test the integrity of nest archives and report damaged ones. [2]",
        ),
        (
            "what does the -r flag mean in heron?",
            "-r, --recursive [1] Pack the files of directories and their subdirectories. [2]",
        ),
        # a summary's row: its own line, not the rows after it
        ("What does heron -n do?", "--dry-run, -n show what would be packed, pack nothing [1]"),
        # another manual, an option with a value
        (
            "What does wren --interval do?",
            "-i, --interval=SECONDS [1] Check the folders every SECONDS seconds (default 5). [2]",
        ),
        # a Markdown list item
        ("What does the kite --resume option do?", "`--resume`: continue an interrupted upload where it stopped. [1]"),
        ("What does kite -p do?", "`-p`, `--parallel`: upload up to four files at once. [1]"),
        # aliases one per line (wget's layout), a lower-case argument, a Markdown table's row
        ("What does finch --newer do?", "-N [1] --newer [2] Fetch only the items newer than the local copy. [3]"),
        ("What is finch -O for?", "-O file [1] Write every item to file instead of the screen. [2]"),
        (
            "What does the --open option of pipit do?",
            "Option | Meaning [1] `--open` | open the page in a browser once it is ready [2]",
        ),
        # a --help text's row, on a later line of its unit; a digit option
        (
            "What is the --format option of robin for?",
            "-f, --format=FMT print the job list in FMT, one of table, json or csv [1]",
        ),
        ("What does heron -0 do?", "-0, --null [1] Read file names ending in a null character, not a newline. [2]"),
        # a bundle of one-letter options: each letter's entry, in the order written
        (
            "What does heron -kr do?",
            "-k, --keep [1] Keep the input files after packing. [2] -r, --recursive [3]"
            " Pack the files of directories and their subdirectories. [4]",
        ),
        (
            "what does heron -qn mean",
            "-q, --quiet [1] Print nothing but errors. [2] --dry-run, -n show what would be packed, pack nothing [3]",
        ),
        # several options: an entry each, in the question's order; one entry for two names of it
        (
            "What is the difference between heron -q and heron -t?",
            "-q, --quiet [1] Print nothing but errors. [2] -t, --test [3]"
            " Test the integrity of nest archives and report damaged ones. [4]",
        ),
        ("What do the -k and --keep options of heron do?", "-k, --keep [1] Keep the input files after packing. [2]"),
        # a subcommand's manual, named by the question more fully than its sibling's
        ("What does crane send --amend do?", "--amend [1] Replace the last crate sent with the local one. [2]"),
        # options of two commands: each from its own manual
        (
            "What do heron -q and wren -i do?",
            "-q, --quiet [1] Print nothing but errors. [2] -i, --interval=SECONDS [3]"
            " Check the folders every SECONDS seconds (default 5). [4]",
        ),
        # a story around the question names what the documents never mention: the entry still answers
        (
            "We run heron -r in a cron job on our Synology NAS. What does -r do?",
            "-r, --recursive [1] Pack the files of directories and their subdirectories. [2]",
        ),
        # shouting: heron has -k only
        ("WHAT DOES HERON -K DO?", "-k, --keep [1] Keep the input files after packing. [2]"),
        # an editor's em dash for "--"
        (
            "What does heron \u2014recursive do?",
            "-r, --recursive [1] Pack the files of directories and their subdirectories. [2]",
        ),
        # an entry outside the retrieved passages (Retriever.defining fetched it)
        ("What does stork -Z do?", "-Z, --zero-fill [1] Pad every ring number with zeros to eight digits. [2]"),
        # a Markdown heading per option: the text under it
        ("What does egret --force do?", "Overwrite files that changed on both sides. [1]"),
        # no entry: the example's line and the sentence continuing it
        (
            "What does finch -a do?",
            "$ finch -a [1] will fetch every item, old ones too, and replace the local copy. [2]",
        ),
        # an HTML definition list, an rST option list
        ("What does lark --wide do?", "-w, --wide [1] Print labels in wide format. [2]"),
        ("What does owl -d do?", "-d, --date Sort the photos by the date they were taken. [1]"),
        # a digit: the manual's entry for any number
        ("What does crane fetch -5 do?", "-<number>, -n <number> [1] Fetch at most <number> crates. [2]"),
    ],
)
def test_a_question_about_an_option_quotes_its_entry(engine, question, expected):
    got = engine.ask(question)
    assert got.answered and got.answer == expected
    assert all(engine.document_text(c.source)[c.start : c.end] == c.text for c in got.citations)


def test_an_entry_outside_the_retrieved_passages_is_fetched(engine):
    """Passages of stork's manual that lack its -Z entry: Retriever.defining adds the entry's chunk."""
    question = "What does stork -Z do?"
    vector = engine.embedder.embed([question])[0]
    found = [p for p in engine.retriever.search(question, vector, k=20) if "--zero-fill" not in p.text]
    assert any(p.source == "stork.txt" for p in found[:3])
    fetched = engine.retriever.defining(found, ("-Z",))
    assert any("-Z, --zero-fill" in p.text for p in fetched)
    assert all(p.score <= min(f.score for f in found) for p in fetched)  # ranked after the retrieved ones


def test_each_commands_manual_is_searched_for_a_question_naming_several(engine):
    """Engine._manuals: wren's passages join heron's for "heron -q and wren -i", ranked after them."""
    question = "What do heron -q and wren -i do?"
    vector = engine.embedder.embed([question])[0]
    heron = [p for p in engine.retriever.search(question, vector, k=8) if p.source == "heron.txt"]
    got = engine._manuals(question, heron, engine.retriever, "hybrid", None)
    assert any(p.source == "wren.txt" for p in got)
    assert all(p.score == min(h.score for h in heron) for p in got)
    assert engine._manuals("What does heron -q do?", heron, engine.retriever, "hybrid", None) == []


def test_a_question_that_only_names_an_option_is_answered_as_before(engine):
    """ "What do I do if ... -f fails?" asks no option's meaning: a page without entries answers it."""
    got = engine.ask("What do I do if git push -f fails?")
    assert got.answered and "the branch is protected" in got.answer


@pytest.mark.parametrize(
    "question",
    [
        "What does heron -y do?",  # no such option anywhere
        "What does heron --sandbox do?",  # wren's option, not heron's
        "What does the kite --interval option do?",  # wren's again
        "What does heron -ky do?",  # a bundle with a letter heron lacks: half an explanation is none
        "What does crane fetch --amend do?",  # crane-send's option: the manual named "crane fetch" lacks it
    ],
)
def test_an_option_the_command_lacks_is_refused(engine, question):
    got = engine.ask(question)
    assert not got.answered, got.answer


@pytest.mark.parametrize(
    "question, entry",
    [
        ("How do I keep the input files when heron packs them?", "-k, --keep"),
        ("How can I check nest archives for damage?", "-t, --test"),
    ],
)
def test_an_entrys_description_is_quoted_with_its_names(engine, question, entry):
    """A how-to question answered by an option's description ("Keep the input files after
    packing.") gets the option's line before it: without it the answer names no option."""
    got = engine.ask(question)
    texts = [c.text for c in got.citations]
    assert got.answered and entry in texts, got.answer
    names, description = got.citations[texts.index(entry)], got.citations[texts.index(entry) + 1]
    between = engine.document_text("heron.txt")[names.end : description.start]
    assert between.strip() == "" and description.text[0].isupper()  # the very next unit: its description


def test_a_question_about_the_command_itself_is_unchanged(engine):
    """Without an option, the question is about the command, answered from its description."""
    got = engine.ask("What does heron do?")
    assert got.answered and "Heron packs files into nest archives" in got.answer


def test_the_calibration_scores_an_entry_answer_as_compose_gives_it(engine):
    """eval.calibrate.outcomes: an option question that an entry answers counts as answered
    (p = 1.0, as compose() answers it whatever the scorer says), right when the entry holds
    the key facts in the gold document, wrong otherwise."""
    from eval.calibrate import collect, outcomes
    from eval.questions import Question
    from rag.scorer import load_scorer

    question = "What does wren --sandbox do?"
    right = Question(id="o1", category="option", question=question, key_facts=["without network"], gold=["wren.txt"])
    wrong = replace(right, id="o2", key_facts=["deletes the folders"])
    elsewhere = replace(right, id="o3", gold=["heron.txt"])
    rows = collect(engine, [right, wrong, elsewhere])
    assert outcomes(rows, load_scorer()) == [(1.0, True), (1.0, False), (1.0, False)]
    got = engine.ask(right.question)
    assert got.answered and "without network access" in got.answer
