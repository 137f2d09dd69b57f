"""Near-topic questions whose documents cover a sibling only (rag/rivals.py, rag/question.py):
another age band, another lettered thing ("Room A"), another place after the same preposition,
another thing of a table's first column, an empty cell of the asked column, a yes/no question's
subject with another modifier; and hours lines that name nothing, which are their document's.
Table tests of the pure readers, then a real engine (real model, real Chroma in a temp dir) on
helper 82's probe documents, written again here."""

from __future__ import annotations

import pytest

from rag.embed import default_embedder
from rag.question import parse
from rag.rivals import (
    _rivals_in,
    _subject_phrase,
    age_bands,
    bare_schedule,
    empty_asked_cell,
    mark_rivals,
    names_listed_sibling,
    other_age_band,
    other_letter,
    other_place,
    table_siblings,
)
from rag.text import terms
from rag.types import SentenceHit


@pytest.mark.parametrize(
    "text, bands",
    [
        ("Children and teenagers under 16 pay no fines.", [(0, 15)]),
        ("Do under-18s pay overdue fines?", [(0, 17)]),
        ("They are for users aged 18 and over.", [(18, 999)]),
        ("18+ only", [(18, 999)]),
        ("Over-65s", [(65, 999)]),
        ("Homework Club for ages 8-12", [(8, 12)]),
        ("teenagers aged 13 to 16", [(13, 16)]),
        ("Child (5-15) | \u00a33.40", [(5, 15)]),
        ("How much is it for a 10-year-old?", [(10, 10)]),
        ("Children under 8 must be accompanied.", [(0, 7)]),  # "m" of "must" is no metre
        # a unit or a counted noun after the number: no age
        ("Parcels under 16 kg ship free.", []),
        ("Groups of over 100 people must book.", []),
        ("Discounts under 50% are not shown.", []),
        ("Sessions over 60 minutes cost more.", []),
        # helper 84: a decimal is no age, two ages make a band, "up to" an upper bound
        ("Riders under 1.2 metres tall ride with an adult.", []),
        ("Youth tickets are for 16 and 17 year olds.", [(16, 17)]),
        ("Children up to 3 years old go free.", [(0, 3)]),
    ],
)
def test_age_bands(text, bands):
    assert age_bands(text) == bands


@pytest.mark.parametrize(
    "question, sentence, other",
    [
        # 16 and 17 are left out: nothing is said of under-18s
        ("Do under-18s pay overdue fines?", "Children and teenagers under 16 pay no overdue fines.", True),
        ("Must under-12s be accompanied in the pool?", "Children under 8 must be accompanied in the water.", True),
        ("How much is it for a 10-year-old?", "Children under 5 travel free.", True),
        ("When does the club for teenagers aged 13-16 meet?", "Homework Club for ages 8-12: Tuesdays.", True),
        # a band holding the asked one speaks of it
        ("How much is it for a 10-year-old?", "Child (5-15) | \u00a33.40", False),
        ("Do over-65s get a discount?", "Over 60s get 20% off.", False),
        # a yes/no question is answered (no) by a band that leaves it out altogether
        ("Can 16-year-olds use the sauna?", "They are for users aged 18 and over.", False),
        # no band in the sentence, or none asked
        ("Do under-18s pay overdue fines?", "Overdue fines are 25p a day.", False),
        ("Do students pay overdue fines?", "Children under 16 pay no overdue fines.", False),
        # age groups said in words (helper 96's FU08): the adults' rule is no children's
        ("How many books can children borrow?", "Adult members can borrow up to 12 books at a time.", True),
        ("How many books can children borrow?", "Children's cards allow 6 books at a time.", False),
        ("How much is the adult fee?", "Juniors pay 10 pounds.", True),
        ("How much is junior membership?", "Adults pay 30 pounds; juniors pay 10.", False),  # names both
        ("How much is a ticket?", "Adults pay 5 pounds.", False),  # no group asked
        ("Can children use the sauna?", "Adults may use the sauna.", False),  # yes/no: a claim to check
    ],
)
def test_another_age_band(question, sentence, other):
    assert other_age_band(question, sentence, parse(question).yes_no) is other


@pytest.mark.parametrize(
    "question, sentence, other",
    [
        ("How much does Room B cost for community groups?", "Room A | 12 | \u00a315 per hour", True),
        ("How much does the hepatitis B vaccine cost?", "Hepatitis A vaccine (per dose) | \u00a355", True),
        ("How much does the hepatitis A vaccine cost?", "Hepatitis A vaccine (per dose) | \u00a355", False),
        ("Can I book Room B?", "Rooms A and B can be booked online.", False),  # B is said too
        ("Where do I park?", "Car park A is by the entrance.", False),  # "I" names nothing
        # helper 84: a sentence of every one or of the rest, a scale, a sentence naming an asked one
        ("Does Room B have a projector?", "All meeting rooms except Room A have a projector.", False),
        ("Is a grade B in GCSE maths enough?", "Applicants need a grade C or above in GCSE maths.", False),
        ("Can Zone A permit holders park in Zone B?", "Permit holders for Zone A can also park nearby.", False),
    ],
)
def test_another_letter(question, sentence, other):
    assert other_letter(question, sentence) is other


