"""Check that an answer sentence is supported by the passages it cites: answer -> cite -> **ground**.

What it does: `split_claims(answer)` cuts an answer into sentences with the citation
numbers attached to each; `check(sentence, passages)` decides, deterministically, whether
the passages support the sentence:
  1. verbatim: the sentence (quotes, dashes and spacing normalised) occurs in a passage:
     supported;
  2. otherwise every quoted span in the sentence must occur verbatim, and every number,
     every name (capitalised word) and every content word (stemmed and folded as in
     rag/text.py) must occur in the cited passages, and a negation ("not", "never",
     "no") must have one to match. Anything missing is listed.
This is the support judgement of ALCE's citation recall and precision (Gao et al. 2023),
made lexical because no NLI model runs offline here (../shared/MODELS.md).

What it cannot detect: a contradiction built from the passage's own words ("Ablyazov
fled Paris" against "Ablyazov lives in Paris"), a changed relation between names that
are all present ("Tokayev handed power to Nazarbayev"), or an antonym swap that keeps the
content words' stems. It errs towards "unsupported" for honest paraphrase that uses new
words. It is a pure function: same input, same verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import name_runs, numbers, terms

_MARKERS = re.compile(r"((?:\s*\[\d+\])+)")
_NUM_IN_MARKER = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]{3,}?)[\"\u201c\u201d]")
_NEGATION = re.compile(r"\b(not|no|never|none|nobody|nothing|neither|nor|without|cannot)\b|n['\u2019]t\b", re.I)
# A sentence ends at . ! ? or at a closing quote right after one ('... history." He'), never
# at a quote closing on a comma ('"We are at a turning point," Ablyazov said.').
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\u201d\"]))\s+(?=[A-Z\u201c\"])")


@dataclass(frozen=True)
class Claim:
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Grounding:
    supported: bool
    verbatim: bool
    missing: tuple[str, ...] = ()
    reason: str = ""


def normalise(text: str) -> str:
    """Quotes, apostrophes, dashes and white space made uniform; case kept."""
    text = re.sub(r"[\u201c\u201d\u201e\u00ab\u00bb]", '"', text)
    text = re.sub(r"[\u2018\u2019\u201a`]", "'", text)
    text = re.sub(r"[\u2013\u2014\u2212]", "-", text)
    return " ".join(text.split())


def split_claims(answer: str) -> list[Claim]:
    """Sentences of an answer with the [n] markers that follow each.

    Markers cite the sentence they close ("... dollars. [1]" or "... dollars [1]."). A
    sentence with no marker after it gets no citations: the uncited-sentence metric
    counts those.
    """
    parts = _MARKERS.split(answer)
    claims: list[Claim] = []
    for i in range(0, len(parts), 2):
        text = parts[i].strip()
        cited = tuple(int(n) for n in _NUM_IN_MARKER.findall(parts[i + 1])) if i + 1 < len(parts) else ()
        text = re.sub(r"^[.,;:!?]+\s*", "", text)  # punctuation left behind by "[1]."
        if not any(c.isalnum() for c in text):
            if claims and cited:  # "... [1]. [2]": markers after no words cite the sentence before
                last = claims[-1]
                claims[-1] = Claim(last.text, tuple(dict.fromkeys(last.citations + cited)))
            continue
        sentences = [s for s in _SENTENCE_END.split(text) if any(c.isalnum() for c in s)]
        for s in sentences[:-1]:
            claims.append(Claim(s.strip(), ()))
        claims.append(Claim(sentences[-1].strip(), tuple(dict.fromkeys(cited))))
    return claims


def check(sentence: str, passages: list[str]) -> Grounding:
    """Whether `passages` together support `sentence` (see the module docstring)."""
    if not passages:
        return Grounding(False, False, (), "no cited passage")
    claim = normalise(_MARKERS.sub("", sentence)).strip()
    joined = [normalise(p) for p in passages]
    core = claim.rstrip(".!?;: ")
    if core and any(core.lower() in p.lower() for p in joined):
        return Grounding(True, True)
    missing: list[str] = []
    for quoted in _QUOTED.findall(claim):
        q = quoted.strip(" .,;:")
        if len(q.split()) >= 3 and not any(q.lower() in p.lower() for p in joined):
            missing.append(f'"{q}"')
    src = " ".join(joined)
    src_terms = set(terms(src))
    missing += sorted(n for n in numbers(claim) - numbers(src))
    # Names by the package's one finder (rag.text.name_runs); a sentence-initial word it does not
    # count as a name is still checked below, as a content word.
    names = {w for run in name_runs(claim, first=True) for w in terms(run)}
    missing += sorted(f"name:{t}" for t in names - src_terms)
    missing += sorted(t for t in set(terms(claim)) - src_terms - names if not t.isdigit())
    if _NEGATION.search(claim) and not _NEGATION.search(src):
        missing.append("negation")
    if missing:
        return Grounding(False, False, tuple(missing), "not in the cited passages: " + ", ".join(missing))
    return Grounding(True, False, (), "every number, name and content word is in the cited passages")
