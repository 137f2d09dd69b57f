"""What-is questions about a document's own subject (rag/definitions.py, rag/question.py
`defined_of`): the pure parts table-driven, then end to end over manual pages rendered as
`man` prints them (running head and foot included), a README and a page that only mentions a
program: real model, real Chroma in a temp dir.

The class: "What is tar used for?" was answered with any sentence of tar's manual that the
scorer liked best ("The name of the archive tar is processing."), often the page's running
foot ("APT 2.6.1   25 January 2023   APT-GET(8)") or its "Full documentation <...>" line; the
NAME line that says what the program is was rarely even retrieved.
"""

from __future__ import annotations

import pytest

from rag.answer import running_head
from rag.definitions import about, definition_units, listing, opener, pick
from rag.question import defined_of, parse
from rag.types import Passage, SentenceHit


@pytest.mark.parametrize(
    "question, name",
    [
        ("What is tar used for?", "tar"),
        ("What does the tac command do?", "tac"),
        ("What is the purpose of rsync?", "rsync"),
        ("What does git commit do?", "git commit"),
        ("What is apt-get?", "apt-get"),
        ("what's sha256sum for", "sha256sum"),
        ("Explain the grep command.", "grep"),
        ("What is a hunk?", "hunk"),
        ("What is C++?", "C++"),
        ("What\u2019s the use of the shred utility?", "shred"),
        ("What does which do?", "which"),
        ("What is GNU time?", "time"),  # the project's name is no part of the program's
        ("What does http.postBuffer really do?", "http.postBuffer"),
        # not a what-is question about one name
        ("What is the capital of Kazakhstan?", None),
        ("What does it do?", None),
        ("What is this FAQ?", None),
        ("Where does Mukhtar Ablyazov live now?", None),
        ("What does tar do with symlinks?", None),
        ("What is the default compression level of gzip?", None),
    ],
)
def test_defined_of(question, name):
    assert defined_of(question) == name


def test_an_option_question_is_not_a_what_is_question():
    """ "What does gzip -k do?" asks for -k's entry (rag/options.py), not gzip's NAME line."""
    q = parse("What does gzip -k do?")
    assert q.options == ("-k",) and q.defines is None
    assert parse("What does gzip do?").defines == "gzip"


@pytest.mark.parametrize(
    "name, source, title, strength",
    [
        ("tar", "tar.txt", "tar.txt", 2),
        ("tar", "man/tar.1.txt", "", 0),  # "tar.1": a section-numbered name is not the bare one
        ("git commit", "git-commit.txt", "", 2),
        ("Git-Commit", "sub/git-commit.md", "", 2),
        ("apt-get", "a.txt", "APT-GET(8)        APT        APT-GET(8)", 2),
        ("fastsync", "fastsync-README.md", "", 1),
        ("backupctl", "backupctl_help.txt", "", 1),
        ("watch", "watch-notes.txt", "On-call notes", 0),  # notes about a watch rota are no manual of watch(1)
        ("tar", "tarball-notes.txt", "Tarballs", 0),
        ("tar", "guitar.txt", "", 0),
    ],
)
def test_about(name, source, title, strength):
    assert about(name, source, title) == strength


@pytest.mark.parametrize(
    "text, name, listed",
    [
        ("tar - an archiving utility", "tar", True),
        ("gzip, gunzip, zcat - compress or expand files", "zcat", True),
        ("git-commit - Record changes to the repository", "git commit", True),
        ("scp \u2014 OpenSSH secure file copy", "scp", True),
        ("tar - an archiving utility", "gzip", False),
        ("-k, --keep - keep input files", "k", False),
        ("The tar - and only tar - does this.", "tar", False),
        # a NAME section of several lines in one unit, and lz4's names repeated after the dash
        (
            "bzip2, bunzip2 - a block-sorting file compressor\n       bzcat - decompresses files to stdout",
            "bzcat",
            True,
        ),
        ("lz4 - lz4, unlz4, lz4cat - Compress or decompress .lz4 files", "lz4cat", True),
    ],
)
def test_name_line(text, name, listed):
    assert (listing(text, name) is not None) is listed


def test_listing_is_the_line_naming_it_and_says_whether_it_comes_first():
    section = "bzip2, bunzip2 - a block-sorting file compressor\n       bzcat - decompresses files to stdout"
    start, end, first = listing(section, "bzcat")
    assert section[start:end] == "bzcat - decompresses files to stdout" and not first
    assert listing(section, "bzip2") == (0, 48, True)
    assert listing(section, "bunzip2")[2] is False
    wrapped = "hexdump - display file contents in hexadecimal, decimal, octal, or\n       ascii\n\nSYNOPSIS"
    start, end, _ = listing(wrapped, "hexdump")
    assert wrapped[start:end] == "hexdump - display file contents in hexadecimal, decimal, octal, or\n       ascii"


