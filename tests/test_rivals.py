"""Another thing's value (rag/rivals.py): a sentence stating a value of the asked kind about a
sibling of what the question asks about is no answer. Table tests of the pure reader, the real
MiniLM for the synonym check, and a real engine (real model, real Chroma in a temp dir)."""

from __future__ import annotations

import re

import pytest

from rag.embed import default_embedder
from rag.question import parse
from rag.rivals import (
    _content_words,
    _mark_continuations,
    counts_another,
    labelled_for_another,
    lacks_asked,
    lower_case_terms,
    mark_rivals,
    named_for_another,
    names_sibling,
    other_rows,
    owned_elsewhere,
    owner_terms,
    rate_terms,
    rival_words,
    row_count_nouns,
    term_runs,
)
from rag.text import terms
from rag.types import SentenceHit


@pytest.mark.parametrize(
    "text, runs",
    [
        ("the tungsten-halogen lamp", [["tungsten", "halogen", "lamp"]]),
        ("Floor 4: Pernille Soutar", [["flor", "4"], ["pernil", "sutar"]]),
        ("What colour label is it?", [["colur", "label"]]),
        ("a lamp (UV) and a bulb", [["lamp"], ["uv"], ["bulb"]]),
    ],
)
def test_term_runs_are_side_by_side_content_words(text, runs):
    assert [run for run, _, _ in term_runs(text)] == runs


def test_a_run_after_a_wh_word_is_marked():
    assert [after for _, _, after in term_runs("What colour label identifies it?")] == [True]
    assert [after for _, _, after in term_runs("Is the colour label red?")] == [False]


@pytest.mark.parametrize(
    "question, sentence, rivals",
    [
        # a sibling in the modifier's place, each time the sentence names the head
        (
            "What is the rated life of the tungsten-halogen lamp?",
            "The deuterium lamp has a rated life of 2,000 hours.",
            [("tungsten", ["deuterium"]), ("halogen", ["deuterium"])],
        ),
        (
            "What colour are the VeloTide cargo bikes?",
            "Our classic pedal bikes are teal, and our electric-assist bikes are orange.",
            [("cargo", ["assist", "pedal"])],
        ),
        ("How much does the Standard plan cost?", "The Basic plan costs 25 euros.", [("standard", ["basic"])]),
        (
            "What minimum firmware version does a cciss RAID controller need?",
            "The Areca controller needs firmware version 1.46 or later.",
            [("cciss", ["areca"]), ("raid", ["areca"])],
        ),
        # another number after the head
        ("Who is the fire warden for floor 5?", "Floor 4: Pernille Soutar (fire warden)", [("5", ["4"])]),
        ("What date are Year 4 going to the centre?", "Year 5 trip to the centre, 14 May 2026", [("4", ["5"])]),
        ("What's the channel width on the 2.4 GHz band?", "On the 5 GHz band the width is 80 MHz.", [("2.4", ["5"])]),
        ("What's the channel width on the 2.4 GHz band?", "On the 2.4 GHz band the width is 20 MHz.", []),
        ("How much is a ten-class pass?", "10-class pass (valid 4 months) .... £115", []),  # one number, two spellings
        # a span that holds the asked number states its value; a bound is not read
        ("How much is a groom for a dog of about 30 kg?", "Large dog (25-40 kg) .... £62.00", []),
        ("How much is a groom for a dog of about 30 kg?", "Small dog (up to 10 kg) .... £38.00", [("30", ["10"])]),
        # the asked number said elsewhere (a price) is not said beside the head
        ("How much is a groom for a 45 kg dog?", "Large dog (25-40 kg): £45", [("45", ["40"])]),
        ("Who is the fire warden for floor 5?", "Floor 4: Pernille Soutar, desk 5", [("5", ["4"])]),
        ("Who is the fire warden for floor 5?", "Floor 4: Pernille Soutar, from 2025-03-03", [("5", ["4"])]),
        ("How much is a 45-minute check-up?", "If you are more than 10 minutes late, we rebook you.", [("45", ["10"])]),
        ("Who is the fire warden for floor 5?", "Floors 4 to 6: Pernille Soutar (fire warden)", []),
        # the asked modifier said too: no rival
        (
            "What colour are the electric-assist bikes?",
            "Our classic pedal bikes are teal, and our electric-assist bikes are orange.",
            [],
        ),
        ("Who is the fire warden for floor 5?", "Floor 5: Ada Mensah (fire warden)", []),
        # the slot after what/which/how holds the value itself
        ("What colour label marks a CO2 extinguisher?", "Black label: carbon dioxide (CO2).", []),
        ("How many search strings does nano save?", "Save the last hundred search strings.", []),
        # a number before the head is a value, not a sibling
        ("How many tins of chickpeas go in?", "2 tins of chickpeas, drained", []),
        # the head also named bare: it may be the asked one
        (
            "How long should the first line of a commit message be?",
            "Begin with a single short (less than 50 character) line, then a blank line.",
            [],
        ),
        # a name asked as a modifier is the names check's business ("former president's nephew")
        ("Who is Nazarbayev's nephew?", "The former president's nephew, Kairat Satybaldy.", []),
        # the asked word in the heading or the sentence before (`around`)
        ("What is the rated life of the tungsten-halogen lamp?", "Its rated life is 1,000 hours.", []),
        # one word's forms ("Kazakh" / "Kazakhstan")
        ("How many Kazakh protesters died?", "Kazakhstan protesters: 225 died.", []),
        # a long run is a clause, not a noun phrase
        ("How big are the buffers that make Western Digital recommend lower settings?", "Seagate recommend 8.", []),
        # a gloss in brackets is read left out too: "back (molar) tooth" asks for a back tooth
        (
            "How much is root canal treatment on a back (molar) tooth?",
            "RC01 | Root canal treatment (front tooth) | All ages | 390.00",
            [("back", ["front"])],
        ),
        ("How much is root canal treatment on a back (molar) tooth?", "RC02 | Root canal (back tooth) | 520.00", []),
    ],
)
def test_rival_words(question, sentence, rivals):
    names = set(terms("Nazarbayev VeloTide"))
    assert rival_words(question, sentence, names=names) == rivals


