"""Turning whatever a user types into a safe full-text condition, and highlighting matches.

Every input is accepted: text is folded (case and diacritics), control characters dropped and
each word quoted as a literal trigram phrase, so FTS operators (AND, OR, NOT, NEAR, *, ^, :),
quotes and brackets are searched for as text and never parsed as query syntax. Words shorter
than three characters, which a trigram index cannot look up, fall back to LIKE.

The index holds each record's text as `search_text()` writes it: folded, punctuation set apart by
spaces, so a word starts after a space and ends before one, and the record's names and aliases
first, each between two control characters no one can type (`KEY_OPEN`, `KEY_CLOSE`). So the
index itself answers "is this word exactly a name or alias" and "does a word start or end here"
(see `data/ranking.py`). Two more rules on the words a user types:

- a word typed in capitals, two to five letters, that is the name or alias of an organisation
  ("ICE", "NYPD", "FBI") is an acronym: it matches whole words only, never the inside of another
  word ("ice" in "police", "justice"); typed in lower case it matches anywhere, ranked last;
- words with the same meaning match each other ("facial" and "face": `SYNONYMS`).
"""

# No `from __future__ import annotations`: typing.NamedTuple would compile each field's string
# annotation at import, about twice the cost of evaluating them (measured at start-up).

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import NamedTuple

from faceledger.data.text import KEY_CLOSE, KEY_OPEN, fold, spaced

MAX_QUERY_CHARS = 256
MAX_TERMS = 8
_SPACE = re.compile(r"\s+")
# Words that mean the same for a reader of FaceLedger: either one finds the other.
SYNONYMS: dict[str, tuple[str, ...]] = {"facial": ("face",), "face": ("facial",)}


class Terms(NamedTuple):
    """The folded words of a query, split by whether the trigram index can look them up."""

    long: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()  # words of long/short typed as acronyms: whole words only
    exact: str = ""  # the whole query as the index writes a name (`spaced`), for the exact tier

    @property
    def empty(self) -> bool:
        return not self.long and not self.short

    @property
    def all(self) -> tuple[str, ...]:
        return self.long + self.short


def _looks_like_acronym(word: str) -> bool:
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


def parse_terms(text: str, known_acronym: Callable[[str], bool] | None = None) -> Terms:
    """Fold and split a user's query into at most MAX_TERMS distinct words.

    `known_acronym(word)`: whether a word typed in capitals ("ICE") is a name or alias of an
    organisation, and so matched as a whole word only; without it, no word is an acronym."""
    if not text:
        return Terms()
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch
        for ch in text[: MAX_QUERY_CHARS * 4]
    )
    raw = _SPACE.split(cleaned.strip())
    acronyms = (
        {fold(w) for w in raw if _looks_like_acronym(w) and known_acronym(w)} if known_acronym else set()
    )
    folded = fold(cleaned)[:MAX_QUERY_CHARS]
    words: list[str] = []
    for w in _SPACE.split(folded):
        if w and w not in words:
            words.append(w)
        if len(words) == MAX_TERMS:
            break
    # Drop a word contained in a longer one: "clear clearview" is "clearview" (not an acronym:
    # "ICE police" keeps ICE, which must be a word of its own).
    words = [w for w in words if w in acronyms or not any(w != o and w in o for o in words)]
    # An acronym is looked up as " ice " (a whole word): the trigram index can do that from two letters.
    long = tuple(w for w in words if len(w) >= 3 or w in acronyms)
    return Terms(
        long=long,
        short=tuple(w for w in words if w not in long),
        acronyms=tuple(w for w in words if w in acronyms),
        exact=spaced(folded).strip(),
    )


def variants(word: str) -> tuple[str, ...]:
    """`word` and the words that mean the same ("facial": "face")."""
    return (word, *SYNONYMS.get(word, ()))


def fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def term_patterns(terms: Terms, word: str) -> list[str]:
    """What the index must contain for `word` to match: its variants as written in the index,
    each a whole word when `word` is an acronym (singular or plural)."""
    out: list[str] = []
    for v in variants(word):
        s = spaced(v).strip()
        if not s:
            continue
        out += [f" {s} ", f" {s}s "] if word in terms.acronyms else [s]
    return list(dict.fromkeys(out)) or [word]


