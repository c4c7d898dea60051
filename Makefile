# Every target bootstraps .venv itself, so a fresh clone needs nothing but python3.
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled

.PHONY: venv lint format unit integration infra e2e test bench demo local synth layers package-size clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]'
	@# This machine sets PYTHONDONTWRITEBYTECODE, so compile once here rather than on every import.
	$(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null || true
	touch $@

venv: $(VENV)/.installed

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

unit: venv
	$(PYTEST) tests/unit

integration: venv
	$(PYTEST) -n 2 tests/integration

infra: layers
	$(PYTEST) tests/infra

e2e: venv
	$(PYTEST) tests/e2e

test: unit integration infra e2e

bench: venv
	$(PY) bench/run_all.py

demo: venv
	$(PY) -m aremu.demo

local: venv
	$(VENV)/bin/aremu local

layers: venv
	$(PY) scripts/build_deps_layer.py

synth: layers
	$(PY) scripts/synth.py

package-size: layers
	$(PY) scripts/package_size.py

clean:
	rm -rf $(VENV) build cdk.out .pytest_cache .mypy_cache .ruff_cache