def test_around_holds_the_asked_word():
    q, s = "What is the rated life of the tungsten-halogen lamp?", "The spare lamp has a rated life of 2,000 hours."
    assert rival_words(q, s)
    assert rival_words(q, s, around={"tungsten", "halogen"}) == []


def _hit(text: str, index: int) -> SentenceHit:
    return SentenceHit("doc.txt", "Doc", text, 0, len(text), None, None, index)


@pytest.fixture(scope="module")
def embed():
    return default_embedder().embed


@pytest.mark.parametrize(
    "texts, rivals",
    [
        # what "this" of a rival says is the rival's too, down the chain
        (["Full-time staff get 25 days.", "This rises to 28 days.", "It is pro rata."], [True, True, True]),
        # unless it says an asked word the rival does not: it speaks of the asked thing
        (["Full-time staff get 25 days.", "This also applies to part-time staff."], [True, False]),
        (["Full-time staff get 25 days.", "Leave is booked online."], [True, False]),  # no pronoun
    ],
)
def test_a_rivals_continuation_is_a_rival(texts, rivals):
    hits = [_hit(t, i) for i, t in enumerate(texts)]
    hits[0].rival = True
    _mark_continuations(hits, set(terms("How many days of leave do part-time staff get?")))
    assert [h.rival for h in hits] == rivals


