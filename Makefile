# Two commands: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup screenshots bench clean-venv

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m workbench init --port $(PORT)
	$(PY) scripts/serve.py --address 0.0.0.0 --port $(PORT)  # Caddy on $(PORT), Streamlit behind it

test: setup
	$(PY) -m pytest

screenshots: setup
	$(PY) scripts/screenshots.py

bench: setup
	@for script in bench/*.py; do case $$script in *_server.py) continue;; esac; \
		echo "== $$script"; $(PY) $$script || exit 1; done  # *_server.py: launchers the benches use

clean-venv:
	rm -rf $(VENV)
