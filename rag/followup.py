"""Resolve a follow-up question against the chat history, without an LLM.

What it does: when a question leans on earlier turns (a pronoun such as "he" or "there",
an opener such as "and" / "what about", or too few content words to stand alone), the
names and content words of the most recent earlier question are appended to the text
retrieval searches for: "Where does he live now?" after "Who is Mukhtar Ablyazov?"
searches for "Where does he live now? Mukhtar Ablyazov". A question that stands on its
own is searched as it is.

What it deliberately doesn't: rewrite the question the user sees, or guess whom a
pronoun means beyond the last turn that named someone. With an LLM configured, a
condense step would do better; this is the offline method.
"""

from __future__ import annotations

import re

from .text import STOPWORDS, name_phrases, words

_ANAPHORA = re.compile(
    r"\b(he|him|his|she|her|hers|they|them|their|it|its|there|that|this|those|these|the same)\b", re.I
)
_OPENER = re.compile(r"^\s*(and|also|what about|how about|but|so|then)\b", re.I)
_QUESTION_WORDS = {
    "who",
    "what",
    "when",
    "where",
    "why",
    "how",
    "which",
    "whom",
    "whose",
    "is",
    "are",
    "do",
    "does",
    "did",
}


def _content_words(text: str) -> list[str]:
    """Surface words worth carrying: names first (capitalised), then other content words."""
    names, others = [], []
    for m in re.finditer(r"[^\W\d_][\w'\u2019-]*|\d[\d,.]*", text):
        w = m.group()
        low = w.lower()
        if low in STOPWORDS or low in _QUESTION_WORDS or len(low) < 3:
            continue
        (names if w[0].isupper() else others).append(w)
    seen, out = set(), []
    for w in names + others:
        if w.lower() not in seen:
            seen.add(w.lower())
            out.append(w)
    return out


def needs_context(question: str) -> bool:
    content = [w for w in words(question) if w not in STOPWORDS and w not in _QUESTION_WORDS]
    return bool(_ANAPHORA.search(question) or _OPENER.search(question) or len(content) < 2)


# Only pronouns for people are replaced by a name: "it" or "there" may mean the topic.
_PRONOUN = re.compile(r"\b(he|she|him|his|they|them|their)\b", re.I)
_POSSESSIVE = {"his", "their"}


def resolve(question: str, history: list[str] | None) -> str:
    """The text to retrieve with: the question, made to stand alone when it is a follow-up.

    A pronoun is replaced by the name the nearest earlier question used ("Where does he
    live now?" -> "Where does Mukhtar Ablyazov live now?"): a whole sentence embeds better
    than a question with names stuck on. Otherwise the earlier question's content words
    are appended.
    """
    if not history or not needs_context(question):
        return question
    own = {w.lower() for w in words(question)}
    for previous in reversed(history):
        name = max(name_phrases(previous), key=len, default=None)  # "Mukhtar Ablyazov"
        if name and name.lower() not in question.lower():
            match = _PRONOUN.search(question)
            if match:
                word = match.group().lower()
                sub = f"{name}'s" if word in _POSSESSIVE else name
                return question[: match.start()] + sub + question[match.end() :]
            break
    candidates = [[w for w in _content_words(p) if w.lower() not in own] for p in reversed(history)]
    # The nearest turn that names someone or something wins; else the nearest with any content.
    named = next((c for c in candidates if any(w[0].isupper() for w in c)), None)
    carried = named or next((c for c in candidates if c), [])
    return f"{question} {' '.join(carried)}" if carried else question
