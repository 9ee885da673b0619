# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD := build
STAMP := $(VENV)/.installed
VENDOR := webapp/static/vendor

.PHONY: run test build setup lint vocab docs bench soak screenshots clean

run: build
	$(BIN)/hwbkg serve --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest -q

setup: $(STAMP) $(VENDOR)/.installed

# Front-end packages: pinned by package-lock.json, installed from the npm registry, served
# from webapp/static/vendor/ (both gitignored) so the workbench never calls a CDN.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)/yasgui $(VENDOR)/axe-core
	cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css $(VENDOR)/yasgui/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	touch $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Publishes build/builds/<id>/ (SHACL report included) and points build/current at it.
build: setup
	$(BIN)/hwbkg build

lint: setup
	$(BIN)/ruff check .

vocab: setup
	$(BIN)/python scripts/generate_namespace.py

docs: setup
	$(BIN)/python scripts/generate_query_docs.py

# Not part of `make test` (long: it builds 500 documents): build, validate, start-up, the
# query library and the main pages at 1x, 10x and 100x, on each store, as one table.
# docs/benchmarks.md explains it; `scripts/bench.py --scales 1,3 --runs 3` is a quick look.
bench: setup
	$(BIN)/python scripts/bench.py --scales 1,10,100 --runs 5

# Not part of `make test` (two minutes and a half, on fresh servers): what a team's traffic
# does to the service. docs/security.md explains the figures. Fails at the first run with errors.
soak: build
	$(BIN)/python scripts/soak.py --clients 8 --seconds 60
	$(BIN)/python scripts/soak.py --clients 32 --seconds 60
	$(BIN)/python scripts/soak.py --slow 16 --seconds 30

screenshots: build
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(BUILD) $(VENV) *.egg-info node_modules $(VENDOR)
