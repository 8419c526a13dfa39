# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: run test lint bench clean

$(BIN)/tally: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: $(BIN)/tally
	$(BIN)/tally serve --host $(HOST) --port $(PORT)

test: $(BIN)/tally
	$(BIN)/ruff check service tests bench
	$(BIN)/python -m pytest -q

bench: $(BIN)/tally
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
