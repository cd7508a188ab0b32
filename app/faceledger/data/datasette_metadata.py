"""Datasette metadata for a FaceLedger database (Qt-free): what `faceledger datasette-metadata`
writes, what the build ships beside the bundled database and what `faceledger serve` runs with.

Everything that depends on the data is read from the database itself: the data version from its
meta table, the licences and attributions from its `datasets` table, which rows of each table
came from which dataset, the tables and their columns, and the full-text indexes (`fts_*`). The
words are the app's own: a column is described under the header its page shows
(`entities.ENTITIES`) or the label its detail pane shows (the column's label declared in `schema.TABLE`), enumerated
values with their labels from `schema`. Only the plain-words explanations are written here.

The output is deterministic (no clock), so the shipped file equals a fresh one.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from faceledger.data import schema
from faceledger.data.database import Database
from faceledger.data.entities import ALL_SPECS, ENTITIES, KNOWN_FROM, SECTORS
from faceledger.data.export_files import replace_file

METADATA_SUFFIX = ".datasette.json"
CURATED = "FaceLedger's curated research"
CURATED_LICENCE = "curated records: no licence stated"
# Tables the build computes for the charts or for itself: served, but listed apart.
HIDDEN_TABLES = frozenset(
    {"vendor_customer_stats", "vendor_customer_facets", "vendor_customer_by_filter", "meta"}
)
# Tables without a dataset_id column: their rows come with the records of these tables.
FOLLOWS: dict[str, tuple[str, ...]] = {
    "study_vendors": ("studies",),
    "event_vendors": ("events",),
    "event_customers": ("events",),
    "aliases": ("vendors", "customers"),
    "citations": (
        "vendors",
        "customers",
        "deployments",
        "customer_counts",
        "studies",
        "study_figures",
        "events",
    ),
    "vendor_customer_stats": ("deployments",),
    "vendor_customer_facets": ("deployments",),
    "vendor_customer_by_filter": ("deployments",),
}

TABLE_NOTES: dict[str, str] = {
    "vendors": "Companies and developers that sell or build face recognition.",
    "customers": "Police, government bodies and other organisations that bought, tried or were "
    "offered face recognition.",
    "deployments": "Which vendor's face recognition a customer used, tried, stopped or refused: one "
    "row per vendor and customer (and product), with its status and dates.",
    "customer_counts": "Numbers of customers that vendors, journalists, governments or researchers "
    "reported, with what exactly was counted; sizes given only in words stay words.",
    "studies": "Audits and studies of face recognition accuracy and bias.",
    "study_figures": "The figures each study reported, per vendor or algorithm and per group of people.",
    "events": "What happened: bans, moratoria, laws, fines, lawsuits, wrongful arrests, contracts "
    "and other incidents.",
    "sources": "Every document a record cites: its address, publisher, date and kind.",
    "datasets": "The third-party datasets imported into FaceLedger, with their licences and the "
    "attribution their licences ask for.",
    "study_vendors": "Which vendors each study examined.",
    "event_vendors": "Which vendors each event concerns.",
    "event_customers": "Which customers each event concerns.",
    "citations": "Which sources each record cites: every fact record has at least one.",
    "aliases": "Other names of vendors and customers, used by search.",
    "vendor_customer_stats": "Customers and deployments per vendor and status, computed from the "
    "deployments for the charts.",
    "vendor_customer_facets": "The same per customer type and country, for the charts' filters.",
    "vendor_customer_by_filter": "The same per customer type or per country alone (the filter "
    "column names which), for a chart filtered on one of them.",
    "meta": "Facts about this build of the database: data version, schema version, stored row order.",
}

# What a column holds, in plain words: by column name, then per table where a table means more.
COLUMN_NOTES: dict[str, str] = {
    "id": "the record's stable identifier, used in links and in the citations table.",
    "aliases": "other names it is known by, separated by semicolons.",
    "summary": "a short summary in FaceLedger's words.",
    "origin": "where the record comes from: 'curated' (FaceLedger's research) or the short name of "
    "the imported dataset.",
    "verification": "how well the record is confirmed: verified means a primary source (an official "
    "record, the publisher's own article, the paper, a court or regulator document) states it.",
    "verification_note": "what is and is not confirmed, and which copy was read when the original "
    "was not (the app shows it under the record's verification mark).",
    "note": "further remarks in FaceLedger's words.",
    "dataset_id": "the imported dataset the record comes from (see the datasets table); empty for "
    "FaceLedger's curated records.",
    "link": "the record's own page in the dataset it was imported from, when it has one.",
    "country": "country, as an ISO 3166-1 two-letter code (EU for the European Union).",
    "region": "state, province or area within the country.",
    "title": "the title.",
    "date": "the date (YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source).",
    "year": "the year of the date, as a number.",
    "url": "the web address.",
    "vendor_id": "the vendor (links to the vendors table, shown by its name).",
    "customer_id": "the customer (links to the customers table, shown by its name).",
    "study_id": "the study (links to the studies table, shown by its title).",
    "event_id": "the event (links to the events table, shown by its title).",
    "source_id": "the source (links to the sources table, shown by its title).",
    "vendor_name": "the vendor's name.",
    "customer_name": "the customer's name.",
    "status": "the deployment's status.",
    "customers": "the number of different customers.",
    "deployments": "the number of deployments.",
    "customer_type": "the customer's type.",
    "customer_country": "the customer's country (ISO 3166-1 two-letter code).",
    "value_text": "the number as the source gives it, with its qualifier, or the words it used.",
    "entity": "the record's table.",
    "record_id": "the record's identifier in that table.",
}
TABLE_COLUMN_NOTES: dict[tuple[str, str], str] = {
    ("datasets", "name"): "the dataset's name.",
    ("datasets", "publisher"): "who publishes the dataset (and who extracted the copy read).",
    ("datasets", "licence"): "the licence the imported rows stay under.",
    ("datasets", "licence_url"): "where the licence's text is.",
    ("datasets", "attribution"): "the credit to give when reusing the rows.",
    ("datasets", "url"): "the dataset's home page.",
    ("datasets", "retrieved"): "the date of the copy that was imported.",
    ("datasets", "upstream"): "the exact copy the rows were read from (repository, commit and file).",
    ("datasets", "rows_imported"): "how many records were imported from it.",
    ("datasets", "rows_detail"): "those records per record type.",
    ("datasets", "note"): "how the rows were selected and what to keep in mind.",
    ("sources", "publisher"): "who published the document.",
    ("sources", "title"): "the document's title.",
    ("sources", "kind"): "what kind of document it is; only primary and press sources can make a "
    "record verified.",
    ("sources", "dataset_id"): "the dataset the source belongs to, when it is a dataset's entry.",
    ("sources", "note"): "remarks on the document (for instance, which copy was read).",
    ("vendors", "name"): "the company's name.",
    ("vendors", "legal_name"): "the company's registered name.",
    ("vendors", "hq_country"): "the country of its headquarters (ISO 3166-1 two-letter code).",
    ("vendors", "hq_city"): "the city of its headquarters.",
    ("vendors", "founded"): "when it was founded.",
    ("vendors", "products"): "its face recognition products.",
    ("vendors", "website"): "its website.",
    ("vendors", "customer_count"): "how many customers FaceLedger documents for it (deployments of "
    "any status).",
    ("vendors", "event_count"): "how many events concern it.",
    ("vendors", "known_from"): "what FaceLedger knows the vendor from, most substantial first.",
    ("vendors", "reported_customers"): "the count of law-enforcement customers the Charts page "
    "shows for it, with its year and, when not verified, its status.",
    ("vendors", "reported_customers_sort"): "that count as a number for sorting (sizes given in "
    "words below zero).",
    ("customers", "name"): "the organisation's name.",
    ("customers", "type"): "what kind of organisation it is.",
    ("customers", "parent_id"): "the organisation it is part of (links to the customers table).",
    ("customers", "vendor_count"): "how many vendors FaceLedger links it to.",
    ("customers", "event_count"): "how many events concern it.",
    ("customers", "sector"): "its type grouped by sector.",
    ("deployments", "product"): "the product used, tried or offered.",
    ("deployments", "start"): "when it started (as precise as the source).",
    ("deployments", "end"): "when it ended, when a source says.",
    ("deployments", "summary"): "what happened, in FaceLedger's words.",
    ("customer_counts", "vendor_name"): "the vendor whose customers were counted (empty for counts "
    "across all vendors).",
    ("customer_counts", "subject"): "exactly what was counted, in the source's terms.",
    ("customer_counts", "qualifier"): "how exact the number is, or the words used instead of one.",
    ("customer_counts", "value"): "the number, when the source gives one.",
    ("customer_counts", "region"): "where the counted customers are.",
    ("customer_counts", "as_of"): "the date the count refers to.",
    ("customer_counts", "reported_by"): "who reported the count.",
    ("customer_counts", "kind"): "what kind of reporter gave it.",
    ("customer_counts", "counted"): "what kind of thing was counted (the Charts page compares one "
    "kind at a time).",
    ("customer_counts", "product"): "which of the vendor's products the count is about.",
    ("customer_counts", "scope"): "whether the count covers all such customers or one part of them.",
    ("studies", "title"): "the study's title.",
    ("studies", "authors"): "its authors, separated by semicolons.",
    ("studies", "org"): "the organisation that made it.",
    ("studies", "venue"): "where it was published.",
    ("studies", "url"): "where to read it.",
    ("studies", "method"): "how the study was done.",
    ("study_figures", "vendor_label"): "the vendor or algorithm the figure is about, as the study names it.",
    ("study_figures", "subgroup"): "the group of people or the test the figure is for.",
    ("study_figures", "metric"): "what the figure measures.",
    ("study_figures", "value"): "the figure as a number.",
    ("study_figures", "value_text"): "the figure as the study gives it.",
    ("study_figures", "unit"): "its unit.",
    ("study_figures", "location"): "where in the study the figure is.",
    ("events", "kind"): "what kind of event it is.",
    ("events", "title"): "what happened, in a line.",
    ("events", "jurisdiction"): "the city, state or country whose rules or courts it concerns.",
    ("events", "vendor_names"): "the vendors it concerns, separated by semicolons.",
    ("events", "customer_names"): "the customers it concerns, separated by semicolons.",
    ("events", "amount"): "the sum of money involved (a fine, settlement or contract), when there is one.",
    ("events", "currency"): "the currency of that sum (ISO 4217 code).",
    ("events", "person"): "the person it happened to (for instance, someone wrongly arrested).",
    ("events", "place"): "where it happened.",
    ("citations", "entity"): "the table of the record that cites the source.",
    ("aliases", "entity"): "the table of the record (vendors or customers).",
    ("aliases", "alias"): "the other name.",
    ("vendor_customer_stats", "status"): "the deployments' status.",
    ("vendor_customer_facets", "status"): "the deployments' status.",
    ("vendor_customer_by_filter", "status"): "the deployments' status.",
    ("vendor_customer_by_filter", "filter"): "customer_type or customer_country: the filter of the row.",
    ("vendor_customer_by_filter", "value"): "the customers' type or country.",
    ("meta", "key"): "the name of the fact.",
    ("meta", "value"): "its value.",
}

# Enumerated columns and their values (the one declaration in `schema` or `entities`).
VOCABULARIES: dict[tuple[str, str], schema.Vocabulary | tuple[str, ...]] = {
    ("sources", "kind"): schema.SOURCE_KINDS,
    ("vendors", "known_from"): KNOWN_FROM,
    ("customers", "type"): schema.CUSTOMER_TYPES,
    ("customers", "sector"): SECTORS,
    ("deployments", "customer_type"): schema.CUSTOMER_TYPES,
    ("deployments", "status"): schema.DEPLOYMENT_STATUSES,
    ("customer_counts", "qualifier"): schema.QUALIFIERS,
    ("customer_counts", "kind"): schema.COUNT_KINDS,
    ("customer_counts", "counted"): schema.COUNTED,
    ("customer_counts", "product"): schema.PRODUCTS,
    ("customer_counts", "scope"): schema.SCOPES,
    ("events", "kind"): schema.EVENT_KINDS,
    ("vendor_customer_stats", "status"): schema.DEPLOYMENT_STATUSES,
    ("vendor_customer_facets", "status"): schema.DEPLOYMENT_STATUSES,
    ("vendor_customer_facets", "customer_type"): schema.CUSTOMER_TYPES,
    ("vendor_customer_by_filter", "status"): schema.DEPLOYMENT_STATUSES,
}


def metadata_path(db_path: Path) -> Path:
    """Where the metadata of `db_path` is shipped: beside it (`faceledger.db.datasette.json`)."""
    return db_path.with_name(db_path.name + METADATA_SUFFIX)


def app_label(table: str, column: str) -> str:
    """The words the app shows for `column`: its page's header, else its detail pane's label
    ("" for a column the app does not show)."""
    spec = ALL_SPECS.get(table)
    if spec is not None and column in spec.keys:
        return spec.field(column).header
    if column in _NOT_SHOWN:
        return ""
    declared = schema.TABLE.get(table)
    if declared is None or column not in declared.column_names:
        return ""
    return declared.column(column).label


# Columns the app keeps to itself (identifiers, sort keys, link tables): no label.
_NOT_SHOWN = frozenset({"id", "dataset_id", "parent_id", "year", "reported_customers_sort"})


def column_note(table: str, column: str) -> str | None:
    """The plain-words explanation of `column`, or None when none is written."""
    return TABLE_COLUMN_NOTES.get((table, column)) or COLUMN_NOTES.get(column)


def column_description(table: str, column: str) -> str:
    """ "Country: what the column holds. Values: ..." under the app's label, in plain words."""
    label = app_label(table, column)
    note = column_note(table, column) or "no description written yet."
    text = f"{label}: {note}" if label else f"No column of its own in the app: {note}"
    values = VOCABULARIES.get((table, column))
    if column == "verification":
        values = schema.VERIFICATION  # every fact record's
    if values is not None:
        text += " Values: " + _values_text(values) + "."
    return text


