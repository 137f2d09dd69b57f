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

from rag.answer import defining_first
from rag.definitions import about, definition_units, headed, listing, opener, pick, states
from rag.excerpt import says_next
from rag.question import defined_of, parse
from rag.signals import Scored
from rag.structure import running_head
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
        ("What is the wattle crate?", "wattle"),
        ("What does http.postBuffer really do?", "http.postBuffer"),
        # quoted as the user saw it written
        ('What does "git merge" do?', "git merge"),
        ("What is `tar` used for?", "tar"),
        ("What does the \u201cgrep\u201d command do?", "grep"),
        # not a what-is question about one name
        ("What is the capital of Kazakhstan?", None),
        ("What does it do?", None),
        ("What is this FAQ?", None),
        ("Where does Mukhtar Ablyazov live now?", None),
        ("What does tar do with symlinks?", None),
        ("What is the default compression level of gzip?", None),
        # "What is the X?" asks for a value unless X is said to be a program
        ("What is the refund period?", None),
        ("What's the request timeout?", None),
        ("What is the tac command?", "tac"),
        # helper 83: English words before "command" say what it does: the line to type is asked
        ("What is the restart command?", None),
        ("What's the log rotation command?", None),
        ("What does the scheduler do?", "scheduler"),
        ("Tell me what zdump is.", "zdump"),
        ("Can you tell me what git stash does?", "git stash"),
    ],
)
def test_defined_of(question, name):
    assert defined_of(question) == name


@pytest.mark.parametrize(
    "question, command",
    [
        ("What command restarts the service?", True),
        ("What is the restart command?", True),
        ("What's the log rotation command?", True),
        ("What's the command to restart the service?", True),
        ("What is the command for listing files?", True),
        ("What is the tac command?", False),  # what a program is
        ("What does the tac command do?", False),
        ("How do I restart the service?", False),
    ],
)
def test_a_question_asking_for_the_line_to_type(question, command):
    assert parse(question).command is command


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
        ("teasel", "teasel.nvim-README.md", "", 1),
        ("ld", "ld.so.txt", "", 0),
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
        # a synopsis line is no sentence; the program's history does not say what it does
        ("ip netns exec NETNS ip [ OPTIONS ] OBJECT { COMMAND | help }", "ip", False),
        ("ip was written by Alexey N. Kuznetsov and added in Linux 2.2.", "ip", False),
    ],
)
def test_opener(text, name, says):
    assert opener(text, name) is says


@pytest.mark.parametrize(
    "text, name, says",
    [
        # the name (its last word) as the subject of a defining verb
        ("A bare repository is a repository without a working tree.", "bare repository", True),
        ("Conffiles is a list of configuration files.", "Debian conffile", True),
        ("Hunks are shown with a header.", "hunk", True),
        ("Bare repositories have no working tree.", "bare repository", True),
        ("The http.postBuffer setting is the size of the buffer.", "http.postBuffer", True),
        ("strace traces system calls.", "strace", True),
        # a NAME line or glossary entry; what something is called; an apposition of the subject
        ("rsync - a fast, versatile file-copying tool", "rsync", True),
        ("strace: trace system calls and signals", "strace", True),
        ("Such a group of changed lines is called a hunk.", "hunk", True),
        ("Late events are called **late arrivals**; we fold them in.", "late arrivals", True),
        ("Canned response", "canned response", True),  # a definition list's term, alone (rag.excerpt.standalone)
        ("surrogate key\n    An integer that the warehouse assigns to each row.", "surrogate key", True),
        ("Bramble itself is a daemon (``brambled``) that runs one job per core.", "brambled", True),
        # a word of the name quoted as the term the sentence introduces
        ('The directory contains a "bare" git repository--it is just the .git directory.', "bare repository", True),
        ("Packages wait in the \u201cincoming\u201d directory until they are checked.", "incoming", True),
        # an apposition, an abbreviation, "we mean", a plural verb, a term and colon, a table's first cell
        ("Thousands lined the quays as Riverline, a 12-kilometre tram line, carried passengers.", "Riverline", True),
        ("Orla, our payroll system, pays approved claims.", "Orla", True),
        ("Hot-desking, which means that no one has a desk, applies on floors 3 and 4.", "hot-desking", True),
        ("For dinner, look for a tasca \u2014 a small, family-run tavern.", "tasca", True),
        ("Single sign-on (SSO) lets staff use one company login.", "SSO", True),
        ("By runbook we mean a step-by-step guide for one alert.", "runbook", True),
        ("Core hours refer to the period from 10:00 to 15:00.", "core hours", True),
        ("A note on harissa: the name refers to a hot chili paste.", "harissa", True),
        ("| PO | Purchase order: the official document sent to a supplier. |", "PO", True),
        ("For anyone new \u2014 dogfooding is when we all run the release candidate.", "dogfooding", True),
        ("Vents run on chemosynthesis \u2014 making food from chemicals.", "chemosynthesis", True),
        ("A slip day gives you 24 extra hours.", "slip days", True),
        # a mention only
        ("Tomasz: grebe status page", "grebe", False),  # "status" is no verb
        ("PII must be stored only in approved systems.", "PII", False),
        ("Guests: two engineers from the Kestrel team", "Kestrel team", False),
        ("Construction was led by the Ostrava Group.", "Ostrava Group", False),
        ("We tried strace on the flaky worker in March but found nothing.", "strace", False),
        ("It was written in 2021 to replace a pile of rsync scripts.", "rsync", False),
        ("sha512 (equivalent to sha512sum)", "sha512sum", False),
        ("Or use git cherry-pick instead of git merge.", "git cherry-pick", False),
        ("Creating a new repository from scratch is very easy:", "bare repository", False),
        ("(Also see Section 7.8, \u201cWhat is a Virtual Package?\u201d", "Virtual", False),
        ("tar files are large.", "tar", False),
    ],
)
def test_states(text, name, says):
    assert states(text, name) is says