@pytest.mark.parametrize(
    "question, sentence, rival",
    [
        ("What colour are the cargo bikes?", "Our pedal bikes are painted teal.", True),
        ("What is the default of the ignore patterns file?", "Exclude patterns default to none.", False),  # synonyms
        ("How much is the yearly membership?", "Annual membership costs 84 pounds.", False),
        ("Who is the fire warden for floor 5?", "Floor 4: Pernille Soutar (fire warden)", True),
        ("How many hours does the tungsten-halogen lamp last?", "The deuterium lamp lasts 2,000 hours.", True),
        # a question of no particular kind is left alone
        ("What is the rated life of the tungsten-halogen lamp?", "The deuterium lamp lasts 2,000 hours.", False),
        # a count of something else is no count of the asked thing; a synonym's is
        ("How many lifeguards does the Trust employ?", "The Trust employs 64 staff across its sites.", True),
        ("How many employees does the Trust have?", "The Trust employs 64 staff across its sites.", False),
        ("How many children are on the waiting list?", "Children progress through seven stages.", True),
        ("How many soldiers did the CSTO send?", "The CSTO will send about 3 thousand troops.", False),
        # a price of something else is no price of the asked thing; a synonym's is
        ("How much do shuttlecocks cost?", "Badminton rackets can be hired for \u00a32.50 each.", True),
        ("How much do shuttlecocks cost?", "Feather shuttlecocks are sold at reception for \u00a31.20.", False),
        ("How much does laser therapy cost?", "Laser treatment is \u00a345 a session.", False),  # cosine 0.74
        # a person named with another role is no holder of the asked one; a synonym's holder is
        ("Who is the vice-chair of the committee?", "Councillor Janet Poole (council representative)", True),
        ("Who is the chairman of the committee?", "Chairperson: Janet Poole", False),  # cosine 0.84
        # a time of another event is no time of the asked one; a sentence saying the asked event's
        # thing or its verb, or a synonym of either, may time it
        ("What time do the matches kick off?", "Coaches' meeting: Wednesday 27 August at 19:30.", True),
        ("What time do the matches kick off?", "Kick-off is at 10:00 every Saturday.", False),
        ("What time does the staff party finish?", "The last ferry leaves the harbour at 23:15.", True),
        ("What time does the staff party finish?", "The sale finishes at 13:00.", True),  # an end names no event
        ("What time does the last ferry depart?", "Departures from the harbour: 18:45.", False),  # 0.67
        ("When does the museum open on Sundays?", "The caf\u00e9 serves lunch from 12:00.", True),
        ("When does the museum open on Sundays?", "On Sundays the museum opens at 10:00.", False),
        ("When is the quiz night?", "The raffle is drawn on Friday 20 September.", True),
        # helper 78: another person by the same honorific, never the asked one, is a colleague
        ("When does Dr. Novak see patients?", "Dr. Patel sees patients on Mondays and Wednesdays.", True),
        ("When does Dr. Novak see patients?", "Dr. Patel covers for Dr. Novak on Fridays.", False),
        ("When does Dr. Novak see patients?", "Dr. Novak works mornings only.", False),
        # helper 78: a value for the complement of what is asked (a word negated by its prefix)
        ("How much does Pilates cost for members?", "Pilates costs 8 euros per session for non-members.", True),
        (
            "How much does a consultation cost for insured patients?",
            "A standard consultation costs 60 euros for uninsured patients.",
            True,
        ),
        ("How much does Pilates cost for members?", "Pilates costs 5 euros for members, 8 for non-members.", False),
        ("How much does Pilates cost for non-members?", "Pilates costs 8 euros per session for non-members.", False),
        # helper 80: a negation the question says itself, and "nonstop"
        (
            "How much does a consultation cost without insurance?",
            "A consultation costs 60 euros for uninsured patients.",
            False,
        ),
        # the timed event's subject opens the sentence, ten words before its time: "staff" / "employees"
        (
            "On what weekday do employees receive their wages?",
            "Staff are paid monthly by bank transfer on the last Thursday of each month.",
            False,
        ),
    ],
)
def test_mark_rivals_reads_synonyms_with_the_model(embed, question, sentence, rival):
    hits = [_hit("Bikes and lamps.", 0), _hit(sentence, 1)]
    mark_rivals(hits, parse(question), embed)
    assert [h.rival for h in hits] == [False, rival]


def test_the_line_before_a_hit_in_another_section_says_nothing_of_it(embed):
    """The last line of the section above a table says nothing of the table's first row: a
    line about the staff party there does not make "last sailing 15:25" the party's end."""
    q = parse("What time does the staff Christmas party finish?")
    before = SentenceHit("doc.md", "Winter notice", "Staff party tickets are on sale.", 0, 1, None, None, 0)
    row = "Wednesday 24 December | Last sailing from the harbour 15:25"
    for context, rival in (("Staff news", True), ("", False)):
        before.context, before.rival = context, False
        hits = [before, SentenceHit("doc.md", "Winter notice", row, 2, 3, None, None, 1)]
        mark_rivals(hits, q, embed)
        assert hits[1].rival == rival  # in the same section, the line before may say what the row times


