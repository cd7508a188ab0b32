"""Text folding shared by the database build and the search code.

Search ignores case and diacritics: both the indexed text and the query are folded the same way
("HÉRTA" -> "herta", "Müller" -> "muller", "Société" -> "societe").
"""

from __future__ import annotations

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
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()
