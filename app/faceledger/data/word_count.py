"""Counting a search's matches through the word index (Qt-free).

A search word of four characters or more is, in the trigram index, a phrase of two or more
trigrams whose positions must line up in every matching record: at a million records a common
word ("polic") costs some 60 ms to count that way. The search text sets every word apart with
spaces (`faceledger.data.text.search_text`), and a search word of letters and digits alone never
spans a space, so the records it matches are exactly those holding one of the listed words that
contain it ("police", "policia", "policing"). Those few words are found in the word list (a small
trigram index) and the records holding any of them are counted in the word index, which keeps no
positions: the same count, several times faster. A search word found inside more than
`MAX_WORDS` words, one with punctuation or spaces (an acronym is a whole word: " ice "), and a
word shorter than four characters are counted by the trigram index, as before.
"""

from __future__ import annotations

from faceledger.data.database import Database
from faceledger.data.schema import word_index, word_list
from faceledger.data.search import Terms, fts_phrase, term_patterns

# A search word inside more listed words than this is counted by the trigram index (the union of
# many words' records costs more than the phrase).
MAX_WORDS = 64
# Shorter search words are one trigram (or none): the trigram index counts them as fast.
MIN_CHARS = 4


def words_expression(db: Database, table: str, terms: Terms) -> str | None:
    """An FTS5 expression for the word index matching exactly the records `terms` match in the
    trigram index; "" when some search word is in no listed word (nothing matches); None when the
    word index cannot answer (or would not be faster)."""
    if terms.empty or terms.short:
        return None
    listed = word_list(table)
    parts: list[str] = []
    for term in terms.long:
        patterns = term_patterns(terms, term)
        if any(len(p) < MIN_CHARS or not p.isalnum() for p in patterns):
            return None
        words: dict[str, None] = {}
        for p in patterns:
            rows = db.query(
                f"SELECT word FROM {listed} WHERE {listed} MATCH ? LIMIT ?", [fts_phrase(p), MAX_WORDS + 1]
            )
            words.update((str(w), None) for (w,) in rows)
        if len(words) > MAX_WORDS:
            return None
        if not words:
            return ""
        parts.append("(" + " OR ".join(fts_phrase(w) for w in words) + ")")
    return " AND ".join(parts)


def count(db: Database, table: str, terms: Terms) -> int | None:
    """How many records of `table` the search `terms` matches, counted in the word index; None
    when the trigram index must count them."""
    expression = words_expression(db, table, terms)
    if expression is None:
        return None
    if not expression:
        return 0
    index = word_index(table)
    row = db.query_one(f"SELECT COUNT(*) FROM {index} WHERE {index} MATCH ?", [expression])
    return int(row[0]) if row else 0
