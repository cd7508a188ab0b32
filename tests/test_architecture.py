"""The layers hold: import-linter's contracts (pyproject.toml, [tool.importlinter]) are kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts: list[dict[str, object]] = config["contracts"]
    return contracts


def test_layer_contracts_are_declared() -> None:
    contracts = _contracts()
    forbidden = {
        tuple(c["source_modules"]): set(c["forbidden_modules"]) for c in contracts if c["type"] == "forbidden"
    }  # type: ignore[arg-type,call-overload]
    assert {"PySide6", "faceledger.ui", "faceledger.models"} <= forbidden[("faceledger.data",)]
    assert "faceledger.ui" in forbidden[("faceledger.models",)]
    assert "sqlite3" in forbidden[("faceledger.ui",)]
    acyclic = [c for c in contracts if c["type"] == "acyclic_siblings"]
    assert [c["ancestors"] for c in acyclic] == [["faceledger"]]


def _lint_imports(app: Path) -> subprocess.CompletedProcess[str]:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(app)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contracts_catch_a_widget_speaking_sql_and_an_import_cycle(tmp_path: Path) -> None:
    """A copy of the app with a widget importing sqlite3, and the settings importing the main
    window, which imports them: both contracts break (the others hold)."""
    app = tmp_path / "app"
    shutil.copytree(
        ROOT / "app" / "faceledger", app / "faceledger", ignore=shutil.ignore_patterns("*.db", "__pycache__")
    )
    flow = app / "faceledger" / "ui" / "flow_layout.py"
    flow.write_text(flow.read_text(encoding="utf-8") + "\nimport sqlite3  # noqa\n", encoding="utf-8")
    settings = app / "faceledger" / "ui" / "settings.py"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\nimport faceledger.ui.main_window  # noqa\n",
        encoding="utf-8",
    )
    result = _lint_imports(app)
    assert result.returncode != 0, result.stdout + result.stderr
    names = {str(c["name"]) for c in _contracts()}
    broken = {n for n in names if f"{n} BROKEN" in result.stdout}
    assert broken == {n for n in names if "sqlite3" in n or "cycles" in n}, result.stdout
    assert "faceledger.ui.flow_layout -> sqlite3" in result.stdout
    assert "No cycles are allowed in faceledger.ui." in result.stdout, result.stdout


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


# A module that grows past this has taken on a second job: split it (docs/architecture.md).
MAX_MODULE_LINES = 600


def test_no_module_of_the_app_is_over_the_size_limit() -> None:
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted((ROOT / "app" / "faceledger").rglob("*.py"))
    }
    assert len(sizes) > 50
    assert {p: n for p, n in sizes.items() if n > MAX_MODULE_LINES} == {}
