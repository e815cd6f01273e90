# The index of commands. `make run` and `make test` install everything they need.
SHELL := /bin/bash
PORT ?= 8000
# uv from PATH, or the module pip installed (evaluated when used, after install-python).
UV = $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY = $(UV) run --frozen
PGDIR := /tmp/isp-portal-pg-$(shell id -u)-$$PPID
DEMO_ENV := DEBUG=1 DEMO_MODE=1 SECURE_COOKIES=0 PORTAL_BASE_URL=http://127.0.0.1:$(PORT)

.PHONY: run test install install-python install-frontend install-system lint format migrate demo demo-code bench

install: install-python install-frontend

install-python:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  python3 -m pip install --quiet uv || \
	  python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen --quiet

install-frontend:
	@test -d node_modules/govuk-frontend || npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

install-system:
	bash scripts/install-system.sh

migrate:
	$(DEMO_ENV) $(PY) python manage.py migrate --noinput
	$(DEMO_ENV) $(PY) python manage.py loaddata fixtures/organisations.json fixtures/legislation.json

demo: migrate
	$(DEMO_ENV) $(PY) python manage.py demo_data

# The code the demo accounts' shared authenticator key shows now (demo mode only).
demo-code:
	@$(DEMO_ENV) $(PY) python manage.py demo_code

# The portal and a task worker (emails, reminders, escalations) side by side; Ctrl-C stops both.
run: install migrate demo
	@echo "ISP Portal: http://127.0.0.1:$(PORT)/  (demo mode, SQLite, with a task worker)"
	@echo "Demo sign-in: password demo-isp-portal-2026, then a code from the demo key"
	@echo "  NFZXALLQN5ZHIYLMFVSGK3LPFVXW43DZ (add it to an authenticator app) or 'make demo-code'"
	@$(DEMO_ENV) setsid .venv/bin/python manage.py qcluster & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) python manage.py runserver 127.0.0.1:$(PORT)

lint:
	$(PY) ruff check .
	$(PY) ruff format --check isp_portal governance requests_app consent ui documents tests benchmarks
	$(PY) lint-imports

format:
	$(PY) ruff format isp_portal governance requests_app consent ui documents tests benchmarks
	$(PY) ruff check --fix .

test: install install-system lint
	DEBUG=1 $(PY) python manage.py makemigrations --check --dry-run
	@set -e; dir=$$(mktemp -d /tmp/isp-portal-pg.XXXXXX); \
	url=$$(bash scripts/pg-test.sh start $$dir/pg); \
	trap "bash scripts/pg-test.sh stop $$dir/pg" EXIT; \
	echo "PostgreSQL for tests (as the portal's role, isp_app): $$url"; \
	DATABASE_URL=$$url DEBUG=0 SECRET_KEY=test-only-secret-key SECURE_COOKIES=1 SECURE_SSL_REDIRECT=0 \
	  $(PY) pytest $(PYTEST_ARGS)

# The benchmarks load generated data as the schema's owner (the URL without `?assume_role=`).
bench: install install-system
	@set -e; dir=$$(mktemp -d /tmp/isp-portal-pg.XXXXXX); \
	url=$$(bash scripts/pg-test.sh start $$dir/pg); url=$${url%%\?*}; \
	trap "bash scripts/pg-test.sh stop $$dir/pg" EXIT; \
	DATABASE_URL=$$url DEBUG=0 SECRET_KEY=bench-only-secret-key SECURE_SSL_REDIRECT=0 $(PY) python benchmarks/audit.py; \
	DATABASE_URL=$$url DEBUG=0 SECRET_KEY=bench-only-secret-key SECURE_SSL_REDIRECT=0 $(PY) python benchmarks/pdf.py; \
	DATABASE_URL=$$url DEBUG=0 SECRET_KEY=bench-only-secret-key SECURE_SSL_REDIRECT=0 $(PY) python benchmarks/casework.py
