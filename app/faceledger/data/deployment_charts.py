"""The numbers behind the documented deployments chart (Qt-free): distinct customers per vendor
stacked by deployment status, under the chart's filters, and the values those filters offer. They
read the precomputed `vendor_customer_stats`, `vendor_customer_by_filter` and
`vendor_customer_facets` tables that db/build.py writes, so each query stays small on a database
of a million deployments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from faceledger.data import schema
from faceledger.data.database import Database
from faceledger.data.text import plural


# -- documented deployments ---------------------------------------------------------------------
@dataclass(frozen=True)
class DeploymentFilter:
    """The chart's filters, the same fields and values as the Deployments page's filters."""

    customer_country: str | None = None
    customer_type: str | None = None
    status: str | None = None

    @property
    def on_customers(self) -> bool:
        return self.customer_country is not None or self.customer_type is not None


@dataclass(frozen=True)
class DeploymentSegment:
    """Distinct customers of one vendor with deployments in one status (one stacked segment)."""

    vendor_id: str
    vendor_name: str
    status: str
    customers: int
    deployments: int
    vendor_total: int  # sum of the vendor's segments (a customer in two statuses counts twice)


@dataclass(frozen=True)
class DeploymentChart:
    segments: tuple[DeploymentSegment, ...]
    vendors_shown: int
    vendors_total: int
    # deployments under the filters whose vendor was not disclosed (the placeholder vendor is
    # not a vendor: it has no bar, the chart says how many deployments it leaves out)
    undisclosed_deployments: int = 0

    def undisclosed_note(self) -> str:
        return undisclosed_note(self.undisclosed_deployments)


def undisclosed_note(deployments: int) -> str:
    """The footer line saying which deployments have no bar (empty when none)."""
    if not deployments:
        return ""
    return f"Not shown: {plural(deployments, 'deployment')} whose vendor was not disclosed."


def documented_deployments(
    db: Database, flt: DeploymentFilter = DeploymentFilter(), limit: int = 100
) -> DeploymentChart:
    """Distinct customers per vendor and deployment status under `flt`, for the `limit` vendors
    with most customers (ties by name), in one query over the precomputed tables. Deployments
    whose vendor was not disclosed get no bar; their number comes with the chart."""
    where: list[str] = []
    params: list[Any] = []
    if flt.customer_country is not None and flt.customer_type is not None:
        table = "vendor_customer_facets"
        where += ["f.customer_country = ?", "f.customer_type = ?"]
        params += [flt.customer_country, flt.customer_type]
    elif flt.on_customers:  # one of the two: the table summed over the other (far fewer rows)
        table = "vendor_customer_by_filter"
        on_country = flt.customer_country is not None
        where += ["f.filter = ?", "f.value = ?"]
        params += ["customer_country" if on_country else "customer_type"]
        params += [flt.customer_country if on_country else flt.customer_type]
    else:
        table = "vendor_customer_stats"
    if flt.status is not None:
        where.append("f.status = ?")
        params.append(flt.status)
    status_rank = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(schema.DEPLOYMENT_STATUSES.values))
    cond = " AND ".join(where) or "1"
    # Rank vendors on their totals first (one pass in vendor order over the covering index), then
    # read the statuses of the `limit` vendors kept.
    sql = f"""
        WITH totals AS (
            SELECT f.vendor_id, SUM(f.customers) AS total, SUM(f.deployments) AS deployments
            FROM {table} f WHERE {cond} GROUP BY f.vendor_id
        ), top AS (
            SELECT t.vendor_id, t.total, COALESCE(v.name, t.vendor_id) AS name
            FROM totals t LEFT JOIN vendors v ON v.id = t.vendor_id
            WHERE t.vendor_id != ?
            ORDER BY t.total DESC, name COLLATE NOCASE, t.vendor_id LIMIT ?
        )
        SELECT * FROM (
            SELECT top.vendor_id AS vid, top.name AS name, f.status AS status, SUM(f.customers),
                   SUM(f.deployments), top.total AS total,
                   (SELECT COUNT(*) FROM totals WHERE vendor_id != ?)
            FROM top JOIN {table} f ON f.vendor_id = top.vendor_id
            WHERE {cond}
            GROUP BY top.vendor_id, f.status
            UNION ALL  -- the placeholder's deployments, as a last row with no vendor
            SELECT NULL, NULL, NULL, 0, deployments, -1, 0 FROM totals WHERE vendor_id = ?
        )
        ORDER BY total DESC, name COLLATE NOCASE, vid, CASE status {status_rank} ELSE 99 END, status
    """
    placeholder = schema.UNDISCLOSED_VENDOR
    rows = db.query(sql, [*params, placeholder, int(limit), placeholder, *params, placeholder])
    last_is_placeholder = bool(rows) and rows[-1][0] is None
    undisclosed = int(rows[-1][4]) if last_is_placeholder else 0
    bars = rows[:-1] if last_is_placeholder else rows
    segments = tuple(
        DeploymentSegment(str(v), _text(name), _text(st), int(c), int(d), int(t))
        for v, name, st, c, d, t, _n in bars
    )
    total = int(bars[0][6]) if bars else 0
    return DeploymentChart(segments, len({s.vendor_id for s in segments}), total, undisclosed)


@dataclass(frozen=True)
class FilterValues:
    """The values each deployment filter offers, with their deployment counts."""

    customer_country: tuple[tuple[str, int], ...]
    customer_type: tuple[tuple[str, int], ...]
    status: tuple[tuple[str, int], ...]


def deployment_filter_values(db: Database) -> FilterValues:
    """Every value of the three filters with its number of deployments, in one query."""
    rows = db.query(
        "SELECT 'customer_country', customer_country, SUM(deployments) FROM vendor_customer_facets "
        "GROUP BY customer_country "
        "UNION ALL SELECT 'customer_type', customer_type, SUM(deployments) FROM vendor_customer_facets "
        "GROUP BY customer_type "
        "UNION ALL SELECT 'status', status, SUM(deployments) FROM vendor_customer_stats GROUP BY status"
    )
    found: dict[str, list[tuple[str, int]]] = {"customer_country": [], "customer_type": [], "status": []}
    for key, value, n in rows:
        found[str(key)].append((_text(value), int(n)))
    for values in found.values():
        values.sort(key=lambda vn: (-vn[1], vn[0]))
    return FilterValues(
        tuple(found["customer_country"]), tuple(found["customer_type"]), tuple(found["status"])
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)
