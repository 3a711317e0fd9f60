# Set-up is part of every target: a fresh Debian machine needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

OLDEST := .venv-oldest
OLDEST_STAMP := $(OLDEST)/.installed

.PHONY: demo test test-oldest test-thorough lint bench graphviz chromium figures oracle notebooks

demo: $(STAMP) graphviz
	$(BIN)/autograd-tiny demo

test: $(STAMP) graphviz chromium oracle
	$(BIN)/python -m pytest

# The same suite on the oldest releases pyproject.toml claims (constraints-oldest.txt), in a second
# virtualenv; test-only tools come in their newest releases, and the PyTorch oracle is left out.
test-oldest: $(OLDEST_STAMP) graphviz chromium
	$(OLDEST)/bin/python -m pytest

# The long tests (marked slow) and every property test with 1000 examples (50 by default): minutes, not seconds.
test-thorough: $(STAMP) graphviz chromium oracle
	$(BIN)/python -m pytest -m "" --hypothesis-profile=thorough

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet 'micrograd==0.1.0'
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_vectorize.py
	$(BIN)/python bench/bench_gpt_replay.py
	$(BIN)/python bench/bench_microgpt.py
	$(BIN)/python bench/bench_gpt.py
	$(BIN)/python bench/bench_training.py

figures: $(STAMP) graphviz chromium
	$(BIN)/python docs/make_figures.py

# Re-execute the tutorial notebooks in place (their outputs are committed); `make test` runs them in a copy.
notebooks: $(STAMP) graphviz
	$(BIN)/python scripts/run_notebooks.py

# The virtualenv with the package installed editable, with its demo and test extras (test includes notebooks).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[demo,test]'
	touch $(STAMP)

# Built afresh when the floors change, so that nothing newer lingers from an earlier install.
$(OLDEST_STAMP): pyproject.toml constraints-oldest.txt
	rm -rf $(OLDEST)
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet --constraint constraints-oldest.txt -e '.[demo,data,notebooks,test]'
	touch $(OLDEST_STAMP)

# PyTorch (CPU) as an optional test oracle, never a dependency: installed only when pip finds the
# wheel without the network (a local wheel, e.g. in pip's find-links), so no run downloads GBs of
# CUDA packages; otherwise the PyTorch tests skip and make says how to enable them.
oracle: $(STAMP)
	@$(BIN)/python -c "import torch" 2>/dev/null || { \
		wheels=$$(mktemp -d); \
		if $(BIN)/python -m pip download --quiet --no-index --no-deps -d "$$wheels" 'torch==2.13.0' >/dev/null 2>&1; then \
			$(BIN)/python -m pip install --quiet --find-links "$$wheels" 'torch==2.13.0'; \
		else \
			echo "make: no local PyTorch wheel: the PyTorch oracle tests skip (.venv/bin/pip install torch==2.13.0 enables them)"; \
		fi; \
		rm -rf "$$wheels"; }

# Graphviz's `dot` renders the SVGs; the explorer's browser tests need Chromium. Each is
# installed with apt-get when missing (as root); otherwise make says the command to run.
graphviz:
	@bash scripts/ensure-system-packages dot graphviz

chromium:
	@bash scripts/ensure-system-packages chromium chromium