@pytest.mark.parametrize(
    "name, title, context, says",
    [
        ("incoming", 'What is "incoming"?', "", True),
        ("git stash", "Git manual", "Stashing > git stash", True),
        ("hunk", "Glossary", "## Hunk", True),
        ("git", "GIT-ADD(1)  Git Manual  GIT-ADD(1)", "", False),  # a title holding the name is no heading about it
        ("git stash", "GIT-WORKTREE(1)", "DESCRIPTION", False),
        ("strace", "Ops notes, build cluster", "Logs", False),
        ("tar", "Backups", "Using tarballs", False),
    ],
)
def test_headed(name, title, context, says):
    assert headed(name, title, context) is says


@pytest.mark.parametrize(
    "name, text, following, says",
    [
        ("comp days", "In return you earn comp days.", "These are extra paid days off.", True),
        ("MFA", "Multi-factor authentication (MFA) is mandatory.", "It requires a second proof of identity.", True),
        ("MFA", "Multi-factor authentication (MFA) is mandatory.", "Ask IT for a hardware key.", False),
        ("MFA", "Log in with your password.", "It requires a second proof of identity.", False),  # names it not
    ],
)
def test_says_next(name, text, following, says):
    assert says_next(name, text, following) is says


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
        # a DESCRIPTION opening with option entries (expr's): the sentence after them
        (
            MAN_UNITS[:6]
            + ["--help display this help and exit", "--version", "output version information and exit", "Pack files."],
            "tar",
            True,
            [2, 9],
        ),
        # a document not named for it defines it by its NAME line only
        (MAN_UNITS, "tar", False, [2, 7]),
        (["# fastsync", "fastsync is a tiny tool that mirrors two folders.", "Run it twice."], "fastsync", True, [1]),
        (["# notes", "fastsync is a tiny tool that mirrors two folders."], "fastsync", False, []),
        # a README's lead: a tagline, or a first statement naming it; after a greeting, its opener
        (["Command-line client for the Kestrel job scheduler.", "Run it as root."], "kestrelctl", True, [0]),
        (
            ["Use quern to turn CSV exports into Parquet files.", "It drops duplicates.", "Quern runs nightly."],
            "quern",
            True,
            [0],
        ),
        (
            ["Welcome to the quillsync repository!", "This README explains how to run it.", "quillsync keeps notes."],
            "quillsync",
            True,
            [2],
        ),
        (["Manage feature flags from your terminal.", "thistlectl flags list --project x"], "thistlectl", True, [0]),
        # a tagline first after the badges, though an opener follows
        (
            ["[CI](ci.svg)", "Tail many logs in one terminal.", "cargo install larkspur", "larkspur reads a file."],
            "larkspur",
            True,
            [1],
        ),
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


