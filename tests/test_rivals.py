"""Another thing's value (rag/rivals.py): a sentence stating a value of the asked kind about a
sibling of what the question asks about is no answer. Table tests of the pure reader, the real
MiniLM for the synonym check, and a real engine (real model, real Chroma in a temp dir)."""

from __future__ import annotations

import pytest

from rag.embed import default_embedder
from rag.question import parse
from rag.rivals import mark_rivals, rival_words, term_runs
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
    "question, sentence, rival",
    [
        ("What colour are the cargo bikes?", "Our pedal bikes are painted teal.", True),
        ("What is the default of the ignore patterns file?", "Exclude patterns default to none.", False),  # synonyms
        ("How much is the yearly membership?", "Annual membership costs 84 pounds.", False),
        ("Who is the fire warden for floor 5?", "Floor 4: Pernille Soutar (fire warden)", True),
        ("How many hours does the tungsten-halogen lamp last?", "The deuterium lamp lasts 2,000 hours.", True),
        # a question of no particular kind is left alone
        ("What is the rated life of the tungsten-halogen lamp?", "The deuterium lamp lasts 2,000 hours.", False),
    ],
)
def test_mark_rivals_reads_synonyms_with_the_model(embed, question, sentence, rival):
    hits = [_hit("Bikes and lamps.", 0), _hit(sentence, 1)]
    mark_rivals(hits, parse(question), embed)
    assert [h.rival for h in hits] == [False, rival]


DOCS = {
    "fleet.md": "# Our fleet\n\n"
    "Our classic pedal bikes are painted teal, and our electric-assist bikes are painted orange.\n"
    "Cargo bikes can be booked a day ahead at any hub.\n",
    "trips.txt": "School trips\n\n"
    "Year 5 visit the Saltmarsh Discovery Centre on 14 May 2026.\n"
    "Pupils should bring a packed lunch and a raincoat.\n",
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("rivals", DOCS)


@pytest.mark.parametrize(
    "question, value",
    [
        ("What colour are the electric-assist bikes?", "orange"),
        ("On what date do Year 5 visit the Saltmarsh Discovery Centre?", "14 May 2026"),
    ],
)
def test_the_asked_things_value_is_quoted(engine, question, value):
    got = engine.ask(question)
    assert got.answered, got.answer
    assert value in got.citations[0].text


@pytest.mark.parametrize(
    "question",
    ["What colour are the cargo bikes?", "On what date do Year 4 visit the Saltmarsh Discovery Centre?"],
)
def test_a_siblings_value_is_no_answer(engine, question):
    got = engine.ask(question)
    assert not got.answered, got.answer
