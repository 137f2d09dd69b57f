# Two commands do all set-up on a fresh machine:
#   make chat   install (first time), build the index if needed, serve the chat page
#   make test   install (first time), lint, run every test, then the grounding evals (the CI gate)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: chat test eval ingest calibrate clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP)
	$(BIN)/ruff check rag eval tests app.py
	$(BIN)/python -m pytest
	$(BIN)/python -m eval

eval: $(STAMP)
	$(BIN)/python -m eval

ingest: $(STAMP)
	$(BIN)/python -m rag.ingest

calibrate: $(STAMP)
	$(BIN)/python -m eval.calibrate

clean:
	rm -rf index .pytest_cache .ruff_cache
