"""Code answers, sibling cases of the case markdown-heading-quoted-code-missed (helper 83): the
questions that ask for the line to type ("What is the restart command?", "What's the command to
...?"), code a sentence after it points up to ("Run the command above ..."), and a reST code
directive indented three spaces (Sphinx's usual style). A real engine: real model, real Chroma
in a temp dir."""

from __future__ import annotations

import pytest

DOCS = {
    "deploy.md": "# Deployment Guide\n\n## Restarting the service\n\n"
    "To restart the web service, run the restart script as the deploy user.\n\n"
    "```\nsudo -u deploy ./restart.sh --graceful\n```\n\nThe restart takes about 40 seconds.\n\n"
    "## Rotating the logs\n\n```\nsudo logrotate -f /etc/logrotate.d/app\n```\n",
    "router.md": "# Router\n\n```\nsudo ./reset-router.sh --factory\n```\n\n"
    "Run the command above to reset the router to factory settings.\n",
    "ops.rst": "Operations\n==========\n\nBackups\n-------\n\nTake a backup before every schema change.\n\n"
    ".. code-block:: bash\n\n   pg_dump -Fc shop > /backups/shop.dump\n",
    # helper 86: an indented code block under its heading, with no lead-in sentence
    "cache.md": "# Cache\n\nThe cache holds rendered pages for an hour.\n\n## Flushing the cache\n\n"
    "    redis-cli FLUSHDB\n\n"
    "Only flush the cache when the release notes tell you to.\n\n## Steps\n\n1. Open the panel.\n\n"
    "    Then hold RESET for five seconds.\n",
}


@pytest.fixture(scope="module")
def engine(engine_over):
    return engine_over("code", DOCS)


@pytest.mark.parametrize(
    "question, code",
    [
        ("What is the restart command?", "sudo -u deploy ./restart.sh --graceful"),
        ("What's the command to restart the service?", "sudo -u deploy ./restart.sh --graceful"),
        ("What's the log rotation command?", "sudo logrotate -f /etc/logrotate.d/app"),
        ("How do I reset the router to factory settings?", "sudo ./reset-router.sh --factory"),
        ("How do I take a backup?", "pg_dump -Fc shop > /backups/shop.dump"),
        ("What command flushes the cache?", "redis-cli FLUSHDB"),
        ("What's the command to flush the cache?", "redis-cli FLUSHDB"),
    ],
)
def test_the_code_is_quoted(engine, question, code):
    got = engine.ask(question)
    assert got.answered, got.answer
    assert any(c.text.strip() == code for c in got.citations), got.answer
    assert "None of them says" not in got.answer


@pytest.mark.parametrize(
    "source, text, unit, expected",
    [
        (
            "cache.md",
            "## Flushing the cache\n\n    redis-cli FLUSHDB\n\nOnly flush it when told.",
            "redis-cli FLUSHDB",
            True,
        ),
        ("cache.md", "Run:\n\n\tmake clean\n", "make clean", True),  # a tab indents it too
        # a list item's own indented paragraph, and a plain text's indented prose, are no code
        (
            "steps.md",
            "1. Open the panel.\n\n    Then hold RESET for five seconds.\n",
            "Then hold RESET for five seconds.",
            False,
        ),
        ("dpkg.txt", "OPTIONS\n\n       -i, --install package-file\n", "-i, --install package-file", False),
        # helper 88: a list item's lines wrapped, and reST's block quote and directive body
        ("steps.md", "1. Open the panel and\nclick Settings.\n\n    Then hold RESET.\n", "Then hold RESET.", False),
        ("ops.rst", ".. warning::\n\n    Do not unplug the router.\n", "Do not unplug the router.", False),
        ("cache.md", "Flush it with\n    redis-cli FLUSHDB\n", "redis-cli FLUSHDB", False),  # no blank line before
    ],
)
def test_an_indented_code_block(source, text, unit, expected):
    from rag.structure import in_code_block
    from rag.types import Passage, SentenceHit

    passage = Passage("c0", source, "T", text, 0, len(text), 1.0)
    at = text.index(unit)
    hit = SentenceHit(source, "T", unit, at, at + len(unit), None, passage, 1)
    assert in_code_block(hit) is expected
