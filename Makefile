# The two commands of the README: `make lab` and `make test`. Both are safe to
# repeat: every step checks first, says what it does, and does nothing when it is
# already done.
VENV_BIN := .venv/bin

# Python keeps each module's compiled bytecode beside it (__pycache__/, ignored by git),
# even where the environment says not to: the suite starts hundreds of Python processes
# (workers, kernels, the CLI, a processes run's engine, shim and client), and without the
# cache each one compiles the course again, and pytest rewrites every test module's
# asserts again (`make check`: about 2.5 CPU-seconds more per worker's collection alone).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: lab lab-teacher test check lint setup bench student handouts original

# pytest-xdist's workers for `make test` and `make check`. Most tests wait on timers,
# processes, kernels and a browser rather than compute, so they overlap even on two
# cores; tests/worker_groups.py keeps on one worker the tests that share something
# costly (a notebook's run, JupyterLab and Chromium, an autograde) or exclusive.
# Four, not three: the whole suite took 407 s on four against 427 and 439 s on three, run
# quietly one after another (2026-12-03); 341 against 370 s on another day.
PYTEST_WORKERS := -n 4

# Where the hub test's learners' shared environment lives (tests/hub_class.py: HUB_ENV):
# outside the checkout, which learners may not be able to reach.
HUB_TEST_ENV := $(or $(DEADLOCK_HUB_ENV),/var/tmp/deadlock-in-the-wild-hub-$(shell printf %s "$(CURDIR)" | sha256sum | cut -c1-8))

# The virtual environment with the package and its test extras, plus the Debian
# packages the course uses (graphviz is optional: views fall back without it).
setup:
	@scripts/ensure-system-deps.sh python3-venv graphviz
	@scripts/ensure-venv.sh

# The learner's edition: nbgrader's student version of notebooks/, written to
# course/release/deadlock-in-the-wild/ when notebooks/ has changed (course/ is
# the nbgrader course directory; see docs/instructor-guide.md).
# ASSIGNMENTS=weekly cuts the course into the two-week unit of course/weekly.txt instead
# (release/week-1/, release/week-2/); `make lab` and the tests use the one assignment.
EDITION := course/release/deadlock-in-the-wild
ASSIGNMENTS ?= one
student: setup
	@ASSIGNMENTS=$(ASSIGNMENTS) scripts/ensure-learner-edition.sh

# The printable handout (two A4 pages) and the 50-minute lecture's slides, as PDFs in
# build/handouts/, drawn with matplotlib and graphviz from the repository: no network.
handouts: setup
	@echo "==> handouts: build/handouts/handout.pdf and slides.pdf (about 30 s)"
	@$(VENV_BIN)/python -m handouts build/handouts

# JupyterLab at $(1), bound to this machine only, with notebook 00 open; $(2) sets
# its environment. Its kernels listen on Unix sockets in the user's own runtime folder,
# not on TCP ports other users of the machine can reach (lessons/exercises/kernels.py).
# Jupyter refuses to run as root (containers, CI machines) without --allow-root.
FIRST_NOTEBOOK := $(notdir $(firstword $(wildcard notebooks/00-*.ipynb)))
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
define open_lab
	@echo "==> JupyterLab: starting on 127.0.0.1 in $(1)/ with $(FIRST_NOTEBOOK) open (a few seconds)."
	@echo "    Open the address it prints if no browser starts; Ctrl-C twice stops it."
	@$(2) $(VENV_BIN)/jupyter lab --ip 127.0.0.1 --ServerApp.root_dir=$(1) $(ALLOW_ROOT) \
		--KernelManager.transport=ipc --LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK)
endef

# The learner's edition: exercises to do, no solutions. scripts/learner-lab/ turns
# off nbgrader's teacher-side panels (formgrader, courses, assignments), which have no
# course here, and JupyterLab's prompt to fetch news from the internet (a learner may
# still turn news on in Settings); the Validate button stays.
lab: student
	$(call open_lab,$(EDITION),JUPYTER_CONFIG_PATH=$(CURDIR)/scripts/learner-lab)

# The teacher's edition: notebooks/ itself, every exercise with its solution.
lab-teacher: setup
	$(call open_lab,notebooks,)

# The original Go program (original/): Debian's Go packages when missing, then a build
# only when a source changed (original/build.sh; about a minute the first time).
original:
	@scripts/ensure-system-deps.sh go
	@if scripts/ensure-system-deps.sh go >/dev/null; then original/build.sh >/dev/null && \
		echo "==> original: original/build/shim is built"; fi

# The whole suite; the browser test needs Debian's chromium, the SPIN agreement test
# Debian's spin, the class-on-a-hub test npm's configurable-http-proxy and, as root, the
# learners' shared environment (installed here so that CI runs them; skipped where they
# cannot be).
test:
	@scripts/ensure-system-deps.sh python3-venv graphviz chromium spin npm go
	@scripts/ensure-venv.sh
	@scripts/ensure-hub-proxy.sh
	@$(MAKE) --no-print-directory original
	@$(if $(ALLOW_ROOT),hub/setup.sh $(HUB_TEST_ENV),echo "==> shared environment: not root, so the hub test will be skipped")
	@$(MAKE) --no-print-directory lint
	@echo "==> tests: pytest over tests/ on 4 workers (about 5 to 6 minutes on a quiet 2-core machine, far longer on a busy one)"
	@$(VENV_BIN)/python -m pytest $(PYTEST_WORKERS)

# The inner loop, before each commit: every test but those marked slow (the notebooks,
# the browser, grading, SPIN, long runs of real processes), which `make test` runs too.
check: setup lint
	@echo "==> tests: pytest -m 'not slow' on 4 workers (46 to 60 s quiet, up to 3 minutes at a load of 12-15; the tests marked slow are left to make test)"
	@$(VENV_BIN)/python -m pytest $(PYTEST_WORKERS) -q -m "not slow"

# ruff (errors, unused names, import order) over the repository, and mypy over the
# layers in pyproject.toml's [tool.mypy]; both configured in pyproject.toml.
lint:
	@echo "==> lint: ruff check, mypy"
	@$(VENV_BIN)/ruff check .
	@$(VENV_BIN)/mypy

bench: setup
	scripts/ensure-system-deps.sh spin
	$(VENV_BIN)/python benchmarks/run.py
	$(VENV_BIN)/python benchmarks/hot_path_instructions.py
	$(VENV_BIN)/python benchmarks/explore_vs_spin.py
	$(VENV_BIN)/python benchmarks/processes.py
	$(VENV_BIN)/python benchmarks/cases.py
