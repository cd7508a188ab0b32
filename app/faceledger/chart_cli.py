"""`faceledger chart`: the numbers behind a chart of the Charts page, or the chart itself.

faceledger chart counts|deployments|studies|events [--counted KIND] [--as-of YEAR] [--study ID]
                 [--format table|csv|json] [-o FILE] [--size WxH] [--db PATH]

Table, CSV and JSON give one row per bar, from the same query the Charts page draws
(`faceledger.data.charts`); `-o chart.png` or `-o chart.svg` draws the chart headless with the
page's own chart widgets, exactly as the page shows it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from faceledger.cli_errors import CliError
from faceledger.data import charts, deployment_charts, schema, study_charts
from faceledger.data.database import Database
from faceledger.data.export_files import Progress, write_atomically

if TYPE_CHECKING:
    from faceledger.ui.charts.view import ChartView

log = logging.getLogger(__name__)

CHARTS = ("counts", "deployments", "studies", "events")
IMAGE_FORMATS = ("png", "svg")
OTHER_IMAGE_FORMATS = ("pdf", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "eps", "ps")
DEFAULT_SIZE = (1200, 800)
# Where a table's reader finds the sources (the table format leaves them out).
SOURCES_IN_FILES = "Sources: --format csv or json."
SOURCES_IN_APP = {
    "deployments": "Each deployment and its sources are on FaceLedger's Deployments page.",
    "events": "Each event and its sources are on FaceLedger's Events page.",
}

EPILOG = (
    "counts: each vendor's reported count of one kind of thing (--counted, default "
    f"'{schema.DEFAULT_COUNTED}') for its face recognition, as of a year (--as-of; default the "
    "latest); kinds: " + ", ".join(charts.CHART_MEASURES) + ". deployments: documented customers per "
    "vendor and status. studies: one study's first measure with two figures or more, ranked (--study ID; "
    "--order worst|best, --limit N rows, 0 for all; a study with single figures: those in words). events: events "
    "per year and kind. -o FILE.png or FILE.svg draws the chart (--size WxH, default 1200x800; "
    "a chart with more rows than fit grows taller, so that every row is drawn)."
)


@dataclass(frozen=True)
class ChartTable:
    """One chart as rows: its title, column names, one row per bar, and notes under it."""

    chart: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    extra: dict[str, Any]


def add_chart_parser(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the `chart` subcommand to the `faceledger` parser."""
    p = sub.add_parser(
        "chart",
        help="a chart's numbers (table, CSV, JSON) or the chart itself (PNG, SVG)",
        description="The numbers behind a chart of the Charts page, one row per bar, or the chart drawn.",
        epilog=EPILOG,
    )
    p.add_argument("chart", choices=CHARTS, help="which chart")
    p.add_argument(
        "--counted",
        default=schema.DEFAULT_COUNTED,
        metavar="KIND",
        help=f"counts: what was counted (default: {schema.DEFAULT_COUNTED})",
    )
    p.add_argument(
        "--as-of", type=int, default=None, metavar="YEAR", help="counts: as reported in or before YEAR"
    )
    p.add_argument("--study", default=None, metavar="ID", help="studies: the study's id")
    p.add_argument(
        "--order",
        choices=(study_charts.WORST_FIRST, study_charts.BEST_FIRST),
        default=None,
        help="studies: worst (largest) or best (smallest) first (default: worst)",
    )
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help=f"studies: the first N rows (default {study_charts.DEFAULT_LIMIT}; 0: all)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument(
        "-o", "--output", default=None, metavar="FILE", help="write here (.png or .svg: the chart)"
    )
    p.add_argument(
        "--size",
        default=None,
        metavar="WxH",
        help="the image's size in pixels (default 1200x800; taller when the rows need it)",
    )
    add_db(p)