def fts_match_expression(terms: Terms) -> str:
    """An FTS5 MATCH expression requiring every long term (or a word meaning the same) as a
    literal substring, an acronym as a whole word."""
    parts = []
    for t in terms.long:
        alts = [fts_phrase(p) for p in term_patterns(terms, t)]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    return " AND ".join(parts)


def exact_match_expression(terms: Terms) -> str:
    """An FTS5 MATCH expression for records with a name or alias that is exactly the query
    ("" when the query is too short for the index)."""
    if len(terms.exact) < 1 or terms.empty:
        return ""
    return fts_phrase(f"{KEY_OPEN} {terms.exact} {KEY_CLOSE}")


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_condition(
    fts_table: str, terms: Terms, select: str = "record_id", also: str = ""
) -> tuple[str, list[str]]:
    """SQL selecting `select` (default `record_id`) from `fts_table` for rows matching all terms
    (and params); `also`: an FTS5 expression the rows must match as well."""
    parts: list[str] = []
    params: list[str] = []
    exprs = [e for e in (also, fts_match_expression(terms)) if e]
    match = exprs[0] if len(exprs) == 1 else " AND ".join(f"({e})" for e in exprs)
    if match:
        parts.append(f"{fts_table} MATCH ?")
        params.append(match)
    for t in terms.short:
        patterns = term_patterns(terms, t)
        parts.append("(" + " OR ".join("text LIKE ? ESCAPE '\\'" for _ in patterns) + ")")
        params.extend(like_pattern(p) for p in patterns)
    where = " AND ".join(parts) if parts else "1"
    return f"SELECT {select} FROM {fts_table} WHERE {where}", params


Patterns = tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]


def level_patterns(terms: Terms) -> Patterns:
    """Per word of `terms`: what index text holds when the word (or one meaning the same) is a
    whole word or its plural, starts a word, or is anywhere (nothing for an acronym)."""
    out = []
    for t in terms.all:
        forms = [spaced(v).strip() for v in variants(t)]
        whole = tuple(p for s in forms for p in (f" {s} ", f" {s}s "))
        start = tuple(f" {s}" for s in forms)
        inside = () if t in terms.acronyms else tuple(forms)
        out.append((whole, start, inside))
    return tuple(out)


def match_level(text: str, terms: Terms | Patterns) -> int:
    """How well index text (as `search_text` writes it) matches: 1 when every word is a whole
    word (or its plural), 2 when every word starts a word, 3 when a word is only inside another,
    4 when a word is missing. `terms` may be given as its `level_patterns` (faster, when many
    texts are scored)."""
    patterns = level_patterns(terms) if isinstance(terms, Terms) else terms
    worst = 1
    for whole, start, inside in patterns:
        if any(p in text for p in whole):
            continue
        if any(p in text for p in start):
            worst = max(worst, 2)
        elif any(p in text for p in inside):
            worst = 3
        else:
            return 4
    return worst


def highlight_spans(text: str, terms: Terms | tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of `text` where any term (or a word meaning the same) matches, ignoring
    case and diacritics; an acronym only where it is a whole word.

    Works on the original text: each character is folded on its own, so positions map back."""
    words = terms.all if isinstance(terms, Terms) else terms
    acronyms = terms.acronyms if isinstance(terms, Terms) else ()
    if not text or not words:
        return []
    owner: Sequence[int]
    if text.isascii():  # the common case: folding is lower-casing, positions unchanged
        folded, owner = text.lower(), range(len(text))
    else:
        folded_chars: list[str] = []
        positions: list[int] = []
        for i, ch in enumerate(text):
            for c in fold(ch):
                folded_chars.append(c)
                positions.append(i)
        folded, owner = "".join(folded_chars), positions
    spans: list[tuple[int, int]] = []
    for w in words:
        for v in variants(w) if isinstance(terms, Terms) else (w,):
            start = 0
            while v and (pos := folded.find(v, start)) != -1:
                start = pos + 1
                end = pos + len(v)
                after = folded[end : end + 1]
                whole = (pos == 0 or not folded[pos - 1].isalnum()) and (
                    not after.isalnum() or (after == "s" and not folded[end + 1 : end + 2].isalnum())
                )
                if w in acronyms and not whole:
                    continue
                spans.append((owner[pos], owner[end - 1] + 1))
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
    if start > 0:  # begin at a word
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):  # and end after one
        space = text.rfind(" ", max(start, spans[0][1]), end)
        end = space if space != -1 else end
    out = text[start:end].rstrip(" ,;:")
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")
