"""Plain-text citations of a record and its sources (for Ctrl+Shift+C and briefs)."""

from __future__ import annotations

from typing import Any

from faceledger.data.repositories import Citation


def describe_source(c: Citation) -> str:
    s = c.source
    parts = [s.publisher or "Unknown publisher"]
    if s.title:
        parts.append(f"“{s.title}”")
    if s.date:
        parts.append(s.date)
    if c.dataset_name:
        parts.append(f"dataset: {c.dataset_name}")
    parts.append(s.url)
    return ", ".join(p for p in parts if p)


def citation_text(
    singular: str, label: str, record: Any, citations: list[Citation], data_version: str
) -> str:
    """A citation block: what the record says, how verified, and each source."""
    verification = getattr(record, "verification", "")
    lines = [f"{label} ({singular}) — FaceLedger record {record.id}"]
    if verification:
        status = verification
        note = getattr(record, "verification_note", "")
        if note:
            status += f": {note}"
        lines.append(f"Verification: {status}")
    if citations:
        lines.append("Sources:")
        lines += [f"  [{i}] {describe_source(c)}" for i, c in enumerate(citations, 1)]
    else:
        lines.append("Sources: none recorded")
    lines.append(f"Cited from FaceLedger, data version {data_version}.")
    return "\n".join(lines)