def _values_text(values: schema.Vocabulary | tuple[str, ...]) -> str:
    if isinstance(values, tuple):
        return ", ".join(values)
    words = []
    for v in values:
        label = values.label(v)
        words.append(v if label == v else f"{v} (shown as “{label}”)")
    return ", ".join(words)


# -- reading the database -------------------------------------------------------------------------
def _tables(db: Database) -> list[str]:
    """The tables Datasette lists (search-index tables left out), in name order."""
    rows = db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "AND name NOT LIKE 'fts\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [str(r[0]) for r in rows]


def search_tables(db: Database) -> dict[str, str]:
    """Each table's full-text index (`vendors` -> `fts_vendors`), as the database holds them: FTS5
    tables whose rowids are their table's rowids (the build writes them so)."""
    rows = db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fts\\_%' ESCAPE '\\' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name"
    )
    tables = set(_tables(db))
    return {str(n)[4:]: str(n) for (n,) in rows if str(n)[4:] in tables}


def _datasets(db: Database) -> list[dict[str, Any]]:
    keys = ("id", "name", "publisher", "licence", "licence_url", "attribution", "url", "retrieved")
    rows = db.query(f"SELECT {', '.join(keys)}, rows_imported FROM datasets ORDER BY id")
    return [{**dict(zip(keys, (str(v or "") for v in r[:-1]), strict=True)), "rows": r[-1]} for r in rows]


