"""Follow-up resolution without an LLM: a table of questions, histories and search texts."""

import pytest

from rag.followup import needs_context, needs_referent, referent_of, resolve, restated, title_subjects
from rag.question import parse


@pytest.mark.parametrize(
    "question, history, expected",
    [
        ("Where does he live now?", ["Who is Mukhtar Ablyazov?"], "Where does Mukhtar Ablyazov live now?"),
        (
            "And how long was his sentence?",
            ["What was Ablyazov convicted of?"],
            "And how long was Ablyazov's sentence?",
        ),
        # A possessive in the earlier question is not part of the name.
        ("Where does he live?", ["What is Nazarbayev's fortune?"], "Where does Nazarbayev live?"),
        # The nearest turn that names someone wins, even past an anaphoric one.
        (
            "What did he say about Putin?",
            ["Who is Ablyazov?", "Where does he live?"],
            "What did Ablyazov say about Putin?",
        ),
        # "it" may be the topic, not a person: carry the content words instead.
        ("When did it start?", ["Tell me about the protests in Almaty"], "When did it start? Almaty protests"),
        # A follow-up that says what it asks, with "it" and no name before: "it" is the thing
        # the earlier question was about, the words after its article (not "big").
        (
            "How much does it cost to hire it at the weekend?",
            ["How big is the main hall?"],
            "How much does it cost to hire it at the weekend? main hall",
        ),
        (
            "How much does it cost on a weekday?",
            ["How many people does a small room hold?"],
            "How much does it cost on a weekday? small room",
        ),
        # helper 94: in a chain the nearest turn naming the thing counts; a verb after "does the
        # ..." is no part of it; a word the follow-up says itself is not carried again
        (
            "Does it have disabled access and parking?",
            ["How big is the main hall?", "How much does it cost to hire it at the weekend?"],
            "Does it have disabled access and parking? main hall",
        ),
        (
            "Is it suitable for young children?",
            ["What time does the pottery class start?"],
            "Is it suitable for young children? pottery class",
        ),
        (
            "How much does the main hall cost to hire it at weekends?",
            ["How big is the main hall?"],
            "How much does the main hall cost to hire it at weekends?",
        ),
        (
            "How much data does it include?",
            ["What is the monthly price of the premium plan?"],
            "How much data does it include? premium plan",
        ),
        # A question that stands alone is searched as it is.
        ("How much do oil workers earn?", ["Who is Ablyazov?"], "How much do oil workers earn?"),
        ("Where does he live now?", [], "Where does he live now?"),
    ],
)
def test_resolve(question, history, expected):
    assert resolve(question, history) == expected


@pytest.mark.parametrize(
    "question, expected",
    [("Where does he live?", True), ("And Tokayev?", True), ("Why?", True), ("Who leads the CSTO troops?", False)],
)
def test_needs_context(question, expected):
    assert needs_context(question) is expected