@pytest.mark.parametrize(
    "question, sentence, another",
    [
        # the label names whose number it is
        (
            "What's the phone number for the membership team?",
            "**Reception:** 0161 496 0732 (staffed in opening hours)",
            True,
        ),
        (
            "What's the phone number for the league secretary?",
            "League secretary: Fiona McAllister Phone: 07700 900233",
            False,
        ),
        ("What's Graham Pike's phone number?", "League secretary: Fiona McAllister Phone: 07700 900233", True),
        (
            "What's the email address for making a claim?",
            "Email for policy changes: policies@hearthguard.example",
            True,
        ),
        # one of several values under the asked owner's label is enough
        (
            "What's the phone number for PALS?",
            "Main switchboard: 01632 960 000 Liaison Service (PALS): 01632 960 255",
            False,
        ),
        # prose: the words around the value, and a pronoun's sentence before
        ("What is the phone number of the harbour office?", "Call the harbour office on +44 1632 960 123.", False),
        # prose naming its owner another way is not judged
        ("What is the e-mail address of hdparm's author?", "hdparm was written by Mark Lord <mlord@pobox.com>.", False),
        (
            "What's the phone number for the association chair?",
            "Residents can reach him directly on 01632 960 390.",
            True,
        ),
        ("What's the email address for the choir's musical director?", "Or write to her at fm@choir.example.", False),
        # no owner named, or no value of the kind: nothing to judge
        ("What URL hosts Quillmark?", "The source code lives at https://git.example.org/quillmark.", False),
        ("What's the phone number for the membership team?", "The membership team answers within a day.", False),
        # a date is no phone number
        ("What's the phone number for the membership team?", "Reception opened on 2025-03-03.", False),
        # a label of contact words alone: its owner is the line before, unless that is a sentence
        ("What's the phone number for the appeals team?", "Phone: 01632 960245", True),
        ("What's the phone number for Parking Services?", "Phone: 01632 960245", False),
        ("What's the phone number for the appeals team?", "Tel: 020 7946 0318 Email: a@b.example", False),
        # a table row's cells are its label; a title names no one ("Dr" in both)
        ("What's the phone number for the hotel spa?", "Priya Nair | Head Chef | 01904 555 230", True),
        ("What's the phone number for the head chef?", "Priya Nair | Head Chef | 01904 555 230", False),
        ("What is Dr Okafor's email?", "Email address for Dr Achterberg: h.achterberg@uni.example", True),
    ],
)
def test_a_contact_value_labelled_for_another_owner(question, sentence, another):
    q = parse(question)
    before = {"her": "Our musical director is Fiona Marchetti.", "Phone": "**Parking Services**"}
    said = next((b for k, b in before.items() if k in re.findall(r"\w+", sentence)), "Write to the office.")
    assert labelled_for_another(q.kind, sentence, owner_terms(q, ""), said) is another


@pytest.mark.parametrize(
    "question, sentence, around, elsewhere",
    [
        # prose in another owner's document: the sentence before names "chair", the choir's
        (
            "What's the phone number for the tenants' association chair?",
            "General enquiries should go to Graham at secretary@choir.example or on 07700 900 331.",
            "The chair is Ruth Abernethy. Harbourside Community Choir",
            True,
        ),
        # in the association's own minutes its name is the topic: the chair is all that is asked
        (
            "What's the phone number for the tenants' association chair?",
            "Margaret Osei (Chair) can be reached on 01632 960 390.",
            "Elmfield Court Tenants' Association",
            False,
        ),
        (
            "What's the email address for the tenants' association chair?",
            "Contact the association at elmfieldtenants@example.org.",
            "Elmfield Court Tenants' Association",
            True,
        ),
        # a heading or a word's first four letters name the owner ("AUTHOR" / "author's")
        (
            "What is the e-mail address of hdparm's author?",
            "Written by Mark Lord <mlord@pobox.com>.",
            "hdparm AUTHOR",
            False,
        ),
        ("What's the email for the head teacher?", "Mrs Okafor (Headteacher): office@school.example", "", False),
        # no value of the kind, or no owner asked: nothing to judge
        ("What's the phone number for the tenants' association chair?", "The chair was re-elected.", "", False),
        ("What URL hosts Quillmark?", "The source lives at https://git.example.org/q.", "", False),
    ],
)
def test_a_contact_value_whose_surroundings_name_another_owner(question, sentence, around, elsewhere):
    q = parse(question)
    assert owned_elsewhere(q.kind, sentence, owner_terms(q, around), around) is elsewhere


@pytest.mark.parametrize(
    "question, sentence, another",
    [
        # prose naming another person beside the value, under the asked person's heading
        ("What is Dr Ellen Frost's phone number?", "Her registrar, Dr Tom Hale, is on 01632 960 777.", True),
        # the asked name, part of it, or no name at all: not judged here
        ("What is Tom Reilly's phone number?", "Call Tom on 01632 960 207.", False),
        ("What is Dr Samuel Achebe's phone number?", "Phone: 01632 960 555", False),
        ("What is Ines Parvaz's email?", "Write to the maintainer, Ines Parvaz <ines@quillmark.example>.", False),
        # the owner asked by role: the role said is enough
        (
            "What is the e-mail address of the Quillmark maintainer?",
            "Bugs go to the maintainer, Ines Parvaz <ines@quillmark.example>.",
            False,
        ),
        # no one named in the question, or no value of the kind
        ("What's the phone number for the harbour office?", "Call Tom Hale on 01632 960 123.", False),
        ("What is Dr Ellen Frost's phone number?", "Her registrar is Dr Tom Hale.", False),
    ],
)
def test_a_contact_value_beside_another_persons_name(question, sentence, another):
    q = parse(question)
    owner = owner_terms(q, "")
    assert named_for_another(q.kind, sentence, q.name_seqs, owner) is another


