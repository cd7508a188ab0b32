"""How current the data is, and dates as people write them (Qt-free): the date of a build's data
(`data_date`) and "3 December 2025" for "2025-12-03" (`readable_date`). Apart from the About page's
module because the window's status bar shows the date at start, before any other page is built."""

from __future__ import annotations

from faceledger.data.database import Database

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def readable_date(value: str) -> str:
    """An ISO date as people write it: "2025-12-03" -> "3 December 2025", "2025-04" -> "April 2025",
    "2025" -> "2025"; anything else as given ("" when empty)."""
    parts = (value or "").strip().split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return value or ""
    if len(numbers) == 1:
        return parts[0]
    if len(numbers) in (2, 3) and 1 <= numbers[1] <= 12:
        month = f"{MONTHS[numbers[1] - 1]} {numbers[0]}"
        return month if len(numbers) == 2 else f"{numbers[2]} {month}"
    return value


def data_date(db: Database) -> str:
    """The date of the data in a build: the `data_date` the build wrote in the meta table, else (a
    database built before it did) the newest source or dataset snapshot date, read from the data."""
    stored = db.meta().get("data_date", "")
    if stored:
        return stored
    row = db.query_one(
        "SELECT MAX(d) FROM (SELECT MAX(date) AS d FROM sources UNION ALL SELECT MAX(retrieved) FROM datasets)"
    )
    return str(row[0]) if row and row[0] else ""