@pytest.mark.parametrize(
    "question, history, expected",
    [
        # "What about X?" asks the earlier question again about X: the old object goes, the
        # frame and the names stay (case followup-repeats-previous-answer)
        (
            "What about a service?",
            ["How much is a tyre change for the Vega Estate?"],
            "How much is service for the Vega Estate?",
        ),
        (
            "How about a windscreen replacement?",
            ["How much is a tyre change for the Vega Estate?"],
            "How much is windscreen replacement for the Vega Estate?",
        ),
        # a new name replaces the old one, the rest of the question stays
        (
            "What about the Orion Hatchback?",
            ["How much is a tyre change for the Vega Estate?"],
            "How much is a tyre change for the Orion Hatchback?",
        ),
        (
            "And for the Orion Hatchback?",
            ["How much is a tyre change for the Vega Estate?"],
            "How much is a tyre change for the Orion Hatchback?",
        ),
        ("And Tokayev?", ["Where does Ablyazov live?"], "Where does Tokayev live?"),
        # a follow-up that says what it asks carries only the earlier names
        (
            "How much does it cost to service it?",
            ["How much is a tyre change for the Vega Estate?"],
            "How much does it cost to service it? Vega Estate",
        ),
        # "and" opening a whole question is not "and X?"
        (
            "And how long was his sentence?",
            ["What was Ablyazov convicted of?"],
            "And how long was Ablyazov's sentence?",
        ),
        # a bare ordinal ("the second one", "the third") asks the earlier question of another rank
        (
            "And what about the second one?",
            ["What is the first step of the router setup?"],
            "What is the second step of the router setup?",
        ),
        (
            "What about the third?",
            ["What is the first step of the router setup?", "And what about the second one?"],
            "What is the third step of the router setup?",
        ),
        (
            "And the last one?",
            ["When does the first train to Leeds leave?"],
            "When does the last train to Leeds leave?",
        ),
        # the phrase the follow-up's preposition opens is the one swapped; other phrases stay
        ("And for a canoe?", ["What is the deposit for a kayak?"], "What is the deposit for a canoe?"),
        # a phrase whose preposition the earlier question lacks is added to it, what was asked
        # about kept (without the model, nothing says a kayak and a canoe are of a kind; the
        # closeness table below reads "a canoe per day")
        ("And for a canoe?", ["How much is a kayak per day?"], "How much is a kayak per day for a canoe?"),
        ("And for a canoe?", ["What is the deposit?"], "What is the deposit for a canoe?"),
        ("And for members?", ["When does the pool open?"], "When does the pool open for members?"),
        # a chain: the turn before is read as it was resolved, not as it was typed
        (
            "what about per hour",
            ["What is the deposit for a kayak?", "And for a canoe?"],
            "What is the deposit for a canoe per hour?",
        ),
        # Known limitation, pinned as it is: "closing time" takes the place of the office in
        # broken English (issue 13's still-missing list).
        (
            "What about closing time?",
            ["When does the Leeds office open on weekdays?", "And the York office?"],
            "When does closing time open on weekdays York?",
        ),
        # a new name that repeats the word after the old one says it once; a weekday is no name
        ("And the York office?", ["When does the Leeds office open?"], "When does the York office open?"),
        # the verb after "who" and a "do" question's verb (with its object) stay; a day named
        # takes the old day's place
        ("And the pilates class?", ["Who teaches the yoga class?"], "Who teaches pilates class?"),
        ("And the Tuesday class?", ["Who teaches the Monday yoga class?"], "Who teaches Tuesday class?"),
        ("And the premium plan?", ["What does the basic plan include?"], "What does premium plan include?"),
        ("And cats?", ["Do dogs need a lead?"], "Do cats need a lead?"),
        ("And the running club?", ["Does the swim club meet on Sundays?"], "Does running club meet on Sundays?"),
        ("And the suites?", ["Do the rooms have a TV?"], "Do suites have a TV?"),
        # after "do" and a pronoun, the item takes the place of the verb's object
        ("And cheques?", ["Do you take cards?"], "Do you take cheques?"),
        ("And a visa?", ["Do I need a passport?"], "Do I need a visa?"),
        ("And cats?", ["Do they allow dogs in the cabins?"], "Do they allow cats in the cabins?"),
        ("And to Portobello?", ["Do you deliver to Leith?"], "Do you deliver to Portobello?"),
        (
            "And on Saturdays?",
            ["When does the Leeds office open?", "And the York office?"],
            "When does the York office open on Saturdays?",
        ),
        # a day or a month replaces the earlier question's day phrase, or is added to it
        ("What about Sundays?", ["When does the café open on weekdays?"], "When does the café open on Sundays?"),
        ("And on Sundays?", ["When does the café open on weekdays?"], "When does the café open on Sundays?"),
        ("What about weekends?", ["Is the pool open?"], "Is the pool open on weekends?"),
        ("And in March?", ["How much is a room in May?"], "How much is a room in March?"),
        ("What about May?", ["When does the market open on Fridays?"], "When does the market open in May?"),
        # with "do", the main verb after what was asked about stays
        ("What about a nail clip?", ["How much does microchipping cost?"], "How much does nail clip cost?"),
        ("What about the gym?", ["What time does the pool open on Sundays?"], "What time does gym open on Sundays?"),
        ("What about the battery?", ["What does the warranty cover?"], "What does battery cover?"),
        ("And the bus?", ["How long does the crossing take?"], "How long does bus take?"),
        # so does it after a modal (helper 96's FU08: "How many children?" had lost books and borrowing)
        (
            "What about children?",
            ["How many books can adult members borrow?"],
            "How many books can children borrow?",
        ),
        ("And DVDs?", ["How long can I keep books?"], "How long can I keep DVDs?"),
        ("And cats?", ["Can I bring my dog?"], "Can I bring cats?"),
        ("And the windows?", ["How much will the new roof cost?"], "How much will windows cost?"),
        (
            "What about the main hall?",
            ["Can the small room be hired on Sundays?"],
            "Can main hall be hired on Sundays?",
        ),
        # "one" stands for the noun asked about, or for the object of the phrase its preposition opens
        ("And an extended one?", ["How much is a standard consultation?"], "How much is extended consultation?"),
        (
            "And for a big one?",
            ["How much is a standard room for a night?"],
            "How much is a standard room for a big night?",
        ),
        # a "do" inside a clause is no auxiliary of the question's, nor an object its verb
        ("What about a dog?", ["What is the fee if I do not attend?"], "What is dog?"),
        # a phrase of time or place adds a condition
        (
            "What about in the evening?",
            ["What time does the pool open?"],
            "What time does the pool open in the evening?",
        ),
        # "X-ray" is no name to keep: what was asked about goes whole
        ("What about hospitalisation?", ["How much is an X-ray?"], "How much is hospitalisation?"),
        # a phrase after a question about "it" adds a condition (no phrase of its kind to replace)
        (
            "What about for medical reasons?",
            ["How much does it cost to freeze a membership?"],
            "How much does it cost to freeze a membership for medical reasons?",
        ),
    ],
)
def test_resolve_what_about(question, history, expected):
    assert resolve(question, history) == expected