@pytest.mark.parametrize(
    "question, sentence, around, other",
    [
        (
            "What time is the first ferry to Kerrisay?",
            "The 07:15 weekday sailing connects with the school bus.",
            "Island Links Ferries: Port Allan to Inchmore timetable",
            True,
        ),
        (
            "What time is the first ferry to Inchmore?",
            "The 07:15 weekday sailing connects with the school bus.",
            "Island Links Ferries: Port Allan to Inchmore timetable",
            False,
        ),
        ("Where can I park in Soho?", "Parking is free after 18:00.", "Parking in Camden", True),
        # a sentence's own places are not read: Moscow's court may extradite "to Russia"
        ("Why did the court refuse to hand him over to Moscow?", "It refused extradition to Russia.", "", False),
        ("What is on in January?", "In March the hall is closed for works in May.", "", False),  # months
        ("How To Get To Leeds?", "Trains to York leave hourly.", "", False),  # headline case names nothing
    ],
)
def test_another_place_after_the_same_preposition(question, sentence, around, other):
    assert other_place(question, sentence, around) is other


def _rows(header: str, rows: list[str], source: str = "t.md") -> list[SentenceHit]:
    return [SentenceHit(source, "T", r, i, i + 1, None, None, i, f"T\n{header}") for i, r in enumerate(rows)]


def test_a_tables_first_column_lists_siblings():
    hits = _rows("Item | Loan period", ["Books | 3 weeks", "DVDs | 1 week", "Magazines | 1 week"])
    hits += [SentenceHit("t.md", "T", "Books can be renewed up to 3 times.", 9, 10, None, None, 9, "T")]
    (keys,) = table_siblings(hits)
    assert sorted(keys, key=sorted) == sorted((frozenset(terms(w)) for w in ("Books", "DVDs", "Magazines")), key=sorted)
    asked = set(parse("How many times can DVDs be renewed?").terms)
    assert names_listed_sibling(asked, set(terms("Books can be renewed up to 3 times.")), [keys])
    assert not names_listed_sibling(asked, set(terms("Items can be renewed up to 3 times.")), [keys])
    assert not names_listed_sibling(asked, set(terms("Books and DVDs can be renewed twice.")), [keys])
    # helper 84: a sentence of every one or of the rest is read by mark_rivals, not here
    hits += [SentenceHit("t.md", "T", "You can renew books and other loans online.", 10, 11, None, None, 10, "T")]
    mark_rivals(hits, parse("Can I renew DVDs online?"), default_embedder().embed)
    assert not hits[-1].rival
    # one row is no list of siblings
    assert table_siblings(hits[:1]) == []


@pytest.mark.parametrize(
    "question, header, row, empty",
    [
        (
            "How much does Room B cost for community groups?",
            "Room | Seats | Community groups | Commercial bookings",
            "Room B | 40 | | \u00a345 per hour",
            True,
        ),
        (
            "How much does Room A cost for community groups?",
            "Room | Seats | Community groups | Commercial bookings",
            "Room A | 12 | \u00a315 per hour | \u00a330 per hour",
            False,
        ),
        (
            "How much is a half-day mountain bike hire?",
            "Bike | Half day (4 hours) | Full day",
            "Mountain bike | | \u00a325",
            True,
        ),
        (
            "How much is a full-day mountain bike hire?",
            "Bike | Half day (4 hours) | Full day",
            "Mountain bike | | \u00a325",
            False,
        ),
        # a row shorter than its header leaves the last cells empty
        ("How much is a child return ticket?", "Ticket | Single | Return", "Child (5-15) | \u00a33.40 |", True),
        ("How much is a child single ticket?", "Ticket | Single | Return", "Child (5-15) | \u00a33.40 |", False),
        ("How much is a child return ticket?", "Ticket | Return", "Child | -", False),  # one value column
    ],
)
def test_an_empty_cell_of_the_asked_column_states_nothing(question, header, row, empty):
    assert empty_asked_cell(set(terms(question)), row, header) is empty


