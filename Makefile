# The few commands a person needs. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Where `make run` serves the site; the links it writes (invitations, e-mails, feeds) start there.
RUN_ADDRESS ?= 127.0.0.1:8000
RUN_ENV := DEBUG=1 ENT_SITE_URL=http://$(RUN_ADDRESS)

.PHONY: run test test-quick lint format messages worker beat totp backup restore load bench bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

## messages: compile locale/ (our French for third-party strings) to .mo files: with GNU gettext's
## msgfmt through Django's compilemessages (as CI does), else with the polib package
messages: $(VENV)/.runtime
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --locale fr --ignore .venv --ignore var --ignore media --ignore staticfiles -v 0; \
	else \
		$(BIN)/python -c 'import glob, polib; [polib.pofile(po).save_as_mofile(po[:-3] + ".mo") for po in glob.glob("locale/*/LC_MESSAGES/*.po")]'; \
	fi

## run: install, migrate, load the demo data and serve http://127.0.0.1:8000 (SQLite, tasks inline)
##      (another address: make run RUN_ADDRESS=127.0.0.1:8080; ENT_SITE_URL follows it)
run: $(VENV)/.runtime messages
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "Les e-mails envoyés sont écrits dans var/mail/."
	$(RUN_ENV) $(BIN)/python manage.py runserver $(RUN_ADDRESS)

## test: install the test tools and run the whole suite
test: $(VENV)/.dev messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-quick: the suite without the slow tests (browser, real services, heavy data), while you work
test-quick: $(VENV)/.dev messages
	$(BIN)/python -m pytest -m "not slow and not browser and not services" $(PYTEST_ARGS)

## lint: what CI checks besides the tests
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## totp: the current two-factor code of the demo district team and admin accounts
totp: $(VENV)/.runtime
	@DEBUG=1 $(BIN)/python manage.py demo_totp

## worker, beat: a real Celery worker and scheduler (need REDIS_URL)
worker: $(VENV)/.runtime
	$(BIN)/celery -A ent worker -Q default,email,media -l info

beat: $(VENV)/.runtime
	$(BIN)/celery -A ent beat -l info

## backup: the database (pg_dump, custom format) and every media file, in a new folder of
##         ENT_BACKUP_DIR (default var/sauvegardes); restore: make restore BACKUP=<that folder>
backup: $(VENV)/.runtime
	$(BIN)/python manage.py backup

restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || (echo "make restore BACKUP=<dossier de la sauvegarde>" && exit 1)
	$(BIN)/python manage.py restore "$(BACKUP)"

## load: 50 simulated people for 60 s against a site on loopback (LOAD_URL, default make run's);
##       prints p50/p95 per page and the error count (see README)
LOAD_URL ?= http://$(RUN_ADDRESS)
load: $(VENV)/.dev
	$(BIN)/python bench/load.py --url $(LOAD_URL)

## bench: the main pages at district and académie scale against an ideal page, on PostgreSQL,
##        Redis and gunicorn (BENCH_POSTGRES, BENCH_REDIS_URL; BENCH_ARGS=--scale 0.1 for a quick run;
##        see bench/README.md)
BENCH_ARGS ?=
bench: $(VENV)/.runtime messages
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

## bench-search: the search page at académie scale (the index rebuilt), p50/p95 per search and its
##               queries, on PostgreSQL, Redis and gunicorn (BENCH_ARGS=--scale 0.1 for a quick run;
##               see bench/README.md)
bench-search: $(VENV)/.runtime messages
	$(BIN)/python bench/search.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
