# Two commands on a fresh machine:
#   make book   virtual environment + install + HTML (_build/html) + PDF (_build/latex/book.pdf)
#   make test   the same set-up, then the test suite
# Other targets: make lab (the chapters in JupyterLab), make html, make pdf, make student (the edition
# without solutions), make repository (after changing the repository's address), make system,
# make setup, make clean, make bench.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VENV ?= .venv
BIN := $(VENV)/bin
# Binder runs the Python of runtime.txt (3.11): the virtual environment is made with the same Python
# where it is installed and runs (python3.11), else with python3, or with PYTHON=...; making it says which.
RUNTIME_PYTHON := $(patsubst python-%,%,$(strip $(shell cat runtime.txt)))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(if $(shell python$(RUNTIME_PYTHON) -c '' >/dev/null 2>&1 && echo yes),python$(RUNTIME_PYTHON),python3)
endif
# pip installs again only when a requirement file is newer than this stamp.
STAMP := $(VENV)/.pansec-installed

# jupyter-book writes into $(OUTDIR)/_build/{html,latex}; tests point OUTDIR at a temporary folder.
OUTDIR ?= .
BUILD := $(OUTDIR)/_build
PDF := $(BUILD)/latex/book.pdf
# Two builds of one commit give the same pages: dates in the book come from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

# The landing page links to this name (book/index.md).
PDF_IN_HTML := $(BUILD)/html/_static/pan-european-security.pdf
# The seminar's worksheets, each a PDF of its own (book/_ext/worksheets.py adds them to latex_documents),
# linked from their pages as _static/worksheet-N.pdf.
WORKSHEETS := $(patsubst book/%.md,%,$(wildcard book/worksheet-*.md))
# Copy the PDFs that exist into the HTML's _static, where the pages link to them: $(call pdfs_into_html,BUILD).
define pdfs_into_html
mkdir -p $(1)/html/_static && cp $(1)/latex/book.pdf $(1)/html/_static/$(notdir $(PDF_IN_HTML)) && \
for sheet in $(WORKSHEETS); do if [ -f $(1)/latex/$$sheet.pdf ]; then cp $(1)/latex/$$sheet.pdf $(1)/html/_static/; fi; done
endef

# Warnings are errors (-W); nitpicky (-n) so that a broken cross-reference fails too; keep going
# to report every warning of a build at once rather than the first.
JB := $(BIN)/jupyter-book
JB_FLAGS := -W -n --keep-going

# What the PDF (and the browser tests) need from Debian. About 110 MB without chromium.
APT_PACKAGES := texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended \
                fonts-freefont-otf poppler-utils chromium

# The accessibility tests' pinned axe-core, from the npm registry.
NODE_STAMP := tests/browser/node_modules/.package-lock.json

# The student edition (`make student`): the same book without the solutions of the exercises or the
# teacher's notes (book/_ext/editions.py), in a folder of its own with its own executed chapters.
STUDENT_OUT := $(BUILD)/student
STUDENT := $(STUDENT_OUT)/_build

.PHONY: book html pdf pdf-if-tex student repository test system setup clean bench lab

book: html pdf-if-tex

# Live Code's scripts (thebe, and the RequireJS it needs for widgets), served from the book's own
# _static/thebe (book/_ext/live_code.py): npm tarballs checked against pinned hashes, unpacked into the venv.
THEBE_STAMP := $(VENV)/.pansec-thebe-installed

# The Explore page's chronology draws with Observable Plot and the d3 modules it needs, served from the
# book's own _static/chronology (book/_ext/chronology.py): npm tarballs checked against pinned hashes.
CHRONOLOGY_STAMP := $(VENV)/.pansec-chronology-installed

# Python writes no bytecode where PYTHONDONTWRITEBYTECODE is set, as it is in many containers; pip
# compiles what it installs, but not an editable package. Compiled here (in 0.05 s when nothing
# changed), pansec and the book's extensions are not compiled again from source by every chapter's
# kernel and every build, which cost each chapter about 0.1 s.
setup: system $(STAMP) $(THEBE_STAMP) $(CHRONOLOGY_STAMP)
	@$(BIN)/python -m compileall -q pansec book/_ext

$(THEBE_STAMP): book/_ext/live_code.py | $(BIN)/python
	$(BIN)/python book/_ext/live_code.py
	touch $@

$(CHRONOLOGY_STAMP): book/_ext/chronology.py | $(BIN)/python
	$(BIN)/python book/_ext/chronology.py
	touch $@

$(BIN)/python:
	@$(PYTHON) -c 'import platform; v = platform.python_version(); print(f"make: making $(VENV) with $(PYTHON) (Python {v})" + ("" if v.startswith("$(RUNTIME_PYTHON).") else "; Binder runs Python $(RUNTIME_PYTHON), runtime.txt"))'
	$(PYTHON) -m venv $(VENV)

