# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8080
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint bench clean browser container-test vendor

# `make run` installs the service alone; `make test` adds the dev extras (pytest, ruff, the clients the
# tests drive) to the same venv
$(BIN)/tally: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(BIN)/tally
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# pdf.js for the review page's PDF view, from the npm package pinned in web/package-lock.json (npm ci);
# not committed. Without npm the page works without the PDF view (the script says so and succeeds).
vendor:
	scripts/vendor-static

# HOST=0.0.0.0 PORT=9000 make run  serves elsewhere; `tally serve` also reads TALLY_HOST / TALLY_PORT
run: $(BIN)/tally vendor
	@echo "Tally: serving on http://$(HOST):$(PORT)  (HOST=… PORT=… make run to change; Ctrl+C stops it)"
	$(BIN)/tally serve --host $(HOST) --port $(PORT)

test: $(VENV)/.dev vendor browser
	$(BIN)/ruff check service tests bench
	$(BIN)/python -m pytest -q

# tests/test_browser.py drives Debian's chromium (Playwright never downloads a browser here); install
# it, with a CJK font so that screenshots are legible, when this is root on a machine with apt-get.
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium for the browser tests (apt-get, about half a minute)"; \
	  log=$$(mktemp); \
	  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; } \
	     >"$$log" 2>&1; then echo "chromium installed: $$($(CHROMIUM) --version 2>/dev/null)"; \
	  else tail -n 20 "$$log"; echo "chromium could not be installed: the browser tests will skip"; fi; \
	  rm -f "$$log"; \
	else echo "no $(CHROMIUM) and not root with apt-get: the browser tests will skip (apt-get install chromium)"; fi

# builds the Dockerfile with podman (installed with apt-get when missing) and smoke-tests the container;
# the venv is there to compare the container's findings on seed 000 with the local ones
container-test: $(VENV)/.dev
	scripts/container-test

bench: $(VENV)/.dev
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache web/node_modules service/http/static/vendor
