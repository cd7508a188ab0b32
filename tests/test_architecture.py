"""The layers hold: import-linter's contracts (pyproject.toml, [tool.importlinter]) are kept."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_layer_contracts_are_declared() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    sources = {tuple(c["source_modules"]) for c in config["contracts"]}
    assert ("faceledger.data",) in sources
    assert ("faceledger.models",) in sources
    data = next(c for c in config["contracts"] if c["source_modules"] == ["faceledger.data"])
    assert {"PySide6", "faceledger.ui", "faceledger.models"} <= set(data["forbidden_modules"])


def test_layer_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_package_of_the_app_is_installed() -> None:
    """A non-editable install (CI's, a user's) carries only the packages pyproject.toml lists."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT / "app").parts)
        for init in (ROOT / "app" / "faceledger").rglob("__init__.py")
    }
    assert on_disk - listed == set(), "packages missing from [tool.setuptools] packages"
