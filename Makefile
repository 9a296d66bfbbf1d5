# The two commands of the README: `make demo` and `make test`. Each creates .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install system-deps demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# LibreOffice (.doc/.wps) and Chromium (dashboard tests): installed when root with apt,
# otherwise the tests that need them skip and say why.
system-deps:
	bash scripts/system-deps.sh

demo: install
	$(BIN)/gkwatch demo $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: install system-deps lint typecheck unit

bench: install
	$(BIN)/python benchmarks/parse_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
