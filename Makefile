# Two commands do all set-up on a fresh machine:
#   make chat   install (first time), build the index if needed, serve the chat page
#   make test   install (first time), lint, run every test, then the grounding evals (the CI gate)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# The browser tests drive Debian's Chromium (never a browser a test tool downloads).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: chat test eval eval-full corpora ingest calibrate bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null

chat: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check rag eval tests app.py
	$(BIN)/python -m pytest
	$(BIN)/python -m eval
	$(BIN)/python -m eval.bench --quick

eval: $(STAMP)
	$(BIN)/python -m eval

# Every question of every corpus, as the gated run in `make test` (explicitly; -m eval --per-corpus N for a quick look).
eval-full: $(STAMP)
	$(BIN)/python -m eval --full

# Fetch (apt-get download, pinned sha256) and extract the evaluation corpora into eval/.cache/corpora/.
corpora: $(STAMP)
	$(BIN)/python -m eval.corpora

ingest: $(STAMP)
	$(BIN)/python -m rag.ingest

bench: $(STAMP)
	$(BIN)/python -m eval.bench

calibrate: $(STAMP)
	$(BIN)/python -m eval.calibrate

clean:
	rm -rf index .pytest_cache .ruff_cache
