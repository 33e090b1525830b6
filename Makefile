# The single entry point for running, testing and checking MijnZaken.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := node_modules/.installed
VENDOR := src/mijnzaken/portal/static/vendor

.PHONY: run test lint lock migrate clean bench bench-notificaties

$(STAMP): requirements.lock pyproject.toml $(ASSETS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The portal's NL Design System stylesheets (and axe-core for the tests), pinned in
# package-lock.json, copied into the folder the portal serves.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/@utrecht/design-tokens/dist/index.css $(VENDOR)/design-tokens.css
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/component-library.css
	touch $(ASSETS)

## run: install, migrate, load the demo data once and serve on http://127.0.0.1:8000
## (the portal's cookies without Secure there: it is plain http)
run: $(STAMP)
	mkdir -p var
	MIJNZAKEN_DEMO=$${MIJNZAKEN_DEMO:-true} MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE=$${MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE:-true} \
		$(BIN)/mijnzaken migrate
	MIJNZAKEN_DEMO=$${MIJNZAKEN_DEMO:-true} MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE=$${MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE:-true} \
		$(BIN)/mijnzaken demo load
	MIJNZAKEN_DEMO=$${MIJNZAKEN_DEMO:-true} MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE=$${MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE:-true} \
		MIJNZAKEN_PORTAL_SECURE_COOKIES=$${MIJNZAKEN_PORTAL_SECURE_COOKIES:-false} \
		$(BIN)/mijnzaken serve --host 127.0.0.1 --port 8000

## test: install and run the whole suite (MIJNZAKEN_TEST_DATABASE_URL picks the database)
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: load-test with wrk (DB=sqlite|postgres, ZAKEN=100000, DOCUMENTEN=100000, QUICK=1,
## or TARGET=url CLIENT_ID=.. SECRET=..)
DB ?= sqlite
ZAKEN ?= 100000
DOCUMENTEN ?= 100000
bench: $(STAMP)
	$(BIN)/python bench/run.py --db $(DB) --zaken $(ZAKEN) --documenten $(DOCUMENTEN) $(if $(QUICK),--quick) \
		$(if $(TARGET),--target $(TARGET) --client-id $(CLIENT_ID) --secret $(SECRET)) $(BENCH_ARGS)

## bench-notificaties: deliveries/s per worker, commit-to-receipt latency, zero lost in an outage
## (DB=sqlite|postgres, QUICK=1, BENCH_ARGS="--count 20000 --outage 180")
bench-notificaties: $(STAMP)
	$(BIN)/python bench/notificaties.py --db $(DB) $(if $(QUICK),--quick) $(BENCH_ARGS)

## lint: formatting, lint rules and types
lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## migrate: bring the configured database to the newest schema
migrate: $(STAMP)
	$(BIN)/mijnzaken migrate

## lock: re-resolve the pinned dependencies (needs uv)
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache node_modules $(VENDOR)
