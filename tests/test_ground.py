"""The support checker, table-driven: what it must accept, what it must reject."""

import pytest

from rag.ground import Claim, check, split_claims

P_OIL = (
    "Our oil workers receive on average 300-500 dollars a month, while at similar enterprises in the "
    "world the average salary is around 10,000 dollars."
)
P_PARIS = "He now lives in Paris after obtaining refugee status in France."
P_CSTO = "The CSTO will send about 3 thousand military personnel."
P_QUOTE = "\u201cThe Russian intervention is an occupation. We have to fight to liberate the country.\u201d"


@pytest.mark.parametrize(
    "sentence, passages, supported, missing",
    [
        # verbatim, including typographic differences
        (P_OIL, [P_OIL], True, ()),
        ("He now lives in Paris after obtaining refugee status in France [1].", [P_PARIS], True, ()),
        ('"The Russian intervention is an occupation."', [P_QUOTE], True, ()),
        # reordered but every word covered
        ("In Paris he now lives, after obtaining refugee status in France.", [P_PARIS], True, ()),
        # supported only by two passages together
        ("The CSTO will send about 3 thousand personnel, and he lives in Paris.", [P_CSTO, P_PARIS], True, ()),
        # a changed number
        ("Our oil workers receive on average 900 dollars a month.", [P_OIL], False, ("900",)),
        ("The CSTO will send about 5 thousand military personnel.", [P_CSTO], False, ("5",)),
        # a swapped name
        ("He now lives in Berlin after obtaining refugee status in France.", [P_PARIS], False, ("name:berlin",)),
        ("The NATO will send about 3 thousand military personnel.", [P_CSTO], False, ("name:nato",)),
        # an unsupported content word
        (
            "He now lives in Paris after buying a castle in France.",
            [P_PARIS],
            False,
            ("bui", "castl"),
        ),  # stemmed and folded terms
        # partially supported: one clause is, the other is not
        ("He now lives in Paris, and the CSTO will send 3 thousand soldiers.", [P_PARIS], False, None),
        # a misquote
        ('He said "the intervention is a liberation".', [P_QUOTE], False, None),
        # an added negation
        ("He does not live in Paris.", [P_PARIS], False, ("negation",)),
        # nothing cited
        (P_PARIS, [], False, ()),
    ],
)
def test_check(sentence, passages, supported, missing):
    g = check(sentence, passages)
    assert g.supported is supported, g.reason
    if missing:
        assert set(missing) <= set(g.missing)
    if not supported and passages:
        assert g.reason


def test_check_is_deterministic_across_processes():
    """Same verdict and the same order of missing items under another hash seed (sets are unordered)."""
    import json
    import os
    import subprocess
    import sys
    from dataclasses import asdict

    sentence = "The NATO will send 5 thousand angry sailors and 7 tanks to Berlin, not Paris."
    here = asdict(check(sentence, [P_CSTO, P_PARIS]))
    code = (
        "import json, sys; from dataclasses import asdict; from rag.ground import check; "
        "print(json.dumps(asdict(check(sys.argv[1], sys.argv[2:]))))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code, sentence, P_CSTO, P_PARIS],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        there = json.loads(out.stdout)
        assert there == json.loads(json.dumps(here)), seed
    assert not here["supported"] and {"5", "7", "name:nato", "name:berlin"} <= set(here["missing"])


@pytest.mark.parametrize(
    "answer, claims",
    [
        ("A sentence. [1]", [Claim("A sentence.", (1,))]),
        ("First one. [1] Second one. [2]", [Claim("First one.", (1,)), Claim("Second one.", (2,))]),
        ("Claim with two [1][2]. Next claim [3].", [Claim("Claim with two", (1, 2)), Claim("Next claim", (3,))]),
        ("Uncited lead. Cited tail. [1]", [Claim("Uncited lead.", ()), Claim("Cited tail.", (1,))]),
        ("No citations at all.", [Claim("No citations at all.", ())]),
        ("", []),
        # A quotation closing on a comma does not end the sentence; one closing on a stop does.
        (
            '"We are at a turning point," Ablyazov said. [2]',
            [Claim('"We are at a turning point," Ablyazov said.', (2,))],
        ),
        ("\u201cWe stay,\u201d she said. [1]", [Claim("\u201cWe stay,\u201d she said.", (1,))]),
        ('He said "no." Then he left. [1]', [Claim('He said "no."', ()), Claim("Then he left.", (1,))]),
        (
            "It rained! \u201cWhy?\u201d Nobody knew. [3]",
            [Claim("It rained!", ()), Claim("\u201cWhy?\u201d", ()), Claim("Nobody knew.", (3,))],
        ),
    ],
)
def test_split_claims(answer, claims):
    assert split_claims(answer) == claims