@pytest.mark.parametrize(
    "question, sentence, rivals",
    [
        # a yes/no question's subject with another modifier: full-timers are no part-timers
        (
            "Do part-time employees get sick pay?",
            "After six months, full-time employees receive full pay for 4 weeks.",
            [("part", ["full"])],
        ),
        (
            "Can part-time employees buy extra days of leave?",
            "Full-time employees may buy 5 more days.",
            [("part", ["full"])],
        ),
        # its object is what is claimed: "private lessons only" answers it (no)
        ("Do you offer group lessons?", "We offer private lessons only.", []),
        # helper 84: the subject's noun said alone speaks of every one ("car park" is no rival)
        ("Can local residents park free?", "Residents park free in the main car park with a permit.", []),
        ("Is the main pool heated?", "The main pool is heated to 29 degrees.", []),
    ],
)
def test_a_yes_no_questions_subject_is_read_for_siblings(question, sentence, rivals):
    q = parse(question)
    assert _rivals_in(_subject_phrase(q), set(q.terms), sentence, set(), set()) == rivals


def test_the_word_a_modifier_modifies_decides():
    """ "A4 costs" puts a number before "costs"; "Colour printing" another word before "printing"."""
    q = parse("How much does black-and-white printing cost?")
    from rag.rivals import _phrases

    assert _rivals_in(_phrases(q.text), set(q.terms), "Colour printing on A4 costs 50p per page.", set(), set()) == [
        ("white", ["colour"])
    ]


@pytest.mark.parametrize(
    "title, context, text, bare",
    [
        ("Opening hours", "", "Saturday: 08:00 to 18:00", True),
        ("Opening hours", "", "Mon-Fri 9am-5pm", True),
        ("Centre", "Timetable", "Saturday: 08:00 to 18:00", False),  # the title names a thing
        ("Opening hours", "Pool hours", "Saturday: 08:00 to 12:00", False),  # a heading names one
        ("Opening hours", "", "Sauna: 07:00 to 21:30", False),  # the line names one
        ("Opening hours", "", "Closed on bank holidays.", False),  # no time stated
    ],
)
def test_a_bare_schedule_names_nothing(title, context, text, bare):
    assert bare_schedule(SentenceHit("h.md", title, text, 0, 1, None, None, 0, context)) is bare


@pytest.mark.parametrize(
    "question, kind, timed",
    [
        ("What time are the phone lines open on weekdays?", "date", ("lines",)),  # a time, not a phone number
        ("What time do the phone lines open?", "date", ("lines",)),
        ("What is the phone number of reception?", "phone", ()),
        ("When is the sauna open at weekends?", "date", ("sauna",)),  # a state ends the subject
        ("What are the pool opening hours on Saturday?", "date", ("pool",)),
        ("What are the library's opening times?", "date", ("library",)),
        ("What are the opening hours of the museum on Sunday?", "date", ("museum",)),
        ("What are the opening hours on Saturday?", "date", ()),
        ("What are your opening hours?", "date", ()),
    ],
)
def test_what_a_time_question_times(question, kind, timed):
    q = parse(question)
    assert (q.kind, q.timed) == (kind, timed)


def test_the_first_of_them_is_no_subject():
    assert parse("What time is the first ferry on Saturday?").subject == parse("When is the ferry?").subject