# --- a person pronoun after a "who" question means the person its answer named ---------------


@pytest.mark.parametrize(
    "question, history, expected",
    [
        ("Where does she live?", ["Who founded the Riverside Bakery?"], True),
        ("Where was he born?", ["Which man restored the Old Mill?"], True),
        # "Who is X?" asks about X: the pronoun is X (resolve's own name rule)
        ("Where does he live now?", ["Who is Mukhtar Ablyazov?"], False),
        ("When was it founded?", ["Who founded the Riverside Bakery?"], False),  # "it": no person
        ("Where does she live?", [], False),
    ],
)
def test_needs_referent(question, history, expected):
    assert needs_referent(question, history) is expected


def test_the_referent_is_the_name_the_answer_adds():
    answer = "The Riverside Bakery was founded by Marta Kowalski in 1998. [1]"
    assert referent_of(answer, "Who founded the Riverside Bakery?") == "Marta Kowalski"
    assert referent_of("The Riverside Bakery sells bread. [1]", "Who founded the Riverside Bakery?") is None
    history = ["Who founded the Riverside Bakery?"]
    assert resolve("Where does she live?", history, "Marta Kowalski") == "Where does Marta Kowalski live?"
    assert (
        resolve("What was his job?", ["Which man restored the Old Mill?"], "Jonas Berg") == "What was Jonas Berg's job?"
    )


def test_a_lower_case_name_is_known_from_the_titles():
    names = title_subjects(["Vega Estate Service Prices", "Orion Hatchback Service Prices"])
    assert names("orion") and names("Vega Estate")
    assert not names("service") and not names("windscreen")  # in every title, or in none
    history = ["How much is a tyre change for the Vega Estate?"]
    # written as a name, so that a later turn of the chain still finds it one
    assert resolve("and the orion?", history, names_subject=names) == "How much is a tyre change for the Orion?"
    chain = [*history, "and the orion?"]
    assert resolve("what about a service?", chain, names_subject=names) == "How much is service for the Orion?"
    assert resolve("what about a service?", history, names_subject=names) == "How much is service for the Vega Estate?"


# --- "What about X?": X takes the place of the phrase it is nearest in meaning to -------------


@pytest.fixture(scope="module")
def closeness():
    from functools import partial

    from rag.embed import cosines, default_embedder

    return partial(cosines, default_embedder())


