"""The declarations of what FaceLedger's records may hold (Qt-free): every enumerated field's
values, in one order, with the words the app shows for them.

`db/build.py` validates the text sources against these, the data layer queries with them and the
charts and the command line label with them: a value is declared here once and imported where it
is needed. Each vocabulary keeps its values in the order the app lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple


class Vocabulary:
    """The allowed values of one field, in order, each with the label a reader sees."""

    __slots__ = ("name", "_labels", "values")

    def __init__(self, name: str, terms: tuple[tuple[str, str], ...]) -> None:
        self.name = name
        self.values: tuple[str, ...] = tuple(value for value, _label in terms)
        self._labels: dict[str, str] = dict(terms)
        if len(self._labels) != len(terms):
            raise ValueError(f"vocabulary {name!r} lists a value twice")

    def __contains__(self, value: object) -> bool:
        return value in self._labels

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def label(self, value: str) -> str:
        """The words shown for `value` (the value itself when it is not in the vocabulary)."""
        return self._labels.get(value, value)

    def rank(self, value: str) -> int:
        """`value`'s place in the order (values not in the vocabulary last)."""
        return self.values.index(value) if value in self._labels else len(self.values)

    def sql_rank(self, column: str) -> str:
        """A SQL expression giving `column`'s place in the order (others last). The values are
        declared here, never typed by a user, so they are written into the SQL as literals."""
        whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(self.values))
        return f"CASE {column} {whens} ELSE {len(self.values)} END"


