"""Question analysis (rag/question.py) table by table: what a question asks to define."""

from __future__ import annotations

import pytest

from rag.question import defined_term, parse


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What is a bare repository?", ("bare", "repositori")),  # git-manual
        ("What is Debian GNU/Linux?", ("debian", "gnu", "linux")),  # debian-faq
        ("What is meant by Pre-Depends?", ("pre", "depend")),
        ('What is "incoming"?', ("incom",)),
        ("What is the CSTO?", ("csto",)),  # seeds
        ("Who is Kasym Tokayev?", ("kasim", "tokaiev")),  # a named person: "who is" asks for a description
        ("What does the word Debian mean?", ("word", "debian")),
        ("What does ECCN stand for?", ("ecn",)),  # folded as rag.text.terms folds it
        ("Define conffile.", ("confil",)),
        # not definitions: an attribute, a comparison, an amount, a person asked for, a possessive, a long list
        ("What is the latest version of Debian?", ()),
        ("What is the difference between Debian GNU/Linux and other Linux distributions?", ()),
        ("What is the price of LPG per litre?", ()),
        ("Who is the prime minister?", ()),
        ("What is Kazakhstan's GDP?", ()),
        ("What is it called when HEAD refers to a commit rather than to a branch?", ()),
        ("What is a Debian preinst, postinst, prerm, and postrm script?", ()),
        ("How do I create a repository?", ()),
    ],
)
def test_defined_term(question, expected):
    assert defined_term(question) == expected
    assert parse(question).defined == expected
