"""`faceledger datasette-metadata` and `faceledger serve`: the database shared with a team through
Datasette, read-only, with its licences, sources, column descriptions and search.

faceledger datasette-metadata [-o FILE] [--db PATH]
faceledger serve [--port N] [--host H] [--no-sql] [--db PATH]

Datasette is an optional extra (`pip install 'faceledger[serve]'`), imported only by `serve`:
the desktop app never needs it.
"""

from __future__ import annotations

import argparse
import errno
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from faceledger.cli_errors import CliError
from faceledger.data.database import Database
from faceledger.data.datasette_metadata import datasette_metadata, metadata_json
from faceledger.data.export_files import replace_file

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
INSTALL_HINT = (
    "faceledger serve needs Datasette, which the desktop app does not install: "
    "pip install 'faceledger[serve]' (from a checkout: pip install '.[serve]')"
)


def add_serve_parsers(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the `datasette-metadata` and `serve` subcommands to the `faceledger` parser."""
    p = sub.add_parser(
        "datasette-metadata",
        help="write the database's Datasette metadata (licences, sources, columns, search)",
        description="Write Datasette metadata for the database: title, data version, licence and "
        "source of every table, a description of every column, full-text search, sort columns, "
        "facets and labels.",
    )
    p.add_argument("-o", "--output", default="-", metavar="FILE", help="the JSON file (default: stdout)")
    add_db(p)
    p = sub.add_parser(
        "serve",
        help="share the database read-only in a browser with Datasette (the serve extra)",
        description="Serve the database read-only with Datasette and its metadata, and print the "
        "address to open. Needs the serve extra: pip install 'faceledger[serve]'.",
    )
    p.add_argument("--host", default=DEFAULT_HOST, metavar="H", help=f"address to listen on ({DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N", help=f"port ({DEFAULT_PORT})")
    p.add_argument(
        "--no-sql",
        action="store_true",
        help="refuse arbitrary SQL queries (Datasette's default_allow_sql off); tables stay browsable",
    )
    add_db(p)


def run_datasette_metadata(args: argparse.Namespace, out: TextIO) -> int:
    """Write the metadata to `-o FILE` (atomically) or to `out`."""
    db = Database.open(getattr(args, "db", None))
    try:
        metadata = datasette_metadata(db)
    finally:
        db.close()
    text = metadata_json(metadata)
    if args.output == "-":
        out.write(text)
        return 0
    target = Path(args.output)
    replace_file(target, text.encode("utf-8"))  # whole or not at all; never over a device or a pipe
    n = len(next(iter(metadata["databases"].values()))["tables"])
    print(f"wrote Datasette metadata for {n} tables to {target}", file=out)
    return 0


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    """Check the database, write its metadata to a temporary file, and run `datasette serve
    --immutable` on it until interrupted. Returns Datasette's exit status."""
    if not 0 < args.port < 65536:
        raise CliError("--port must be between 1 and 65535")
    try:
        from datasette.cli import cli as datasette_cli  # noqa: PLC0415 (the optional extra)
    except ImportError as exc:
        raise CliError(INSTALL_HINT) from exc
    db = Database.open(getattr(args, "db", None))  # refuses a damaged or tampered file
    try:
        path = db.path
        metadata = metadata_json(datasette_metadata(db))
    finally:
        db.close()
    _check_port_free(args.host, args.port)
    with tempfile.TemporaryDirectory(prefix="faceledger-serve-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(metadata, encoding="utf-8")
        argv = [
            "serve",
            "--immutable",
            str(path),
            "--metadata",
            str(metadata_file),
            "--host",
            args.host,
            "--port",
            str(args.port),
        ]
        if args.no_sql:
            argv += ["--setting", "default_allow_sql", "off"]
        print(_announcement(path, args.host, args.port, args.no_sql), file=out, flush=True)
        try:
            datasette_cli.main(args=argv, prog_name="datasette", standalone_mode=False)
        except SystemExit as exc:  # uvicorn exits when it cannot start
            return exc.code if isinstance(exc.code, int) else 1
    return 0


def address(host: str, port: int) -> str:
    """The address to open in a browser for a server on `host`:`port`."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname() or DEFAULT_HOST
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _announcement(path: Path, host: str, port: int, no_sql: bool) -> str:
    lines = [f"Serving {path} read-only with Datasette.", f"Open {address(host, port)} in a browser."]
    if host in ("0.0.0.0", "::", ""):
        lines.append(
            f"Every machine that can reach this one can open it (here: {address(DEFAULT_HOST, port)})."
        )
    lines.append(
        "Arbitrary SQL queries are off (--no-sql)."
        if no_sql
        else "Read-only SQL queries are allowed; --no-sql turns them off."
    )
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def _check_port_free(host: str, port: int) -> None:
    """One clear sentence when the port is taken, instead of the web server's traceback."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CliError(f"cannot listen on {host!r}: {exc.strerror}") from exc
    family, kind, proto, _name, sockaddr = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(sockaddr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CliError(
                    f"port {port} on {host} is already in use: choose another with --port N"
                ) from exc
            raise CliError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from exc


__all__ = ["add_serve_parsers", "run_datasette_metadata", "run_serve"]