def _rows_by_dataset(db: Database, table: str) -> dict[str, int]:
    """The table's rows per dataset id ("" for curated rows), for a table with `dataset_id`."""
    rows = db.query(f"SELECT COALESCE(dataset_id, ''), COUNT(*) FROM \"{table}\" GROUP BY 1 ORDER BY 1")
    return {str(d): int(n) for d, n in rows}


def _origins(db: Database, table: str) -> dict[str, int] | None:
    """Rows per dataset of `table`, of the tables it follows (summed), or None when neither."""
    if "dataset_id" in db.columns(table):
        return _rows_by_dataset(db, table)
    if table not in FOLLOWS:
        return None
    total: dict[str, int] = {}
    for other in FOLLOWS[table]:
        for ds, n in _rows_by_dataset(db, other).items():
            total[ds] = total.get(ds, 0) + n
    return total


def _licence_text(dataset_ids: Sequence[str], datasets: dict[str, dict[str, Any]]) -> str:
    """The licences of these datasets' rows, each once ("" stands for the curated records)."""
    licences = [datasets[d]["licence"] or "licence not stated" for d in dataset_ids if d in datasets]
    parts = list(dict.fromkeys(licences))
    if "" in dataset_ids:
        parts.append(CURATED_LICENCE)
    return "; ".join(parts)


