"""rfc3987_syntax's grammar built on first use rather than on import.

jupyter-events asks for jsonschema[format-nongpl], which installs rfc3987_syntax; when
jsonschema is imported it imports rfc3987_syntax for its "iri" format check, and that
builds three Earley parsers from the RFC's grammar: 2 s on a quiet 2-core machine, 10-15 s
on a busy one (3.3 CPU-seconds, against 0.35 without it). nbformat imports jsonschema, so
every test process paid it at collection, and so did every nbgrader command, JupyterLab
and the hub, though nothing the suite does checks an IRI. `defer()`, called before anything imports jsonschema, puts a
stand-in in its place whose `is_valid_syntax` (the one name jsonschema takes from it)
imports the real module the first time it is called and hands every call on to it."""
import importlib
import importlib.util
import sys
import types

NAME = "rfc3987_syntax"


def defer():
    if NAME in sys.modules or importlib.util.find_spec(NAME) is None:
        return
    loaded = []

    def real():
        if not loaded:
            del sys.modules[NAME]
            loaded.append(importlib.import_module(NAME))
        return loaded[0]

    stand_in = types.ModuleType(NAME, __doc__)
    stand_in.is_valid_syntax = lambda term, value: real().is_valid_syntax(term, value)

    def __getattr__(name):     # any other name the module has: the real one's
        if name.startswith("__"):   # the import system's questions (is it a package?)
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.__getattr__ = __getattr__
    sys.modules[NAME] = stand_in
