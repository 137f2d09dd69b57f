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
    ],
)
def test_the_code_is_quoted(engine, question, code):
    got = engine.ask(question)
    assert got.answered, got.answer
    assert any(c.text.strip() == code for c in got.citations), got.answer
    assert "None of them says" not in got.answer
