# Zhenggai — everything a fresh machine needs, in two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := zhenggai.config.settings
VENDOR := src/zhenggai/static/vendor

.PHONY: run test lint typecheck bench static browser-deps pdf-deps messages migrations-check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Zhenggai needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

# Front-end packages come from the npm registry (package-lock.json) and are copied into static files.
$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	touch $@

static: $(VENDOR)/.built

run: $(VENV)/.installed static
	$(PY) -m django migrate --noinput
	$(PY) -m django load_demo
	$(PY) -m django collectstatic --noinput --verbosity 0
	@echo "Zhenggai 整改 serves on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@# Beside the web server: the task worker and the daily reminder scheduler, stopped with it.
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT; \
	  $(PY) -m django db_worker & \
	  $(PY) -m django reminder_scheduler & \
	  $(PY) -m django runserver --noreload $(HOST):$(PORT)

# Debian's chromium (for Playwright) with CJK fonts, so that screenshots show Chinese, not boxes.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "Installing chromium and fonts-noto-cjk with apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	    || echo "WARNING: could not install chromium; browser tests will be skipped"; \
	fi

pdf-deps:
	@command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null) || echo "WARNING: LibreOffice not installed"

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy src/zhenggai/core

test: $(VENV)/.installed-test static browser-deps lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(PY) bench/ledger.py
	@if [ -f bench/parse.py ]; then $(PY) bench/parse.py; fi

messages: $(VENV)/.installed
	cd src/zhenggai && ../../$(PY) -m django makemessages -l zh_Hans --no-obsolete && ../../$(PY) -m django compilemessages

clean:
	rm -rf $(VENV) node_modules $(VENDOR) build .pytest_cache .ruff_cache .mypy_cache
