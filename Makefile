# Claimdesk: `make run` serves the demo, `make test` runs the whole suite.
# Both build the virtual environment from the pinned lock files first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test test-postgres lint screenshots lock clean checkworthiness evaluate-checkworthiness

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Claimdesk needs Python 3.11 (set PYTHON=...).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.run-deps

## Serve the app on http://127.0.0.1:8000 with the seed articles and demo users (SQLite, DEBUG on),
## with the background worker that fetches sources added by their address; Ctrl+C stops both.
run: $(VENV)/.run-deps
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## The background worker alone (for a deployment, or beside a server started another way).
worker: $(VENV)/.run-deps
	$(BIN)/python manage.py db_worker

## Run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: $(VENV)/.dev-deps
	$(BIN)/pytest $(PYTEST_ARGS)

## The suite against the local PostgreSQL server.
test-postgres: $(VENV)/.dev-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/claimdesk} $(BIN)/pytest $(PYTEST_ARGS)

## Lint and formatting (ruff), as CI checks them.
lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The README's screenshots, taken by the browser test in headless Chromium from the demo data.
screenshots: $(VENV)/.dev-deps
	CLAIMDESK_SCREENSHOTS=docs/screenshots $(BIN)/pytest -p no:randomly tests/test_browser.py -k "fdi or correction or conflict or selected or correcting or suggestion or arithmetic or similar"

## Re-pin the whole dependency tree after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --annotation-style=line -o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --annotation-style=line --extra dev -o requirements-dev.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --annotation-style=line --extra dev --extra bench -o requirements-bench.txt pyproject.toml

## Retrain the check-worthiness model on ClaimBuster's debates (../shared/checkworthiness, or CSV=...) and
## print its held-out figures; training is deterministic, so the committed model comes out byte for byte.
CSV ?= ../shared/checkworthiness/crowdsourced.csv
checkworthiness: $(VENV)/.dev-deps
	SECRET_KEY=train $(BIN)/python manage.py train_checkworthiness $(CSV)

## Score labelled sentences (ClaimBuster CSV: Text, Verdict) with the committed model: precision, recall, F1.
evaluate-checkworthiness: $(VENV)/.dev-deps
	SECRET_KEY=evaluate $(BIN)/python manage.py evaluate_checkworthiness $(CSV) $(EVALUATE_ARGS)

## The wider figures of claims/checkworthiness/README.md: the training recipe cross-validated over every debate,
## FOLDS folds of whole debates trained JOBS at a time (writes no model; 5.5 minutes on two cores), then the
## committed model on the demo fixture's news articles, labelled by the editors' claims.
FOLDS ?= 5
JOBS ?= 2
.PHONY: checkworthiness-figures
checkworthiness-figures: $(VENV)/.dev-deps
	SECRET_KEY=evaluate $(BIN)/python manage.py train_checkworthiness $(CSV) --cross-validate $(FOLDS) --jobs $(JOBS)
	SECRET_KEY=evaluate $(BIN)/python manage.py evaluate_checkworthiness --demo-articles

## How many hand-written paraphrases (tests/paraphrases.py) similar claims finds, development and held-out sets.
.PHONY: similarity-recall
similarity-recall: $(VENV)/.dev-deps
	$(BIN)/pytest -p no:randomly -s -q tests/test_similarity.py -k paraphrase_recall

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts

$(VENV)/.bench-deps: requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	@touch $@ $(VENV)/.dev-deps $(VENV)/.run-deps

.PHONY: bench load
BENCH_ARGS ?=
LOAD_ARGS ?=
SERVERS ?= 1

## Server time of the desk's pages and actions at 100,000 claims, SQLite and PostgreSQL, with targets
## (builds the dataset first if missing; quick run: make bench BENCH_ARGS="--scale 0.02"). See benchmarks/README.md.
bench: $(VENV)/.bench-deps
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

## 50 simulated editors against gunicorn on PostgreSQL for 60 s, then no lost writes; SERVERS=2 runs two
## app servers sharing PostgreSQL and Redis (LOAD_ARGS="--scale 0.02 --users 50 --time 60" and more).
load: $(VENV)/.bench-deps
	$(BIN)/python benchmarks/load.py --servers $(SERVERS) $(LOAD_ARGS)
