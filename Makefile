# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= zhengce.db

.PHONY: run test bench install clean browser screenshots serve bench-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The main job on the embedded default: load the bundled corpus into SQLite (with a
# progress bar and a summary) and serve the portal at http://127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/zhengce ingest corpus
	$(BIN)/zhengce serve --no-corpus

test: $(STAMP) browser
	$(BIN)/pytest

bench: $(STAMP) bench-tools
	$(BIN)/python bench/run.py

# The web bench drives load with wrk (a C client): a Python client would eat the cores it measures.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk \
	  || echo "wrk missing: the web bench falls back to httpx (as root: apt-get install wrk)" >&2; }

# Browser tests and screenshots drive Debian's chromium with a CJK font; both are installed
# here when missing and we are root (never `playwright install`: it downloads its own browsers).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; \
	  else \
	    echo "browser tests will be skipped: as root, run: apt-get install chromium fonts-wqy-microhei" >&2; \
	  fi; \
	fi

# A PNG of every page, desktop and phone width, into screenshots/ (gitignored).
screenshots: $(STAMP) browser
	$(BIN)/python -m zhengce.web.screenshots screenshots corpus

# The portal with the bundled corpus at http://127.0.0.1:8000.
serve: $(STAMP)
	$(BIN)/zhengce serve --corpus corpus

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
