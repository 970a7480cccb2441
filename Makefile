# Kollega: the two commands are `make run` and `make test`; everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default keeps its SQLite database and broker queue here (git-ignored).
export KOLLEGA_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint typecheck pytest spec bench bench-availability bench-booking lock clean help

help:
	@echo "make run    serve the API on http://$(HOST):$(PORT) (docs at /docs) with a background worker"
	@echo "make test   lint, type-check and run the whole test suite"
	@echo "make spec   regenerate openapi/kollega.yaml from the code"
	@echo "make bench  run the benchmarks on PostgreSQL (bench-availability, bench-booking)"
	@echo "make lock   re-resolve requirements/*.lock from pyproject.toml"

$(STAMP): requirements/dev.lock pyproject.toml sdk/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e ./sdk
	touch $(STAMP)

# Runs the API and a Celery worker with beat. Without REDIS_URL the worker uses a broker kept in
# files under var/, so background jobs run with no broker server; Ctrl-C stops both.
run: $(STAMP)
	mkdir -p $(KOLLEGA_VAR_DIR)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	trap 'kill 0' EXIT; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/celery -A api worker --beat --loglevel=info --concurrency=1 \
	  --schedule=$(KOLLEGA_VAR_DIR)/celerybeat-schedule & \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

spec: $(STAMP)
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file openapi/kollega.yaml

# The benchmarks, on the PostgreSQL server of DATABASE_URL (default the local one), each in a
# database it creates and drops; see bench/README.md. BENCH_ARGS go to the availability bench,
# BOOKING_BENCH_ARGS to the booking bench.
bench: bench-availability bench-booking

# GET /v1/availability beside a raw-SQL view, at x1 and x4 data.
bench-availability: $(STAMP)
	$(BIN)/python -m bench.availability $(BENCH_ARGS)

# POST /v1/bookings in gunicorn beside a single-INSERT view: random free slots and one hot slot.
bench-booking: $(STAMP)
	$(BIN)/python -m bench.booking $(BOOKING_BENCH_ARGS)

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache staticfiles
