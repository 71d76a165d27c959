# The two commands: `make run` and `make test`. Everything they need they install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock
# The editable install is strict (a tree of links), so adding or removing a module must
# reinstall: directories change their mtime exactly then.
# Cytoscape.js and d3-force load the /graph answers in the tests, as the tools would.
JS     := tests/traversal/js
# The pages' libraries (YASGUI, Cytoscape.js, Swagger UI, Redoc) come from npm, pinned by
# api/web's lock file; the files the server serves are copied to api/web/vendor.
WEB    := api/web
VENDORED := @zazuko/yasgui/build/yasgui.min.js @zazuko/yasgui/build/yasgui.min.css \
	cytoscape/dist/cytoscape.min.js swagger-ui-dist/swagger-ui-bundle.js \
	swagger-ui-dist/swagger-ui.css redoc/bundles/redoc.standalone.js
# Compiled modules are kept, whatever the machine's environment says: each of the servers
# and workers the tests start would otherwise compile the sources again.
unexport PYTHONDONTWRITEBYTECODE
PACKAGE_DIRS := $(shell find src/accordkg api ontology queries -name node_modules -prune -o -type d -not -name __pycache__ -print)

.PHONY: run test typecheck pytest java virtuoso node chromium lock clean bench-extraction bench-sparql bench-graph bench-dumps bench-starvation bench-replicas bench-light bench-scale bench-browser

run: $(VENV)/.run
	$(BIN)/accordkg build
	$(BIN)/accordkg serve --host $(HOST) --port $(PORT)

# mypy runs beside the tests: alone it would keep one of the two cores idle. The test
# files go to four worker processes, the longest first (tests/conftest.py guesses): much
# of a test's time is spent waiting for a server it started, so two per core keep both busy.
test: $(VENV)/.test java virtuoso chromium $(JS)/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory -j2 typecheck pytest

typecheck: $(VENV)/.test
	$(BIN)/mypy

pytest: $(VENV)/.test java virtuoso chromium $(JS)/node_modules/.installed
	$(BIN)/pytest -n 4 --dist loadfile --no-loadscope-reorder

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run: pyproject.toml requirements.lock $(PACKAGE_DIRS) $(WEB)/vendor/.installed | $(BIN)/python
	$(PIP) -e . --config-settings editable_mode=strict
	touch $@

$(VENV)/.test: pyproject.toml requirements.lock $(PACKAGE_DIRS) $(WEB)/vendor/.installed | $(BIN)/python
	$(PIP) -e '.[test]' --config-settings editable_mode=strict
	touch $@ $(VENV)/.run

# Benchmarks are not tests: run them on purpose; --write records them in bench/RESULTS.md.
# pySHACL, the reference validator measured against, comes with the test extra.
bench-extraction: $(VENV)/.test
	$(BIN)/python bench/extraction.py --write

# rdflib-endpoint, the peer measured against, lives in a venv of its own.
bench-sparql: $(VENV)/.test .bench-venv/bin/rdflib-endpoint
	$(BIN)/python bench/sparql.py --write

bench-graph: $(VENV)/.run
	$(BIN)/python bench/graph.py --write

bench-dumps: $(VENV)/.test
	$(BIN)/python bench/dumps.py --write

# oxigraph serve, the peer measured against, comes with the test extra.
bench-starvation: $(VENV)/.test
	$(BIN)/python bench/starvation.py --write

# What replicas on a remote store cost it to notice changes, on oxigraph serve.
bench-replicas: $(VENV)/.test
	$(BIN)/python bench/replicas.py --write

# Light queries beside the HTTP floor and oxigraph serve (which comes with the test extra).
bench-light: $(VENV)/.test
	$(BIN)/python bench/light.py --write

# The workbench's and the explorer's time to interactive in headless Chromium.
bench-browser: $(VENV)/.test chromium
	$(BIN)/python bench/browser.py --write

# A restarted server at 1M and 10M triples beside oxigraph serve: about an hour on 2 cores.
# A quick run: $(BIN)/python bench/scale.py --sizes 100000
bench-scale: $(VENV)/.test
	$(BIN)/python bench/scale.py --write

.bench-venv/bin/rdflib-endpoint:
	$(PYTHON) -m venv .bench-venv
	.bench-venv/bin/pip install --quiet --disable-pip-version-check rdflib-endpoint==0.6.3 uvicorn==0.54.0

$(WEB)/vendor/.installed: $(WEB)/package.json $(WEB)/package-lock.json | node
	npm ci --prefix $(WEB) --no-audit --no-fund --silent
	mkdir -p $(WEB)/vendor
	cd $(WEB)/node_modules && cp $(VENDORED) ../vendor/
	# Redoc draws its maker's logo from their CDN: ours instead, served here.
	sed -i 's|https://cdn.redoc.ly/redoc/logo-mini.svg|/assets/favicon.svg|' $(WEB)/vendor/redoc.standalone.js
	touch $@

$(JS)/node_modules/.installed: $(JS)/package.json $(JS)/package-lock.json | node
	npm ci --prefix $(JS) --no-audit --no-fund --silent
	touch $@

# HermiT, the OWL reasoner the ontology tests use, runs on Java.
java:
	@command -v java >/dev/null || { \
	  echo "installing Java (default-jre-headless) for the HermiT reasoner"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless; }

# Node.js and npm install the pages' libraries (and the graph-format checks' ones).
node:
	@command -v npm >/dev/null || { \
	  echo "installing Node.js and npm for the browser pages' libraries"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }

# Chromium, the browser the pages are tested in (driven by Playwright from the test extra).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Virtuoso Open Source, the second SPARQL server the remote store mode is tested on.
virtuoso:
	@command -v virtuoso-t >/dev/null || { \
	  echo "installing Virtuoso Open Source (virtuoso-opensource-7-bin) for the remote-store tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq virtuoso-opensource-7-bin; }

# Re-pin every dependency after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade -e '.[test]' --config-settings editable_mode=strict
	$(BIN)/pip freeze --exclude-editable | grep -v '^accordkg' > requirements.lock

clean:
	rm -rf $(VENV) var build src/*.egg-info $(WEB)/vendor $(WEB)/node_modules