def _same(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


# -- verification (every fact record) ------------------------------------------------------------
VERIFICATION = Vocabulary(
    "verification",
    (("verified", "verified"), ("partial", "partly verified"), ("unverified", "unverified")),
)

# -- sources and customers -----------------------------------------------------------------------
SOURCE_KINDS = Vocabulary(
    "source kind", _same("primary", "press", "relay-or-mirror", "aggregator", "dataset")
)
CUSTOMER_TYPES = Vocabulary(
    "customer type",
    _same(
        "local police",
        "sheriff",
        "state police",
        "regional police force",
        "national police",
        "federal agency",
        "national government",
        "supranational agency",
        "prosecutor",
        "corrections",
        "military",
        "local government",
        "state government",
        "private company",
        "education",
        "other",
    ),
)

# -- deployments: from in use to never used ------------------------------------------------------
DEPLOYMENT_STATUSES = Vocabulary(
    "deployment status",
    _same("active", "trial", "paused", "ended", "declined", "barred", "pitch-only", "unknown"),
)
# An ended deployment with no end date: the build accepts one only with `end_not_known = true`,
# so an ended deployment without an end is one whose end is not known; shown in these words.
END_NOT_KNOWN = "not known"


def end_shown(end: str | None, status: str | None) -> str:
    """A deployment's end as shown: its date, "not known" when it ended on no known date, else ""."""
    if end:
        return end
    return END_NOT_KNOWN if status == "ended" else ""


# -- events: incidents and rules first, business news after --------------------------------------
EVENT_KINDS = Vocabulary(
    "event kind",
    _same(
        "incident",
        "ban",
        "moratorium",
        "law",
        "fine",
        "settlement",
        "wrongful arrest",
        "lawsuit",
        "ruling",
        "order",
        "policy",
        "announcement",
        "audit",
        "report",
        "contract",
        "exit",
        "product change",
        "misuse",
        "data breach",
        "other",
    ),
)

# -- reported customer counts --------------------------------------------------------------------
QUALIFIERS = Vocabulary(
    "qualifier",
    _same(
        "exact",
        "about",
        "at least",
        "more than",
        "up to",
        "a handful",
        "several",
        "dozens",
        "hundreds",
        "not disclosed",
    ),
)
NUMERIC_QUALIFIERS = frozenset({"exact", "about", "at least", "more than", "up to"})
LOWER_BOUND_QUALIFIERS = frozenset({"at least", "more than"})
UPPER_BOUND_QUALIFIERS = frozenset({"up to"})
UNDISCLOSED = "not disclosed"
# The placeholder vendor of deployments whose vendor a source does not name (not a vendor: the
# deployments chart leaves it out of its bars and counts its deployments in its footer).
UNDISCLOSED_VENDOR = "undisclosed-vendor"
# Sizes given only in words, smallest first: shown as the words, never as a height.
SIZE_WORDS = ("a handful", "several", "dozens", "hundreds")
# Qualifiers that never carry a number ("a handful" stays words; "not disclosed" has none).
WORD_QUALIFIERS = (*SIZE_WORDS, UNDISCLOSED)

# Who reported a count.
COUNT_KINDS = Vocabulary(
    "reporter kind", _same("company claim", "journalism", "government record", "research")
)

# What a count counts: charts compare one of these at a time.
COUNTED = Vocabulary(
    "what was counted",
    (
        ("law-enforcement agencies", "law-enforcement agencies"),
        ("other government agencies", "other government agencies"),
        ("organisations of several kinds", "agencies and organisations of several kinds together"),
        ("countries", "countries"),
        ("users or accounts", "individual users, accounts or officials"),
        ("installations or contracts", "installations, systems or contracts"),
        ("searches or cases", "searches or cases"),
        ("unclear", "not clear what was counted"),
    ),
)
# Which product a count is about. Charts of customer counts show face recognition only.
FACE_RECOGNITION = "face recognition"
PRODUCTS = Vocabulary(
    "product",
    (
        (FACE_RECOGNITION, "the vendor's face recognition"),
        ("all biometrics", "all its biometrics together (not face recognition alone)"),
        ("all products", "all its products together (not face recognition alone)"),
        ("licence-plate recognition", "licence-plate recognition (not face recognition)"),
        ("Ring", "Ring doorbell-video partnerships (not face recognition)"),
        ("identity documents", "identity documents (not face recognition by police)"),
    ),
)
# Whether a count covers the vendor's customers of that kind as reported, or one part of them
# (one region or group, such as Canada only); only the first compare across vendors.
SCOPES = Vocabulary(
    "scope",
    (
        ("overall", "its customers overall, as reported"),
        ("part", "one region or group of its customers only"),
    ),
)
# The measure the count chart and the Vendors table's "Reported customers" show by default.
DEFAULT_COUNTED = "law-enforcement agencies"



# -- tables and columns --------------------------------------------------------------------------
# Every table the build writes, every column in the order it is stored, and for each column: the
# text-source field it is read from and what that field may hold, the words the detail pane shows
# for it, and whether search reads it. The build (`db/`), the records (`faceledger.data.records`),
# the opening check (`faceledger.data.database`), the detail pane and the synthetic benchmark
# generator all read this declaration: adding a column is one line here plus its data.


class Column(NamedTuple):
    """One stored column.

    `field` is the text-source field the build copies into it ("" for a column the build computes);
    `check` says what that field may hold: str, list (stored "; "-joined), bool, int, num, date
    (ISO 8601; stored NULL when empty), enum (a value of `vocabulary`), id:<kind> (the id of a
    record of that kind; stored NULL when empty), ids:<kind> or dataset (a dataset id). `label` is
    what the detail pane calls it ("" keeps it out of the pane); `default` is its value when a
    source record, a synthetic row or a record lacks it; `search` puts it in the search index."""

    name: str
    type: type = str
    label: str = ""
    field: str = ""
    check: str = ""
    required: bool = False
    vocabulary: Vocabulary | None = None
    default: Any = ""
    references: str = ""
    not_null: bool = False
    search: bool = False


class Table(NamedTuple):
    """One table: the record kind its rows come from in the text sources ("" for a table the
    build derives), its columns, the record class the app reads a row into, and the source fields
    stored elsewhere (`inputs`: a record's `sources` become rows of `citations`)."""

    name: str
    kind: str
    columns: tuple[Column, ...]
    record: str = ""
    inputs: tuple[Column, ...] = ()
    pk: str | tuple[str, ...] = "id"
    search_label: str = ""

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def fields(self) -> dict[str, Column]:
        """The fields a text-source record of this kind may have, by field name."""
        return {**{c.field: c for c in self.columns if c.field}, **{c.name: c for c in self.inputs}}

    @property
    def search_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.search)


