# Yishu — set up, run the demo, run the tests. Everything lives in .venv.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup lint bench clean

$(BIN)/yishu: pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "需要 Python 3.11 / Python 3.11 is required ($(PY))"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

setup: $(BIN)/yishu

demo: setup  ## load the demo district into the embedded store and print what is in it
	$(BIN)/yishu demo

test: setup  ## the whole test suite (starts its own Oxigraph stores, Bolt server and HTTP server)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 -q

bench: setup
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) yishu-store .pytest_cache
