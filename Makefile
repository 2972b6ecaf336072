VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install demo test bench docs clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	@bash examples/demo.sh

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/bench_diff.py

docs: install
	$(VENV)/bin/apicompat rules --format markdown > docs/rules.md

clean:
	rm -rf $(VENV) build *.egg-info
