# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD := build
STAMP := $(VENV)/.installed

.PHONY: run test build setup lint vocab docs bench clean

run: build
	$(BIN)/hwbkg serve --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest -q

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: setup
	$(BIN)/hwbkg build

lint: setup
	$(BIN)/ruff check .

vocab: setup
	$(BIN)/python scripts/generate_namespace.py

docs: setup
	$(BIN)/python scripts/generate_query_docs.py

bench: build
	$(BIN)/python scripts/bench_graph.py

clean:
	rm -rf $(BUILD) $(VENV) *.egg-info
