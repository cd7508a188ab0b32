"""Text folding shared by the database build and the search code, and numbers as people read
them (`number_text`: thousands separators on a number written without them).

Search ignores case and diacritics: both the indexed text and the query are folded the same way
("HÉRTA" -> "herta", "Müller" -> "muller", "Société" -> "societe").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)


def fold(text: str) -> str:
    """Lower-case, strip diacritics and normalise punctuation; keeps the string's other characters."""
    if not text:
        return ""
    if text.isascii():  # the common case, and the same result as the full path below
        return text.lower()
    text = text.translate(_SPECIAL)
    return unicodedata.normalize("NFKD", text).translate(_combining_marks()).casefold()


@functools.cache
def _combining_marks() -> dict[int, None]:
    """Every combining character (U+0300 to U+1E94A), mapped to None for str.translate."""
    return {cp: None for cp in range(0x300, 0x1F000) if unicodedata.combining(chr(cp))}


# The names and aliases of a record open its search text, each between these two characters
# (control characters, which a search never contains: see `search.parse_terms`).
KEY_OPEN = "\x1e"
KEY_CLOSE = "\x1f"
_PUNCTUATION = re.compile(r"([^\w\s])")
_SPACES = re.compile(r"\s+")


def spaced(text: str) -> str:
    """Folded text with every punctuation mark set apart by spaces and runs of white space made
    one space: in the search index every word starts after a space and ends before one."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(r" \1 ", fold(text)))


def search_text(keys: Iterable[str], values: Iterable[str]) -> str:
    """A record's text in the search index: its names and aliases (`keys`), each marked, then its
    searched columns; folded and `spaced`, with a space at each end."""
    marked = "".join(
        f" {KEY_OPEN} {k} {KEY_CLOSE}" for k in dict.fromkeys(spaced(k).strip() for k in keys) if k
    )
    return f"{marked} | {spaced(' | '.join(values)).strip()} "


def number_text(value: float, value_text: str = "") -> str:
    """A figure as the study gives it, with thousands separators: "18270000" -> "18,270,000"."""
    text = value_text.strip()
    if text and not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text  # words or a range, e.g. "11.8–19.2": kept as written
    if text:
        whole, _, frac = text.partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def plural(n: int, word: str, many: str = "") -> str:
    """ "1 row", "2 rows", "1,000 rows": a count with its word, plural unless exactly one."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"