def _table_metadata(
    db: Database, table: str, datasets: dict[str, dict[str, Any]], fts: dict[str, str]
) -> dict[str, Any]:
    columns = db.columns(table)
    origins = _origins(db, table)
    description = TABLE_NOTES.get(table, "")
    spec = ALL_SPECS.get(table)
    if table in ENTITIES:
        description += f" The app's {ENTITIES[table].title} page shows it."
    elif spec is not None:
        description += f" The app lists them in the details of each {ENTITIES['studies'].singular}."
    out: dict[str, Any] = {}
    if origins is not None:
        ids = [d for d in origins if d == "" or d in datasets]
        parts = []
        for d in ids:
            n = origins[d]
            row_word = "row" if n == 1 else "rows"
            if d == "":
                parts.append(f"{n:,} {row_word} from {CURATED}")
            else:
                ds = datasets[d]
                parts.append(
                    f"{n:,} {row_word} from {ds['name']} ({ds['licence']}; attribution: {ds['attribution']})"
                )
        if table in FOLLOWS:
            description += " Its rows come with the records of " + ", ".join(FOLLOWS[table]) + ":"
        else:
            description += " Rows:"
        description += f" {'; '.join(parts)}." if parts else " none."
        out["license"] = _licence_text(ids, datasets)
        licence_urls = {datasets[d]["licence_url"] for d in ids if d in datasets}
        if "" not in ids and len(licence_urls) == 1:
            out["license_url"] = licence_urls.pop()
        names = ([CURATED] if "" in ids else []) + [datasets[d]["name"] for d in ids if d in datasets]
        out["source"] = "; ".join(names)
        if "" not in ids and len(ids) == 1 and datasets[ids[0]]["url"]:
            out["source_url"] = datasets[ids[0]]["url"]
    elif table == "datasets":
        description += " Each row gives its own licence and attribution."
        out["source"] = "; ".join(ds["name"] for ds in datasets.values())
    else:
        out["source"] = CURATED
    out["description"] = description
    out["columns"] = {c: column_description(table, c) for c in columns}
    if table in fts:
        out["fts_table"] = fts[table]
        out["fts_pk"] = "rowid"
    if spec is not None:
        sortable = list(dict.fromkeys(f.sort_key for f in spec.fields if f.sort_key in columns))
        out["sortable_columns"] = sortable
        try:
            default = spec.field(spec.default_sort).sort_key
        except KeyError:
            default = spec.default_sort
        if default in sortable:
            out["sort" if spec.default_ascending else "sort_desc"] = default
        facets = [f.key for f in spec.facets if f.key in columns]
        if facets:
            out["facets"] = facets
        out["label_column"] = spec.label
    if table in HIDDEN_TABLES:
        out["hidden"] = True
    return out


