"""Text folding shared by the database build and the search code.

Search ignores case and diacritics: both the indexed text and the query are folded the same way
("HÉRTA" -> "herta", "Müller" -> "muller", "Société" -> "societe").
"""

from __future__ import annotations

import functools
import unicodedata

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