def run_chart(args: argparse.Namespace, out: TextIO) -> int:
    """Run `faceledger chart`; errors are one line (CliError or FaceLedgerError)."""
    if args.counted not in charts.CHART_MEASURES:
        raise CliError(
            f"--counted: unknown kind '{args.counted}' (kinds: {', '.join(charts.CHART_MEASURES)})"
        )
    if args.chart != "counts" and (args.as_of is not None or args.counted != schema.DEFAULT_COUNTED):
        raise CliError("--counted and --as-of apply to the counts chart only")
    if args.chart != "studies" and (args.study, args.order, args.limit) != (None, None, None):
        raise CliError("--study, --order and --limit apply to the studies chart only")
    if args.limit is not None and args.limit < 0:
        raise CliError(f"--limit: give a number of rows, 0 for all, not {args.limit}")
    order = args.order or study_charts.WORST_FIRST
    limit = study_charts.DEFAULT_LIMIT if args.limit is None else (args.limit or None)
    image = _image_format(args.output)
    if args.size is not None and image is None:
        raise CliError("--size applies to a PNG or SVG file (-o chart.png)")
    size = parse_size(args.size) if args.size is not None else DEFAULT_SIZE
    db = Database.open(getattr(args, "db", None))
    try:
        if image is not None:
            path = render_chart(
                db, args.chart, Path(args.output), size, args.counted, args.as_of, args.study, order, limit
            )
            print(f"wrote {path}", file=out)
            return 0
        table = chart_table(db, args.chart, args.counted, args.as_of, args.study, order, limit)
        text = format_table(table, args.format)
        if args.output is None or args.output == "-":
            out.write(text)
        else:
            _write_text(Path(args.output), text)
            print(
                f"wrote {len(table.rows):,} row{'s' if len(table.rows) != 1 else ''} to {args.output}",
                file=out,
            )
        return 0
    finally:
        db.close()


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m or not (800 <= int(m[1]) <= 10000 and 400 <= int(m[2]) <= 10000):
        # the count chart's vendor labels and words column need some 780 pixels across
        raise CliError(f"--size: give WIDTHxHEIGHT in pixels, from 800x400 to 10000x10000, not '{text}'")
    return int(m[1]), int(m[2])


def _image_format(output: str | None) -> str | None:
    if output is None or output == "-":
        return None
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix in OTHER_IMAGE_FORMATS:  # a picture asked for in a format charts are not drawn in
        raise CliError(f"-o {output}: a chart is drawn as .png or .svg, not .{suffix}")
    return suffix if suffix in IMAGE_FORMATS else None


# -- rows -----------------------------------------------------------------------------------------
def _sources_text(sources: Sequence[charts.SourceRef]) -> str:
    return "; ".join(s.line() for s in sources)


def default_study(db: Database, study_id: str | None) -> charts.StudyChoice:
    """The study a studies chart shows: `study_id`, else the one the Charts page opens on."""
    studies = charts.studies_with_figures(db)
    wanted = study_id or charts.DEFAULT_STUDY
    for s in studies:
        if s.study_id == wanted:
            return s
    if study_id is not None or not studies:
        raise CliError(
            f"--study: no study '{study_id}' with numeric figures" if study_id else "no study has figures"
        )
    return studies[0]


