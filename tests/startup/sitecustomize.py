"""What every Python the suite starts runs first: the test processes, the kernels,
JupyterLab, nbgrader, the hub and what it starts (tests/conftest.py puts this folder on
PYTHONPATH, which they inherit). Only tests/startup/iri_grammar.py's deferral, which
saves each process that imports jsonschema about 2 to 3 CPU-seconds.

(Debian's own sitecustomize, which this one hides, only installs Ubuntu's apport hook.)"""
import iri_grammar

iri_grammar.defer()
