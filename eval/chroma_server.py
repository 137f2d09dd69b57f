"""A real `chroma run` on loopback, for the tests' and the benchmark's server-mode runs.

What it does: starts chromadb's own CLI on a free 127.0.0.1 port with its data in `path`,
waits for its heartbeat, yields the URL, and stops it by its process group. What it
deliberately doesn't: reach any address but loopback, or keep the server past the block.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(path: Path, wait_s: float = 60.0, port: int | None = None):
    """Yield the URL of a `chroma run` serving `path` (on `port` when given: an index records its
    server's URL, and another URL means a rebuild); RuntimeError if it does not come up."""
    if not CHROMA.exists():
        raise RuntimeError(f"{CHROMA} missing: chromadb's CLI should come with the package")
    port = port or free_port()
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        start_new_session=True,  # its own process group, so stopping it stops its children too
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("chroma run exited at start-up") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not answer within {wait_s:.0f} s") from None
                time.sleep(0.25)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