def chart_table(
    db: Database,
    chart: str,
    counted: str = schema.DEFAULT_COUNTED,
    as_of_year: int | None = None,
    study_id: str | None = None,
    order: str = study_charts.WORST_FIRST,
    limit: int | None = study_charts.DEFAULT_LIMIT,
) -> ChartTable:
    """A chart's bars as rows, from the query the Charts page draws them from."""
    if chart == "counts":
        cc = charts.count_chart(db, counted, as_of_year)
        rows: tuple[dict[str, Any], ...] = tuple(
            {
                "vendor": c.vendor_name,
                "value": c.value,
                "qualifier": c.qualifier,
                "value_text": c.value_text,
                "counted": c.counted,
                "product": c.product,
                "subject": c.subject,
                "region": c.region,
                "as_of": c.as_of,
                "reported_by": c.reported_by,
                "kind": c.kind,
                "verification": c.verification,
                "count_id": c.count_id,
                "sources": _sources_text(c.sources),
            }
            for c in cc.counts
        )
        extra: dict[str, Any] = {
            "counted": cc.counted,
            "as_of": cc.as_of_year,
            "no_count_of_this_kind": list(cc.no_count),
            "vendors_without_counts": cc.vendors_without_counts,
        }
        return ChartTable("counts", cc.title, tuple(rows[0]) if rows else _COUNT_COLUMNS, rows, extra)
    if chart == "deployments":
        dc = deployment_charts.documented_deployments(db)
        rows = tuple(
            {
                "vendor": s.vendor_name,
                "status": s.status,
                "customers": s.customers,
                "deployments": s.deployments,
                "vendor_customers": s.vendor_total,
            }
            for s in dc.segments
        )
        title = "Documented deployments in this database: customers per vendor, by deployment status"
        extra = {
            "vendors_shown": dc.vendors_shown,
            "vendors_total": dc.vendors_total,
            "undisclosed_deployments": dc.undisclosed_deployments,
        }
        return ChartTable("deployments", title, _columns(rows, _DEPLOYMENT_COLUMNS), rows, extra)
    if chart == "studies":
        choice = default_study(db, study_id)
        measures = study_charts.charted_measures(choice)
        if not measures:  # single figures: said in words, as the Charts page does
            rows = tuple(
                {
                    "metric": s.metric,
                    "subgroup": s.subgroup,
                    "value_text": s.value_text,
                    "unit": s.unit,
                    "verification": s.verification,
                }
                for s in study_charts.study_summary(db, choice.study_id)
            )
            extra = {"study": choice.study_id, "summary": True}
            return ChartTable(
                "studies-summary", f"{choice.title}: its figures", _SUMMARY_COLUMNS, rows, extra
            )
        metric, unit, _n = measures[0]
        ranked = study_charts.ranked_study(db, choice, metric, unit, None, order, limit)
        rows = tuple(
            {
                "place": r.position,
                "group": r.group,
                "company": r.company,
                "profiled": r.profiled,
                "value": r.value,
                "value_text": r.value_text,
                "how": r.detail,
                "figure_ids": "; ".join(f.figure_id for f in r.figures),
                "verification": ", ".join(sorted({f.verification for f in r.figures})),
                "sources": _sources_text(
                    sorted({s for f in r.figures for s in f.sources}, key=lambda s: s.source_id)
                ),
            }
            for r in ranked.rows
        )
        extra = {
            "study": choice.study_id,
            "metric": metric,
            "unit": unit,
            "ranked_by": ranked.rank_label,
            "order": order,
            "axis": ranked.value_words,
            "ranked": ranked.ranked,
            "legend": {code: words for code, words in ranked.legend},
            "profiled": [
                {"place": r.position, "group": r.group, "company": r.company} for r in ranked.profiled
            ],
        }
        title = f"{choice.title}: {metric}, ranked by {ranked.rank_label} ({order} first)"
        return ChartTable("studies", title, _columns(rows, _STUDY_COLUMNS), rows, extra)
    if chart == "events":
        rows = tuple({"year": r.year, "kind": r.kind, "events": r.events} for r in charts.events_per_year(db))
        return ChartTable("events", "Events per year, by kind", ("year", "kind", "events"), rows, {})
    raise CliError(f"unknown chart '{chart}' (charts: {', '.join(CHARTS)})")


_COUNT_COLUMNS = (
    "vendor",
    "value",
    "qualifier",
    "value_text",
    "counted",
    "product",
    "subject",
    "region",
    "as_of",
    "reported_by",
    "kind",
    "verification",
    "count_id",
    "sources",
)
_DEPLOYMENT_COLUMNS = ("vendor", "status", "customers", "deployments", "vendor_customers")
_STUDY_COLUMNS = (
    "place",
    "group",
    "company",
    "profiled",
    "value",
    "value_text",
    "how",
    "figure_ids",
    "verification",
    "sources",
)
_SUMMARY_COLUMNS = ("metric", "subgroup", "value_text", "unit", "verification")


def _columns(rows: Sequence[dict[str, Any]], default: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(rows[0]) if rows else default


def format_table(table: ChartTable, fmt: str) -> str:
    """The rows as JSON (an object: title, notes, `bars`), CSV (a header, one line per bar) or
    a plain-text table."""
    if fmt == "json":
        doc = {"chart": table.chart, "title": table.title, **table.extra, "bars": list(table.rows)}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=table.columns, lineterminator="\r\n")
        w.writeheader()
        w.writerows({k: "" if v is None else v for k, v in row.items()} for row in table.rows)
        return buf.getvalue()
    return _plain_table(table)


_TABLE_COLUMNS = {
    "counts": ("vendor", "value_text", "as_of", "verification", "subject"),
    "deployments": ("vendor", "status", "customers", "deployments"),
    "studies": ("place", "group", "company", "value_text", "how"),
    "studies-summary": ("metric", "value_text", "unit", "verification"),
    "events": ("year", "kind", "events"),
}