def datasette_metadata(db: Database, name: str | None = None) -> dict[str, Any]:
    """The Datasette metadata of `db`, served under the database name `name` (Datasette names a
    database after its file: `faceledger` for `faceledger.db`)."""
    name = name or db.path.stem
    meta = db.meta()
    datasets = {ds["id"]: ds for ds in _datasets(db)}
    fts = search_tables(db)
    newest_source = db.query_one("SELECT MAX(date) FROM sources WHERE date <> ''")
    newest_import = db.query_one("SELECT MAX(retrieved) FROM datasets WHERE retrieved <> ''")
    version = meta.get("data_version", "unknown")
    dated = []
    if newest_source and newest_source[0]:
        dated.append(f"its newest source is dated {newest_source[0]}")
    if newest_import and newest_import[0]:
        dated.append(f"its newest imported dataset was retrieved on {newest_import[0]}")
    about = (
        "Face recognition sold to law enforcement: who sells it, who buys it, what the audits "
        "found and what happened since. Every fact cites its sources (the citations table) and "
        "says how well it is verified; unverified claims are marked as such."
    )
    version_text = f"Data version {version} (schema {meta.get('schema_version', '?')})"
    version_text += (": " + " and ".join(dated) + ".") if dated else "."
    served = "Served read-only: nothing here can be changed."
    all_ids = [""] + list(datasets)
    html_parts = [
        f"<p>{html.escape(about)}</p>",
        f"<p>{html.escape(version_text)} {html.escape(served)}</p>",
        "<p>Licences and attribution:</p>",
        "<ul>",
        f"<li>{html.escape(CURATED)}: no licence stated; every record cites its sources.</li>",
    ]
    for ds in datasets.values():
        licence = html.escape(ds["licence"] or "licence not stated")
        if ds["licence_url"]:
            licence = f'<a href="{html.escape(ds["licence_url"])}">{licence}</a>'
        dataset = html.escape(ds["name"])
        if ds["url"]:
            dataset = f'<a href="{html.escape(ds["url"])}">{dataset}</a>'
        rows = f"{ds['rows']:,} records imported" if ds["rows"] is not None else "records imported"
        html_parts.append(
            f"<li>{dataset} ({html.escape(ds['publisher'])}; retrieved {html.escape(ds['retrieved'])}; "
            f"{rows}): licence {licence}. Attribution: {html.escape(ds['attribution'])}</li>"
        )
    html_parts.append("</ul>")
    description = f"{about} {version_text} {served}"
    licence = _licence_text(all_ids, datasets)
    n = len(datasets)
    source = f"{CURATED} and {n} imported dataset{'' if n == 1 else 's'} (listed on the home page)"
    tables = {t: _table_metadata(db, t, datasets, fts) for t in _tables(db)}
    # The stored trigram counts are a plain table under a search-index name (the opening check
    # requires one beside each index): hidden, as Datasette hides the full-text indexes themselves.
    tables.update({schema.trigram_rows(t): {"hidden": True} for t in fts})
    return {
        "title": "FaceLedger",
        "description": description,
        "description_html": "\n".join(html_parts),
        "license": licence,
        "source": source,
        "databases": {
            name: {
                "description": description,
                "license": licence,
                "source": source,
                "tables": tables,
            }
        },
    }


def metadata_json(metadata: dict[str, Any]) -> str:
    """The metadata as the file holds it: UTF-8 JSON, indented, one trailing newline."""
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


def write_metadata(db_path: Path, out: Path | None = None) -> Path:
    """Write the metadata of the database at `db_path` to `out` (default: beside the database)."""
    target = out or metadata_path(db_path)
    db = Database.open(db_path)
    try:
        text = metadata_json(datasette_metadata(db))
    finally:
        db.close()
    replace_file(target, text.encode("utf-8"))
    return target