@pytest.mark.parametrize(
    "question, history, expected",
    [
        # an item like the earlier phrase's object replaces it; what was asked of it stays
        ("What about DVDs?", ["What is the late fee for a book?"], "What is the late fee for DVDs?"),
        ("What about students?", ["What is the discount for pensioners?"], "What is the discount for students?"),
        ("And a canoe?", ["What is the deposit for a kayak?"], "What is the deposit for a canoe?"),
        # a phrase no phrase of the question aligns with: an item of the kind asked about takes
        # its place, a word of the phrase's kind goes ("adult" .53 from "child"), else the
        # phrase is added
        ("And for a canoe?", ["How much is a kayak per day?"], "How much is a canoe per day?"),
        (
            "What about per hour?",
            ["How much is a kayak per day?", "And for a canoe?"],
            "How much is a canoe per hour?",
        ),
        (
            "And for a child?",
            ["How much is an adult single on the Corrie Bell?"],
            "How much is a single on the Corrie Bell for a child?",
        ),
        ("And for couples?", ["How much is a single membership?"], "How much is a membership for couples?"),
        ("And for children?", ["How much is a day pass?"], "How much is a day pass for children?"),
        ("And for a canoe?", ["What is the deposit?"], "What is the deposit for a canoe?"),
        ("And for students?", ["What is the monthly fee?"], "What is the monthly fee for students?"),
        ("What about for students?", ["When does the library open?"], "When does the library open for students?"),
        ("And for DVDs?", ["How long is the loan period?"], "How long is the loan period for DVDs?"),
        # helper 78: an owner or what is owned; a title said once; a name that was all that
        # was asked about goes; a phrase's object of the item's kind is replaced
        ("And the landlord?", ["What is the manager's phone number?"], "What is the landlord's phone number?"),
        ("And the fax number?", ["What is the manager's phone number?"], "What is the manager's fax number?"),
        # helper 80: a contraction owns nothing; a name owns without an article; an item like a
        # "do" question's object takes its place
        ("And a canoe?", ["What's the price of a kayak?"], "What's the price of a canoe?"),
        ("And the pilates class?", ["Who's the teacher of the yoga class?"], "Who's the teacher of the pilates class?"),
        ("And Maria?", ["What is the manager's phone number?"], "What is Maria's phone number?"),
        ("And the nurse?", ["What's the doctor's phone number?"], "What's the nurse's phone number?"),  # helper 81
        ("And a gym?", ["Does the hotel have a pool?"], "Does the hotel have a gym?"),
        ("And cash?", ["Does the café accept cards?"], "Does the café accept cash?"),
        ("And a locker?", ["Do members get free towels?"], "Do members get a locker?"),
        ("And free parking?", ["Do we get a discount?"], "Do we get free parking?"),
        ("And the pool?", ["Does the gym have towels?"], "Does pool have towels?"),
        ("What about Dr. Novak?", ["When does Dr. Patel see patients?"], "When does Dr. Novak see patients?"),
        ("And ear syringing?", ["How much does an ECG cost?"], "How much does ear syringing cost?"),
        # the object is the noun phrase after the phrase's article, which goes with it
        (
            "And a bicycle?",
            ["How much does it cost to take a car on the ferry?"],
            "How much does it cost to take a bicycle on the ferry?",
        ),
        # an item like what was asked about replaces that, as without the model
        ("What about a refund?", ["What is the deposit for a kayak?"], "What is refund for a kayak?"),
        # not clearly nearer to the object (SLOT_MARGIN): what was asked about goes
        ("What about insurance?", ["What is the deposit for a kayak?"], "What is insurance for a kayak?"),
        ("What about a canoe?", ["How much is a kayak per day?"], "How much is canoe per day?"),
        # a name is no option: "a service" is not the Vega Estate's replacement
        (
            "What about a service?",
            ["How much is a tyre change for the Vega Estate?"],
            "How much is service for the Vega Estate?",
        ),
        # a day phrase and a name keep their own rules
        ("What about Sundays?", ["When does the café open on weekdays?"], "When does the café open on Sundays?"),
        ("And the York office?", ["When does the Leeds office open?"], "When does the York office open?"),
        # helper 73: a season is a time like a day, so a thing never takes its place; what a "be"
        # question says of its subject at its end ("open") stays after a new subject
        ("And the gym?", ["When is the swimming pool open in winter?"], "When is gym open in winter?"),
        (
            "What about summer?",
            ["When is the swimming pool open in winter?"],
            "When is the swimming pool open in summer?",
        ),
        ("And the pool?", ["When is the library closed?"], "When is pool closed?"),
        # appending the phrase whole ("How much is an adult single for a child?") let the adult
        # fare answer a child's (island-ferry-f04 refused; measured, not kept): the word of the
        # phrase's kind goes; an item of the kind asked about takes its place
        ("And for a child?", ["How much is an adult single?"], "How much is a single for a child?"),
        ("And for dogs?", ["Are cats permitted?"], "Are dogs permitted?"),
        # helper 75: what a "be" question says of its subject at its end stays, a participle or
        # an adjective in -able too ("heated", "refundable"), as "open" does
        ("What about the outdoor pool?", ["Is the indoor pool heated?"], "Is outdoor pool heated?"),
        ("And the booking fee?", ["Is the deposit refundable?"], "Is booking fee refundable?"),
        ("What about cats?", ["Are dogs welcome?"], "Are cats welcome?"),
        ("And the garage?", ["Is the shed locked?"], "Is garage locked?"),
        # helper 76: a noun in -able or -ed is no predicate ("timetable", "convertible")
        ("What about the map?", ["Where is the bus timetable?"], "Where is map?"),
        ("What about the hatchback?", ["How much is the BMW convertible?"], "How much is hatchback BMW?"),
    ],
)
def test_what_about_takes_the_place_of_the_nearest_phrase(question, history, expected, closeness):
    assert resolve(question, history, closeness=closeness) == expected


@pytest.mark.parametrize(
    "question, history, expected",
    [
        # the earlier price question asked of X is what is answered: an amount, of a dog
        (
            "What about a dog?",
            ["How much is a single adult ticket to Marrow Island?"],
            "How much is dog to Marrow Island?",
        ),
        ("And for a canoe?", ["What is the deposit for a kayak?"], "What is the deposit for a canoe?"),
        # no price asked: the follow-up is read as typed ("what about the pool" during the works)
        ("What about the pool?", ["How long will the work take?"], "What about the pool?"),
        # no "what about X": as typed, whatever the search reads
        ("Where does he live now?", ["Who is Mukhtar Ablyazov?"], "Where does he live now?"),
        ("What about a dog?", [], "What about a dog?"),
    ],
)
def test_a_price_follow_up_is_answered_as_the_question_it_restates(question, history, expected):
    got = restated(parse(question), history, resolve(question, history))
    assert got.text == expected
