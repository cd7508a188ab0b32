"""Turning whatever a user types into a safe full-text condition, and highlighting matches.

Every input is accepted: text is folded (case and diacritics), control characters dropped and
each word quoted as a literal trigram phrase, so FTS operators (AND, OR, NOT, NEAR, *, ^, :),
quotes and brackets are searched for as text and never parsed as query syntax. Words shorter
than three characters, which a trigram index cannot look up, fall back to LIKE.
"""

# No `from __future__ import annotations`: typing.NamedTuple would compile each field's string
# annotation at import, about twice the cost of evaluating them (measured at start-up).

import re
import unicodedata
from typing import NamedTuple

from faceledger.data.text import fold

MAX_QUERY_CHARS = 256
MAX_TERMS = 8
_SPACE = re.compile(r"\s+")


class Terms(NamedTuple):
    """The folded words of a query, split by whether the trigram index can look them up."""

    long: tuple[str, ...] = ()
    short: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.long and not self.short

    @property
    def all(self) -> tuple[str, ...]:
        return self.long + self.short


def parse_terms(text: str) -> Terms:
    """Fold and split a user's query into at most MAX_TERMS distinct words."""
    if not text:
        return Terms()
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch
        for ch in text[: MAX_QUERY_CHARS * 4]
    )
    folded = fold(cleaned)[:MAX_QUERY_CHARS]
    words: list[str] = []
    for w in _SPACE.split(folded):
        if w and w not in words:
            words.append(w)
        if len(words) == MAX_TERMS:
            break
    # Drop a word contained in a longer one: "clear clearview" is "clearview".
    words = [w for w in words if not any(w != o and w in o for o in words)]
    return Terms(long=tuple(w for w in words if len(w) >= 3), short=tuple(w for w in words if len(w) < 3))


def fts_match_expression(terms: Terms) -> str:
    """An FTS5 MATCH expression requiring every long term as a literal substring."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms.long)


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_condition(fts_table: str, terms: Terms, select: str = "record_id") -> tuple[str, list[str]]:
    """SQL selecting `select` (default `record_id`) from `fts_table` for rows matching all terms
    (and params)."""
    parts: list[str] = []
    params: list[str] = []
    if terms.long:
        parts.append(f"{fts_table} MATCH ?")
        params.append(fts_match_expression(terms))
    for t in terms.short:
        parts.append("text LIKE ? ESCAPE '\\'")
        params.append(like_pattern(t))
    where = " AND ".join(parts) if parts else "1"
    return f"SELECT {select} FROM {fts_table} WHERE {where}", params


def highlight_spans(text: str, terms: Terms | tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of `text` where any term matches, ignoring case and diacritics.

    Works on the original text: each character is folded on its own, so positions map back."""
    words = terms.all if isinstance(terms, Terms) else terms
    if not text or not words:
        return []
    folded_chars: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        for c in f:
            folded_chars.append(c)
            owner.append(i)
    folded = "".join(folded_chars)
    spans: list[tuple[int, int]] = []
    for w in words:
        start = 0
        while w and (pos := folded.find(w, start)) != -1:
            spans.append((owner[pos], owner[pos + len(w) - 1] + 1))
            start = pos + 1
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(text: str, terms: Terms, width: int = 90) -> str:
    """A window of `text` around the first match, with ellipses where cut."""
    text = _SPACE.sub(" ", text or "").strip()
    spans = highlight_spans(text, terms)
    if len(text) <= width:
        return text
    if not spans:
        return text[: width - 1] + "…"
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    out = text[start:end]
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")
