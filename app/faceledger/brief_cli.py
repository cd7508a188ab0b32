"""`faceledger brief`: the one-page meeting brief of a vendor or a customer, as a PDF file.

faceledger brief vendors|customers ID -o FILE.pdf [--page-size a4|letter] [--db PATH]

The same brief the detail pane's "Brief…" action prints (`faceledger.ui.brief_pdf`), drawn
headless with Qt; no external tool.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from faceledger.cli_errors import CliError
from faceledger.data.brief import BRIEF_ENTITIES
from faceledger.data.database import Database

log = logging.getLogger(__name__)

PAGE_SIZES = ("a4", "letter")
EPILOG = (
    "The brief names the record, what it is, its facts grouped (for a vendor: its stance on police "
    "sales, reported customer counts with a chart, deployments by status, studies, fines, lawsuits "
    "and incidents; for a customer: the vendors it used and its events), every fact numbered with "
    "its verification status and source. It fits on two pages at most: long records are summarised."
)


def add_brief_parser(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the `brief` subcommand to the `faceledger` parser."""
    p = sub.add_parser(
        "brief",
        help="a one-page brief of a vendor or a customer, as PDF",
        description="Write the meeting brief of a vendor or a customer as a PDF (two pages at most).",
        epilog=EPILOG,
    )
    p.add_argument("entity", choices=BRIEF_ENTITIES, help="vendors or customers")
    p.add_argument("record_id", metavar="ID", help="the record's id (as in the app and the CSV exports)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    p.add_argument("--page-size", choices=PAGE_SIZES, default="a4", help="a4 (default) or letter")
    add_db(p)


def run_brief(args: argparse.Namespace, out: TextIO) -> int:
    """Run `faceledger brief`; errors are one line (CliError or FaceLedgerError)."""
    path = Path(args.output)
    if path.suffix.lower() != ".pdf":
        raise CliError("-o: the brief is a PDF file; give a name ending in .pdf")
    db = Database.open(getattr(args, "db", None))
    try:
        from faceledger.data.repositories import Repositories  # noqa: PLC0415

        repos = Repositories(db)
        if repos.for_entity(args.entity).get(args.record_id) is None:
            kind = "vendor" if args.entity == "vendors" else "customer"
            raise CliError(f"no {kind} with the id '{args.record_id}' in this database")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication  # noqa: PLC0415 (Qt only to draw the PDF)

        from faceledger.ui.brief_pdf import save_brief_pdf  # noqa: PLC0415

        app = QGuiApplication.instance() or QGuiApplication([])
        laid = save_brief_pdf(repos, args.entity, args.record_id, path, args.page_size)
        del app
        pages = f"{laid.pages} page{'s' if laid.pages != 1 else ''}"
        n = len(laid.brief.facts)
        print(f"wrote {path} ({pages}, {n:,} numbered fact{'s' if n != 1 else ''})", file=out)
        return 0
    finally:
        db.close()


__all__ = ["add_brief_parser", "run_brief"]
