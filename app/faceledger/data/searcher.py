"""The global search (Ctrl+K, `faceledger search`): a few best hits of every record type, the
types whose best hit is best first, each hit saying where its words were found."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from faceledger.data.entities import ENTITIES, EntitySpec
from faceledger.data.errors import UnknownName
from faceledger.data.matching import match_reason, suggest
from faceledger.data.schema import search_index
from faceledger.data.search import Terms, fts_condition, parse_terms, snippet
from faceledger.data.search import highlight_spans as _spans

if TYPE_CHECKING:
    from faceledger.data.repositories import Repositories


class Hit(NamedTuple):
    """One global-search result: the record, why it matched (`field`: the column holding the
    words, `context`: a snippet of it; when that column is the record's name, which `label`
    shows, `context` is the record's other main columns) and how well (`level`: 0 its name or alias is the search,
    1 whole words, 2 word starts, 3 inside a word; see data/ranking.py)."""

    entity: str
    record_id: str
    label: str
    context: str
    label_spans: tuple[tuple[int, int], ...]
    context_spans: tuple[tuple[int, int], ...]
    field: str = ""
    level: int = 3


class Hits(list[Hit]):
    """Hits, best first, and the record types with more matches than were listed (`more`)."""

    more: frozenset[str] = frozenset()


def hits_summary(hits: Sequence[Hit]) -> str:
    """How many hits are listed, in how many record types, and whether some types have more:
    "54 hits" must not be read as "54 records match" when each type lists only its best."""
    types = len({h.entity for h in hits})
    listed = f"{len(hits):,} {'hit' if len(hits) == 1 else 'hits'} in {types} record {'type' if types == 1 else 'types'}"
    more = len(getattr(hits, "more", ()))
    if not more:
        return f"{listed}, best first."
    return f"The best {listed}; {more} of these {'type has' if more == 1 else 'types have'} more matches."


class Searcher:
    """The global search over every record type: up to a few best hits of each type, the types
    whose best hit is best first (an exact name before a word inside another)."""

    def __init__(self, repos: Repositories) -> None:
        self.repos = repos

    def search(self, text: str, per_type: int = 8, conn: sqlite3.Connection | None = None) -> Hits:
        """Up to `per_type` hits of every record type. `conn`: a worker's own connection."""
        if parse_terms(text).empty:
            return Hits()
        found = [self._search_entity(entity, spec, text, per_type, conn) for entity, spec in ENTITIES.items()]
        groups = [g for g, _more in found]
        order = list(ENTITIES)
        groups.sort(key=lambda g: (min(h.level for h in g), order.index(g[0].entity)) if g else (9, 0))
        hits = Hits(h for g in groups for h in g)
        hits.more = frozenset(g[0].entity for g, more in found if more)
        return hits

    def suggestions(self, text: str, conn: sqlite3.Connection | None = None) -> list[str]:
        """Names and aliases near `text`, for a search that found nothing ("Did you mean …?")."""
        return suggest(self.repos.db, text, conn=conn)

    @property
    def largest_table(self) -> int:
        """Rows in the largest searched table (what a search may have to read through)."""
        return max(self.repos.for_entity(e).approx_rows for e in ENTITIES)

    def search_type(self, entity: str, text: str, limit: int) -> Hits:
        if entity not in ENTITIES:
            raise UnknownName(f"unknown record type '{entity}'")
        if parse_terms(text).empty:
            return Hits()
        listed, more = self._search_entity(entity, ENTITIES[entity], text, limit)
        hits = Hits(listed)
        hits.more = frozenset({entity} if more else ())
        return hits

    def _search_entity(
        self, entity: str, spec: EntitySpec, text: str, limit: int, conn: sqlite3.Connection | None = None
    ) -> tuple[list[Hit], bool]:
        """The best `limit` hits of one record type, and whether it has more matches."""
        repo = self.repos.for_entity(entity)
        terms = repo._terms(text)
        if terms.empty:
            return [], False
        db = self.repos.db
        ranker = repo.ranking
        if ranker is not None:
            head = ranker.head(terms, ("1", []), conn)
            levels = dict(zip(head.rowids, head.levels, strict=True))  # the rest: not ranked (3)
            chosen = [
                (r, levels.get(r, 3)) for r in ranker.rowids(terms, ("1", []), 0, limit + 1, None, conn)
            ]
            more = len(chosen) > limit
            chosen = chosen[:limit]
            marks = ", ".join("?" for _ in chosen)
            found = db.query(
                f"SELECT rowid, record_id, label FROM {search_index(entity)} WHERE rowid IN ({marks})",
                [r for r, _l in chosen],
                conn,
            )
            by_rowid = {r: (rid, label) for r, rid, label in found}
            rows = [(*by_rowid[r], level) for r, level in chosen if r in by_rowid]
        else:  # a database whose rows are not stored in page order: the index's order
            sub, params = fts_condition(search_index(entity), terms)
            sql = sub.replace("SELECT record_id", "SELECT record_id, label", 1) + " LIMIT ?"
            rows = [(rid, label, 3) for rid, label in db.query(sql, [*params, limit + 1], conn)]
            more = len(rows) > limit
            rows = rows[:limit]
        out: list[Hit] = []
        for rid, label, level in rows:
            reason = match_reason(db, spec.table, str(rid), terms, spec.label, conn)
            if reason is not None and reason.field != spec.field(spec.label).header:
                field, context, spans = reason
            else:  # its name explains it (or nothing does): the record's main columns
                field = reason.field if reason is not None else ""
                context = self._context(spec, str(rid), conn)
                spans = tuple(_spans(context, terms))
            out.append(
                Hit(
                    entity,
                    str(rid),
                    str(label),
                    context,
                    tuple(_spans(str(label), terms)),
                    spans,
                    field,
                    level,
                )
            )
        return out, more

    def _context(self, spec: EntitySpec, rid: str, conn: sqlite3.Connection | None = None) -> str:
        """The record's main columns after its name, when no other column explains the match."""
        cols = [f.key for f in spec.fields if f.key != spec.label and f.kind not in ("int", "float")]
        row = self.repos.db.query_one(
            "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{spec.table}" WHERE id = ?',
            (rid,),
            conn,
        )
        values = [str(v) for v in row or () if v not in (None, "")]
        return snippet(" · ".join(values[:3]), Terms())
