"""Counting a search of one three-character word from the stored number of records per trigram
(Qt-free).

Such a search ("pol") is one trigram of the trigram index, and the records it matches are those
holding that trigram. At a million records, counting them means reading the trigram's whole list
of records: some 20-30 ms for a common one, on every such keystroke. A built database never
changes, so the build stores how many records hold each trigram (`schema.trigram_rows`, read
from the index by FTS5's vocabulary table) and the count is one lookup. Anything else (two words,
a word meaning the same as another, an acronym matched as a whole word, a trigram the table does
not list) is counted by the indexes, as before.
"""

from __future__ import annotations

from faceledger.data.database import Database
from faceledger.data.schema import trigram_rows
from faceledger.data.search import Terms, term_patterns

TRIGRAM = 3


def count(db: Database, table: str, terms: Terms) -> int | None:
    """How many records of `table` the search `terms` matches, when it is one trigram the table
    lists; None when the indexes must count them."""
    if len(terms.long) != 1 or terms.short:
        return None
    patterns = term_patterns(terms, terms.long[0])
    if len(patterns) != 1 or len(patterns[0]) != TRIGRAM:
        return None
    row = db.query_one(f"SELECT records FROM {trigram_rows(table)} WHERE trigram = ?", [patterns[0]])
    return int(row[0]) if row else None
