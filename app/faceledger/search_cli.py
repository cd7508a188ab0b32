"""`faceledger search QUERY`: the global search from a terminal, laid out to its width.

faceledger search QUERY [--type T] [--limit N] [--format table|csv|json] [--db PATH]

The table has a header, the record's type, id and name, and where the words were found
("Also known as: ICE"); every column is cut at a word boundary with an ellipsis so that a line
fits the terminal (`shutil.get_terminal_size`, or COLUMNS). When nothing matches it offers the
nearest names ("Did you mean Clearview AI?").
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from faceledger.data.entities import ENTITIES

if TYPE_CHECKING:
    from faceledger.data.searcher import Hit

EPILOG = """examples:
  faceledger search clearview
  faceledger search ICE --type deployments
  faceledger search "facial recognition ban" --format csv > bans.csv"""
GAP = "  "
# Below this width the table is still laid out (each column at its minimum) and lines wrap.
MIN_WIDTH = 60


SEARCH_LIMIT_MAX = 10_000


def _search_limit(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= SEARCH_LIMIT_MAX:
        raise argparse.ArgumentTypeError(
            f"give a whole number from 1 to {SEARCH_LIMIT_MAX:,}, not {text[:30]!r}"
        )
    return n


def add_search_parser(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the `search` subcommand to the `faceledger` parser."""
    p = sub.add_parser(
        "search",
        help="search every record type",
        description="Search every record type: best matches first, and where each was found.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", help="words to look for (part of a word is enough; case and accents ignored)")
    p.add_argument("--type", choices=sorted(ENTITIES), dest="entity", help="only this record type")
    p.add_argument(
        "--limit",
        type=_search_limit,
        default=20,
        help=f"hits per record type (1 to {SEARCH_LIMIT_MAX:,}; default 20)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    add_db(p)


def shorten(text: str, width: int) -> str:
    """`text` on one line in at most `width` characters, cut at a word boundary with "…"."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-–") + "…"


def did_you_mean(names: Sequence[str]) -> str:
    """ "Did you mean Clearview AI?", "… A or B?", "… A, B or C?" ("" without names)."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"Did you mean {listed}?"


def around(text: str, spans: Sequence[tuple[int, int]], width: int) -> str:
    """`text` cut to `width` so that its first matched span is in view, with "…" where cut."""
    cut = shorten(text, width)
    if not spans or not cut.endswith("…") or len(cut) - 1 >= spans[0][1]:
        return cut  # the whole text, or a cut after the first match
    start = max(0, spans[0][0] - width // 4)
    space = text.find(" ", start, spans[0][0])
    if space != -1:
        start = space + 1
    return shorten("…" + text[start:].lstrip("…"), width)


def column_widths(natural: Sequence[int], width: int, weights: Sequence[float]) -> list[int]:
    """Widths for columns whose longest cells are `natural`, separated by GAP, in at most `width`
    characters: each its natural width when all fit; else a share by `weights` (never more than
    its natural width; what one does not use goes to the others)."""
    room = width - len(GAP) * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    out = [0] * len(natural)
    open_ = [i for i in range(len(natural))]
    while open_ and room > 0:
        total = sum(weights[i] for i in open_)
        shares = {i: max(1, int(room * weights[i] / total)) for i in open_}
        capped = [i for i in open_ if natural[i] - out[i] <= shares[i]]
        if not capped:
            for i in open_:
                out[i] += shares[i]
            break
        for i in capped:
            room -= natural[i] - out[i]
            out[i] = natural[i]
            open_.remove(i)
    return out


def table_lines(rows: Sequence[tuple[str, ...]], widths: Sequence[int]) -> list[str]:
    """A header, a rule and one line per row, each cell cut to its column's width."""
    header = ("Type", "Id", "Name", "Matched in")

    def line(cells: Sequence[str]) -> str:
        parts = [shorten(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)]
        return GAP.join(parts).rstrip()

    return [line(header), GAP.join("-" * w for w in widths), *(line(r) for r in rows)]


def matched_cells(hits: Sequence[Hit], width: int) -> list[str]:
    """The "Matched in" cell of each hit: the column and a snippet with the match in view, or
    only the column when it is the record's name (the Name cell shows it)."""
    out = []
    for h in hits:
        spec = ENTITIES[h.entity]
        if not h.field or h.field == spec.field(spec.label).header:
            out.append(h.field)
            continue
        prefix = f"{h.field}: "
        out.append(prefix + around(h.context, h.context_spans, max(10, width - len(prefix))))
    return out


def run_search(args: argparse.Namespace, out: TextIO) -> int:
    import csv  # noqa: PLC0415
    import json  # noqa: PLC0415

    from faceledger.data.database import Database  # noqa: PLC0415
    from faceledger.data.repositories import Repositories  # noqa: PLC0415
    from faceledger.data.searcher import hits_summary  # noqa: PLC0415

    db = Database.open(args.db)
    try:
        repos = Repositories(db)
        if args.entity:
            hits = repos.search.search_type(args.entity, args.query, args.limit)
        else:
            hits = repos.search.search(args.query, per_type=args.limit)
        rows = [(ENTITIES[h.entity].singular, h.record_id, h.label, h.field, h.context) for h in hits]
        if not hits:
            message = f"No matches for {args.query!r}."
            hint = did_you_mean(repos.search.suggestions(args.query))
            if args.format == "table":
                print(f"{message} {hint}".strip(), file=out)
                return 0
            print(f"{message} {hint}".strip(), file=sys.stderr)
        if args.format == "json":
            keys = ("type", "id", "label", "matched_in", "context")
            encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
            json.dump(
                [dict(zip(keys, r, strict=True)) for r in rows],
                out,
                ensure_ascii=encoding not in ("utf-8", "utf8", "utf-8-sig"),  # \u escapes lose nothing
                indent=1,
            )
            print(file=out)
        elif args.format == "csv":
            w = csv.writer(out, lineterminator="\n")
            w.writerow(("type", "id", "label", "context", "matched_in"))
            w.writerows((t, i, label, context, field) for t, i, label, field, context in rows)
        else:
            width = max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)
            full = matched_cells(hits, 10_000)
            natural = [
                max(len(x) for x in column)
                for column in zip(
                    ("Type", "Id", "Name", "Matched in"),
                    *((*r[:3], m) for r, m in zip(rows, full, strict=True)),
                    strict=True,
                )
            ]
            # The type is never cut; the id, name and match share the rest.
            widths = [
                natural[0],
                *column_widths(natural[1:], width - natural[0] - len(GAP), (0.38, 0.2, 0.42)),
            ]
            cells = matched_cells(hits, widths[3])
            for text in table_lines([(*r[:3], m) for r, m in zip(rows, cells, strict=True)], widths):
                print(text, file=out)
            print(hits_summary(hits), file=out)
        return 0
    finally:
        db.close()
