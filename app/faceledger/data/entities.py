"""What each record type looks like: its table, record class and columns (Qt-free)."""

# No `from __future__ import annotations`: typing.NamedTuple would compile each field's string
# annotation at import, about twice the cost of evaluating them (measured at start-up).

from typing import Any, NamedTuple

from faceledger.data import records as r
from faceledger.data.schema import CUSTOMER_TYPES


class Field(NamedTuple):
    """One column of an entity as the app shows it.

    `key` is the database column; `sort` is the column sorted on (raw values: numbers and dates by
    value, empty first); `kind` says how to show it: text, int, float, date, status, url."""

    key: str
    header: str
    kind: str = "text"
    width: int = 140
    sort: str = ""
    facet: bool = False
    visible: bool = True
    # Facet values a page leaves out until the user asks for them (e.g. benchmark-only developers).
    default_off: tuple[str, ...] = ()
    labels: str = ""  # how a value is named for people: "" (as stored), "datasets" (dataset_label)

    @property
    def sort_key(self) -> str:
        return self.sort or self.key


class Facet(NamedTuple):
    """A filter of a page: a column whose values are offered with their row counts, several of
    which may be chosen at once. `labels` says how values are named: "" (as stored), "datasets"
    (`dataset_label`), "vendors" (a vendor id, named by the vendor's name)."""

    key: str
    header: str
    labels: str = ""
    default: tuple[str, ...] = ()  # the values chosen when the page opens (none: every row)
    default_off: tuple[str, ...] = ()  # the values that default leaves out, named on the button


# Short names of the datasets records come from (the `origin` of a record, or a dataset id), as
# filters and tables show them; the datasets table holds their full names.
DATASET_NAMES = {
    "curated": "FaceLedger research",
    "aiaaic": "AIAAIC Repository",
    "nist-frvt": "NIST FRVT 1:1 (2020)",
    "nist-frvt-11-2020": "NIST FRVT 1:1 (2020)",
    "us-federal-ai-inventory-2024": "US federal AI inventories (2024)",
    "us-federal-ai-inventory-2025": "US federal AI inventories (2025)",
    "aiid": "AI Incident Database",
    "aiid-incidents-2025": "AI Incident Database",
}


def dataset_label(value: str) -> str:
    """A record's origin as people name it ("aiaaic" -> "AIAAIC Repository"); unknown ones as stored."""
    return DATASET_NAMES.get(value, value)


