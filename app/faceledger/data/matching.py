"""Why a record matched a search, and what the reader may have meant when nothing matched.

`match_reason()` names the column a search found its words in ("Also known as: ICE", "Summary:
…banned face recognition…"), with the matched words' spans for highlighting; `suggest()` offers
the names and aliases of organisations nearest to a search that found nothing ("Did you mean
Clearview AI?").
"""

from __future__ import annotations

import sqlite3
from typing import Any, NamedTuple, Protocol

from faceledger.data.schema import TABLE, search_index
from faceledger.data.search import Terms, fts_phrase, highlight_spans, level_patterns, match_level, snippet
from faceledger.data.text import fold, spaced

# The searched columns of each record type (declared in faceledger.data.schema) with the words a
# reader knows them by (the detail pane's, but for a record's own name), in the order a reason is
# preferred when two columns match as well: those named here first, then the table's other
# searched columns in declared order; then the organisations a record links to, whose aliases are
# searched too: (their table, this table's column or link table, header).
_PREFERRED: dict[str, tuple[str, ...]] = {
    "vendors": ("name", "aliases", "legal_name", "products", "hq_country", "summary"),
    "customers": ("name", "aliases", "type", "country", "region", "summary"),
    "deployments": ("vendor_name", "customer_name", "product", "status", "summary"),
    "customer_counts": ("vendor_name", "subject", "value_text", "region", "reported_by"),
    "studies": ("title", "authors", "org", "venue", "method"),
    "events": ("title", "vendor_names", "customer_names", "summary", "kind", "jurisdiction", "person", "place"),
    "sources": ("title", "publisher", "url"),
    "datasets": ("name", "publisher", "licence", "attribution"),
}
_HEADERS = {
    ("vendors", "name"): "Vendor",
    ("customers", "name"): "Customer",
    ("studies", "title"): "Study",
    ("studies", "org"): "By",
    ("events", "title"): "Event",
    ("datasets", "name"): "Dataset",
}


def _reason_columns(table: str, preferred: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    declared = TABLE[table]
    names = (*preferred, *(c for c in declared.search_columns if c not in preferred))
    return tuple((c, _HEADERS.get((table, c)) or declared.column(c).label or c) for c in names)


REASON_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    table: _reason_columns(table, preferred) for table, preferred in _PREFERRED.items()
}
LINKED_ALIASES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "deployments": (
        ("vendors", "vendor_id", "Vendor alias"),
        ("customers", "customer_id", "Customer alias"),
    ),
    "customer_counts": (("vendors", "vendor_id", "Vendor alias"),),
    "events": (
        ("vendors", "@event_vendors", "Vendor alias"),
        ("customers", "@event_customers", "Customer alias"),
    ),
}
_NAME_COLUMNS = {"name", "aliases", "vendor_name", "customer_name", "vendor_names", "customer_names", "title"}
# How similar (0..1, difflib's ratio on folded text) a name must be to a search to be suggested.
SUGGEST_RATIO = 0.75
# Organisations read from each search index as candidates for a suggestion, at most.
SUGGEST_CANDIDATES = 100


class _Db(Protocol):
    def query(
        self, sql: str, params: Any = (), conn: sqlite3.Connection | None = None
    ) -> list[tuple[Any, ...]]: ...

    def query_one(
        self, sql: str, params: Any = (), conn: sqlite3.Connection | None = None
    ) -> tuple[Any, ...] | None: ...


class Reason(NamedTuple):
    """Where a search's words were found in a record: the column's header, a snippet of its text
    and the matched words' spans in that snippet."""

    field: str
    text: str
    spans: tuple[tuple[int, int], ...]