def _plain_table(table: ChartTable) -> str:
    cols = _TABLE_COLUMNS[table.chart]
    cells = [[_cell(c, row.get(c)) for c in cols] for row in table.rows]
    widths = [min(max([len(c), *(len(r[i]) for r in cells)]), 60) for i, c in enumerate(cols)]
    lines = [table.title, ""]
    lines.append("  ".join(c.replace("_", " ").ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
    for r in cells:
        lines.append("  ".join(_fit(v, w) for v, w in zip(r, widths, strict=True)).rstrip())
    if not cells:
        lines.append("(no bars)")
    no_count = table.extra.get("no_count_of_this_kind")
    if no_count:
        when = f" in or before {table.extra['as_of']}" if table.extra.get("as_of") else ""
        lines.append(f"\nNo count of this kind{when}: {', '.join(no_count)}.")
    n = len(table.rows)
    if table.chart == "studies":
        x = table.extra
        lines.append(f"\nValue: {x['axis']}.")
        if x.get("legend"):
            lines.append("Abbreviations: " + "; ".join(f"{k} = {v}" for k, v in x["legend"].items()) + ".")
        lines.append(
            f"{n:,} of {x['ranked']:,} ranked row{'s' if x['ranked'] != 1 else ''}. {SOURCES_IN_FILES}"
        )
    elif table.chart == "studies-summary":
        lines.append(
            f"{n:,} figure{'s' if n != 1 else ''}, single numbers: said in words, not drawn as bars."
        )
    else:
        note = SOURCES_IN_APP.get(table.chart, f"{charts.CHART_NOTE} {SOURCES_IN_FILES}")
        lines.append(f"{n:,} bar{'s' if n != 1 else ''}. {note}")
    if table.chart == "deployments" and table.extra.get("undisclosed_deployments"):
        lines.append(deployment_charts.undisclosed_note(table.extra["undisclosed_deployments"]))
    return "\n".join(lines) + "\n"


def _cell(column: str, value: object) -> str:
    if value is None:
        return ""
    if column == "verification":
        return schema.VERIFICATION.label(str(value))
    if isinstance(value, int) and column != "year":
        return f"{value:,}"
    return str(value)


def _fit(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def _write_text(path: Path, text: str) -> None:
    """Write the whole file or nothing, as CSV exports are written (`write_atomically`): a regular
    file beside the target, renamed over it; a symbolic link's target replaced so; a device or a
    pipe (/dev/stdout) written into directly, never replaced by a file."""

    def write(fh: TextIO, _shown: Path) -> Generator[Progress, None, int]:
        fh.write(text)
        yield len(text), len(text)
        return len(text)

    gen = write_atomically(path, write)
    while True:
        try:
            next(gen)
        except StopIteration:
            return


# -- images ---------------------------------------------------------------------------------------
def render_chart(
    db: Database,
    chart: str,
    path: Path,
    size: tuple[int, int],
    counted: str = schema.DEFAULT_COUNTED,
    as_of_year: int | None = None,
    study_id: str | None = None,
    order: str = study_charts.WORST_FIRST,
    limit: int | None = study_charts.DEFAULT_LIMIT,
) -> Path:
    """Draw a chart headless with the Charts page's own tab and chart widgets, at `size`."""
    if chart == "studies":
        study_id = default_study(db, study_id).study_id  # a one-line error before Qt starts
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415 (Qt only for an image)

    from faceledger.main import make_application  # noqa: PLC0415
    from faceledger.ui.charts import tabs  # noqa: PLC0415

    app = make_application()
    qInstallMessageHandler(_quiet_qpa)
    view: ChartView
    holder: Any
    if chart in ("counts", "deployments"):
        holder = tabs.CountsTab(db)
        if chart == "counts":
            holder.show_counted(counted, as_of_year)
        else:
            holder.show_measure("deployments")
        view = holder.chart()
    elif chart == "studies":
        holder = tabs.StudyTab(db)
        assert study_id is not None
        holder.show_study(study_id, order=order, limit=limit)
        view = holder.chart()
    else:
        holder = tabs.TimelineTab(db)
        view = holder.chart()
    try:
        view.setParent(None)  # the chart alone, at the size asked for
        view.details.hide()  # the line under the chart that repeats a hovered bar's details
        view.resize(*size)
        view.show()
        app.processEvents()
        view.view.ci.setGeometry(0, 0, *size)  # the size asked (taller on export if rows need it)
        app.processEvents()
        try:
            return view.export_chart(path)
        except (OSError, ValueError) as exc:
            raise CliError(f"cannot write {path}: {exc}") from exc
    finally:
        view.close()
        view.deleteLater()
        holder.deleteLater()
        app.processEvents()


def _quiet_qpa(mode: Any, context: Any, message: str) -> None:
    """Qt's messages while drawing headless: the offscreen platform's notices about window
    features it lacks are dropped; anything else goes to the log."""
    if "does not support" not in message:
        log.warning("Qt: %s", message)


__all__ = ["add_chart_parser", "chart_table", "format_table", "render_chart", "run_chart"]
