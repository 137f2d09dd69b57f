"""The library's own exception types.

The library raises these; only the CLI and the UI turn them into messages and exit codes.
Every message is one line a user can act on.
"""


class RagError(Exception):
    """Base class for every error this package raises on purpose."""


class BadInput(RagError):
    """The caller's input cannot be used (empty question, bad option value)."""


class DocsError(RagError):
    """The documents folder is missing, unreadable, holds no readable document, or will not
    take a file the caller asked to save or delete there (read-only, full)."""


class StoreError(RagError):
    """The index cannot be opened or built."""


class IndexBusy(StoreError):
    """Another process holds the index's ingest lock."""