# postBuild is Binder's own step after the install; running it here gives `make lab` the same JupyterLab.
$(STAMP): requirements.txt pyproject.toml postBuild | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -e '.[test]'
	PATH="$(abspath $(BIN)):$$PATH" sh postBuild
	touch $@

# Install the Debian packages that are missing, as root with apt-get; otherwise say exactly what
# to install. Never fails: without TeX the HTML still builds and `make book` skips the PDF.
system:
	@if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then \
	  missing=""; \
	  for pkg in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" \
	      || missing="$$missing $$pkg"; \
	  done; \
	  if [ -z "$$missing" ]; then exit 0; fi; \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "The PDF and the browser tests need Debian packages that are missing. As root, run:"; \
	    echo "  apt-get update && apt-get install -y --no-install-recommends$$missing"; \
	  fi; \
	else \
	  for tool in xelatex latexmk pdftotext chromium; do \
	    command -v "$$tool" >/dev/null || echo "Missing $$tool. The PDF needs XeLaTeX with latexmk, the \
	LaTeX extra packages and the GNU FreeFont OpenType fonts; the tests need pdftotext (poppler) and chromium."; \
	  done; \
	fi

# The chapters as notebooks, for a seminar working locally: JupyterLab (with MyST, so the prose shows
# its computed values after Run All) in the book's environment, opened on the first chapter. It asks
# nothing of the network: no news, no update check (postBuild, which setup runs as Binder does).
LAB_PORT ?= 8888
# JupyterLab refuses to run as root unless told to (containers, some classroom machines).
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter-lab --ServerApp.root_dir=. --ServerApp.port=$(LAB_PORT) $(LAB_ROOT) book/introduction.ipynb

html: setup
	$(JB) build . --path-output $(OUTDIR) $(JB_FLAGS)
	@if [ -f $(PDF) ]; then $(call pdfs_into_html,$(BUILD)); fi

# The PDF alone. It shares the execution cache with the HTML, so after `make html` no chapter runs again.
pdf: setup
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null || { \
	  echo "make pdf: xelatex and latexmk are missing; see the output of 'make system' above." >&2; exit 1; }
	$(JB) build . --builder pdflatex --path-output $(OUTDIR) $(JB_FLAGS)
	test -s $(PDF)
	for sheet in $(WORKSHEETS); do test -s $(BUILD)/latex/$$sheet.pdf; done
	@if [ -d $(BUILD)/html ]; then $(call pdfs_into_html,$(BUILD)); fi

# `make book` builds the PDF where TeX is installed and otherwise says why it did not.
pdf-if-tex: html
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null; then \
	  $(MAKE) --no-print-directory pdf; \
	else \
	  echo "No PDF: XeLaTeX is not installed (see 'make system'). The HTML is in $(BUILD)/html."; \
	fi

# HTML in $(STUDENT)/html, PDF in $(STUDENT)/latex/book.pdf (also in the HTML's _static, as for the book).
student: setup
	PANSEC_EDITION=student $(JB) build . --path-output $(STUDENT_OUT) $(JB_FLAGS)
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null; then \
	  PANSEC_EDITION=student $(JB) build . --builder pdflatex --path-output $(STUDENT_OUT) $(JB_FLAGS) && \
	  test -s $(STUDENT)/latex/book.pdf && $(call pdfs_into_html,$(STUDENT)); \
	else \
	  echo "No student PDF: XeLaTeX is not installed (see 'make system'). The HTML is in $(STUDENT)/html."; \
	fi

# The repository's address is set in _config.yml (repository.url); this copies it into the files that
# cannot read that file (README.md, CITATION.cff, pyproject.toml, LICENSE-CONTENT.md). A fork runs it once.
repository: | $(BIN)/python
	$(BIN)/python book/_ext/repository.py

$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; \
	else \
	  echo "npm is missing: the accessibility tests need Node.js and npm (Debian: nodejs npm)."; \
	fi

test: setup $(NODE_STAMP)
	$(BIN)/python -m pytest

# Lighthouse, for `make bench` only (benchmarks/lighthouse.py): pinned in benchmarks/package-lock.json.
BENCH_NODE_STAMP := benchmarks/node_modules/.package-lock.json

$(BENCH_NODE_STAMP): benchmarks/package.json benchmarks/package-lock.json
	npm ci --prefix benchmarks --no-audit --no-fund --loglevel=error

# Where time and bytes go, each beside its floor (benchmarks/bench.py; README, 'Performance').
# Not part of `make test`: it builds the book and its floor several times over, about 10 minutes.
bench: setup $(BENCH_NODE_STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf $(BUILD) .pytest_cache .hypothesis
