"""Meta-test: every module of service/ has a place in the import-linter layers."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def layered_modules():
    """Every module named in the layers contract of pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    names = set()
    for layer in layers:
        for separator in ("|", ":"):
            layer = layer.replace(separator, " ")
        names.update(layer.split())
    return names


def service_modules():
    """service.<name> for each module and package directly inside service/."""
    found = set()
    for path in (ROOT / "service").iterdir():
        if path.suffix == ".py" and path.stem != "__init__":
            found.add(f"service.{path.stem}")
        elif path.is_dir() and (path / "__init__.py").exists():
            found.add(f"service.{path.name}")
    return found


def test_every_service_module_is_an_edge_or_part_of_the_domain():
    """A new module of service/ must say which layer it is in, or import-linter skips it."""
    assert sorted(service_modules() - layered_modules()) == []
