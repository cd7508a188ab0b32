"""Hostile destinations and streams: an export never destroys what it writes to (a FIFO, a device,
/dev/stdout, a symbolic link), a full disk or a closed standard output is one line and exit 3 for
every command, Ctrl+C and SIGTERM are "Interrupted." and leave nothing behind, and leftovers of
an export killed outright are cleaned up by the next one.

Device nodes and full disks are made in a private mount namespace (`unshare -m`, within a user
namespace of its own, `unshare -r -m`, when not run as root): a tmpfs over /dev holding fresh
device nodes, or a 64 KB tmpfs, so that a regression cannot touch the machine's own /dev. Every
command runs in a fresh interpreter with a timeout.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from faceledger.cli_errors import EXIT_CODES_HELP
from faceledger.data import export as ex
from faceledger.data.database import Database
from faceledger.data.export import ExportOptions
from faceledger.data.repositories import Query, Repositories
from test_reliability_database import child_env, copy_db, qt_noise_removed

IS_ROOT = os.geteuid() == 0
# A private mount namespace, where a small tmpfs can be mounted: as root directly, otherwise in a
# user namespace of its own (where the user is root), so the test runs for everyone.
PRIVATE_MOUNTS = ["unshare", "-m"] if IS_ROOT else ["unshare", "-r", "-m"]
TIMEOUT = 60
VENDORS_HEADER = "id,name,aliases,legal_name"

# A private /dev (root, in its own mount namespace): fresh device nodes and stream links, so that
# an export replacing one would replace only this copy. After the command, each node's kind is
# printed to standard error as "DEV name kind".
PRIVATE_DEV = r"""
mount -t tmpfs -o mode=755 tmpfs /dev || exit 97
mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 && mknod -m 666 /dev/full c 1 7 \
  && mknod -m 666 /dev/random c 1 8 && mknod -m 666 /dev/urandom c 1 9 || exit 97
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
"$0" "$@"
rc=$?
for n in null full stdout; do echo "DEV $n $(stat -c %F /dev/$n)" >&2; done
exit $rc
"""


def faceledger(
    args: list[str],
    home: Path,
    *,
    private_dev: bool = False,
    env: dict[str, str] | None = None,
    **kw: object,
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "faceledger.cli", *args]
    if private_dev and IS_ROOT:
        command = ["unshare", "-m", "sh", "-c", PRIVATE_DEV, *command]
    stdout = kw.pop("stdout", subprocess.PIPE)
    return subprocess.run(
        command,
        env={**child_env(home), **(env or {})},
        stdout=stdout,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        **kw,  # type: ignore[arg-type]
    )


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in qt_noise_removed(result.stderr) if not line.startswith("DEV ")]


def devices(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return dict(line[4:].split(" ", 1) for line in result.stderr.splitlines() if line.startswith("DEV "))


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    err = errors(result)
    assert len(err) == 1 and "Traceback" not in result.stderr, result.stderr
    return err[0]


def expected_vendors_csv() -> str:
    """The vendors table as `export vendors` writes it (through the same writer, to a string)."""
    with Database.open() as db:
        repo = Repositories(db).vendors
        buf = io.StringIO(newline="")
        keys = list(repo.columns)
        for _ in ex.export_query_to_stream(repo, Query(), keys, keys, buf, ExportOptions()):
            pass
        return buf.getvalue()


def vendor_rows() -> int:
    return expected_vendors_csv().count("\r\n") - 1


# -- 1. special destinations ----------------------------------------------------------------------
def test_export_into_a_fifo_streams_into_it_and_leaves_it_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            received.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = faceledger(["export", "vendors", "-o", str(fifo)], tmp_path / "home")
    reader.join(TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
    assert received and received[0].decode("utf-8") == expected_vendors_csv()
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["pipe.csv"]


@pytest.mark.parametrize("name", ["null", "stdout"])
def test_export_into_a_device_or_dev_stdout_leaves_the_node(name: str, tmp_path: Path) -> None:
    result = faceledger(["export", "vendors", "-o", f"/dev/{name}"], tmp_path / "home", private_dev=True)
    assert result.returncode == 0, result.stderr
    assert errors(result) == []
    if name == "stdout":  # the rows, then the summary line
        expected = expected_vendors_csv() + f"wrote {vendor_rows():,} rows to /dev/stdout\n"
        assert result.stdout == expected.replace("\r\n", "\n")  # text mode: bytes checked below
    else:
        assert result.stdout == f"wrote {vendor_rows():,} rows to /dev/null\n"
    if IS_ROOT:
        assert devices(result) == {
            "null": "character special file",
            "full": "character special file",
            "stdout": "symbolic link",
        }
    else:
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_dev_stdout_appends_to_a_redirected_file(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    with open(out, "a", encoding="utf-8") as fh:
        result = faceledger(
            ["export", "vendors", "-o", "/dev/stdout"], tmp_path / "home", private_dev=True, stdout=fh
        )
    assert result.returncode == 0, result.stderr
    written = out.read_bytes().decode("utf-8")
    assert written == "kept\n" + expected_vendors_csv() + f"wrote {vendor_rows():,} rows to /dev/stdout\n"


def test_export_through_a_symbolic_link_replaces_its_target(tmp_path: Path) -> None:
    target = tmp_path / "data" / "vendors.csv"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = faceledger(["export", "vendors", "-o", str(link)], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes().decode("utf-8") == expected_vendors_csv()
    assert sorted(p.name for p in target.parent.iterdir()) == ["vendors.csv"]


def test_export_help_says_how_links_and_special_files_are_written(tmp_path: Path) -> None:
    result = faceledger(["export", "--help"], tmp_path / "home")
    text = " ".join(result.stdout.split())
    assert "symbolic link" in text and "target is replaced" in text
    assert "FIFO" in text and "/dev/stdout" in text


@pytest.mark.parametrize(
    "name",
    ["dev-full", "fifo-no-reader-term"],
)
def test_a_stream_that_fails_or_waits_is_one_line(name: str, tmp_path: Path) -> None:
    if name == "dev-full":
        result = faceledger(["export", "vendors", "-o", "/dev/full"], tmp_path / "home", private_dev=True)
        assert result.returncode == 3, result.stderr
        assert "/dev/full" in one_line(result) and "the disk is full" in one_line(result)
        return
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # nobody reads it: the export waits in open() until SIGTERM
    proc = subprocess.Popen(
        [sys.executable, "-m", "faceledger.cli", "export", "vendors", "-o", str(fifo)],
        env=child_env(tmp_path / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 143, err
    assert err.strip() == "Interrupted." and out == ""
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


# -- 4. standard output: full, closed ------------------------------------------------------------
COMMANDS = {
    "search": ["search", "police"],
    "stats": ["stats"],
    "doctor": ["doctor"],
    "export": ["export", "vendors", "-o", "-"],
}


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_standard_output_on_dev_full_is_one_line_exit_3(
    command: str, unbuffered: bool, tmp_path: Path
) -> None:
    env = {"PYTHONUNBUFFERED": "1"} if unbuffered else {}
    if not unbuffered:
        env["PYTHONUNBUFFERED"] = ""
    with open("/dev/full", "w") as full:
        result = faceledger(COMMANDS[command], tmp_path / "home", env=env, stdout=full)
    assert result.returncode == 3, result.stderr
    assert one_line(result).startswith("faceledger: could not write to standard output: the disk is full")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_closed_standard_output_is_one_line_exit_3(command: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "faceledger.cli", *COMMANDS[command]],
        env=child_env(tmp_path / "home"),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr == "faceledger: standard output is closed; nothing was written\n"


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
def test_export_to_stdout_redirected_to_a_full_disk_is_an_error(unbuffered: str, tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    script = (
        f"mount -t tmpfs -o size=64k tmpfs {small} || exit 97; "
        f"{sys.executable} -m faceledger.cli export sources -o - > {small}/out.csv; rc=$?; "
        f"stat -c %s {small}/out.csv >&2; exit $rc"
    )
    result = subprocess.run(
        [*PRIVATE_MOUNTS, "sh", "-c", script],
        env={**child_env(tmp_path / "home"), "PYTHONUNBUFFERED": unbuffered},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == "faceledger: could not write to standard output: the disk is full; the output is incomplete"
    )
    assert int(lines[1]) <= 65536 and len(lines) == 2


# -- 9. bad values and locales --------------------------------------------------------------------
def test_help_lists_one_exit_code_per_kind_of_failure(tmp_path: Path) -> None:
    result = faceledger(["--help"], tmp_path / "home")
    text = " ".join(result.stdout.split())
    assert " ".join(EXIT_CODES_HELP.split()) in text
    for code in (
        "0 done",
        "1 an unexpected error",
        "2 the database cannot be used",
        "3 the output",
        "4 the command",
        "130 interrupted",
        "143",
    ):
        assert code in text


@pytest.mark.parametrize("limit", ["99999999999999999999", "0", "-1", "many", "10001"])
def test_search_limit_out_of_range_is_one_line_exit_4(limit: str, tmp_path: Path) -> None:
    result = faceledger(["search", "police", "--limit", limit], tmp_path / "home")
    assert result.returncode == 4, result.stderr
    assert "--limit" in one_line(result) and "1 to 10,000" in one_line(result)


def test_a_long_output_name_is_one_line_exit_3(tmp_path: Path) -> None:
    dest = tmp_path / ("a" * 300 + ".csv")
    result = faceledger(["export", "vendors", "-o", str(dest)], tmp_path / "home")
    assert result.returncode == 3, result.stderr
    assert "name that is too long" in one_line(result)
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == []


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize(
    "locale_env",
    [
        {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""},
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
    ],
    ids=["C-locale", "ascii", "latin-1"],
)
def test_search_in_a_non_utf8_locale_prints_instead_of_failing(
    fmt: str, locale_env: dict[str, str], tmp_path: Path
) -> None:
    result = faceledger(
        ["search", "societe", "--format", fmt, "--limit", "5"], tmp_path / "home", env=locale_env
    )
    assert result.returncode == 0, result.stderr
    assert errors(result) == [] and "CNIL" in result.stdout


# -- 5. interruptions -------------------------------------------------------------------------------
# The signal arrives while SQLite works (the quick check, an export's rows): sent from inside
# SQLite's progress callback, where Python runs its handler, as a real Ctrl+C does most of the time.
INTERRUPT_PROBE = r"""
import os, signal, sys
from faceledger.data import database
signum, statement = int(sys.argv[1]), sys.argv[2]
original = database._install_time_limit
states = {}
def install(conn):  # called again for each batch of rows: the state is the connection's
    original(conn)
    state = states.setdefault(id(conn), {"running": False, "sent": False})
    def trace(sql):
        state["running"] = statement in sql
    def handler():
        if state["running"] and not state["sent"]:
            state["sent"] = True
            os.kill(os.getpid(), signum)
        return 0
    conn.set_trace_callback(trace)
    conn.set_progress_handler(handler, 1000)
