# The two commands of the README are `make serve` and `make test`; the rest are steps they use.
# Everything runs from .venv (created on first use); each queue library gets its own env in .envs/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.whichqueue-installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test site verify lint fmt clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "whichqueue needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

## make serve: render the pages from data/ + committed results/ and serve the site on http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/whichqueue render
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## make test: lint, run every snippet against the local brokers, check the evidence, then pytest
test: $(STAMP)
	bash scripts/ensure_chromium.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/whichqueue verify --start-brokers --results-dir .cache/verify-results
	$(BIN)/whichqueue lint --strict
	$(BIN)/whichqueue render
	$(BIN)/pytest -q -p no:cacheprovider

## make site: the static site in site/ (what GitHub Pages publishes)
site: $(STAMP)
	$(BIN)/whichqueue render
	$(BIN)/mkdocs build --strict

## make verify: run every snippet and record the evidence in results/ (commit it)
verify: $(STAMP)
	$(BIN)/whichqueue verify --start-brokers

lint: $(STAMP)
	$(BIN)/whichqueue lint --strict

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf site .cache docs/guide docs/index.md