@pytest.mark.parametrize(
    "text, name, says",
    [
        ("apt-get is the command-line tool for handling packages.", "apt-get", True),
        ("GNU tar is an archiving program designed to store files.", "tar", True),
        ("The mount command serves to attach the filesystem.", "mount", True),
        ("This install program copies files into destinations.", "install", True),
        ("systemctl may be used to control systemd.", "systemctl", True),
        ("Less is a program similar to more(1).", "less", True),
        ("grep searches for PATTERNS in each FILE.", "grep", True),
        ("tar files are large.", "tar", False),  # a plural noun after the name, then the verb
        ("Use tar to pack files.", "tar", False),
        ("bzcat (or bzip2 -dc) decompresses all specified files.", "bzcat", True),
        ("The default signal for kill is TERM.", "kill", False),
    ],
)
def test_opener(text, name, says):
    assert opener(text, name) is says


MAN_UNITS = [
    "TAR(1)        GNU TAR Manual        TAR(1)",
    "NAME",
    "tar - an archiving utility",
    "SYNOPSIS",
    "tar [OPTION...] [FILE]...",
    "DESCRIPTION",
    "This manual page documents the GNU version of tar.",
    "GNU tar is an archiving program designed to store multiple files in a single file.",
]


@pytest.mark.parametrize(
    "units, name, named, chosen",
    [
        # the NAME line, then the DESCRIPTION sentence that says what the program does
        (MAN_UNITS, "tar", True, [2, 7]),
        # its first sentence when that opens with a verb
        (MAN_UNITS[:6] + ["Write each FILE to standard output, last line first."], "tar", True, [2, 6]),
        # not when it opens with a function word, nor when it repeats the NAME line
        (MAN_UNITS[:6] + ["The default signal is TERM."], "tar", True, [2]),
        (MAN_UNITS[:6] + ["An archiving utility."], "tar", True, [2]),
        (MAN_UNITS[:6] + ["This command packs files.", "The tar command will not pack sockets."], "tar", True, [2, 6]),
        # a document not named for it defines it by its NAME line only
        (MAN_UNITS, "tar", False, [2, 7]),
        (["# fastsync", "fastsync is a tiny tool that mirrors two folders.", "Run it twice."], "fastsync", True, [1]),
        (["# notes", "fastsync is a tiny tool that mirrors two folders."], "fastsync", False, []),
        (MAN_UNITS, "gzip", True, []),
        # a second name of the page: its own sentence, not the first name's DESCRIPTION
        (
            ["NAME", "gzip, zcat - compress files", "DESCRIPTION", "Gzip reduces files.", "zcat is gunzip -c."],
            "zcat",
            False,
            [1, 4],
        ),
        (["NAME", "gzip, zcat - compress files", "DESCRIPTION", "Gzip reduces files."], "zcat", False, [1]),
        # a page without a DESCRIPTION heading: its first sentence with the name as subject
        (
            ["NAME", "jq - Command-line JSON processor", "SYNOPSIS", "jq can transform JSON in various ways."],
            "jq",
            True,
            [1, 3],
        ),
    ],
)
def test_pick(units, name, named, chosen):
    assert pick(dict(enumerate(units)), name, named) == chosen


def _hit(source: str, index: int, text: str) -> SentenceHit:
    passage = Passage("c", source, source, "", text, 0, len(text), 1.0)
    return SentenceHit(source, source, text, 0, len(text), None, passage, index, "")


def test_definition_units_come_from_the_first_document_that_defines_the_name():
    hits = [
        _hit("notes.txt", 0, "We use tar every night."),
        _hit("gzip.txt", 3, "gzip, gunzip, zcat - compress or expand files"),
        _hit("zcat.txt", 0, "zcat is mentioned here."),
    ]
    assert [h.source for h in definition_units("zcat", hits)] == ["gzip.txt"]
    assert definition_units("bzip2", hits) == []


@pytest.mark.parametrize(
    "text, furniture",
    [
        ("BASE64(1)                        User Commands                       BASE64(1)", True),
        ("GNU coreutils 9.1               September 2022                       BASE64(1)", True),
        ("systemd 252                                                      JOURNALCTL(1)", True),
        ("RFC 2616                        HTTP/1.1                       June 1999", True),
        ("Fielding, et al.            Standards Track                   [Page 5]", True),
        ("Gold      Yes      $30", False),  # a plain-text table's row answers table questions
        ("See git-config(1) for the details.", False),
        ("BASE64(1) is the manual page of base64.", False),
        ("BSD                            December 16, 2022                           BSD", True),
        ("Gold      Gold", False),
    ],
)
def test_running_head(text, furniture):
    assert running_head(text) is furniture


