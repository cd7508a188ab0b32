"""Docs that are tested: every module is in docs/architecture.md; .ci/run runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_module_is_documented() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = sorted(
        p.relative_to(ROOT / "app").as_posix() for p in (ROOT / "app" / "faceledger").rglob("*.py")
    )
    missing = [m for m in modules if f"`{m}`" not in doc]
    assert not missing, f"add to docs/architecture.md: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Test it\s+```\s*\n(.+?)\n```", readme, re.S)
    assert block, "README has no test command"
    command = block.group(1).strip()
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_build_module_is_documented() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = sorted(f"db/{p.name}" for p in (ROOT / "db").glob("*.py") if p.name != "__init__.py")
    missing = [m for m in modules if f"`{m}`" not in doc]
    assert not missing, f"add to docs/architecture.md: {missing}"