def test_a_what_is_questions_best_defining_candidate_comes_first():
    """rag.answer.defining_first: the best-ranked of the first DEFINING_RANK candidates that says
    what the name is leads; other questions, and a list where none does, keep their order."""
    texts = ["Creating a new repository is easy:", "Run git init.", 'It holds a "bare" repository: the .git files.']
    ranked = [Scored(_hit("a.txt", i, t), {}, frozenset(), 1.0 - i / 10) for i, t in enumerate(texts)]
    moved = defining_first(parse("What is a bare repository?"), ranked)
    assert [c.hit.index for c in moved] == [2, 0, 1]
    assert defining_first(parse("How do I create a repository?"), ranked) == ranked
    assert defining_first(parse("What is a hunk?"), ranked) == ranked
    assert defining_first(parse("What is a bare repository?"), ranked[:2]) == ranked[:2]


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

Logs: the backup script pipes its logs through gzip before they reach the storage box.
We tried strace on the flaky backup host in March but found nothing.
"""

LEAVE_TXT = """Weekend work

Some releases need weekend work. In return you earn comp days. These are extra paid days off,
one for each weekend day worked, and they must be taken within three months.
"""

GLOSSARY_MD = """# Glossary

A hunk is a group of changed lines in a diff, with a few unchanged lines around them.
"""

SUPPORT_HTML = """<html><head><title>Support handbook</title></head><body>
<h1>Support handbook</h1>
<p>New support staff should learn these terms in their first week.</p>
<dl>
<dt>Canned response</dt>
<dd>A pre-written reply stored in the help desk that an agent inserts and personalises.</dd>
<dt>First response time</dt>
<dd>The time between a ticket being opened and the first human reply.</dd>
</dl>
</body></html>
"""

CORPUS = {
    "tar.txt": TAR_MAN,
    "gzip.txt": GZIP_MAN,
    "tac.txt": TAC_MAN,
    "fastsync-README.md": FASTSYNC_README,
    "backups.txt": BACKUPS_TXT,
    "glossary.md": GLOSSARY_MD,
    "support.html": SUPPORT_HTML,
    "leave.txt": LEAVE_TXT,
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
        (
            'What does "tac" do?',
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
    """ "What is rsync?": no manual, no NAME line lists it; the learned scorer decides as before,
    and a sentence saying what the name is answers ("A hunk is a group of ...")."""
    got = engine.ask("What is rsync?")
    assert not got.answered, got.answer
    got = engine.ask("What is a hunk?")
    assert got.answered and got.answer.startswith("A hunk is a group of changed lines in a diff"), got.answer
    # a definition list's term is quoted over its definition, which does not name it
    got = engine.ask("What is a canned response?")
    assert got.answered and got.answer.startswith("Canned response [1] A pre-written reply stored"), got.answer
    # what it is, in the sentence after the one naming it
    got = engine.ask("What are comp days?")
    assert got.answer.startswith("In return you earn comp days. [1] These are extra paid days off, one for each"), (
        got.answer
    )


def test_a_name_mentioned_only_in_passing_is_not_defined_by_that_mention(engine):
    """backups.txt's "We tried strace on the flaky backup host in March ..." names strace but does
    not say what it is: refused, saying so (rag.definitions.states)."""
    got = engine.ask("What is strace?")
    assert not got.answered and got.citations == []
    assert got.answer == "The documents don't say. None of them says what \u201cstrace\u201d is."


@pytest.mark.parametrize(
    "question",
    ["Which version of GNU TAR is this?", "When was the tar manual published?", "What is the coreutils version?"],
)
def test_a_running_head_or_foot_is_never_quoted(engine, question):
    got = engine.ask(question)
    assert not any(running_head(c.text) for c in got.citations), got.answer


def test_the_calibration_refuses_a_mention_as_compose_does(engine):
    """eval.calibrate.outcomes: the what-is answer compose() refuses (only a mention of the
    name) counts as refused (p = 0.0), so the fitted threshold and the evaluation's refits see
    the answers the engine gives."""
    from eval.calibrate import collect, outcomes
    from eval.questions import Question
    from rag.scorer import load_scorer

    asked = Question(id="d1", category="faq_removed", question="What is strace?", gold=["backups.txt"])
    defined = Question(id="d2", category="faq", question="What is a hunk?", gold=["glossary.md"], key_facts=["hunk"])
    got = outcomes(collect(engine, [asked, defined]), load_scorer())
    assert got[0][0] == 0.0 and got[1][0] > 0.0
    assert not engine.ask(asked.question).answered and engine.ask(defined.question).answered
