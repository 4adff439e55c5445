PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve convert test lint bench score clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Serve FHIR R5 at http://127.0.0.1:8080/fhir with the bundled example loaded.
serve: $(STAMP)
	$(BIN)/fhir-adapter serve --db fhir-adapter.sqlite --load fhir_adapter/examples/cellex.txt --host 127.0.0.1 --port 8080

## Convert the bundled example monograph and print its FHIR R5 Bundle.
convert: $(STAMP)
	$(BIN)/fhir-adapter convert fhir_adapter/examples/cellex.txt

## Lint and run the test suite.
test: $(STAMP)
	$(BIN)/ruff check fhir_adapter tests benchmarks
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/convert.py

## Score the converter against the shared answer keys (needs ../shared).
score: $(STAMP)
	$(BIN)/python ../shared/tools/score_facts.py --cmd '$(BIN)/fhir-adapter convert {txt}' -v ../shared/monographs

clean:
	rm -rf $(VENV) build *.egg-info
