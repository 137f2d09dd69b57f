"""`python -m rag.ingest`: build or update the index of a documents folder (see rag/index.py)."""

import sys

from rag.cli import main_ingest

if __name__ == "__main__":
    sys.exit(main_ingest())