class EntitySpec(NamedTuple):
    table: str
    title: str
    singular: str
    record_type: type
    fields: tuple[Field, ...]
    label: str
    default_sort: str
    default_ascending: bool = True
    year_column: str = ""
    # Filters on columns the table does not show (e.g. a deployment's vendor id), listed first.
    more_facets: tuple[Facet, ...] = ()

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def facets(self) -> tuple[Facet, ...]:
        defaults = dict(self.default_filters)
        shown = tuple(
            Facet(f.key, f.header, f.labels, defaults.get(f.key, ()), f.default_off)
            for f in self.fields
            if f.facet
        )
        return self.more_facets + shown

    @property
    def default_filters(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The filters a page starts with (a Query's `filters`): every known value of each field
        with `default_off`, except those values."""
        out = []
        for f in self.fields:
            if f.default_off:
                values = FACET_VALUES.get((self.table, f.key), ())
                out.append((f.key, tuple(v for v in values if v not in f.default_off)))
        return tuple(out)


# What FaceLedger knows a vendor from (vendors.known_from, computed by the build), most substantial
# first. Developers known only from NIST's benchmark tables are left out of the Vendors page until
# the user asks for them, and so is the placeholder for a vendor not disclosed.
KNOWN_CUSTOMERS = "Customers or counts"
KNOWN_EVENTS = "Events"
KNOWN_STUDIES = "Studies only"
KNOWN_BENCHMARK = "NIST benchmark only"
KNOWN_PROFILE = "Profile only"
# "Vendor not disclosed" (schema.UNDISCLOSED_VENDOR) is not a company: it stands for the supplier of
# deployments whose source names none, and stays off the Vendors page (where it would rank among the
# vendors by its customers) until asked for.
KNOWN_PLACEHOLDER = "Placeholder (not a vendor)"
KNOWN_FROM = (KNOWN_CUSTOMERS, KNOWN_EVENTS, KNOWN_STUDIES, KNOWN_BENCHMARK, KNOWN_PROFILE, KNOWN_PLACEHOLDER)

# Customer types grouped by sector (customers.sector): "Police and government" is the Customers
# page's one-click choice; companies, schools and others stay listed.
POLICE_AND_GOVERNMENT = "Police and government"
# Every declared customer type is police or government except these.
_OTHER_SECTORS = {"private company": "Companies", "education": "Education", "other": "Other"}
SECTOR_OF_TYPE: dict[str, str] = {t: _OTHER_SECTORS.get(t, POLICE_AND_GOVERNMENT) for t in CUSTOMER_TYPES}
SECTORS = (POLICE_AND_GOVERNMENT, "Companies", "Education", "Other")

# The values a facet can take, where the build fixes them (for default filters and tests).
FACET_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("vendors", "known_from"): KNOWN_FROM,
    ("customers", "sector"): SECTORS,
}


V = Field("verification", "Verification", "status", 100, facet=True)

ENTITIES: dict[str, EntitySpec] = {
    "vendors": EntitySpec(
        "vendors",
        "Vendors",
        "vendor",
        r.Vendor,
        (
            Field("name", "Vendor", width=150),
            Field("customer_count", "Documented customers", "int", 100),
            Field("reported_customers", "Reported customers", "int", 230, sort="reported_customers_sort"),
            Field("event_count", "Events", "int", 60),
            Field("hq_country", "Country", width=70, facet=True),
            Field("hq_city", "Headquarters", width=150),
            Field("founded", "Founded", "date", 80),
            Field("products", "Products", width=300),
            Field("origin", "Origin", width=150, facet=True, labels="datasets"),
            Field(
                "known_from",
                "Known from",
                width=140,
                facet=True,
                default_off=(KNOWN_BENCHMARK, KNOWN_PLACEHOLDER),
            ),
            V,
        ),
        label="name",
        default_sort="customer_count",
        default_ascending=False,
    ),
    "customers": EntitySpec(
        "customers",
        "Customers",
        "customer",
        r.Customer,
        (
            Field("name", "Customer", width=280),
            Field("vendor_count", "Documented vendors", "int", 90),
            Field("event_count", "Events", "int", 60),
            Field("sector", "Sector", width=150, facet=True),
            Field("type", "Type", width=150, facet=True),
            Field("country", "Country", width=70, facet=True),
            Field("region", "Region", width=140),
            Field("origin", "Origin", width=150, facet=True, labels="datasets"),
            V,
        ),
        label="name",
        default_sort="name",
    ),
    "deployments": EntitySpec(
        "deployments",
        "Deployments",
        "deployment",
        r.Deployment,
        (
            Field("vendor_name", "Vendor", width=160),
            Field("customer_name", "Customer", width=240),
            Field("customer_type", "Customer type", width=130, facet=True),
            Field("customer_country", "Country", width=70, facet=True),
            Field("product", "Product", width=220),
            Field("status", "Status", "status", 90, facet=True),
            Field("start", "Start", "date", 90),
            Field("end", "End", "date", 90),
            V,
        ),
        label="customer_name",
        default_sort="vendor_name",
        year_column="CAST(substr(start, 1, 4) AS INTEGER)",
        more_facets=(Facet("vendor_id", "Vendor", "vendors"),),
    ),
    "customer_counts": EntitySpec(
        "customer_counts",
        "Counts",
        "customer count",
        r.CustomerCount,
        (
            Field("vendor_name", "Vendor", width=150),
            Field("value_text", "Count", "int", 110, sort="value"),
            Field("subject", "What was counted", width=260),
            Field("counted", "Counted", width=150, facet=True),
            Field("product", "Product", width=130, facet=True),
            Field("region", "Region", width=120),
            Field("as_of", "As of", "date", 80),
            Field("reported_by", "Reported by", width=200),
            Field("kind", "Kind", width=120, facet=True),
            V,
        ),
        label="vendor_name",
        default_sort="vendor_name",
        year_column="CAST(substr(as_of, 1, 4) AS INTEGER)",
    ),
    "studies": EntitySpec(
        "studies",
        "Studies",
        "study",
        r.Study,
        (
            Field("title", "Study", width=380),
            Field("org", "By", width=220),
            Field("date", "Date", "date", 90),
            Field("venue", "Published in", width=220),
            V,
        ),
        label="title",
        default_sort="date",
        year_column="year",
    ),
    "events": EntitySpec(
        "events",
        "Events",
        "event",
        r.Event,
        (
            Field("date", "Date", "date", 90),
            Field("kind", "Kind", width=110, facet=True),
            Field("title", "Event", width=360),
            Field("jurisdiction", "Jurisdiction", width=150),
            Field("country", "Country", width=70, facet=True),
            Field("vendor_names", "Vendors", width=140),
            Field("customer_names", "Customers", width=160),
            Field("amount", "Amount", "float", 100),
            Field("currency", "Currency", width=70),
            V,
        ),
        label="title",
        default_sort="date",
        year_column="year",
    ),
    "sources": EntitySpec(
        "sources",
        "Sources",
        "source",
        r.Source,
        (
            Field("publisher", "Publisher", width=200),
            Field("title", "Title", width=380),
            Field("date", "Date", "date", 90),
            Field("kind", "Kind", width=110, facet=True),
            Field("url", "Address", "url", 300),
        ),
        label="title",
        default_sort="publisher",
        year_column="CAST(substr(date, 1, 4) AS INTEGER)",
    ),
    "datasets": EntitySpec(
        "datasets",
        "Datasets",
        "dataset",
        r.Dataset,
        (
            Field("name", "Dataset", width=260),
            Field("publisher", "Publisher", width=200),
            Field("licence", "Licence", width=200),
            Field("retrieved", "Retrieved", "date", 90),
            Field("rows_imported", "Rows imported", "int", 100),
            Field("attribution", "Attribution", width=400),
        ),
        label="name",
        default_sort="name",
    ),
}

# Secondary record types reached from detail panes (no page of their own).
FIGURES = EntitySpec(
    "study_figures",
    "Study figures",
    "study figure",
    r.StudyFigure,
    (
        Field("vendor_label", "Vendor", width=150),
        Field("subgroup", "Subgroup", width=120),
        Field("metric", "Metric", width=240),
        Field("value_text", "Value", "float", 80, sort="value"),
        Field("unit", "Unit", width=60),
        Field("location", "Where in the study", width=200),
        V,
    ),
    label="metric",
    default_sort="metric",
)

ALL_SPECS: dict[str, EntitySpec] = {**ENTITIES, "study_figures": FIGURES}


# The columns `record_heading` reads, per record type (the build names search hits with it).
HEADING_COLUMNS: dict[str, tuple[str, ...]] = {
    "deployments": ("vendor_name", "customer_name"),
    "customer_counts": ("vendor_name", "subject", "value_text", "as_of"),
}


def record_heading(entity: str, record: Any, label: str) -> str:
    """A record's name where it is shown or cited alone: a deployment is its vendor at its
    customer, a count says whose count it is, of what and how many, as of when (its label, the
    vendor's name, would say none of that); any other record is its `label`."""
    if entity == "deployments":
        return f"{record.vendor_name or '?'} at {record.customer_name or '?'}"
    if entity == "customer_counts":
        when = f" ({record.as_of})" if record.as_of else ""
        return f"{record.vendor_name} — {record.subject}: {record.value_text}{when}"
    return label
