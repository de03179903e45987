# nbgrader's configuration for the Validate button of `make lab` (which puts this folder on
# JUPYTER_CONFIG_PATH): the course's own, so Validate runs the checks as autograde does
# (the same time allowed per cell).
load_subconfig("../../course/nbgrader_config.py")  # noqa: F821 (traitlets provides it)
