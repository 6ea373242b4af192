"""The apps keep the workflow's layers (pyproject.toml, docs/architecture.md): no app imports
one above it, not even inside a function, and every app has its place in the contract."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def _layers() -> list[str]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def test_no_app_imports_an_app_above_it():
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True) == 0


def test_every_app_has_a_place_in_the_layers():
    placed = {name for layer in _layers() for name in re.findall(r"kneadwell\.\w+", layer)}
    apps = {app for app in settings.INSTALLED_APPS if app.startswith("kneadwell.")}
    assert apps - placed == set()


def test_the_architecture_map_names_every_layer():
    text = (PYPROJECT.parent / "docs" / "architecture.md").read_text()
    for name in {n for layer in _layers() for n in re.findall(r"kneadwell\.(\w+)", layer)}:
        assert f"`{name}`" in text, f"docs/architecture.md does not describe {name}"