@pytest.mark.parametrize(
    "question, topic, owner",
    [
        # words the whole document shares name no one line's owner ...
        (
            "What's the phone number for the parking appeals team?",
            "Residents' parking permits",
            set(terms("appeals team")),
        ),
        # ... unless they are all the question has; its names the document holds still go
        (
            "What's the email address for the Spokes & Sprockets workshop?",
            "Spokes & Sprockets workshop prices",
            {"workshop"},
        ),
        ("What's Graham Pike's phone number?", "Netball fixtures", {"graham", "pike"}),
        ("What URL hosts Quillmark?", "Quillmark", set()),
    ],
)
def test_owner_terms(question, topic, owner):
    assert owner_terms(parse(question), topic) == owner


DOCS = {
    "fleet.md": "# Our fleet\n\n"
    "Our classic pedal bikes are painted teal, and our electric-assist bikes are painted orange.\n"
    "Cargo bikes can be booked a day ahead at any hub.\n",
    "contacts.md": "# Riverside Leisure Centre\n\n## Contact us\n\n"
    "- **Reception:** 0161 496 0732 (staffed during opening hours)\n"
    "- **Membership team:** members@riverside.example\n",
    "trips.txt": "School trips\n\n"
    "Year 5 visit the Saltmarsh Discovery Centre on 14 May 2026.\n"
    "Pupils should bring a packed lunch and a raincoat.\n",
    "clinics.md": "# Our clinics\n\n"
    "The Brindle Cross clinic is open from 08:30 to 18:00, Monday to Friday.\n"
    "On Saturdays the Kestleford Clinic is open from 09:00 to 13:00 for consultations only.\n",
    "report.md": "# Annual report\n\n## Finances\n\n"
    "| | 2023 | 2022 |\n|---|---|---|\n| Total income | \u00a3184,300 | \u00a3169,800 |\n\n"
    "## Rehoming\n\n214 animals were rehomed in 2023, more than ever before.\n\n"
    "## Board\n\nThe board will recruit two new trustees, ideally with legal experience.\n"
    "Our chair is Margaret Lindqvist.\n"
    "After nine years, Alan Price retires as treasurer at the end of June.\n"
    "Ruth Okafor will present the accounts at the annual meeting.\n",
    "events.txt": "QUIZ NIGHT\n\nThe quiz night is at The Wheatsheaf. Time: doors open 19:00, first round at 19:30.\n",
    "leave.md": "# Staff handbook\n\n## Annual leave\n\n"
    "Full-time staff are entitled to 25 days of annual leave plus bank holidays.\n"
    "This rises to 28 days after five years of continuous service.\n",
    "tickets.md": "# Tickets\n\nRefunds are handled by the box office.\n",
    "sites.csv": "site,manager,parking spaces\nAshford Library,Helen Marsh,14\nMillbrook Hall,Tom Reyes,45\n",
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("rivals", DOCS)


@pytest.mark.parametrize(
    "question, value",
    [
        ("What colour are the electric-assist bikes?", "orange"),
        ("On what date do Year 5 visit the Saltmarsh Discovery Centre?", "14 May 2026"),
        ("What's the email address for the membership team?", "members@riverside.example"),
        ("What's the phone number for reception at Riverside?", "0161 496 0732"),
        ("What time does the Kestleford Clinic open on Saturdays?", "09:00"),
        ("What was the total income in 2022?", "169,800"),  # quoted with its header row
        ("Who is the chair of the board?", "Margaret Lindqvist"),
        ("Who will present the accounts at the annual meeting?", "Ruth Okafor"),
        ("Who handles refunds?", "box office"),  # who does it need not be a person's name
        ("How many parking spaces does Ashford Library have?", "14"),
        ("How many days of annual leave do full-time staff get?", "25 days"),
    ],
)
def test_the_asked_things_value_is_quoted(engine, question, value):
    got = engine.ask(question)
    assert got.answered, got.answer
    assert value in got.citations[-1].text


@pytest.mark.parametrize(
    "question",
    [
        "What colour are the cargo bikes?",
        "On what date do Year 4 visit the Saltmarsh Discovery Centre?",
        "What's the phone number for the membership team?",  # the number given is reception's
        "What are the Saturday opening hours of the Brindle Cross clinic?",  # the Kestleford Clinic's are given
        "What was the total income in 2021?",  # 2023 and 2022 only
        "How many animals were rehomed in 2021?",
        "Who is the vice-chair of the board?",  # no one named holds it
        "Who will replace Alan Price as treasurer?",  # the one named is Alan Price
        "What time does the quiz night at The Wheatsheaf finish?",  # a start time only
        "How many computers does Ashford Library have?",  # its parking spaces are counted
        # full-timers' leave, and what "this" of it rises to, is no part-timer's
        "How many days of annual leave do part-time staff get?",
    ],
)
def test_a_siblings_value_is_no_answer(engine, question):
    got = engine.ask(question)
    assert not got.answered, got.answer


@pytest.mark.parametrize(
    "counted, sentence, context, another",
    [
        ("lifeguards", "The Trust employs 64 staff.", "", True),
        ("staff", "The Trust employs 64 staff.", "", False),
        ("staff", "There are 64 members of staff.", "", False),  # the counted word after "of"
        ("lifeguards", "The hall seats 300.", "", False),  # a count of no stated thing: can't tell
        ("parking spaces", "Millbrook | 45", "Our sites > Parking | Site | Parking spaces", False),  # the header says
        ("parking spaces", "Millbrook has 3 courts and 45 parking spaces.", "", False),
        ("lifeguards", "Open daily.", "", False),  # no count at all: the kind check's matter
        # the head noun is what is counted: cats are no cat cages, cages are
        ("cat cages", "There were 19 dogs and 31 cats at the farm.", "", True),
        ("cat cages", "The cat ward has 12 cages.", "", False),
    ],
)
def test_counts_another(counted, sentence, context, another):
    def same_word(a, b):  # a stand-in for the model: only the same stem is one word said twice
        return terms(a) == terms(b)

    assert counts_another(counted, sentence, context, same_word) == another


@pytest.mark.parametrize(
    "priced, sentence, around, another",
    [
        ("shuttlecocks", "Badminton rackets can be hired from reception for \u00a32.50 each.", "Equipment", True),
        ("shuttlecocks", "Shuttlecocks cost \u00a31.20 each.", "Equipment", False),
        ("roof", "Squash | 40 minutes | \u00a39.60", "Court prices\nCourt | Session | Peak", True),
        # the asked thing in the headings, or in the sentence before, prices it
        ("discount", "Siblings pay \u00a33.00 less.", "Fees > Sibling discount", False),
        ("membership", "It costs \u00a330 a month.", "Membership is open to all residents.", False),
        # a longer word starting with the asked one, or its start, is the asked one
        ("chairman", "Chair: Brian Ashworth", "Committee members", False),
        ("vice-chair", "Chair: Brian Ashworth", "Committee members", True),
        ("vice-chair", "Our chair is Margaret Lindqvist.", "Board", True),  # a part of it is no synonym
        # a role of several words wants its first words said
        ("deputy safeguarding lead", "Safeguarding lead | Grace Mensah", "Role | Name", True),
        ("deputy safeguarding lead", "Deputy safeguarding lead | Tom Hale", "Role | Name", False),
        ("contracts manager", "Contracts Manager, Apex Sports Surfaces Ltd", "Martin Delaney", False),
    ],
)
def test_lacks_asked(priced, sentence, around, another):
    def same_word(a, b):  # a stand-in for the model: only the same stem is one word said twice
        return terms(a) == terms(b)

    assert lacks_asked(priced, sentence, around, same_word) == another


@pytest.mark.parametrize(
    "labels, another",
    [
        ("Opening hours\nDay | Kestleford Clinic | Brindle Cross Clinic", False),  # clinic / hospital 0.74
        ("Opening hours\nDay | Ferry | Bus", True),
    ],
)
def test_a_synonym_in_a_rows_header_names_what_the_row_times(embed, labels, another):
    """The row "Thursday | 08:00 to 19:30" names no hospital; its header may, in other words."""
    from rag.rivals import _label_words, _synonym_reader

    row = "Thursday | 08:00 to 19:30 | 08:30 to 18:00"
    synonyms = _synonym_reader({"hospital", *_content_words(row), *_label_words(labels)}, embed)
    assert lacks_asked("hospital", row, labels, synonyms, labels) == another


@pytest.mark.parametrize(
    "text, near",
    [
        # the words near a value, not the clause far before it: each word costs a model call
        (
            "Badminton and squash rackets can be hired from reception for \u00a32.50 each per session.",
            ("squash", "rackets", "hired", "reception", "per", "session"),  # "Badminton" is ten words off
        ),
        (
            "Councillor Janet Poole (council representative)",
            ("councillor", "janet", "poole", "council", "representative"),
        ),
        ("No value stated here at all", ("value", "stated")),  # no value: every word is near enough
    ],
)
def test_content_words_are_the_words_beside_a_value(text, near):
    assert _content_words(text) == near


@pytest.mark.parametrize(
    "texts, wanted, said",
    [
        (["Both clinics are shut."], "clinic", "clinic"),  # a plural, stemmed
        (["The Kestleford Clinic opens at 8."], "clinic", ""),  # capitalised: a name's word
        (["the sports-hall is shut"], "hall", "hall"),  # a hyphenated word's part
        (["the terminal is going"], "go", "go"),  # a term shorter than three letters
        (["the hall"], "", ""),
    ],
)
def test_lower_case_terms_reads_only_the_wanted_terms(texts, wanted, said):
    """Words (stemmed: "hall" is the term "hal") said in lower case, of the wanted ones only."""
    assert lower_case_terms(texts, set(terms(wanted))) == set(terms(said))


@pytest.mark.parametrize(
    "question, sentence, sibling",
    [
        # the name's head said with another name beside it, the asked name never
        (
            "What are the Saturday hours of the Brindle Cross clinic?",
            "On Saturdays the Kestleford Clinic opens at 9.",
            True,
        ),
        (
            "What are the Saturday hours of the Brindle Cross clinic?",
            "On Saturdays the Kestleford clinic opens at 9.",
            True,
        ),
        ("How many staff work at Millbrook Sports Hall?", "Harrowdale Sports Hall has 12 staff.", True),
        ("Who is the Head Nurse at Hollybrook?", "Senior Nurse Jo Hart runs the clinic.", True),
        # the asked name, in full or by its own words
        (
            "What are the Saturday hours of the Brindle Cross clinic?",
            "On Saturdays the Brindle Cross clinic opens at 9.",
            False,
        ),
        (
            "How many staff work at Millbrook Sports Hall?",
            "The Trust employs 64 staff across Harrowdale Central and Millbrook Sports Hall.",
            False,
        ),
        ("How many staff work at Millbrook Sports Hall?", "Millbrook has 12 staff.", False),
        # a surname is no common noun, a verb after a name no head, a title no word of a name
        ("What does Kassym-Jomart Tokayev say about talks?", "Kazakh President Tokayev sent a message.", False),
        ("Where does Mukhtar Ablyazov live?", "Madina lives in Paris.", False),
        ("In what year did Dr Amara Osei qualify?", "Dr Osei qualified in 2015.", False),
        # the head first in a job's title: no word of a sibling's name before it
        ("Who is the lead nurse at the Ashcombe branch?", "Hannah Pryce \u2013 Branch Lead Nurse", False),
        ("Who is the lead nurse at the Ashcombe branch?", "Priya Venkatesh (Fernbrook Branch)", True),
    ],
)
def test_names_sibling(question, sentence, sibling):
    q = parse(question)
    wanted = {seq[-1] for _, seq in q.name_seqs_named}
    common = lower_case_terms(["the sports hall", "both clinics", "the head nurse", "talks with the president"], wanted)
    assert names_sibling(q.text, q.name_seqs_named, sentence, common) == sibling


@pytest.mark.parametrize(
    "sentence, context, counts",
    [
        # a table row's count of no stated thing counts its column's header and its row's label
        ("Fenwick Park | 12", "Sites\nSite | Parking spaces", (("parking", "spaces", "fenwick", "park"),)),
        ("Fenwick Park | 120", "Sites\nSite | Capacity", ((),)),  # a quantity of what, it does not say
        (
            "Blue Badge parking spaces | 6",
            "Facilities\nFacility | Port Ardle",
            (("port", "ardle", "blue", "badge", "parking", "spaces"),),
        ),
        ("Fenwick Park | 120 seats", "Sites\nSite | Capacity", (("seats",),)),  # the cell says
        ("The hall seats 300.", "Sites", ((),)),  # no table row
    ],
)
def test_row_count_nouns(sentence, context, counts):
    assert row_count_nouns(sentence, context) == counts


_PRICES = "Prices\ncode | service | species | price | notes"
_ROWS = [
    "S02 | Spay | Cat | \u00a3125.00 | Day surgery",
    "S04 | Spay | Dog up to 20 kg | \u00a3320.00 | Includes pain relief to take home and a nurse check",
    "C01 | Standard consultation | All species | \u00a348.50 | A full health check",
    "V05 | Annual booster | Cat | \u00a358.00 | Includes a health check with a vet",
]


@pytest.mark.parametrize(
    "question, rows, others",
    [
        # the service and the species asked select the rows that hold them ("Cat" is another
        # species, "Annual booster" another service); "All species" covers every one
        ("How much is a dog spay?", _ROWS, ["S02", "C01", "V05"]),
        ("How much is a standard consultation for a dog?", _ROWS, ["S02", "S04", "V05"]),
        # a term of the header ("price") or held by no row ("hamster") selects nothing
        ("What is the price of a spay for a hamster?", _ROWS, ["C01", "V05"]),
        # a term held only in a note (more than KEY_CELL_WORDS words) selects nothing
        ("How much is a spay with pain relief?", _ROWS[:2], []),
        # one row of a table: nothing to compare it with
        ("How much is a dog spay?", _ROWS[:1], []),
        # helper 78: "per" selects no row ("2 per week" in a cell says nothing of "per month")
        (
            "How much is a cat spay per visit?",
            [*_ROWS[:2], "X01 | Nail clip | 2 per week | \u00a38.00 | -"],
            ["S04", "X01"],
        ),
        # helper 80: nor does the rate's unit ("week" of "per week")
        (
            "How much is a cat spay per week?",
            [*_ROWS[:2], "X01 | Nail clip | 2 per week | \u00a38.00 | -"],
            ["S04", "X01"],
        ),
    ],
)
def test_a_table_row_about_another_thing_is_another_rows(question, rows, others):
    hits = [SentenceHit("prices.csv", "Prices", r, i, i + 1, None, None, i, _PRICES) for i, r in enumerate(rows)]
    asked = set(parse(question).terms) - rate_terms(question)  # as mark_rivals reads it
    assert [h.text.split(" |")[0] for h in other_rows(hits, asked)] == others


def test_rows_of_two_tables_are_compared_within_their_own():
    """The same header under two headings is two tables: a ferry's child fare is no bus's."""
    ferry = "Fares > Ferry\nTicket | Single"
    bus = "Fares > Bus\nTicket | Single"
    hits = [
        SentenceHit("fares.md", "Fares", "Adult | \u00a38.40", 0, 1, None, None, 0, ferry),
        SentenceHit("fares.md", "Fares", "Child | \u00a31.10", 2, 3, None, None, 1, bus),
    ]
    assert other_rows(hits, set(parse("How much is a child single?").terms)) == []


@pytest.mark.parametrize(
    "question, header, rows, others",
    [
        # a price, a time or a day says what a row says of its thing, not which thing it is
        ("When does the last bus to Leeds leave?", "To | Time", ["Leeds | 22:10", "York | 23:00 last bus"], ["York"]),
        ("What time does the pool open on Sunday?", "Day | Opens", ["Daily | 07:00", "Sunday | 08:00"], []),
        (
            "How much is delivery under \u00a350?",
            "Order | Delivery",
            ["Under \u00a350 | \u00a34.95", "Over | Free"],
            [],
        ),
        # "children" holds "child" (the stemmer leaves irregular plurals apart)
        ("How much is a child ticket?", "Ticket | Price", ["Children (5-15) | \u00a32", "Adult | \u00a34"], ["Adult"]),
    ],
)
def test_a_row_is_selected_by_the_cells_that_name_its_thing(question, header, rows, others):
    hits = [SentenceHit("t.md", "T", r, i, i + 1, None, None, i, f"T\n{header}") for i, r in enumerate(rows)]
    assert [h.text.split(" |")[0] for h in other_rows(hits, set(parse(question).terms))] == others


def test_a_yes_no_question_selects_no_row(embed):
    """ "Is the gym open on Sunday?": "open" is a claim to check, so "Sunday | Closed" answers it."""
    rows = ["Saturday | Open 8-18", "Sunday | Closed"]
    hits = [SentenceHit("t.md", "T", r, i, i + 1, None, None, i, "T\nDay | Gym") for i, r in enumerate(rows)]
    mark_rivals(hits, parse("Is the gym open on Sunday?"), embed)
    assert [h.rival for h in hits] == [False, False]
