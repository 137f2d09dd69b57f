"""The relevance-head study's harvest (eval/relevance_head.py): a real man page rendered by
groff becomes a question from its NAME summary and an answer from its DESCRIPTION."""

import gzip
import random
import shutil

import numpy as np
import pytest

from eval.relevance_head import VERB_FORMS, auc, pair_features, paragraphs, phrase, render, sections

PAGE = r""".TH FROB 1 "2026" "frob 1.0" "User Commands"
.SH NAME
frob \- squeeze the widgets of a file
.SH SYNOPSIS
.B frob
[\fIOPTION\fR]... \fIFILE\fR
.SH DESCRIPTION
Squeeze the widgets of
.I FILE
until they fit.
.PP
With no FILE, read standard input.
.SH SEE ALSO
.BR unfrob (1)
"""


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff renders man pages (Debian package groff-base)")
def test_a_man_page_renders_to_sections(tmp_path):
    path = tmp_path / "frob.1.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    sec = sections(render(path))
    assert list(sec) == ["NAME", "SYNOPSIS", "DESCRIPTION", "SEE ALSO"]
    assert " ".join(sec["NAME"].split()) == "frob - squeeze the widgets of a file"
    assert (
        paragraphs(sec["DESCRIPTION"])
        == "Squeeze the widgets of FILE until they fit.\n\nWith no FILE, read standard input."
    )


def test_paragraphs_stop_at_the_cap_on_a_paragraph_boundary():
    body = "   one two\n   three\n\n   " + "x" * 30 + "\n\n   last"
    assert paragraphs(body, cap=20) == "one two three"
    assert paragraphs(body, cap=100) == "one two three\n\n" + "x" * 30 + "\n\nlast"
    assert paragraphs("   " + "y" * 50, cap=10) == "y" * 50  # the first paragraph is always kept


@pytest.mark.parametrize(
    "summary, section, how",
    [
        ("copy files and directories", "1", True),
        ("Allocate and free dynamic memory.", "3", True),
        ("process information pseudo-filesystem", "5", False),  # files and concepts: a topic question
        ("overview of the Linux virtual file system", "7", False),
        ("conversion of a wide character", "3", False),  # a noun first, whatever the section
        ("lists directory contents", "1", True),
        ("searches a directory tree", "1", True),
    ],
)
def test_phrase_turns_a_summary_into_a_question(summary, section, how):
    q = phrase(summary, section, random.Random(0))
    core = summary.rstrip(".")
    core = core[0].lower() + core[1:]
    core = {"lists": "list", "searches": "search"}.get(core.split()[0], core.split()[0]) + core[len(core.split()[0]) :]
    assert core in q and q[-1] in "?."
    assert (q in {f.format(s=core) for f in VERB_FORMS}) == how
    assert "Which git command" not in q  # the evaluation's own form is never used


def test_pair_features_and_auc():
    q = np.array([3.0, 4.0])
    p = np.array([[0.6, 0.8], [1.0, 0.0]])
    x = pair_features(q, p)
    assert x.shape == (2, 5)
    np.testing.assert_allclose(x[0], [0.36, 0.64, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(x[1], [0.6, 0.0, 0.4, 0.8, 0.6])
    assert auc([0.9, 0.8], [0.1, 0.8]) == pytest.approx((2 + 1 + 0.5) / 4)
    assert auc([], [0.1]) is None
