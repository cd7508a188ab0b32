"""`faceledger search` in a terminal: its width, word-boundary cuts with an ellipsis, a header,
the record id, "Did you mean …?"; examples in every command's --help; doctor without Qt's
messages."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from faceledger.cli import main
from faceledger.search_cli import column_widths, did_you_mean, shorten

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, stdout=out)
    return code, out.getvalue()


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "San Francisco bans city use of face recognition"
    assert shorten(text, 100) == text
    assert shorten(text, 20) == "San Francisco bans…"
    assert shorten(text, 22) == "San Francisco bans…"
    assert shorten("Supercalifragilistic", 8) == "Superca…"  # one long word: cut inside it
    for width in range(2, len(text)):
        cut = shorten(text, width)
        assert len(cut) <= width and cut.endswith("…")
        assert text.startswith(cut[:-1])


def test_column_widths_fit_and_share() -> None:
    assert column_widths([4, 10, 20, 30], 200, (1, 1, 1, 1)) == [4, 10, 20, 30]
    widths = column_widths([10, 50, 60, 90], 100, (0.12, 0.24, 0.28, 0.36))
    assert sum(widths) + 2 * 3 <= 100
    assert widths[0] == 10 and min(widths) > 0


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
def test_search_table_fits_the_terminal_with_a_header_and_ids(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out = run(["search", "ICE"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Type", "Id", "Name", "Matched", "in"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    body = lines[2:-1]
    assert body[0].startswith("vendor") or body[0].startswith("customer")
    assert "Also known as: ICE" in out or columns < 80
    assert lines[-1].endswith("hits in 5 record types, best first.")
    # The record's id (cut with an ellipsis only when the terminal is narrow).
    ids = [line.split()[1] for line in body]
    assert "us-immigration-and-customs-enforcement" in ids or columns < 120
    assert all(i.endswith("…") or " " not in i for i in ids)
    if columns <= 80:
        assert any("…" in line for line in body)


def test_search_says_did_you_mean() -> None:
    code, out = run(["search", "clearveiw"])
    assert code == 0 and out.strip() == "No matches for 'clearveiw'. Did you mean Clearview AI?"
    assert did_you_mean(["A", "B", "C"]) == "Did you mean A, B or C?"
    assert did_you_mean(["A", "B"]) == "Did you mean A or B?"


@pytest.mark.parametrize("command", ["search", "stats", "doctor", "export", "gui"])
def test_every_command_help_shows_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    examples = text.split("examples:\n", 1)[1].splitlines()
    shown = [e for e in examples if e.startswith(f"  faceledger {command}") or e.startswith("  faceledger ")]
    assert 2 <= len(shown) <= 3, text


def test_doctor_prints_no_qt_messages() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT / "app")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from faceledger.cli import main; sys.exit(main(['doctor']))"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "all checks passed" in done.stdout and "plugin" not in done.stdout