def _text(name: str, label: str = "", *, required: bool = False, search: bool = False) -> Column:
    """A text column copied from the source field of the same name."""
    return Column(name, str, label, name, "str", required, search=search)


def _date(name: str, label: str = "", *, required: bool = False) -> Column:
    return Column(name, str, label, name, "date", required, default=None)


def _enum(name: str, vocabulary: Vocabulary, label: str = "", *, search: bool = False) -> Column:
    return Column(name, str, label, name, "enum", True, vocabulary, search=search)


def _ref(name: str, field: str, kind: str, table: str, *, required: bool = False) -> Column:
    """The id of a record of `kind` (stored in `table`), from the source field `field`."""
    return Column(name, str, "", field, f"id:{kind}", required, default=None, references=table)


def _link(name: str, table: str) -> Column:
    """A column of a table the build derives, pointing to `table`."""
    return Column(name, str, references=table)


def _computed(name: str, type_: type = str, label: str = "", default: Any = "", *, search: bool = False) -> Column:
    return Column(name, type_, label, default=default, search=search)


# Every fact record (not a source or a dataset) ends with these columns; its record class has them
# right after its id.
FACT_COLUMNS = (
    Column("verification", str, "", "verification", "enum", True, VERIFICATION, not_null=True),
    _text("verification_note"),
    _text("note", "Note"),
    Column("dataset_id", str, "", "dataset", "dataset", default=None, references="datasets"),
    _text("link", "Dataset entry"),
)
# Every fact record cites at least one source (stored as rows of `citations`); an importer may say
# which dataset it came from (`origin`; stored for vendors and customers).
FACT_INPUTS = (Column("sources", check="ids:source", required=True), Column("origin", check="str"))
_ORIGIN = Column("origin", str, "Origin", "origin", "str", default="curated")
_NAME = _text("name", "Name", required=True, search=True)
_ALIASES = Column("aliases", str, "Also known as", "aliases", "list", search=True)
_SUMMARY = _text("summary", "Summary")

