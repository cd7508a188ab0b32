"""Which addresses may be opened in the system browser: http(s) only, no credentials."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def refuse_reason(url: str) -> str | None:
    """None when `url` may be opened; otherwise why it is refused (one line)."""
    text = (url or "").strip()
    if not text:
        return "The address is empty."
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in text):
        return "The address contains control characters."
    if text.startswith("\\\\") or text.startswith("//"):
        return "Network (UNC) paths are not opened."
    m = _SCHEME.match(text)
    if not m or m.group(1).lower() not in ("http", "https"):
        scheme = m.group(1).lower() if m else "none"
        return f"Only web addresses (http or https) are opened; this one uses '{scheme}'."
    rest = text[m.end() :]
    if not rest.startswith("//"):
        return "The web address has no host."
    authority = rest[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in authority:
        return "Addresses with a user name or password are not opened."
    if not authority or authority.startswith(":"):
        return "The web address has no host."
    if "\\" in authority:
        return "The web address has an invalid host."
    return None
