# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A CPU build of torch; elsewhere use e.g.
#   make TORCH_SPEC="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH_SPEC ?= torch==2.13.0
# One stamp per install level: serving (make run), tests (make test), benchmarks (make bench).
STAMP := $(VENV)/.stamp-serve
TEST_STAMP := $(VENV)/.stamp-test
BENCH_STAMP := $(VENV)/.stamp-bench
# The repository root goes on sys.path (setuptools' "compat" editable mode) instead of an
# import hook: with the hook, a script beside a clone named qa_bot imported the clone's
# folder as an empty namespace package ("cannot import name 'ask' from 'qa_bot'").
# (Its notice that the mode is transitional is silenced: it says nothing a user can act on.)
EDITABLE := --config-settings editable_mode=compat -e
PIP_EDITABLE := PYTHONWARNINGS="ignore:Compat editable installs" $(BIN)/python -m pip install --quiet $(EDITABLE)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test lint format build bench haystack fit checks clean browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(PIP_EDITABLE) .
	touch $(STAMP)

# Tests need the test tools and Ray (qa-bot build --engine ray is tested).
$(TEST_STAMP): $(STAMP)
	$(PIP_EDITABLE) ".[test,ray]"
	touch $(TEST_STAMP)

$(BENCH_STAMP): $(TEST_STAMP)
	$(PIP_EDITABLE) ".[test,bench,ray]"
	touch $(BENCH_STAMP)

run: $(STAMP)
	$(BIN)/qa-bot build
	@echo "Serving http://127.0.0.1:7860  (the command line: $(BIN)/qa-bot ask \"...\", or source $(BIN)/activate first)"
	$(BIN)/python app.py

build: $(STAMP)
	$(BIN)/qa-bot build

# Debian's chromium for the browser test (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	    else echo "chromium missing: the browser test will be skipped (apt-get install chromium)"; fi; }

# axe-core (npm) for the accessibility test, pinned; without npm that test is skipped.
AXE_VERSION := 4.10.3
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
$(AXE): $(STAMP)
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV)/axe --no-audit --no-fund --silent axe-core@$(AXE_VERSION) >/dev/null \
	    || echo "axe-core could not be installed: the accessibility test will be skipped"; \
	else echo "npm missing: the accessibility test will be skipped (apt-get install npm)"; fi

test: $(TEST_STAMP) browser $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run_all

# Quality with real distractors: Python's manual, two Debian books and Git's manual (Debian
# packages, installed here if missing) around the test documents, at growing sizes
# (benchmarks/results/haystack.json; about 80 minutes cold, resumable: a rerun embeds only
# what its largest index lacks), then ask() latency at three of those sizes in one run and
# one edited document's time to answer (benchmarks/results/scale_latency.json).
HAYSTACK_PACKAGES = python3.11-doc debian-handbook debian-reference-en git-doc
haystack: $(BENCH_STAMP)
	dpkg -s $(HAYSTACK_PACKAGES) >/dev/null 2>&1 || apt-get install -y $(HAYSTACK_PACKAGES)
	$(BIN)/python -m benchmarks.haystack
	$(BIN)/python -m benchmarks.scale_latency --edit

# Refit the answer-selection model (qa_bot/learned/selection.json) and write the
# cross-validated and held-out report to benchmarks/results/ (about 10 minutes cold).
fit: $(BENCH_STAMP)
	$(BIN)/python -m qa_bot.learned.fit

# Measure what each answer check catches and costs on every held-out set and SQuAD, and
# regenerate docs/checks.md (benchmarks/results/checks.json; about 30 minutes cold).
checks: $(TEST_STAMP)
	$(BIN)/python -m qa_bot.ablate

clean:
	rm -rf $(VENV) embeddings .fit-cache .pytest_cache .ruff_cache
