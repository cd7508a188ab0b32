"""The tooltip of a row found by a search: which column held the words, with them highlighted."""

from __future__ import annotations

import html

from faceledger.data.repositories import Repository


def match_tooltip(repository: Repository[object], record_id: str, search: str, cell: str) -> str:
    """Rich text: "Matched in Summary", a snippet of that column with the search's words in
    bold, then the cell's own text when it is long (as the tooltip says without a search). All
    database text is escaped."""
    why = _reason_html(repository, record_id, search)
    own = f"<br><br>{html.escape(cell)}" if len(cell) > 30 else ""
    return f"<qt>{why}{own}</qt>" if why or own else ""


def _reason_html(repository: Repository[object], record_id: str, search: str) -> str:
    reason = repository.match_reason(record_id, search)
    if reason is None:
        return ""
    out, pos = [], 0
    for start, end in reason.spans:
        out += [html.escape(reason.text[pos:start]), f"<b>{html.escape(reason.text[start:end])}</b>"]
        pos = end
    out.append(html.escape(reason.text[pos:]))
    return f"<i>Matched in {html.escape(reason.field)}:</i><br>{''.join(out)}"