TABLES: tuple[Table, ...] = (
    Table(
        "datasets",
        "",
        (
            _computed("id"),
            Column("name", str, "Name", not_null=True, search=True),
            Column("publisher", str, "Publisher", search=True),
            Column("licence", str, "Licence", not_null=True, search=True),
            _computed("licence_url", label="Licence text"),
            Column("attribution", str, "Attribution", not_null=True, search=True),
            _computed("url", label="Address"),
            _computed("retrieved", label="Retrieved"),
            _computed("upstream", label="Copied from"),
            _computed("rows_imported", int, "Rows imported", None),
            _computed("rows_detail", label="Rows per table"),
            _computed("note", label="Note"),
        ),
        record="Dataset",
        search_label="name",
    ),
    Table(
        "sources",
        "source",
        (
            _text("id", required=True),
            Column("url", str, "Address", "url", "str", True, not_null=True, search=True),
            Column("publisher", str, "Publisher", "publisher", "str", True, not_null=True, search=True),
            _text("title", "Title", search=True),
            _date("date", "Date"),
            Column("kind", str, "Kind", "kind", "enum", True, SOURCE_KINDS, not_null=True),
            Column("dataset_id", str, "", "dataset", "dataset", default=None, references="datasets"),
            _text("note", "Note"),
        ),
        record="Source",
        search_label="title",
    ),
    Table(
        "vendors",
        "vendor",
        (
            _text("id", required=True),
            _NAME,
            _ALIASES,
            _text("legal_name", "Legal name", search=True),
            _text("hq_country", "Country", search=True),
            _text("hq_city", "Headquarters"),
            _date("founded", "Founded"),
            _text("products", "Products", search=True),
            _text("website", "Website"),
            _text("summary", "Summary", search=True),
            _ORIGIN,
            _computed("customer_count", int, default=0),
            _computed("event_count", int, default=0),
            _computed("known_from", label="Known from"),
            _computed("reported_customers", label="Reported customers"),
            _computed("reported_customers_sort", int, default=None),
            *FACT_COLUMNS,
        ),
        record="Vendor",
        inputs=FACT_INPUTS,
        search_label="name",
    ),
    Table(
        "customers",
        "customer",
        (
            _text("id", required=True),
            _NAME,
            _ALIASES,
            _enum("type", CUSTOMER_TYPES, "Type", search=True),
            _text("country", "Country", search=True),
            _text("region", "Region", search=True),
            _ref("parent_id", "parent", "customer", "customers"),
            _text("summary", "Summary", search=True),
            _ORIGIN,
            _computed("vendor_count", int, default=0),
            _computed("event_count", int, default=0),
            _computed("sector", label="Sector"),
            *FACT_COLUMNS,
        ),
        record="Customer",
        inputs=FACT_INPUTS,
        search_label="name",
    ),
    Table(
        "deployments",
        "deployment",
        (
            _text("id", required=True),
            _ref("vendor_id", "vendor", "vendor", "vendors", required=True),
            _ref("customer_id", "customer", "customer", "customers", required=True),
            _computed("vendor_name", label="Vendor", search=True),
            _computed("customer_name", label="Customer", search=True),
            _computed("customer_type", label="Customer type"),
            _computed("customer_country", label="Customer country"),
            _text("product", "Product", search=True),
            _enum("status", DEPLOYMENT_STATUSES, "Status", search=True),
            _date("start", "Start"),
            _date("end", "End"),
            _text("summary", "Summary", search=True),
            *FACT_COLUMNS,
        ),
        record="Deployment",
        inputs=(*FACT_INPUTS, Column("end_not_known", check="bool")),
        search_label="vendor_name",
    ),
    Table(
        "customer_counts",
        "count",
        (
            _text("id", required=True),
            _ref("vendor_id", "vendor", "vendor", "vendors"),
            _computed("vendor_name", label="Vendor", search=True),
            _text("subject", "What was counted", required=True, search=True),
            _enum("qualifier", QUALIFIERS, "Qualifier"),
            Column("value", int, "", "value", "int", default=None),
            _computed("value_text", label="Count", search=True),
            _text("region", "Region", search=True),
            _date("as_of", "As of"),
            _text("reported_by", "Reported by", required=True, search=True),
            _enum("kind", COUNT_KINDS, "Kind"),
            _enum("counted", COUNTED, "Kind of thing counted"),
            _enum("product", PRODUCTS, "Product"),
            _enum("scope", SCOPES, "Scope"),
            *FACT_COLUMNS,
        ),
        record="CustomerCount",
        inputs=FACT_INPUTS,
        search_label="vendor_name",
    ),
    Table(
        "studies",
        "study",
        (
            _text("id", required=True),
            _text("title", "Title", required=True, search=True),
            _text("authors", "Authors", search=True),
            _text("org", "Organisation", search=True),
            _text("venue", "Published in", search=True),
            _date("date", "Date", required=True),
            _computed("year", int, default=None),
            _text("url", "Address"),
            _text("method", "Method", search=True),
            *FACT_COLUMNS,
        ),
        record="Study",
        inputs=(*FACT_INPUTS, Column("vendors", check="ids:vendor")),
        search_label="title",
    ),
    Table(
        "study_vendors",
        "",
        (_link("study_id", "studies"), _link("vendor_id", "vendors")),
        pk=("study_id", "vendor_id"),
    ),
    Table(
        "study_figures",
        "figure",
        (
            _text("id", required=True),
            _ref("study_id", "study", "study", "studies", required=True),
            _ref("vendor_id", "vendor", "vendor", "vendors"),
            _text("vendor_label", "Vendor as the study names it", search=True),
            _text("subgroup", "Subgroup", search=True),
            _text("metric", "Metric", required=True, search=True),
            Column("value", float, "Number", "value", "num", default=None),
            _text("value_text", "Value as written", search=True),
            _text("unit", "Unit"),
            Column("location", str, "Where in the study", "where", "str", search=True),
            *FACT_COLUMNS,
        ),
        record="StudyFigure",
        inputs=FACT_INPUTS,
        search_label="metric",
    ),
    Table(
        "events",
        "event",
        (
            _text("id", required=True),
            _date("date", "Date", required=True),
            _computed("year", int, default=None),
            _enum("kind", EVENT_KINDS, "Kind", search=True),
            _text("title", "Title", required=True, search=True),
            _text("summary", "Summary", search=True),
            _text("jurisdiction", "Jurisdiction", search=True),
            _text("country", "Country"),
            _computed("vendor_names", label="Vendors", search=True),
            _computed("customer_names", label="Customers", search=True),
            Column("amount", float, "Amount", "amount", "num", default=None),
            _text("currency", "Currency"),
            _text("person", "Person", search=True),
            _text("place", "Place", search=True),
            *FACT_COLUMNS,
        ),
        record="Event",
        inputs=(*FACT_INPUTS, Column("vendors", check="ids:vendor"), Column("customers", check="ids:customer")),
        search_label="title",
    ),
    Table(
        "event_vendors",
        "",
        (_link("event_id", "events"), _link("vendor_id", "vendors")),
        pk=("event_id", "vendor_id"),
    ),
    Table(
        "event_customers",
        "",
        (_link("event_id", "events"), _link("customer_id", "customers")),
        pk=("event_id", "customer_id"),
    ),
    Table(
        "citations",
        "",
        (_computed("entity"), _computed("record_id"), _link("source_id", "sources")),
        pk=("entity", "record_id", "source_id"),
    ),
    Table("aliases", "", (_computed("entity"), _computed("record_id"), _computed("alias")), pk=("entity", "record_id", "alias")),
)
TABLE: dict[str, Table] = {t.name: t for t in TABLES}
# The record kinds of the text sources (`[[vendor]]`) and the table each is stored in.
TABLE_OF_KIND: dict[str, Table] = {t.kind: t for t in TABLES if t.kind}
# The tables of fact records: each row has a verification status and cites its sources.
FACT_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if "sources" in {c.name for c in t.inputs})
# Tables the build computes from the others, which the app reads too.
STATISTICS_TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "vendor_customer_stats": ("vendor_id", "status", "customers", "deployments"),
    "vendor_customer_facets": (
        "vendor_id",
        "status",
        "customer_type",
        "customer_country",
        "customers",
        "deployments",
    ),
    "vendor_customer_by_filter": ("filter", "value", "vendor_id", "status", "customers", "deployments"),
}