database._install_time_limit = install
from faceledger.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("during", ["quick-check", "export"])
def test_an_interruption_is_reported_as_such_and_leaves_nothing(
    during: str, signum: int, db_path: Path, tmp_path: Path
) -> None:
    path = copy_db(db_path, tmp_path / "db")
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "customers.csv"
    dest.write_text("an earlier export\n", encoding="utf-8")
    if during == "quick-check":
        statement, args = "quick_check", ["stats", "--db", str(path)]
    else:
        statement, args = 'FROM "customers"', ["export", "customers", "-o", str(dest), "--db", str(path)]
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPT_PROBE, str(int(signum)), statement, *args],
        env=child_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 128 + signum, result.stderr
    assert result.stderr == "Interrupted.\n"
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["customers.csv"]
    assert dest.read_text(encoding="utf-8") == "an earlier export\n"


# -- 10. leftovers of an export killed outright -----------------------------------------------------
def test_stale_temporaries_are_removed_by_the_next_export(repos: Repositories, tmp_path: Path) -> None:
    old = time.time() - 3600
    dead_pid = 2**22 + 12345  # above Linux's largest process id: never running
    stale_file = tmp_path / f"{ex.TEMP_PREFIX}p{dead_pid}-k2j3.csv.tmp"
    stale_file.write_text("half an export", encoding="utf-8")
    stale_folder = tmp_path / f"{ex.TEMP_PREFIX}abcd1234"  # an older version's name, without a pid
    (stale_folder / "sub").mkdir(parents=True)
    (stale_folder / "sub" / "vendors.csv").write_text("x" * 1000, encoding="utf-8")
    running = tmp_path / f"{ex.TEMP_PREFIX}p{os.getppid()}-zzzz.csv.tmp"  # a live process's
    running.write_text("being written", encoding="utf-8")
    fresh = tmp_path / f"{ex.TEMP_PREFIX}p{dead_pid}-new.csv.tmp"  # newer than this process
    fresh.write_text("just made", encoding="utf-8")
    unrelated = tmp_path / ".faceledger-exports-notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir(exist_ok=True)
    link = tmp_path / f"{ex.TEMP_PREFIX}p{dead_pid}-link"
    link.symlink_to(outside)
    for p in (
        stale_file,
        stale_folder / "sub" / "vendors.csv",
        stale_folder / "sub",
        stale_folder,
        running,
        unrelated,
    ):
        os.utime(p, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    os.utime(fresh, (time.time() + 60, time.time() + 60))

    for _ in ex.export_table(repos.vendors, tmp_path / "vendors.csv", ExportOptions()):
        pass

    left = sorted(p.name for p in tmp_path.iterdir())
    assert stale_file.name not in left and stale_folder.name not in left
    assert {running.name, fresh.name, unrelated.name, link.name, "vendors.csv"} == set(left)
    assert outside.is_dir()
