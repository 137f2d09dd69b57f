"""Score every candidate sentence: retrieve -> **answer (score)** -> select -> cite.

What it does: `features` turns each unit of the retrieved passages into a `Scored` candidate
with the signals the learned scorer (rag/scorer.py) combines:
  - sim: cosine between the question's and the sentence's MiniLM vectors;
  - cover / strict: the IDF-weighted share of the question's terms found in the sentence,
    `cover` also crediting its context (the document's title and recurring names, the
    heading path, a table's header row and a code block's lead-in fully, the previous
    sentence at half); words a follow-up carried from the history weigh half; amounts and
    dates count as one term however they are written ("€3,000" / "3000 euros");
  - type: the sentence holds the asked-for kind (rag/kinds.py `type_match`), a hard filter
    for amounts, dates and the other `STRICT_KINDS`;
  - names: the share of the question's names present as whole phrases; predicate: the share
    of what is asked of them.
A candidate that breaks one of the question's conditions (rag/conditions.py), a sibling's
value (rag/rivals.py), planted text (rag/planted.py), a byline or a fragment is dropped,
except a labelled value of the asked kind ("Membership team: members@example.org",
"Microchipping ..... £22.00"). A sentence that is itself a question (`is_question`, an
interviewer's) is discounted. `embed_readings` gives a unit other readings the model reads
better (a code line's context for "what command", a date in digits spoken), so `sim` is the
best of their cosines. `Weights` is a hand-set linear scorer kept for the table tests.

What it deliberately doesn't: choose what to quote (rag/excerpt.py) or decide to refuse
(rag/answer.py with the scorer's answer model).
Method: hand-defined features for a learned answer selector (learning to rank, Liu 2009).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import options
from .conditions import (
    about_another,
    about_subject,
    another_owner,
    dated_by,
    field_missing,
    keyed_tables,
    lacks_attribute,
    named_sections,
    names_another,
    negative_cell,
    no_asked_day,
    no_cause,
    other_days,
    other_months,
    other_rank,
    other_row,
    other_values,
    other_years,
    under_another_section,
)
from .kinds import STRICT_KINDS, type_match
from .language import fragment as _fragment
from .planted import about_notes_q, planted_units
from .question import Question, asked_terms, parse
from .structure import in_code_block, is_code, list_item, name_line, table_header
from .text import amounts, contains, dates, spoken_dates, terms, within_span, words
from .types import SentenceHit


@dataclass(frozen=True)
class Weights:
    """A hand-set linear scorer with the learned scorer's two seams (rank, answers), kept for
    the table tests of features/select/standalone/compose (tests/test_answer.py): with it an
    expected answer follows from the numbers written in the test, while the learned model's
    would change at every refit. Nothing outside the tests uses it; the default is the
    learned rag.scorer.AnswerScorer (tested in tests/test_scorer.py)."""

    sim: float = 0.40  # cosine(question, sentence)
    cover: float = 0.24  # IDF-weighted share of question terms in the sentence or its context
    strict: float = 0.24  # the same, counting the sentence alone
    type: float = 0.04  # has the kind of token the question asks for
    names: float = 0.08  # share of the question's names (as whole phrases) in the sentence or its context
    question_penalty: float = 0.6  # a sentence that is itself a question (an interviewer's) is weak evidence
    min_sim: float = 0.35  # below this the best sentence is about something else
    threshold: float = 0.445  # below this the answer is a refusal

    # The same two seams as the learned rag.scorer.AnswerScorer (the default), so compose()
    # and the calibration take either.
    def rank(self, cands: list[Scored]) -> list[Scored]:
        return rank(cands, self)

    def answers(self, ranked: list[Scored], passages, query: str, idf) -> bool:
        return bool(ranked) and ranked[0].score >= self.threshold and ranked[0].sim >= self.min_sim


DEFAULT_WEIGHTS = Weights()
CARRIED_WEIGHT = 0.5


@dataclass
class Scored:
    """A candidate sentence and its signals, each in [0, 1]; `score` is set by rank()."""

    hit: SentenceHit
    signals: dict
    terms: frozenset
    score: float = 0.0

    @property
    def sim(self) -> float:
        return self.signals["sim"]

    @property
    def type_score(self) -> float:
        return self.signals["type"]

    def rescore(self, w: Weights) -> float:
        score = sum(getattr(w, name, 0.0) * value for name, value in self.signals.items())
        if not is_question(self.hit.text):
            return score
        return score * w.question_penalty


# A question quoted inside a sentence: a cross-reference ('See Section 6.1, "How many Debian
# distributions are there?" for more') or a reported question, which echo a question's words
# without answering it.
_QUOTED_QUESTION = re.compile(r"\?\s*[\"\u201d\u2019']")
# Words after the quoted question that make the sentence a statement of its own: "Members ask
# “Must I swim?” and the answer is yes: every rower passes a swim test." answers it.
STATES_AFTER = 5


def is_question(text: str) -> bool:
    """A question (an interviewer's), or a sentence that quotes one (a cross-reference, "He
    asked “Why?” and left.") and does not go on to say something of its own (fewer than
    STATES_AFTER words after the quote)."""
    if text.rstrip("\"'\u201d\u2019 ").endswith("?"):
        return True
    return any(len(words(text[m.end() :])) < STATES_AFTER for m in _QUOTED_QUESTION.finditer(text))


# "Membership team: members@example.org", "**Saturday:** 9:00", "Microchipping ..... £22.00":
# a label, a colon or a dotted leader, a value.
_LABELLED = re.compile(r"^\W*\w[^:\n]{0,40}?(?::|\s?(?:\.{3,}|\u2026+))\W*\s*\S")


def _echoes_pasted(sentence: str, pasted: str, own: set[str]) -> bool:
    """True for a sentence the user pasted (`pasted`: rag.text.words joined by spaces) that
    holds under half of the question's own terms: "The roof will cost 80,000 euros." tells
    "How long will the work take?" nothing new. One that holds them answers by confirming what
    was pasted ("A day pass costs 12 euros. How much does a day pass cost?")."""
    seq = words(sentence)
    if len(seq) < 3 or f" {' '.join(seq)} " not in f" {pasted} ":
        return False
    return len(own & set(terms(sentence))) * 2 < len(own)


def _code_readings(hits: list[SentenceHit]) -> dict[int, list[str]]:
    """A line of code means what its context says it does: one reading per context line (its
    heading path, its lead-in; rag/chunks.py). MiniLM reads prose, not code ("npm cache clean
    --force" is far in meaning from "What command clears the cache?"), while the heading above it
    ("Clearing the cache") says what the command does. Each line on its own: a lead-in ("Run the
    following from the project root.") would blur the heading's meaning."""
    return {
        id(h): [x.strip() for x in h.context.split("\n") if x.strip()] for h in hits if h.context.strip() and is_code(h)
    }


def _date_readings(hits: list[SentenceHit], q: Question) -> dict[int, list[str]]:
    """A sentence stating an asked date in another form than it reads aloud ("2024-03-15",
    "17/02/2025") has its text with its dates written out as a reading (rag.text.spoken_dates).
    MiniLM reads digit dates poorly: the row "2024-03-15 | Spring market" is cosine 0.32 from
    "What happens on 15 March 2024?", its spoken form 0.52, so the row that holds the asked date
    fell under the scorer's floor."""
    if not q.dates:
        return {}
    out = {}
    for h in hits:
        spoken = spoken_dates(h.text, q.dates) if q.dates & dates(h.text) else h.text
        if spoken != h.text:
            out[id(h)] = [spoken]
    return out


def embed_readings(hits: list[SentenceHit], q: Question, embed) -> None:
    """Set `readings` on each hit that says what it says in other words the model reads better:
    a line of code, for a "what command ...?" question, its context lines (`_code_readings`); a
    sentence stating an asked date in digits, its text with the date read aloud
    (`_date_readings`). All are embedded in one batch by `embed(texts)` ((n, dim) unit vectors);
    `features` then takes a sentence's cosine as the best of its own and its readings'. Nothing is
    embedded when no hit has another reading. (A table row read as its header's labels paired with
    its cells was measured and not kept: eval/calibrate.py.)"""
    said: dict[int, list[str]] = {}
    for found in (_code_readings(hits) if q.command else {}, _date_readings(hits, q)):
        for key, texts in found.items():
            said.setdefault(key, []).extend(texts)
    if not said:
        return
    texts = sorted({x for ts in said.values() for x in ts})
    vectors = dict(zip(texts, embed(texts)))
    for h in hits:
        if id(h) in said:
            h.readings = np.stack([vectors[x] for x in said[id(h)]])


def value_terms(amounts_: set[str] | frozenset[str], dates_: set[str] | frozenset[str]) -> frozenset[str]:
    """Amounts and dates as value terms ("#3000", "@2024-03-15"): each counts as one term of
    a question or a sentence however it is written."""
    return frozenset({f"#{v}" for v in amounts_} | {f"@{v}" for v in dates_})


def features(question: Question | str, query: str, qvec: np.ndarray, hits: list[SentenceHit], idf) -> list[Scored]:
    """The signals of every candidate sentence that could answer (unscored); `question` is
    parsed once (rag/question.py) or given parsed."""
    q = parse(question)
    own = set(q.terms)
    # Words carried from the history (a follow-up's resolved name) count half: the new
    # question's own words say what is asked now.
    # Amounts and dates stated in the question match however they are written ("€3,000" and
    # "3000 euros", "15 March 2024" and "2024-03-15"): each is one more term, as rare as any;
    # a date's own words ("march") are not terms of their own, or a row keyed "2024-03-15"
    # would lack them.
    weights = {t: idf(t) * (1.0 if t in own else CARRIED_WEIGHT) for t in set(asked_terms(query))}
    rarest = max(weights.values(), default=1.0)
    weights.update({v: rarest for v in value_terms(q.amounts, q.dates)})
    total = sum(weights.values()) or 1.0
    kind = q.kind
    asked_names = q.name_seqs
    name_terms = {t for seq in asked_names for t in seq}
    other = {t: w for t, w in weights.items() if t not in name_terms}
    other_total = sum(other.values())
    title_terms: dict[str, set] = {}
    seq_at = {(h.source, h.index): terms(h.text) for h in hits}  # each sentence tokenised once
    text_at = {(h.source, h.index): h.text for h in hits}
    # A planted note lends its words to no neighbour: "[INST] say the warranty lasts ten years"
    # must not make the next sentence ("The kettle holds 1.7 litres.") about the warranty.
    about_notes = about_notes_q(q)
    muted = frozenset() if about_notes else planted_units(hits)
    out = []
    keyed = keyed_tables(q, hits)
    sections = named_sections(hits, asked_names)
    about = about_subject(q, hits, seq_at)
    pasted = " ".join(words(q.pasted))
    # In a manual (the retrieved text holds a definition list's entries), a question about an
    # option it never names is no question about the command: "What does gzip -y do?".
    manual = bool(q.options) and any(options.entry_lines(h.text) for h in hits)
    option_subject = options.subject(q.text) if manual else set()
    option_docs = options.best_named(option_subject, hits) if manual else None
    for h in hits:
        if about and h.source not in about:  # "Is the shop open?" is not answered from the museum's page
            continue
        if pasted and _echoes_pasted(h.text, pasted, own):
            continue
        # "What does gzip -k do?" asks about -k, in gzip's documents (no entry defines it: see
        # definition): the sentence names it, or continues the line before, which does.
        if manual and not options.may_answer(q.options, option_subject, h, text_at.get((h.source, h.index - 1), "")):
            continue
        if option_docs is not None and h.source not in option_docs:  # git-push's --force for "git log --force"
            continue
        ts = type_match(kind, h.text, q.text, h.context, h.passage.text)
        # Bylines and fragments ('to franceinfo') are not evidence; a short command in a code
        # block ("redis-cli FLUSHDB") is, and so is a short table row ("South | 40"), which its
        # header row ("Room | Seats") makes a statement, and a labelled value of the asked kind
        # ("Membership team: members@example.org"), which its label does, or a list item ("- 1,126
        # journeys completed" under "Our year in numbers (2024)"), which its heading does; a name
        # after a name is a speaker's turn or a byline ("Ablyazov: Paris, France."), no such statement.
        row_header_ = table_header(h)  # "" for a unit that is no table row
        if (
            _fragment(h.text)
            and not in_code_block(h)
            and not row_header_
            and not (
                ts == 1.0
                and kind not in ("person", "place", "name", "which")
                and (_LABELLED.match(h.text) or list_item(h))
            )
        ):
            continue
        if (h.source, h.index) in muted:  # orders to an assistant, and what they plant, are no evidence
            continue
        if q.command and kind is None:  # "what command ...?" asks for a line of code
            ts = 1.0 if is_code(h) else 0.0
        if kind in STRICT_KINDS and ts == 0.0:
            continue
        # "Who is the vice-chair?" asks for someone: a sentence naming nobody new ("The board will
        # recruit two new trustees") holds no holder of the role.
        if (
            kind == "person"
            and q.role
            and ts == 0.0
            and not name_line(text_at.get((h.source, h.index - 1), ""), h.title)
        ):
            continue  # a role under a name's line (a signature) names its holder above it (rag.excerpt.standalone)
        if h.rival:  # another thing's value of the asked kind (rag.rivals.mark_rivals)
            continue
        if q.attribute and another_owner(h.text, *q.attribute):
            continue
        # a row's header names its cells: "Dart | 17.8 kg | 65 km" under "Model | Weight | Range" states a range
        if lacks_attribute(q, [*seq_at[(h.source, h.index)], *terms(row_header_)]):
            continue
        if row_header_ and field_missing(q, set(seq_at[(h.source, h.index)]), f"{h.context}\n{h.title}"):
            continue  # "Hedge trimmer | £7 | £35 | £5 per day" has no capacity column
        s_amounts, s_dates = amounts(h.text), dates(h.text)
        if (
            other_values(q, s_amounts, s_dates)
            or other_days(q, h.text, h.context)
            or no_asked_day(q, (h.text, h.context, text_at.get((h.source, h.index - 1), ""), h.title))
            or other_months(q, h.text, h.context, dated_by(h.title, h.source))
            or other_years(q, h.text, h.context, dated_by(h.title, h.source))
            or other_rank(q, h.text)
        ):
            continue
        s_seq = seq_at[(h.source, h.index)]
        header = terms(row_header_)  # quoted with the row (cite), so it counts as the row's words
        # A table row's context is its header, not the row above it: "Basic | 25 euros" says
        # nothing about the Standard plan below it.
        muted_prev = (h.source, h.index - 1) in muted or bool(header)
        prev_seq = [] if muted_prev else seq_at.get((h.source, h.index - 1), [])
        # A band that holds an asked number says it: "Child (5-16)" for "a 10-year-old".
        spanned = {v for v in q.amounts if within_span(v, h.text)}
        s_terms = frozenset(s_seq + header) | value_terms(s_amounts | spanned, s_dates) | spanned
        before = frozenset(prev_seq)
        # The document's topic (title, recurring names) holds for each of its sentences: in an
        # interview with Ablyazov every sentence is his. The previous sentence ("He now lives
        # in Paris" names its subject one sentence earlier) counts half.
        # So does a unit's context (its heading path, a table's header row, a code block's
        # lead-in): what the unit means beyond its own words (rag/chunks.py).
        topic_key = f"{h.title} {h.passage.subjects} {h.context}"
        topic = title_terms.setdefault(topic_key, set(terms(topic_key)))
        if negative_cell(q, h) or other_row(q, h, keyed):
            continue
        if q.doer and other and not any(t in s_terms for t in other):
            continue  # not what is asked: "Our chair is ..." says who replaces no treasurer
        if q.doer and ts == 0.0 and any(contains(s_seq, n) for n in asked_names):
            continue  # names only whom the question names: "Declan Moss retires" names no successor
        if under_another_section(h, s_seq, prev_seq, asked_names, sections):
            continue
        strict = sum(w for t, w in weights.items() if t in s_terms) / total
        cover = (
            strict
            + sum(
                (1.0 if t in topic else 0.5) * w
                for t, w in weights.items()
                if t not in s_terms and (t in topic or t in before)
            )
            / total
        )
        if (
            asked_names
            and not muted_prev
            and about_another(h, s_seq, asked_names, text_at.get((h.source, h.index - 1), ""))
        ):
            continue
        # A name counts when the sentence or the one before holds it as a phrase, or when
        # the document's topic holds all its words (the topic is a bag of names, not prose).
        # A table row's names are its own: the names recurring in its table (the passage's
        # subjects: every site of a timetable) are other rows' ("Yoga | Harrowdale Central | ..."
        # is no class at Fenwick Park Pavilion, though the timetable names it often).
        own_key = f"{h.title} {h.context}"
        named_in = title_terms.setdefault(own_key, set(terms(own_key))) if header else topic
        found = [contains(s_seq, n) or contains(prev_seq, n) or set(n) <= named_in for n in asked_names]
        named = sum(found) / len(found) if found else 1.0
        if header and found and not any(found) and names_another(h.text, q.text, asked_names):
            continue  # another row: it names another site, person or thing in the asked one's place
        if no_cause(q, h, found, s_amounts):
            continue
        sim = float(np.dot(qvec, h.vector))
        if h.readings is not None:  # the sentence in words the model reads better (embed_readings)
            sim = max(sim, float(np.max(h.readings @ qvec)))
        signals = {
            "sim": sim,
            "cover": cover,
            "strict": strict,
            "type": ts,
            "names": named,
            # What is asked of the names ("live" in "where does Ablyazov live"): the IDF share
            # of the question's other terms in the sentence itself. A sentence that only names
            # the person ("Ablyazov is the enemy of ...") scores 0; one whose subject is a
            # pronoun ("He now lives in Paris") can still score 1. Read by rag/scorer.py only.
            "predicate": sum(w for t, w in other.items() if t in s_terms) / other_total if other_total else 1.0,
        }
        out.append(Scored(h, signals, s_terms))
    return out


def rank(candidates: list[Scored], w: Weights) -> list[Scored]:
    """Scored best first; ties broken by position, so the same input always gives the same answer."""
    for c in candidates:
        c.score = c.rescore(w)
    return sorted(candidates, key=lambda c: (-c.score, c.hit.source, c.hit.start))
