"""The shim designs the `design` knob names: the incident's and its fix.

A design of your own is a `Design` (shim.py) passed as the knob's value; a new named one
is one module beside shim_single.py and shim_split.py and one entry here.
"""
from .shim_single import single
from .shim_split import split

DESIGNS = {"single": single, "split": split}