def match_reason(
    db: _Db,
    table: str,
    record_id: str,
    terms: Terms,
    label: str = "",
    conn: sqlite3.Connection | None = None,
) -> Reason | None:
    """The column of the record that best explains why it matched `terms`: the one holding the
    most of the words, then the one where they are whole words, then the column `label` (the
    record's name), then the first in REASON_COLUMNS. None when no column holds one."""
    columns = REASON_COLUMNS.get(table)
    if not columns or terms.empty:
        return None
    row = db.query_one(
        "SELECT " + ", ".join(f'"{c}"' for c, _h in columns) + f' FROM "{table}" WHERE id = ?',
        (record_id,),
        conn,
    )
    if row is None:
        return None
    texts = [(h, str(v), c == label) for (c, h), v in zip(columns, row, strict=True) if v not in (None, "")]
    for entity, via, header in LINKED_ALIASES.get(table, ()):
        if via.startswith("@"):
            key = "vendor_id" if entity == "vendors" else "customer_id"
            ids = [
                r[0]
                for r in db.query(f'SELECT "{key}" FROM "{via[1:]}" WHERE event_id = ?', (record_id,), conn)
            ]
        else:
            own = db.query_one(f'SELECT "{via}" FROM "{table}" WHERE id = ?', (record_id,), conn)
            ids = [own[0]] if own and own[0] else []
        if ids:
            marks = ", ".join("?" for _ in ids)
            found = db.query(
                f"SELECT alias FROM aliases WHERE entity = ? AND record_id IN ({marks}) ORDER BY rowid",
                (entity, *ids),
                conn,
            )
            if found:  # after the names, before the other columns
                at = sum(1 for c, _h in columns if c in _NAME_COLUMNS)
                texts.insert(min(at, len(texts)), (header, "; ".join(str(a) for (a,) in found), False))
    best: tuple[int, int, int, int] | None = None
    chosen: tuple[str, str] | None = None
    patterns = level_patterns(terms)
    for i, (header, text, is_label) in enumerate(texts):
        index_text = f" {spaced(text)} "
        held = sum(1 for p in patterns if match_level(index_text, (p,)) < 4)
        if not held:
            continue
        score = (-held, match_level(index_text, patterns), 0 if is_label else 1, i)
        if best is None or score < best:
            best, chosen = score, (header, text)
    if chosen is None:
        return None
    header, text = chosen
    cut = snippet(text, terms)
    return Reason(header, cut, tuple(highlight_spans(cut, terms)))


def suggest(db: _Db, text: str, limit: int = 3, conn: sqlite3.Connection | None = None) -> list[str]:
    """Up to `limit` names or aliases of vendors and customers nearest to `text` (a search that
    found nothing), most similar first; [] when none is near.

    Candidates are the organisations whose search text holds the first or the last half of a
    word of `text` (one typing mistake leaves one half intact: "clearveiw" keeps "clear"), the
    first SUGGEST_CANDIDATES of each index; each of their names and aliases is compared with
    `text` whole and with its runs of as many words as `text` has."""
    wanted = spaced(text).strip()
    words = [w for w in wanted.split(" ") if w.isalnum()]
    if len(wanted) < 3 or not words:
        return []
    chunks: list[str] = []
    for w in words:
        if len(w) < 3:
            continue
        half = max(3, (len(w) + 1) // 2)
        chunks += [w[:half], w[-half:]]
    if not chunks:
        return []
    expression = " OR ".join(fts_phrase(c) for c in dict.fromkeys(chunks))
    best: dict[str, tuple[float, str]] = {}  # per organisation: (similarity, what to suggest)
    for table in ("vendors", "customers"):
        fts = search_index(table)
        rows = db.query(
            f"SELECT t.id, t.name, t.aliases FROM (SELECT rowid AS r FROM {fts} "
            f'WHERE {fts} MATCH ? LIMIT ?) f JOIN "{table}" t ON t.rowid = f.r',
            (expression, SUGGEST_CANDIDATES),
            conn,
        )
        for rid, name, aliases in rows:
            # The organisation's name when it is near enough, else its nearest alias ("NYPD").
            near = _similarity(wanted, str(name), len(words))
            pick = (near, str(name))
            if near < SUGGEST_RATIO:
                for alias in (a for a in str(aliases or "").split("; ") if a):
                    pick = max(pick, (_similarity(wanted, alias, len(words)), alias))
            if pick[0] >= SUGGEST_RATIO:
                best[f"{table}:{rid}"] = pick
    folded = fold(text).strip()
    ranked = sorted(best.values(), key=lambda p: (-p[0], len(p[1]), p[1]))
    names = list(dict.fromkeys(p[1] for p in ranked if fold(p[1]) != folded))
    return names[:limit]


def _similarity(wanted: str, candidate: str, n_words: int) -> float:
    """The best ratio between `wanted` and `candidate` whole or any run of `n_words` of its words."""
    name = spaced(candidate).strip()
    parts = [p for p in name.split(" ") if p.isalnum()]
    options = {name, " ".join(parts)}
    for i in range(max(0, len(parts) - n_words + 1)):
        options.add(" ".join(parts[i : i + n_words]))
    import difflib  # noqa: PLC0415 (only when a search found nothing; not on the start-up path)

    best = 0.0
    for option in options:
        matcher = difflib.SequenceMatcher(None, wanted, option, autojunk=False)
        if option and matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best
