# Zhenggai — everything a fresh machine needs, in two commands: `make run` and `make test`.
SHELL := /bin/bash
# The interpreter the .venv is made from: the distribution's own Python (/usr/bin/python3, built
# with profile-guided and link-time optimisation, the one docs/deploy.md installs on the server)
# when it is 3.11 or newer and can make a venv; python3 on the PATH otherwise. A version manager's
# default build (pyenv compiles without those optimisations) runs the suite and the parser some
# 10-20 % slower. `make PYTHON=python3.12 …` chooses another; an existing .venv is kept.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in /usr/bin/python3 python3; do \
  $$p -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; exit 0; }; \
  done; echo python3)
endif
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := zhenggai.config.settings
VENDOR := src/zhenggai/static/vendor

.PHONY: run test lint typecheck bench static browser-deps pdf-deps deploy-deps bench-deps wheelhouse messages migrations-check clean

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

# LibreOffice for PDF, poppler for checking PDFs, and free stand-ins for the official 公文 fonts:
# Noto CJK (小标宋/黑体/宋体), AR PL UKai (楷体), Liberation (Times), and the Fandol 仿宋/楷体, which
# Debian ships only inside texlive-lang-chinese: its .deb is unpacked for the fonts alone.
FANDOL_DIR := /usr/local/share/fonts/fandol
pdf-deps:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || [ ! -f $(FANDOL_DIR)/FandolFang-Regular.otf ]; then \
	  echo "Installing LibreOffice, poppler-utils and fonts with apt-get"; \
	  ( apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 >/dev/null \
	    && tmp=$$(mktemp -d) && (cd $$tmp && apt-get download -qq texlive-lang-chinese >/dev/null \
	      && dpkg-deb -x texlive-lang-chinese_*.deb unpacked) \
	    && mkdir -p $(FANDOL_DIR) \
	    && cp $$tmp/unpacked/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol*-Regular.otf $(FANDOL_DIR)/ \
	    && rm -rf $$tmp && fc-cache -f >/dev/null ) \
	  || echo "WARNING: LibreOffice or its fonts could not be installed; PDF output and its tests are skipped"; \
	fi

# nginx, to check the sample site in deploy/nginx with `nginx -t` (tests/ops/test_deploy_files.py).
# Installed only, never started: the test runs it on a configuration of its own.
deploy-deps:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  echo "Installing nginx-light with apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null) \
	    || echo "WARNING: could not install nginx; the check of deploy/nginx is skipped"; \
	fi

# For a closed network: every wheel Zhenggai needs, its own with the built front-end files inside,
# in one folder, the S3 storage extra included (MinIO runs on closed networks too).
# On the server: pip install --no-index --find-links wheelhouse zhenggai (or 'zhenggai[s3]')
wheelhouse: $(VENV)/.installed static
	rm -rf wheelhouse
	$(PIP) wheel --quiet --wheel-dir wheelhouse '.[s3]'
	@echo "wheelhouse/: $$(ls wheelhouse | wc -l) wheels; install with: pip install --no-index --find-links wheelhouse zhenggai"

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy src/zhenggai

# The suite runs on every core (pytest-xdist, each worker with its own test database), at most 4
# workers; `make test TEST_WORKERS=0` runs it in one process. --dist loadfile: a test file runs on one
# worker, so the fixtures its tests share are built once (the corpus printed by LibreOffice, the
# report PDF); the files with the most tests go first. PYTEST_ARGS adds to the command.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; [ $$n -lt 2 ] && n=0; echo $$n)
test: $(VENV)/.installed-test static browser-deps pdf-deps deploy-deps lint typecheck
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# wrk, the load generator of bench/public.py (Debian's package).
bench-deps:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	  || echo "WARNING: could not install wrk; bench/public.py will say so and stop"

bench: $(VENV)/.installed-test bench-deps
	$(PY) bench/ledger.py
	$(PY) bench/dashboard.py
	$(PY) bench/public.py
	$(PY) bench/parse.py
	$(PY) bench/render.py
	$(PY) bench/verify.py
	$(PY) bench/checkpoints.py
	$(PY) bench/import_bomb.py
	$(PY) bench/quality.py

messages: $(VENV)/.installed
	cd src/zhenggai && ../../$(PY) -m django makemessages -l zh_Hans --no-obsolete && ../../$(PY) -m django compilemessages

clean:
	rm -rf $(VENV) node_modules $(VENDOR) build wheelhouse .pytest_cache .ruff_cache .mypy_cache
