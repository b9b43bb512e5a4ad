# One command runs the bot locally, one passes the tests; both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run web test lint format serve data bench clean

# constraints.txt pins every tool and library to an exact version (see its header).
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c constraints.txt

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip

# ja-ginza ships the chiVe word vectors of the semantic backstop (nlp/vectors.py). Only its data
# files are read, with NumPy, so it is installed without its dependencies (spaCy, GiNZA, Sudachi).
VECTORS := $(PIP_INSTALL) --no-deps ja-ginza

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e .
	$(VECTORS)
	touch $@

$(TEST_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[test]'
	$(VECTORS)
	touch $@ $(STAMP)

data: $(STAMP)
	$(BIN)/strategy-bot load-data

run: data
	$(BIN)/strategy-bot chat

serve: data
	$(BIN)/strategy-bot serve

# The web chat page on this machine only, no accounts needed: open http://127.0.0.1:8000/
web: data
	@echo "web chat: http://127.0.0.1:8000/  (Ctrl-C stops)"
	$(BIN)/strategy-bot serve --host 127.0.0.1 --port 8000

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(TEST_STAMP) data
	$(BIN)/python benchmarks/answer_quality.py
	$(BIN)/python benchmarks/answer_latency.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