TAR_MAN = """TAR(1)                          GNU TAR Manual                          TAR(1)

NAME
       tar - an archiving utility

SYNOPSIS
       tar [OPTION...] [FILE]...

DESCRIPTION
       This manual page documents the GNU version of tar.

       GNU  tar is an archiving program designed to store multiple files in a
       single file (an archive), and to manipulate such archives.

OPTIONS
       -c, --create
              Create a new archive.

       -x, --extract
              Extract files from an archive.

AUTHOR
       Written by John Gilmore and Jay Fenlason.

GNU TAR 1.34                      February 2021                          TAR(1)
"""

GZIP_MAN = """GZIP(1)                     General Commands Manual                    GZIP(1)

NAME
       gzip, gunzip, zcat - compress or expand files

DESCRIPTION
       Gzip reduces the size of the named files using Lempel-Ziv coding.

       zcat is identical to gunzip -c.

OPTIONS
       -k --keep
              Keep (don't delete) input files during compression or decompression.

                                     local                                 GZIP(1)
"""

TAC_MAN = """TAC(1)                           User Commands                          TAC(1)

NAME
       tac - concatenate and print files in reverse

DESCRIPTION
       Write each FILE to standard output, last line first.

       With no FILE, or when FILE is -, read standard input.

       Full documentation <https://www.gnu.org/software/coreutils/tac>
       or available locally via: info '(coreutils) tac invocation'

GNU coreutils 9.1                September 2022                         TAC(1)
"""

FASTSYNC_README = """# fastsync

fastsync is a tiny tool that mirrors two folders over SSH, copying only changed blocks.

## Install

Run `make install` as root.
"""

BACKUPS_TXT = """Nightly backups

Every night at 02:00 the backup host archives /srv with tar and copies the archive to the
storage box. Restores are tested on the first Monday of each month.
"""

CORPUS = {
    "tar.txt": TAR_MAN,
    "gzip.txt": GZIP_MAN,
    "tac.txt": TAC_MAN,
    "fastsync-README.md": FASTSYNC_README,
    "backups.txt": BACKUPS_TXT,
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("definitions", CORPUS)


@pytest.mark.parametrize(
    "question, expected",
    [
        (
            "What is tar used for?",
            "tar - an archiving utility [1] GNU tar is an archiving program designed to store multiple files in a"
            " single file (an archive), and to manipulate such archives. [2]",
        ),
        (
            "What does the tac command do?",
            "tac - concatenate and print files in reverse [1] Write each FILE to standard output, last line first. [2]",
        ),
        # a name the NAME line of another program's manual lists: its own sentence, not gzip's
        (
            "What does zcat do?",
            "gzip, gunzip, zcat - compress or expand files [1] zcat is identical to gunzip -c. [2]",
        ),
        # a README named for its program
        (
            "What is fastsync?",
            "fastsync is a tiny tool that mirrors two folders over SSH, copying only changed blocks. [1]",
        ),
    ],
)
def test_a_what_is_question_quotes_the_documents_definition(engine, question, expected):
    got = engine.ask(question)
    assert got.answered and got.answer == expected
    assert all(engine.document_text(c.source)[c.start : c.end] == c.text for c in got.citations)


def test_the_document_about_the_name_is_found_by_its_file_name(engine):
    """Engine._about reads the index's file table: tar's manual, whatever the retrieval found."""
    got = engine._about("tar", engine.retriever)
    assert [source for _, source in got] == ["tar.txt"]
    assert engine._about("rsync", engine.retriever) == []


def test_the_definition_outside_the_retrieved_passages_is_fetched(engine):
    """Passages without tar's NAME line: Retriever.describing adds the chunk holding it, ranked after them."""
    question = "What is tar used for?"
    vector = engine.embedder.embed([question])[0]
    found = [p for p in engine.retriever.search(question, vector, k=8) if "an archiving utility" not in p.text]
    fetched = engine.retriever.describing(found, "tar", engine._about("tar", engine.retriever))
    assert any("tar - an archiving utility" in p.text for p in fetched)
    assert all(p.score <= min(f.score for f in found) for p in fetched)


def test_a_name_no_document_is_about_is_an_ordinary_question(engine):
    """ "What is rsync?": no manual, no NAME line lists it; the learned scorer decides as before."""
    got = engine.ask("What is rsync?")
    assert not got.answered, got.answer


@pytest.mark.parametrize(
    "question",
    ["Which version of GNU TAR is this?", "When was the tar manual published?", "What is the coreutils version?"],
)
def test_a_running_head_or_foot_is_never_quoted(engine, question):
    got = engine.ask(question)
    assert not any(running_head(c.text) for c in got.citations), got.answer
