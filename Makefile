# Set-up is part of every target: a fresh Debian machine needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench graphviz chromium figures

demo: $(STAMP) graphviz
	$(BIN)/autograd-tiny demo

test: $(STAMP) graphviz chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet 'micrograd==0.1.0'
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_vectorize.py

figures: $(STAMP) graphviz chromium
	$(BIN)/python docs/make_figures.py

# The virtualenv with the package installed editable, with its demo and test extras.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[demo,test]'
	touch $(STAMP)

# Graphviz's `dot` renders the SVGs; the explorer's browser tests need Chromium. Each is
# installed with apt-get when missing (as root); otherwise make says the command to run.
graphviz:
	@bash scripts/ensure-system-packages dot graphviz

chromium:
	@bash scripts/ensure-system-packages chromium chromium
