"""`python -m rag.ask`: ask the documents a question (see rag/cli.py for the contract)."""

import sys

from rag.cli import main_ask

if __name__ == "__main__":
    sys.exit(main_ask())
