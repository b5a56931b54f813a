# Bootstraps .venv from the pins in pyproject.toml, then delegates to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve publish clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt -c constraints.txt
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP)
	$(BIN)/invoke test

serve: $(STAMP)
	$(BIN)/invoke serve

publish: $(STAMP)
	$(BIN)/invoke publish

clean:
	rm -rf output .cache
