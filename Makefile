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

VENDOR := api/static/vendor
# front-end libraries at the versions package-lock.json pins, copied where the server serves them
$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "需要 npm / npm is required (Debian: apt-get install npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/cytoscape $(VENDOR)/axe-core $(VENDOR)/react \
	  $(VENDOR)/js-cookie $(VENDOR)/graphiql $(VENDOR)/graphiql-explorer $(VENDOR)/swagger-ui
	cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE $(VENDOR)/cytoscape/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE $(VENDOR)/axe-core/
	cp node_modules/react/umd/react.production.min.js node_modules/react-dom/umd/react-dom.production.min.js \
	  node_modules/react/LICENSE $(VENDOR)/react/
	cp node_modules/js-cookie/dist/js.cookie.min.js node_modules/js-cookie/LICENSE $(VENDOR)/js-cookie/
	cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css \
	  node_modules/graphiql/LICENSE $(VENDOR)/graphiql/
	cp node_modules/@graphiql/plugin-explorer/dist/index.umd.js \
	  node_modules/@graphiql/plugin-explorer/dist/style.css $(VENDOR)/graphiql-explorer/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	  node_modules/swagger-ui-dist/favicon-32x32.png node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui/
	@touch $@

setup: $(BIN)/yishu $(VENDOR)/.installed

demo: setup  ## load the demo district and serve the web catalog at http://127.0.0.1:8000/ (Ctrl-C stops it)
	$(BIN)/yishu serve --demo --access-config api/access.yaml --insecure-demo

test: setup  ## the whole test suite (starts its own Oxigraph stores, Bolt server and HTTP server)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 -q

bench: setup
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) yishu-store .pytest_cache node_modules $(VENDOR)
