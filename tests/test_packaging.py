"""The front door: exact tool versions for CI (constraints.txt), and only the dependencies we use."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the packages we ship: top-level folders with an __init__.py, except the tests and benchmarks
RUNTIME_PACKAGES = sorted(
    p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tests", "benchmarks"}
)


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            pins[_name(name)] = version.strip()
    return pins


def test_every_dependency_and_tool_is_pinned_exactly() -> None:
    project = _project()
    pins = _pins()
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    missing = [r for r in wanted if _name(r) not in pins]
    assert missing == [], f"not pinned in constraints.txt: {missing}"
    # the environment the tests run in was installed with those pins
    for requirement in project["optional-dependencies"]["test"]:
        name = _name(requirement)
        assert metadata.version(name) == pins[name], f"{name}: installed {metadata.version(name)}"


def test_every_pip_install_in_the_makefile_uses_the_constraints() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs and all("-c constraints.txt" in line for line in installs), installs
    assert "pip install" not in makefile.replace("PIP_INSTALL := $(BIN)/python -m pip install", "")


def _imported_top_level_modules() -> set[str]:
    found: set[str] = set()
    for package in RUNTIME_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found


def test_runtime_dependencies_are_only_what_the_code_uses() -> None:
    runtime = {_name(r) for r in _project()["dependencies"]}
    assert "websocket-client" not in runtime  # Socket Mode uses slack_sdk's built-in client
    assert "httpx" not in runtime  # only the tests and benchmarks use it
    assert "httpx" in {_name(r) for r in _project()["optional-dependencies"]["test"]}
    imported = _imported_top_level_modules()
    assert "httpx" not in imported and "websocket" not in imported