# Helper 82's probe documents (abridged): a leisure centre's hours, a library's loans and rooms,
# a clinic's fees, a ferry's fares and timetable.
DOCS = {
    "opening_hours.md": "# Opening hours\n\nThe building, the gym and the caf\u00e9 open at the following times. "
    "The last admission to the gym is 45 minutes before closing.\n\n"
    "- Monday to Friday: 06:00 to 22:00\n- Saturday: 08:00 to 18:00\n\n"
    "## Sauna and steam room\n\nThe sauna and steam room are open on weekdays from 07:00 to 21:30. "
    "They are for users aged 18 and over.\n\n"
    "## Bank holidays\n\nChristmas Day and Boxing Day are the only days the centre is fully closed.\n",
    "borrowing.md": "# Borrowing\n\n| Item | Loan period |\n|---|---|\n| Books | 3 weeks |\n| DVDs | 1 week |\n"
    "| Magazines | 1 week |\n\nBooks can be renewed up to 3 times, online or at any branch.\n\n"
    "Children and teenagers under 16 pay no overdue fines.\n",
    "rooms.md": "# Rooms\n\n| Room | Seats | Community groups | Commercial bookings |\n|---|---|---|---|\n"
    "| Room A | 12 | \u00a315 per hour | \u00a330 per hour |\n| Room B | 40 | | \u00a345 per hour |\n",
    "fees.md": "# Private fees\n\n| Service | Fee |\n|---|---|\n| Hepatitis A vaccine (per dose) | \u00a355 |\n"
    "| Typhoid vaccine | \u00a340 |\n",
    "timetable.md": "# Island Links Ferries: Port Allan to Inchmore timetable\n\nThe crossing takes 35 minutes.\n\n"
    "## Departures from Port Allan\n\n| Day | Departures |\n|---|---|\n"
    "| Monday to Friday | 07:15, 09:30, 12:45 |\n| Saturday | 08:00, 11:00, 15:00 |\n\n"
    "## Onward travel\n\nOnward connections to Kerrisay are run by a separate company, Kerrisay Sea Taxis.\n",
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("siblings", DOCS)


@pytest.mark.parametrize(
    "question, value",
    [
        ("What time does the centre open on Saturday?", "08:00"),  # the hours line names no centre: its document's
        ("What time are the phone lines open on weekdays?", None),  # (no phone lines here: refused below)
        ("What time is the first ferry on Saturday?", "08:00"),
        ("How much does Room A cost for community groups?", "\u00a315"),
        ("How much does the hepatitis A vaccine cost?", "\u00a355"),
        ("Can 16-year-olds use the sauna?", "18 and over"),
    ],
)
def test_the_asked_things_value_is_answered(engine, question, value):
    got = engine.ask(question)
    if value is None:
        assert not got.answered, got.answer
        return
    assert got.answered, got.answer
    assert any(value in c.text for c in got.citations), got.answer


@pytest.mark.parametrize(
    "question",
    [
        "When is the sauna open at weekends?",  # weekdays only; the building's Saturday is not the sauna's
        "How many times can DVDs be renewed?",  # books only
        "How much does Room B cost for community groups?",  # its cell is empty
        "How much does the hepatitis B vaccine cost?",  # hepatitis A only
        "What time is the first ferry to Kerrisay?",  # the timetable is Inchmore's
    ],
)
def test_a_siblings_value_is_no_answer(engine, question):
    got = engine.ask(question)
    assert not got.answered, got.answer


def _hit(text: str, vector, rival: bool = False) -> SentenceHit:
    import numpy as np

    v = np.asarray(vector, dtype=float)
    return SentenceHit("d.md", "D", text, 0, 1, v / np.linalg.norm(v), None, 0, "", rival=rival)


@pytest.mark.parametrize(
    "rival_cos, chosen_cos, nearer",
    [
        (0.78, 0.59, True),  # "under 16 pay no fines" vetoed; "Adult members pay ..." is what is left
        (0.57, 0.46, False),  # within SIBLING_GAP: the answer stands
        (0.40, 0.80, False),
        (None, 0.50, False),  # no sibling vetoed
    ],
)
def test_a_sibling_much_nearer_than_the_answer_refuses_it(rival_cos, chosen_cos, nearer):
    import math

    from rag.answer import sibling_nearer
    from rag.signals import Scored

    def at(c):  # a unit vector at cosine c from the question's (1, 0)
        return [c, math.sqrt(1 - c * c)]

    hits = [_hit("Adult members pay a fine of 25p a day.", at(chosen_cos))]
    if rival_cos is not None:
        hits.append(_hit("Children under 16 pay no fines.", at(rival_cos), rival=True))
    chosen = [Scored(hits[0], {}, frozenset(), 1.0)]
    assert sibling_nearer([1.0, 0.0], hits, chosen) is nearer


def test_a_title_is_no_sibling_nearer_than_the_answer():
    # helper 95's E2: "Riverside Dental Surgery staff" (the title, vetoed for naming no practice
    # manager) is .69 from "Who is the practice manager at the dental surgery?", the answer .51
    import math

    import numpy as np

    from rag.answer import sibling_nearer
    from rag.signals import Scored

    def at(c):
        return [c, math.sqrt(1 - c * c)]

    answer = _hit("The practice manager is Ma\u0142gorzata Wi\u015bniewska.", at(0.51))
    title = SentenceHit("d.md", "D", "D", 0, 1, np.asarray(at(0.69)), None, 0, "", rival=True)  # its title
    chosen = [Scored(answer, {}, frozenset(), 1.0)]
    assert not sibling_nearer([1.0, 0.0], [answer, title], chosen)
    other = _hit("Children under 16 pay no fines.", at(0.69), rival=True)
    assert sibling_nearer([1.0, 0.0], [answer, other], chosen)  # the same cosine in a sentence refuses


DENTAL = {
    "dental_staff.txt": "Riverside Dental Surgery staff\n\nThe practice manager is Ma\u0142gorzata Wi\u015bniewska.\n"
    "Dr Tom\u00e1\u0161 Dvo\u0159\u00e1k treats children on Tuesday mornings.\n",
    "choir.txt": "Harbour Community Choir\n\nRehearsals take place in St Mark's church hall.\n",
}


def test_a_title_naming_no_one_does_not_veto_the_answer(engine_over):
    got = engine_over("dental", DENTAL).ask("Who is the practice manager at the dental surgery?")
    assert got.answered, got.answer
    assert "Wi\u015bniewska" in got.citations[0].text
