# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

# Compiled catalogues (.mo) are not committed: `make run` and `make test` compile them from the .po.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

.PHONY: run serve test lint install install-dev clean messages translations

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install translations
	$(FLASK) init-db
	$(FLASK) seed-demo --if-empty
	@echo "Demo sign-ins (password: demo-password): admin@demo.org, coordinator@demo.org, worker@demo.org, worker2@demo.org, worker3@demo.org, admin@other.org; client portal at /portal/: client@demo.org, client2@demo.org"
	@echo "Serving on http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production mode: gunicorn with gunicorn.conf.py (workers, threads, time-outs), after migrating.
# Set DATABASE_URL, SECRET_KEY and the rest first (README, Production); GUNICORN_BIND etc. override.
serve: install translations
	$(FLASK) init-db
	$(BIN)/gunicorn -c gunicorn.conf.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Lint, then the whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set
# (REQUIRE_POSTGRES=1, as in CI: a PostgreSQL run that cannot happen or connect fails).
# Two pytest-xdist workers, one a core (TEST_WORKERS=0: one process); on PostgreSQL each worker has
# a database of its own beside TEST_DATABASE_URL's (tests/conftest.py). What does not depend on the
# database runs once, on SQLite: the browser tests (they drive pages the PostgreSQL run requests
# too; the access rules they walk are proven on PostgreSQL's row-level security by
# tests/test_access_rules.py and the access sweep) and each module imported alone.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup
DATABASE_FREE := --ignore=tests/browser --ignore=tests/test_imports.py
test: lint translations
	$(PYTEST) tests
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL (without the tests that do not depend on the database)"; \
		TEST_DATABASE=postgresql $(PYTEST) tests $(DATABASE_FREE); \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "== REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"; exit 1; \
	else echo "== PostgreSQL run skipped: TEST_DATABASE_URL is not set"; fi

# Extract every marked string into messages.pot and merge it into each language's .po.
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext --project OCMS-Flask --no-location --sort-output --no-wrap -o messages.pot .
	$(BIN)/pybabel -q update -i messages.pot -d translations --no-wrap

translations: $(CATALOGUES)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

clean:
	rm -rf $(VENV) .pytest_cache $(CATALOGUES) messages.pot

# wapiti and sqlmap against the app on 127.0.0.1, signed in as a worker (docs/SECURITY.md, "Scanners").
# Slow and not deterministic: not part of `make test`. Reports in scan-reports/. PostgreSQL instead of
# SQLite: SCAN_DATABASE_URL=postgresql://... (an empty database, or SCAN_ARGS=--reset to drop its schema).
.PHONY: scan
scan: install translations
	$(BIN)/python tools/scan.py $(SCAN_ARGS)

# Every benchmark of bench/ on SQLite and PostgreSQL, one summary table (bench/README.md).
# BENCH_SIZE (clients; default 2000: a few minutes), BENCH_REPEAT, BENCH_DATABASES="sqlite postgresql",
# BENCH_ONLY="grids find_client", BENCH_MARKDOWN=file.md; PostgreSQL: BENCH_DATABASE_URL (default a
# scratch database ocms_bench on 127.0.0.1:5432, created and dropped; its schema is dropped per module).
.PHONY: bench
bench: install-dev translations
	$(BIN)/python bench/run.py
