"""The course's shim designs by name: the registry the `design` knob names."""
from .shim_single import single
from .shim_split import split

DESIGNS = {"single": single, "split": split}
