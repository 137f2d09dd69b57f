"""Questions that ask for a kind of value beyond amounts, dates and names (issue 13, near-topic
unanswerables): a URL, an e-mail address, a phone number, a colour, a version. Real model,
real Chroma in a temp dir.

- the answer quotes a sentence holding a value of the asked kind;
- a question whose value the documents never state is refused, not answered with a sentence
  on the topic that holds none ("What is Tomas Reyne's e-mail address?" is not answered by
  "Tomas Reyne has worked in the harbour since 2009.");
- the word naming the kind is no name the documents must mention: a page holding
  "https://..." answers "What URL hosts Quillmark?" though it never says "URL";
- a changelog entry's version is its heading: "Which version added CSV export?" quotes the
  entry, cited under the heading (its section) that names the version.
"""

from __future__ import annotations

import pytest

DOCS = {
    "project.md": "# Quillmark\n\n"
    "Quillmark formats reading lists for small libraries.\n"
    "The source code and the issue tracker live at https://git.example.org/quillmark.\n"
    "Bugs can also be reported to the maintainer, Ines Parvaz <ines@quillmark.example>.\n"
    "Quillmark 2.4 added the --shelf flag.\n"
    "Support for the old CSV 1.0 import will be removed in a future release.\n",
    "CHANGELOG.md": "# Changelog\n\nAll notable changes to tallyhook are listed here.\n\n"
    "## 3.2.0 (2025-06-12)\n\n- Added the `--since` option to `tallyhook report`.\n"
    "- The default report width is now 100 columns.\n\n"
    "## 3.1.0 (2025-02-03)\n\n- Added export to CSV with `tallyhook export --csv`.\n"
    "- Dropped support for Python 3.8.\n",
    "office.txt": "Harbour Office\n\n"
    "The harbour office is open from 8:00 to 16:00 on weekdays.\n"
    "Call the harbour office on +44 1632 960 123 for berth bookings.\n"
    "The harbour master is Tomas Reyne.\n"
    "Visitor moorings are marked with yellow buoys.\n"
    "Tomas Reyne has worked in the harbour since 2009.\n"
    "Dr Helen Achterberg holds the harbour clinic on Tuesdays from 14:00.\n",
    # sections per island: a row under one island's heading is no fare to the other
    "ferries.md": "# Skerrow Ferries\n\nWe sail from Port Aldon to Inchmara and Fennay.\n\n## Fares\n\n"
    "All fares are in pounds sterling.\n\n### Inchmara\n\n| Ticket | Single | Return |\n|---|---|---|\n"
    "| Adult | \u00a36.20 | \u00a311.00 |\n| Bicycle | \u00a32.00 | \u00a33.50 |\n\n### Fennay\n\n"
    "| Ticket | Single | Return |\n|---|---|---|\n| Adult | \u00a39.50 | \u00a316.00 |\n\n"
    "## Club runs\n\nThe Wexcombe Wheelers meet at the Market Cross at 8:30 every Sunday.\n",
    # a plain text's sections in capitals: rows repeat under each
    "groomer.txt": "WAGGY TAILS GROOMING\n\nAll prices include VAT.\n\nFULL GROOM\n"
    "  Small dog (up to 10 kg) ........ \u00a338.00\n  Large dog (25-40 kg) ........ \u00a362.00\n\n"
    "BATH & BRUSH\n  Small dog ........ \u00a325.00\n  Large dog ........ \u00a340.00\n\n"
    "OUR TEAM\nDr Ellen Frost (visiting vet, Mondays)\nBookings: Karen Whitlock, bookings@waggy.example\n",
    # a name that only a heading holds is still mentioned
    "practice.md": "# Riverside Practice team\n\n## Dr Samuel Achebe\n"
    "GP partner. Works Mondays, Wednesdays and Fridays.\n",
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("kinds", DOCS)


@pytest.mark.parametrize(
    "question, value",
    [
        ("What URL hosts Quillmark?", "https://git.example.org/quillmark"),
        ("What is the e-mail address of the Quillmark maintainer?", "ines@quillmark.example"),
        ("What is the phone number of the harbour office?", "+44 1632 960 123"),
        ("What colour are the buoys of visitor moorings?", "yellow"),
        ("Which version of Quillmark added the --shelf flag?", "Quillmark 2.4"),
        # "What's" asks as "What is" does; opening hours are clock times
        ("What's the phone number of the harbour office?", "+44 1632 960 123"),
        ("What are the harbour office's opening hours?", "8:00 to 16:00"),
        # a title is no part of the name: "Dr Achterberg" is "Dr Helen Achterberg"
        ("What time does Dr Achterberg's clinic start?", "14:00"),
    ],
)
def test_the_answer_quotes_a_value_of_the_asked_kind(engine, question, value):
    got = engine.ask(question)
    assert got.answered, got.answer
    assert value in got.citations[0].text
    assert "never mention" not in got.answer


@pytest.mark.parametrize(
    "question",
    [
        "What is Tomas Reyne's e-mail address?",
        "What is the phone number of the Quillmark maintainer?",
        "What colour is the Quillmark logo?",
        "What is the URL of the harbour office website?",
        "What's Tomas Reyne's e-mail address?",
        # the kind after a long owner's name: the line naming her holds no address
        "What is Dr Ellen Frost's email address?",
        # only Inchmara's fares list a bicycle
        "How much is a bicycle return to Fennay?",
    ],
)
def test_a_value_the_documents_never_state_is_refused(engine, question):
    got = engine.ask(question)
    assert not got.answered, got.answer
    # the kind's own word ("URL", "e-mail") is never named as what the corpus lacks
    assert "URL" not in got.answer and "mail" not in got.answer


@pytest.mark.parametrize(
    "question, entry, version",
    [
        ("Which version of tallyhook added CSV export?", "Added export to CSV", "3.1.0"),
        ("In which version did tallyhook drop support for Python 3.8?", "Dropped support for Python 3.8", "3.1.0"),
        ("Which version added the --since option?", "Added the `--since` option", "3.2.0"),
    ],
)
def test_a_changelog_entry_answers_under_its_version_heading(engine, question, entry, version):
    got = engine.ask(question)
    assert got.answered, got.answer
    assert entry in got.citations[0].text
    assert got.citations[0].section.startswith(version)


@pytest.mark.parametrize(
    "question, value, section",
    [
        ("How much is an adult return to Fennay?", "\u00a316.00", "Fares > Fennay"),
        ("How much is a bicycle return to Inchmara?", "\u00a33.50", "Fares > Inchmara"),
        # a plain text's heading in capitals is the section of its rows; a span holds 30 kg
        ("How much is a full groom for a large dog of about 30 kg?", "\u00a362.00", "FULL GROOM"),
        ("How much is a bath and brush for a large dog?", "\u00a340.00", "BATH & BRUSH"),
    ],
)
def test_a_row_answers_under_its_section(engine, question, value, section):
    got = engine.ask(question)
    assert got.answered, got.answer
    # the row is quoted with its header row (cited first when it is one)
    rows = [c for c in got.citations if "\u00a3" in c.text]
    assert len(rows) == 1 and value in rows[0].text, got.answer
    assert rows[0].section == section


def test_a_name_only_a_heading_holds_is_mentioned(engine):
    got = engine.ask("Which days does Dr Samuel Achebe work?")
    assert got.answered and "never mention" not in got.answer, got.answer
    assert "Mondays, Wednesdays and Fridays" in got.citations[0].text


def test_a_day_beside_a_name_is_no_part_of_it(engine):
    got = engine.ask("Where do riders gather for the Wexcombe Wheelers Sunday run?")
    assert got.answered, got.answer
    assert "Market Cross" in got.citations[0].text
