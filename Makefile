# The two commands of the README: `make lab` and `make test`. Both are safe to
# repeat: every step checks first and does nothing when it is already done.
VENV_BIN := .venv/bin

.PHONY: lab test setup bench student

# The virtual environment with the package and its test extras, plus the Debian
# packages the course uses (graphviz is optional: views fall back without it).
setup:
	scripts/ensure-system-deps.sh python3-venv graphviz
	scripts/ensure-venv.sh

# Open the course in JupyterLab, bound to this machine only, at notebook 00 (also
# the address it prints). Jupyter refuses to run as root (containers, CI
# machines) without --allow-root.
FIRST_NOTEBOOK := $(notdir $(firstword $(wildcard notebooks/00-*.ipynb)))
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: setup
	$(VENV_BIN)/jupyter lab --ip 127.0.0.1 --ServerApp.root_dir=notebooks $(ALLOW_ROOT) \
		--LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK)

# The whole suite; the browser test needs Debian's chromium.
test:
	scripts/ensure-system-deps.sh python3-venv graphviz chromium
	scripts/ensure-venv.sh
	$(VENV_BIN)/python -m pytest

bench: setup
	$(VENV_BIN)/python benchmarks/run.py
	$(VENV_BIN)/python benchmarks/processes.py

# The student edition: every notebook with solution cells emptied, outputs stripped.
student: setup
	$(VENV_BIN)/python -m lessons.exercises.student student
