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


# -- the build: stored addresses ----------------------------------------------------------------
_BARE_DOMAIN = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?:[/?#].*)?$")


def normalised_url(url: str) -> str:
    """An address as the build stores it: trimmed, and a bare domain (``ibm.com``) given the
    https scheme; anything else unchanged (and then checked with `refuse_reason`)."""
    text = url.strip()
    if not _SCHEME.match(text) and _BARE_DOMAIN.match(text):
        return "https://" + text
    return text


# -- hosts that imitate others ------------------------------------------------------------------
def host_of(url: str) -> str:
    """The host of an http(s) address (no user, no port), as written."""
    rest = url.strip().split("//", 1)[-1]
    authority = re.split(r"[/?#\\]", rest, maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0]


def _script(ch: str) -> str:
    import unicodedata  # noqa: PLC0415 (only for an address being opened)

    name = unicodedata.name(ch, "")
    word = name.split(" ", 1)[0] if name else "UNKNOWN"
    return "JAPANESE" if word in ("CJK", "HIRAGANA", "KATAKANA") else word


def lookalike_warning(url: str) -> str | None:
    """Why the host of `url` may imitate another site's (one sentence), or None: a host written in
    punycode (``xn--``), whose letters are not what they look like, or a host mixing letters of
    several scripts (a Cyrillic 'а' among Latin letters)."""
    host = host_of(url)
    if any(label.lower().startswith("xn--") for label in host.split(".")):
        try:
            shown = host.encode("ascii").decode("idna")
        except UnicodeError:
            return f"The host {host} is written in punycode that does not decode: it may imitate another site."
        return (
            f"The host {host} is written in punycode and reads as {shown}: "
            "it may imitate another site's name."
        )
    scripts = sorted({_script(ch) for ch in host if ch.isalpha()})
    if len(scripts) > 1:
        named = " and ".join(s.title() for s in scripts)
        return f"The host {host} mixes {named} letters: it may imitate another site's name."
    return None
