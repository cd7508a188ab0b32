"""A page's filter counts, read on a worker: each filter's values with their row counts under the
page's query, and the names of values not shown as stored (vendor names, dataset names)."""

from __future__ import annotations

from typing import Any

from faceledger.data.repositories import Query, Repository

# A filter's values with their row counts, and the names of values not shown as stored.
Facets = tuple[list[tuple[str, int]], dict[str, str]]


def facet_counts(repo: Repository[Any], keys: list[str], query: Query) -> dict[str, Facets]:
    """Each filter's counts and value names, on a worker's own connection (call it on a worker)."""
    result: dict[str, Facets] = {}
    with repo.reading() as worker:
        for key in keys:
            counts = worker.facet_counts(key, query)
            wanted = [v for v, _ in counts] + [v for k, vs in query.filters if k == key for v in vs]
            result[key] = counts, worker.facet_labels(key, wanted)
    return result
