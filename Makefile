# Scale Playground. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.package-lock.json
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
BUNDLE := static/dist/main.js
# The editor's style sheets, minified one for one (static/css -> static/dist/css).
STYLES := $(patsubst static/css/%,static/dist/css/%,$(filter-out static/css/live.css,$(wildcard static/css/*.css)))
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test setup bundle migrate warm chromium fonts nginx cluster bench lint format clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# No warm step: the server answers at once and compiles the engine in the background (playground/sim/warmup.py).
run: setup fonts migrate ## Set up, then serve on http://127.0.0.1:8000 with daphne
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) playground.asgi:application

test: setup chromium nginx warm ## Set up, then run the whole test suite, browser tests included
	$(VENV)/bin/pytest

setup: $(INSTALLED) $(NODE_INSTALLED) $(MESSAGES) $(BUNDLE) $(STYLES) ## Create the virtual environment, install the pinned Python and npm packages, compile translations, bundle the scripts

$(INSTALLED): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# npm ci writes node_modules/.package-lock.json, so it runs again only when package-lock.json is newer.
$(NODE_INSTALLED): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

bundle: $(BUNDLE) $(STYLES) ## Bundle and minify the page's scripts (static/js) into static/dist, with a source map, and minify the editor's style sheets

# The page loads one minified file; the libraries (uPlot) stay outside it and load on their own.
$(BUNDLE): $(NODE_INSTALLED) $(shell find static/js -name '*.js')
	node_modules/.bin/esbuild static/js/main.js --bundle --minify --format=esm --target=es2022 --sourcemap \
	  --external:'../vendor/*' --log-level=warning --outfile=$@

# Minified, the style sheets keep the page's own files within the bundle goal (tests/browser/test_bundle.py).
static/dist/css/%.css: static/css/%.css $(NODE_INSTALLED)
	node_modules/.bin/esbuild $< --minify --log-level=warning --outfile=$@

# Translations are compiled from the .po files in the repository; msgfmt comes with Debian's gettext.
locale/%.mo: locale/%.po $(INSTALLED)
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	msgfmt --check-format -o $@ $<

migrate: setup ## Create or update the database and load the lessons (lessons/*.json) into it
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_lessons

warm: setup ## Compile the engine's kernels into numba's cache
	$(PY) manage.py warm_engine

chromium: fonts ## Install Debian's Chromium for the browser tests where it is missing (as root)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' for the browser tests." >&2; exit 1; fi; \
	fi

# Debian's nginx, without letting its package start a server of its own on port 80.
nginx: ## Install Debian's nginx for `make cluster` and its tests, where missing (as root)
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    printf '#!/bin/sh\nexit 101\n' > /tmp/playground-policy-rc.d && chmod +x /tmp/playground-policy-rc.d; \
	    [ -e /usr/sbin/policy-rc.d ] || cp /tmp/playground-policy-rc.d /usr/sbin/policy-rc.d; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; \
	    cmp -s /tmp/playground-policy-rc.d /usr/sbin/policy-rc.d && rm -f /usr/sbin/policy-rc.d; true; \
	  else echo "nginx is missing: run 'sudo apt-get install nginx-light' for make cluster." >&2; exit 1; fi; \
	fi

cluster: setup nginx warm ## Several daphne processes on PostgreSQL and Redis behind nginx, on http://127.0.0.1:8080
	$(PY) deploy/cluster.py --processes $(or $(PROCESSES),2) --port $(or $(CLUSTER_PORT),8080)

fonts: ## Install a Korean font (Debian's fonts-nanum) for pages and link previews, where missing (as root)
	@if [ ! -d /usr/share/fonts/truetype/nanum ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum; \
	  else echo "No Korean font: 'sudo apt-get install fonts-nanum' shows Korean text in previews." >&2; fi; \
	fi

bench: setup ## Measure the engine's speed as ratios, a live class with 200 students, the editor's frame times and script size
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_simpy.py
	$(PY) bench/bench_live.py --students 200 --seconds 60
	$(PY) bench/bench_soak.py --watchers 500 --minutes 10
	$(PY) bench/bench_render.py

lint: setup ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the virtual environment, caches and the local database
	rm -rf $(VENV) db.sqlite3 staticfiles static/dist .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
