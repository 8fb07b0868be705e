# Two commands: `make run` (serve the app on the embedded default) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Only for the test suite: real deployments set their own (see .env.example).
TEST_ENV := DJANGO_READ_DOT_ENV_FILE=false STATIC_MANIFEST=false DJANGO_DEBUG=false DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-0123456789 \
	ENCRYPTION_KEY=65CzbHDqVsTR1trkDhmnl-uMKCFCvRSq6MQzNohCOxw= SECURE_SSL_REDIRECT=false \
	JOB_RUNNER_AUTOSTART=false

.PHONY: run test lint format install bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

.env:
	$(BIN)/python scripts/make_dev_env.py > .env

run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Style, then the app layers (import-linter contracts in pyproject.toml), then types
# (mypy + django-stubs, whose plugin loads the settings: hence the test environment).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	@for f in bench/[!_]*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

screenshots: install
	$(TEST_ENV) $(BIN)/pytest tests/browser/test_screenshots.py tests/browser/test_live_run.py -m browser --screenshots

clean:
	rm -rf $(VENV) staticfiles
