"""Drill-downs from one page to another (a chart's bar to the Deployments or Events page filtered,
a study's figure to its record): the one small object the main window routes pages' requests
through. Pages only emit signals; the window connects them here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from faceledger.data.deployment_charts import DeploymentFilter

if TYPE_CHECKING:
    from faceledger.ui.charts_page import ChartsPage
    from faceledger.ui.entity_page import EntityPage

# The Deployments page's filters that the documented-deployments chart follows.
FILTER_KEYS = ("customer_country", "customer_type", "status")


class PageHost(Protocol):
    """What navigation needs of the window."""

    @property
    def pages(self) -> Mapping[str, EntityPage]: ...

    def show_page(self, entity: str) -> EntityPage: ...

    def navigate(self, entity: str, record_id: str) -> bool: ...

    def show_message(self, text: str) -> None: ...


class Navigator:
    """Opens pages filtered from another page's request, and keeps the charts' deployment filters
    following the Deployments page's."""

    def __init__(self, host: PageHost) -> None:
        self.host = host
        self._synced = DeploymentFilter()

    def deployment_filter(self) -> DeploymentFilter:
        """The Deployments page's filters on the chart's fields (one value each)."""
        query = self.host.pages["deployments"].current_query()
        values = {k: v[0] for k, v in query.filters if k in FILTER_KEYS and len(v) == 1}
        return DeploymentFilter(
            values.get("customer_country"), values.get("customer_type"), values.get("status")
        )

    def charts_shown(self, charts: ChartsPage) -> None:
        """The Charts page is being shown: its deployment filters follow the Deployments page's
        when those changed since the charts last saw them."""
        flt = self.deployment_filter()
        if flt != self._synced:
            self._synced = flt
            charts.follow_filter(flt)

    def open_deployments(self, vendor_id: str, vendor_name: str, flt: DeploymentFilter) -> None:
        target = self.host.show_page("deployments")
        target.show_only(
            ("vendor_id", vendor_id, f"Vendor: {vendor_name}"),
            {
                "customer_country": flt.customer_country,
                "customer_type": flt.customer_type,
                "status": flt.status,
            },
        )
        self._synced = self.deployment_filter()
        self._arrived(target, f"Deployments of {vendor_name}, from the chart.")

    def open_events(self, year: int, kind: str) -> None:
        target = self.host.show_page("events")
        target.show_only(None, {"kind": kind or None}, year=year)
        self._arrived(target, f"Events of {year}" + (f" ({kind})" if kind else "") + ", from the chart.")

    def open_record(self, entity: str, record_id: str) -> None:
        self.host.navigate(entity, record_id)

    def _arrived(self, target: EntityPage, message: str) -> None:
        target.ensure_selection()  # the detail pane shows a row of the new view, not the old one
        target.table.setFocus()
        self.host.show_message(message)
