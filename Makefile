VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install demo lint test test-yaml-fallback bench docs dist clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	@bash examples/demo.sh

# ruff, then mypy (settings in pyproject.toml); `make test` runs it first, so CI does too.
lint: install
	$(VENV)/bin/ruff check checker tests benchmarks
	$(VENV)/bin/mypy

test: install lint
	$(PY) -m pytest -q

# The loader and the hostile inputs again with PyYAML's parser instead of yaml-rs (CI runs it after `test`;
# the loader's own tests already run under both parsers in `test`).
test-yaml-fallback: install
	APICOMPAT_YAML=pyyaml $(PY) -m pytest -q tests/unit/test_yaml.py tests/e2e/test_hostile.py \
		tests/e2e/test_hostile_inputs.py tests/e2e/test_plan_policy.py

bench: install
	$(PY) benchmarks/bench_diff.py

docs: install
	$(VENV)/bin/apicompat rules --format markdown > docs/rules.md

# A wheel in dist/ to install elsewhere: pip install dist/apicompat-*.whl (or pipx install dist/apicompat-*.whl).
# Built with the setuptools of .venv (make install puts a recent one there), so it needs no network.
dist: install
	rm -rf dist build
	$(PIP) wheel --no-deps --no-build-isolation -q -w dist .
	rm -rf build
	@ls dist/*.whl

clean:
	rm -rf $(VENV) build dist *.egg-info
