# Two commands on a fresh machine: `make run` (the main job on the bundled sample) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run serve test bench accuracy reflow fuzz golden clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/xxgk demo

# browse the archive `make run` made (xxgk is .venv/bin/xxgk; `. .venv/bin/activate` puts it on the PATH)
serve: $(STAMP)
	$(BIN)/xxgk serve --data $(or $(DATA),xxgk-data) --port $(or $(PORT),8001)

test: $(STAMP)
	.ci/system-packages
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

accuracy: $(STAMP)
	$(BIN)/python -m bench accuracy

reflow: $(STAMP)
	$(BIN)/python -m bench reflow

fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	$(BIN)/python -m bench.fuzz --minutes $(or $(MINUTES),3)

golden: $(STAMP)
	$(BIN)/python -m tests.golden $(CASE)

clean:
	rm -rf $(VENV)
