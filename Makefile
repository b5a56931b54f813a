# Bootstraps .venv (the project installed editable, pins from pyproject.toml + constraints.txt) and node_modules (package-lock.json),
# then delegates to tasks.py (invoke).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: build test test-fast serve publish clean setup check node-optional review system-packages

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt --no-deps \
		--upgrade --target $(VENV)/test-plugins pelican-image-process
	touch $(STAMP)

# axe-core and the Nu Html Checker for the accessibility gate (exact versions from the lock).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The CMS bundle comes from npm; without npm the site still builds (with a note at /admin/).
node-optional:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory -s $(NODE_STAMP); \
	else echo "npm fehlt: /admin/ wird ohne Sveltia CMS gebaut (apt-get install npm)"; fi

# With PYTHONDONTWRITEBYTECODE set (some CI images, sandboxes) Python compiles the build's own
# modules anew in every run: compiled once here, as pip did for the installed packages.
COMPILE := $(BIN)/python -m compileall -q plugins pipeline

build: $(STAMP) node-optional
	@$(COMPILE)
	$(BIN)/invoke build

# The merge-request preview: build, then the links to the changed pages as a note on the MR.
review: $(STAMP) node-optional
	@$(COMPILE)
	$(BIN)/invoke review

# The Debian packages the tests and the gate use (browser, nginx, sshd, feed reader, calendar,
# PDF tools): installed as root when missing, silent when present, one line naming the command
# without root. Before npm: on a bare machine npm itself comes from there.
system-packages:
	@bash .ci/system-packages

# Every test (fast and slow tier), then the gate over both sites.
test: $(STAMP) system-packages
	@$(MAKE) --no-print-directory -s $(NODE_STAMP)
	$(BIN)/invoke test

# The inner loop: everything but the slow tier (no browser, nginx, CLI builds or gate); two
# workers, as nothing in it waits on a server (the third only costs its start here).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -n 2

check: $(STAMP) system-packages
	@$(MAKE) --no-print-directory -s $(NODE_STAMP)
	$(BIN)/invoke check

serve: $(STAMP) node-optional
	$(BIN)/invoke serve $(if $(PORT),-p $(PORT))

publish: $(STAMP)
	$(BIN)/invoke publish

clean:
	rm -rf output .cache reports
