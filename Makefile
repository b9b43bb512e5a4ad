# One command runs the bot locally, one passes the tests; both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run web test lint format serve data bench clean system-deps

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

# Debian packages the tests need: PostgreSQL (the store's tests start a throwaway server of their own),
# Chromium and its WebDriver (the web page's browser tests). apt-get runs only if one is missing, and
# only where it can (as root, or with sudo); elsewhere those tests skip and say why.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/chromedriver ] || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	    else echo "not root: install$$missing yourself, or those tests skip"; exit 0; fi; \
	    echo "installing Debian packages:$$missing"; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

test: $(TEST_STAMP) system-deps
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
