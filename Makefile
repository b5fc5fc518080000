# Two entry points: `make demo` (fresh machine -> the main job on examples/articles) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_HOME ?= demo-data/workspace

.PHONY: demo test test-postgres lint clean

$(BIN)/hague: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/hague
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The main job: preserve and read the bundled examples, check custody, write the dossier.
demo: $(BIN)/hague
	rm -rf demo-data
	HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague init
	HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague add examples/articles
	HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague items
	HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague verify
	HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague report --out demo-data/dossier.html
	@echo
	@echo "The team's workspace in the browser, on this demo workspace:"
	@echo "  HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague user add admin --role admin"
	@echo "  HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague case create 'Demo' --lead admin && HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague case add demo --all"
	@echo "  HAGUE_HOME=$(DEMO_HOME) $(BIN)/hague serve      # then open http://127.0.0.1:8000/"

test: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -n auto

# The same suite with every test workspace on its own database of a throwaway PostgreSQL server (needs Debian's
# postgresql package; .ci/run installs it).
test-postgres: $(VENV)/.dev
	$(BIN)/python -m tests.pgserver -- $(BIN)/pytest -n auto

clean:
	rm -rf $(VENV) demo-data hague-data
