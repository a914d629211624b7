# newsmon: `make demo` sets everything up and runs the pipeline on the sample site; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo airflow docs secrets test lint lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==26.3"
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	$(BIN)/pip check
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: setup
	$(BIN)/newsmon demo

# Airflow on this machine (no Docker) running the monitor on the sample site every hour; Ctrl-C stops it.
airflow: setup
	$(BIN)/newsmon airflow --sample-site

# Fresh secrets for docker-compose.yml in .env (mode 0600); an existing .env is kept unless FORCE=1.
secrets: setup
	$(BIN)/python -m newsmon.deploy secrets $(if $(FORCE),--force)

# The documentation site (MkDocs Material) in ./site
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# Three workers on two cores: the Airflow suites spend much of their time waiting on their services, and a
# third worker fills that time (measured: 8 min 22 s with -n 2's 10 min 32 s, and 8 min 48 s with -n 4).
# Files go to the workers in the order tests/conftest.py gives them (the longest first); without
# --no-loadscope-reorder xdist would hand out the files with the most tests first instead.
test: lint
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=25

# Re-resolve the pins in a scratch venv from pyproject.toml's ranges (needs the package registry).
lock:
	rm -rf /tmp/newsmon-lock && $(PYTHON) -m venv /tmp/newsmon-lock
	/tmp/newsmon-lock/bin/pip install --quiet "pip==26.3" && /tmp/newsmon-lock/bin/pip install --quiet -e '.[dev]'
	{ echo "# Locked dependencies for newsmon (Python 3.11, x86_64 Linux). Regenerate with: make lock"; \
	  /tmp/newsmon-lock/bin/pip freeze --exclude-editable | grep -v '^newsmon'; } > requirements.lock

clean:
	rm -rf $(VENV) .airflow var site .pytest_cache .ruff_cache .mypy_cache
