# Two commands: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

AXE := tests/browser/axe

.PHONY: run test setup axe screenshots bench clean-venv

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# axe-core for the browser journeys' accessibility checks (tests/browser/axe.py), pinned in
# $(AXE)/package-lock.json: `npm ci` when node_modules is absent or older than the lock.
$(AXE)/node_modules/.installed: $(AXE)/package-lock.json $(AXE)/package.json
	npm ci --prefix $(AXE) --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed

# Only the tests need it: `make run` on a hall's laptop never asks npm for anything.
axe: $(AXE)/node_modules/.installed

run: setup
	$(PY) -m workbench init --port $(PORT)
	$(PY) scripts/serve.py --address 0.0.0.0 --port $(PORT)  # Caddy on $(PORT), Streamlit behind it

test: setup axe
	$(PY) -m pytest

screenshots: setup
	$(PY) scripts/screenshots.py

bench: setup
	@for script in bench/*.py; do case $$script in *_server.py) continue;; esac; \
		echo "== $$script"; $(PY) $$script || exit 1; done  # *_server.py: launchers the benches use

clean-venv:
	rm -rf $(VENV)
