"""A sentence that names nobody is about the name the sentence before opens with (issue 13:
"a sentence about another person does not answer 'where does X live'").

"Mukhtar Ablyazov is the enemy of Nursultan Nazarbayev. In an interview, an entrepreneur
living in France declares ..." tells where Ablyazov lives, not Nazarbayev: asked where
Nazarbayev lives, the product quoted it, and so did the follow-up "What about Nazarbayev?"
after "Where does Ablyazov live?", repeating the previous answer (the class of the case
followup-repeats-previous-answer). The rule is read in rag.signals.features (a pure function,
tested on built hits) and end to end on the seeds, with the real model and Chroma.
"""

from __future__ import annotations

import numpy as np
import pytest

from rag.signals import features
from rag.types import Passage, SentenceHit

_ENEMY = "Mukhtar Ablyazov is the deadly enemy of the ex-president Nursultan Nazarbayev."
_FRANCE = "In an interview, an entrepreneur and former minister living in France declares his plans."
_HE = "He now lives in France."


def _hits(*sentences: str, title: str = "Nazarbayev's Regime Will Fall") -> list[SentenceHit]:
    text = " ".join(sentences)
    p = Passage(chunk_id="a.txt:0", source="a.txt", title=title, text=text, start=0, end=len(text), score=0.5)
    vec = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    out, at = [], 0
    for i, s in enumerate(sentences):
        out.append(SentenceHit("a.txt", title, s, at, at + len(s), vec, p, i))
        at += len(s) + 1
    return out


def _candidates(question: str, hits: list[SentenceHit]) -> list[str]:
    qvec = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    return [c.hit.text for c in features(question, question, qvec, hits, lambda t: 1.0)]


@pytest.mark.parametrize(
    "question, sentences, candidate, expected",
    [
        # the sentence before opens with Ablyazov: the description is his
        ("Where does Ablyazov live?", (_ENEMY, _FRANCE), _FRANCE, True),
        # ... so it is no candidate for the other name that sentence (and the title) holds
        ("Where does Nazarbayev live?", (_ENEMY, _FRANCE), _FRANCE, False),
        # a sentence naming the asked name is its candidate whatever came before
        ("Where does Nazarbayev live?", (_ENEMY, "Nazarbayev lives in Dubai."), "Nazarbayev lives in Dubai.", True),
        # a pronoun after a sentence opening with a preposition: nothing to tell, it stays
        ("Where does Nazarbayev live?", ("In 2019, Nazarbayev resigned.", _HE), _HE, True),
        # a heading before it is no subject
        ("Where does Nazarbayev live?", ("NAZARBAYEV TODAY", _HE), _HE, True),
    ],
)
def test_a_sentence_is_about_the_name_the_one_before_opens_with(question, sentences, candidate, expected):
    assert (candidate in _candidates(question, _hits(*sentences))) is expected


def test_on_the_seeds_where_nazarbayev_lives_is_not_ablyazovs_home(engine):
    assert "living in France" in engine.ask("Where does Ablyazov live?").answer
    assert "living in France" not in engine.ask("Where does Nazarbayev live?").answer


def test_on_the_seeds_a_follow_up_about_another_name_does_not_repeat_the_previous_answer(engine):
    got = engine.ask("What about Nazarbayev?", history=["Where does Ablyazov live?"])
    assert "living in France" not in got.answer
