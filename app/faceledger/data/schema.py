"""The declarations of what FaceLedger's records may hold (Qt-free): every enumerated field's
values, in one order, with the words the app shows for them.

`db/build.py` validates the text sources against these, the data layer queries with them and the
charts and the command line label with them: a value is declared here once and imported where it
is needed. Each vocabulary keeps its values in the order the app lists them.
"""

from __future__ import annotations

from collections.abc import Iterator


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
