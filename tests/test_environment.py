"""environment.yml (conda, JupyterHub) and .binder/environment.yml (Binder) must
install what pyproject.toml installs, so every route gives learners the same course."""
import sys

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tests.paths import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

# conda-forge name -> PyPI name, where they differ.
CONDA_TO_PYPI = {"python-graphviz": "graphviz"}
# Tools of the environment itself, not dependencies of the course.
CONDA_ONLY = {"pip"}


def pyproject_requirements() -> dict[str, SpecifierSet]:
    """PyPI name -> version constraint, from pyproject.toml, plus python itself."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = {"python": SpecifierSet(project["requires-python"])}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        requirements[requirement.name] = requirement.specifier
    return requirements


def conda_requirements(environment: dict) -> dict[str, SpecifierSet]:
    """PyPI name -> version constraint, from a parsed environment.yml."""
    requirements = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):  # the pip: section
            continue
        name, _, constraint = entry.partition(" ")
        if name not in CONDA_ONLY:
            requirements[CONDA_TO_PYPI.get(name, name)] = SpecifierSet(constraint.strip())
    return requirements


def load(relative_path: str) -> dict:
    return yaml.safe_load((REPO / relative_path).read_text())


def pip_section(environment: dict) -> list[str]:
    sections = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    return sections[0] if sections else []


def test_environment_yml_names_the_same_packages_as_pyproject():
    environment = load("environment.yml")
    assert environment["channels"] == ["conda-forge"]
    assert conda_requirements(environment) == pyproject_requirements()


def test_environment_yml_installs_the_course_itself():
    assert pip_section(load("environment.yml")) == ["-e ."]


def test_binder_environment_is_the_same_but_installs_the_course_in_post_build():
    binder = load(".binder/environment.yml")
    assert conda_requirements(binder) == conda_requirements(load("environment.yml"))
    assert pip_section(binder) == []  # the repository is not there yet when it is built
    assert "pip install --no-deps -e ." in (REPO / ".binder/postBuild").read_text()
