"""Table questions, sibling cases of the case markdown-table-header-row (helper 83): a table right
under its heading (its header row's words are the corpus's too), a value named only by its
column's header ("Range"), a row labelled in its second column, a row whose first cell is a
one-word name, a table in a blockquote, a price column without a currency, a lead-in quoting
the asked row and not another's. A real engine: real model, real Chroma in a temp dir."""

from __future__ import annotations

import pytest

from rag.excerpt import _ASKS_SEVERAL
from rag.rivals import row_count_nouns

DOCS = {
    "plans.md": "# Gym Plans\n\n| Feature | Basic | Standard | Premium |\n|---|---|---|---|\n"
    "| Monthly fee | 25 \u20ac | 40 \u20ac | 65 \u20ac |\n| Guest passes | 0 | 2 | 5 |\n| Parking | No | No | Yes |\n",
    "scooters.md": "# Scooter Range\n\nOur scooters compared.\n\n| Model | Weight | Range |\n|---|---|---|\n"
    "| Breeze | 12.5 kg | 25 km |\n| Comet | 14.0 kg | 40 km |\n| Dart | 17.8 kg | 65 km |\n",
    "stock.md": "# Workshop Stock\n\nStock levels counted on 1 May.\n\n| SKU | Part | Stock | Unit price |\n"
    "|---|---|---|---|\n| A-101 | Hex bolt M8 | 1,200 | 0.15 EUR |\n| A-102 | Wing nut M8 | 340 | 0.22 EUR |\n"
    "| B-220 | Brass hinge | 75 | 3.90 EUR |\n",
    "branches.md": "# Branch Directory\n\nEvery branch, its manager and its phone number.\n\n"
    "| Branch | Manager | Phone |\n|---|---|---|\n| Alnwick | Ann Patel | 01000 550000 |\n"
    "| Barnard | Ben Nowak | 01001 550001 |\n| Filey | Finn Garcia | 01005 550005 |\n"
    "| Gateshead | Gita Kowalski | 01006 550006 |\n| Hexham | Hugo Nakamura | 01007 550007 |\n",
    "rooms.md": "# Meeting Rooms\n\nAll rooms can be booked through the front desk.\n\n"
    "| Room | Seats | Projector | Whiteboard |\n|---|---|---|---|\n| Oak Room | 12 | Yes | Yes |\n"
    "| Elm Room | 6 | No | Yes |\n| Birch Room | 40 | Yes | No |\n| Maple Room | 4 | No | No |\n",
    "classes.md": "# Classes\n\n| Class | Time | Studio |\n|---|---|---|\n| Pilates | 10:00-11:00 | Studio 1 |\n"
    "| Yoga | 18:00-19:00 | Studio 2 |\n| Zumba | 19:00-20:00 | Studio 1 |\n",
    "notice.md": "# Notice\n\n> Price changes from 1 July:\n>\n> | Item | Old price | New price |\n> |---|---|---|\n"
    "> | Coffee | 2.40 | 2.60 |\n> | Croissant | 1.80 | 2.10 |\n",
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("tables", DOCS)


@pytest.mark.parametrize(
    "question, row",
    [
        ("How many guest passes does the Standard plan include?", "Guest passes | 0 | 2 | 5"),
        ("What is the range of the Dart?", "Dart | 17.8 kg | 65 km"),
        ("How many wing nuts are in stock?", "A-102 | Wing nut M8 | 340 | 0.22 EUR"),
        ("What is the phone number of the Filey branch?", "Filey | Finn Garcia | 01005 550005"),
        ("Who is the manager of the Hexham branch?", "Hexham | Hugo Nakamura | 01007 550007"),
        ("What is the new price of a croissant?", "Croissant | 1.80 | 2.10"),
        ("What will a croissant cost from 1 July?", "Croissant | 1.80 | 2.10"),
    ],
)
def test_the_asked_row_is_quoted(engine, question, row):
    got = engine.ask(question)
    assert got.answered, got.answer
    quoted = [" ".join(c.text.split()) for c in got.citations]
    assert row in quoted, got.answer
    assert not any(q.startswith(">") for q in quoted), got.answer  # no blockquote marker
    assert "Coffee | 2.40 | 2.60" not in quoted, got.answer  # another thing's row


def test_a_word_only_a_header_row_holds_is_mentioned(engine):
    got = engine.ask("Does the Premium plan include parking?")
    assert "never mention" not in got.answer, got.answer


@pytest.mark.parametrize(
    "row, header, counts",
    [
        # a bare count counts its column's thing of the row's label, in whichever cell it is
        (
            "A-102 | Wing nut M8 | 340 | 0.22 EUR",
            "SKU | Part | Stock | Unit price",
            ("stock", "wing", "nut", "m", "eur"),
        ),
        ("Fenwick Park | 12", "Site | Parking spaces", ("parking", "spaces", "fenwick", "park")),
    ],
)
def test_a_rows_count_counts_what_its_other_cells_name(row, header, counts):
    assert counts in row_count_nouns(row, f"T\n{header}")


def test_a_question_asking_for_several_quotes_each_row(engine):
    """helper 83: "Which rooms have a projector?" quoted the Birch Room only."""
    got = engine.ask("Which rooms have a projector?")
    quoted = [" ".join(c.text.split()) for c in got.citations]
    assert "Oak Room | 12 | Yes | Yes" in quoted and "Birch Room | 40 | Yes | No" in quoted, got.answer


@pytest.mark.parametrize(
    "question, several",
    [
        ("Which rooms have a projector?", True),
        ("What plans include parking?", True),
        ("Which meeting rooms have whiteboards?", True),
        ("Which room has a projector?", False),
        ("Which bus goes to Leeds?", False),  # "bus" is one
        ("Which class runs on Mondays?", False),
        ("What does this do?", False),
    ],
)
def test_a_plural_asks_for_several(question, several):
    assert bool(_ASKS_SEVERAL.match(question)) is several


def test_rows_are_added_only_by_the_value_of_a_named_column(engine):
    """helper 84: "Which classes run in the morning?" quoted every class; no column is named, so
    only the best row is quoted."""
    got = engine.ask("Which classes run in the morning?")
    quoted = [" ".join(c.text.split()) for c in got.citations]
    assert len([q for q in quoted if q.startswith(("Pilates", "Yoga", "Zumba"))]) <= 1, got.answer


def test_a_yes_no_question_on_an_empty_cell_is_not_answered_by_its_row(engine_over):
    """helper 84: "Does Room 3 have a whiteboard?" quoted "Room 3 | 12 | Yes", whose whiteboard
    cell is empty (the "Yes" is its projector's); Room 1's row still answers for Room 1."""
    eng = engine_over(
        "empty-cell",
        {
            "rooms.md": "# Rooms\n\n| Room | Seats | Projector | Whiteboard |\n|---|---|---|---|\n"
            "| Room 1 | 8 | Yes | Yes |\n| Room 3 | 12 | Yes | |\n"
        },
    )
    got = eng.ask("Does Room 3 have a whiteboard?")
    assert not any("Room 3" in c.text for c in got.citations), got.answer
    got = eng.ask("Does Room 1 have a whiteboard?")
    assert got.answered and any("Room 1" in c.text for c in got.citations), got.answer


HIRE = {
    "hire.md": "# Hall Hire Rates\n\nThe village hall's rooms can be hired by the hour.\n\n"
    "| Room | Capacity | Weekday rate | Weekend rate |\n|---|---|---|---|\n"
    "| **Main hall** | 120 | \u00a322 per hour | \u00a330 per hour |\n"
    "| Small room | 25 | \u00a312 per hour | \u00a315 per hour |\n"
    "| Garden | 60 | free with a room | |\n",
    "tools.md": "# Tool hire\n\n| Tool | Daily charge | Deposit | Late fee |\n|---|---|---|---|\n"
    "| Hedge trimmer | \u00a37 | \u00a335 | \u00a35 per day |\n"
    "| Lawn mower | \u00a312 | \u00a350 | \u00a38 per day |\n",
}


@pytest.fixture(scope="module")
def hire(engine_over):
    return engine_over("hire", HIRE)


@pytest.mark.parametrize(
    "history, question, row",
    [
        # rag.kinds._number_under: the follow-up's words ("weekend") are the column's, not the row's
        (["How many people does the main hall hold?"], "How much is it at the weekend?", "Main hall"),
        (["Tell me about the small room."], "How much does it cost on a weekday?", "Small room | 25"),
        ([], "What is the deposit for the lawn mower?", "Lawn mower | \u00a312 | \u00a350"),
    ],
)
def test_an_amount_under_the_asked_column_is_answered(hire, history, question, row):
    got = hire.ask(question, history=history)
    assert got.answered, got.answer
    assert any(row in c.text for c in got.citations), got.answer


@pytest.mark.parametrize(
    "question",
    [
        # rag.conditions.field_missing: the tool table has no capacity column, so none of its numbers is one
        "What is the capacity of the hedge trimmer?",
        "What is the capacity of the lawn mower?",
    ],
)
def test_an_amount_of_a_field_the_table_lacks_is_refused(hire, question):
    got = hire.ask(question)
    assert not got.answered, got.answer


@pytest.mark.parametrize(
    "question, around, dropped",
    [
        # a which- or who-question on given days: a sentence naming none is no answer (helper 96's TB02)
        ("Which lessons are on Sundays?", ("Lessons run in 10-week terms.", "", "", "Junior Swim Lessons"), True),
        ("Which lessons are on Sundays?", ("Adult beginners | 18+ | Sunday | 10:00", "", "", "Lessons"), False),
        ("Who teaches on Tuesdays?", ("Kim teaches spin.", "Tuesday classes", "", "Timetable"), False),
        ("Who teaches on Tuesdays?", ("Kim teaches spin on Mondays.", "", "", "Timetable"), True),
        ("Which lessons are there?", ("Lessons run in 10-week terms.", "", "", "Lessons"), False),  # no day asked
    ],
)
def test_a_which_question_on_given_days_wants_the_day(question, around, dropped):
    from rag.conditions import no_asked_day
    from rag.question import parse

    assert no_asked_day(parse(question), around) is dropped


def test_a_sentence_naming_no_asked_day_is_no_answer(engine_over):
    swim = engine_over(
        "swim",
        {
            "swim.md": "# Junior Swim Lessons\n\nLessons run in 10-week terms.\n\n"
            "| Level | Age group | Day | Time |\n|---|---|---|---|\n| Starfish | 4-5 years | Monday | 16:00 |\n"
            "| Adult beginners | 18+ | Sunday | 10:00 |\n"
        },
    )
    got = swim.ask("Which lessons are on Sundays?")
    assert "10-week terms" not in got.answer, got.answer