# -- the search indexes ---------------------------------------------------------------------------
# Each table with a search label has three FTS5 indexes over its records' search text (as
# `faceledger.data.text.search_text` writes it): the trigram index, which finds any substring;
# the same text's words (split at its spaces only: every other character belongs to a word),
# with no positions (its text read from the trigram index); and the list of those words,
# trigram-indexed. A long search word is counted through the few words that contain it
# (`faceledger.data.word_count`), far faster than as a trigram phrase. A fourth, plain table
# holds how many records hold each trigram: a one-trigram search is counted by one lookup
# (`faceledger.data.trigram_count`). `db/writer.py` writes them;
# the database's opening check requires exactly these; every query names them through these.
def search_index(table: str) -> str:
    return f"fts_{table}"


def word_index(table: str) -> str:
    return f"fts_{table}_words"


def word_list(table: str) -> str:
    return f"fts_{table}_vocabulary"


def trigram_rows(table: str) -> str:
    return f"fts_{table}_trigram_rows"


def search_indexes(table: str) -> dict[str, str]:
    """The search indexes of `table`, each name with its CREATE statement: the trigram index, the
    word index and its word list (`data/word_count.py`), and the number of records holding each
    trigram of the trigram index (`data/trigram_count.py`)."""
    words = "\"unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'\""
    return {
        search_index(table): f"CREATE VIRTUAL TABLE {search_index(table)} USING fts5("
        "record_id UNINDEXED, label UNINDEXED, text, tokenize='trigram')",
        word_index(table): f"CREATE VIRTUAL TABLE {word_index(table)} USING fts5("
        f"text, content='{search_index(table)}', columnsize=0, detail=none, tokenize={words})",
        word_list(table): f"CREATE VIRTUAL TABLE {word_list(table)} USING fts5(word, tokenize='trigram')",
        trigram_rows(table): f"CREATE TABLE {trigram_rows(table)} "
        "(trigram TEXT PRIMARY KEY, records INTEGER NOT NULL) WITHOUT ROWID",
    }
