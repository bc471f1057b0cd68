# jianguan — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# What npm installs (ECharts for the leaders' dashboard, axe-core for the browser tests' accessibility checks), from
# package-lock.json.
NODE_STAMP := node_modules/.installed
# ECharts, for the leaders' dashboard: its one built file copied among the static files the platform serves.
ECHARTS_STATIC := jianguan/leaders/static/leaders/vendor
# Settings come from the environment; a local .env (see .env.example) is read when present.
ifneq (,$(wildcard .env))
include .env
export
endif
export JIANGUAN_VAR_DIR ?= $(CURDIR)/var

.PHONY: help install bytecode demo demo-reset test test-sqlite test-postgresql lint bench messages clean

help:
	@echo "make demo        运行演示环境（SQLite，演示数据与账号）http://127.0.0.1:8000"
	@echo "make demo-reset  清空演示数据后重新开始"
	@echo "make test        安装依赖并运行全部测试（SQLite 与 PostgreSQL，含浏览器测试）"
	@echo "make lint        代码检查（ruff、依赖方向、类型检查）"
	@echo "make bench       性能基准，写入 bench/results.json 与 BENCHMARKS.md"

$(STAMP): requirements.lock pyproject.toml
	@python=$$(scripts/find-python) && echo "使用 $$python" && \
	  { [ -x $(PY) ] || $$python -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip sync --quiet -p $(PY) requirements.lock
	$(VENV)/bin/uv pip install --quiet -p $(PY) --no-deps -e .
	@touch $@

# `npm ci` installs exactly the locked versions whenever package.json or package-lock.json changed; as root
# scripts/system-packages first installs Node.js and npm where they are missing.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || scripts/system-packages nodejs npm
	npm ci --no-audit --no-fund --ignore-scripts --silent
	mkdir -p $(ECHARTS_STATIC) && cp node_modules/echarts/dist/echarts.min.js $(ECHARTS_STATIC)/
	@touch $@

install: $(STAMP) $(NODE_STAMP)

# The bytecode of the project and its packages, compiled ahead (only what changed since): where the environment
# forbids writing it at import (PYTHONDONTWRITEBYTECODE), every Python process — each test run, and each command the
# tests start (quality, the pusher, backup and restore, the demo) — would compile Django and the project again.
bytecode: install
	$(PY) -m compileall -q -j0 jianguan provsim devsim bench tests $$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')

# The demo runs as production does (no debug pages, collected static files) but over plain HTTP on this machine,
# without the administrators' second factor.
DEMO_ENV := JIANGUAN_DEBUG=false JIANGUAN_SECURE_COOKIES=false JIANGUAN_SSL_REDIRECT=false \
	JIANGUAN_REQUIRE_SECOND_FACTOR=false
# Rendering 文书 needs Chinese fonts and Pango: without them every character would be stored as a box, for good.
RENDER_PACKAGES := fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0

demo: install
	scripts/system-packages $(RENDER_PACKAGES) mosquitto
	$(DEMO_ENV) $(PY) -m jianguan demo

demo-reset:
	rm -rf "$(JIANGUAN_VAR_DIR)"
	$(MAKE) demo

lint: bytecode
	$(VENV)/bin/ruff check jianguan tests bench provsim devsim
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The two databases' runs side by side (each is one process; the machine has two cores), each run's output printed
# whole when it ends.
test: install lint
	scripts/system-packages
	$(MAKE) --output-sync=target -j2 test-sqlite test-postgresql

test-sqlite: bytecode
	$(PY) -m pytest -q --durations=25

test-postgresql: bytecode
	JIANGUAN_TEST_DB=postgresql $(PY) -m pytest -q --durations=25

bench: install
	scripts/system-packages wrk
	$(PY) -m bench.run $(BENCH_ARGS)

messages: install
	cd jianguan && ../$(VENV)/bin/jianguan makemessages -l en --no-location --no-obsolete -i "migrations/*"
	$(PY) -c "import polib, pathlib; p = pathlib.Path('jianguan/locale/en/LC_MESSAGES'); polib.pofile(str(p / 'django.po')).save_as_mofile(str(p / 'django.mo'))"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find jianguan provsim bench tests -name __pycache__ -prune -exec rm -rf {} +
