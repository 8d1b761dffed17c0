"""Download of the stock overview, with the page's state filter and the user's scope."""

from django.utils.translation import gettext as _

from core.exports import Column, export
from documents import selectors
from documents.forms import StockFilterForm


def stock_export(request, fmt):
    filters = StockFilterForm(request.GET or None)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    rows = selectors.stock_overview(request.user, state=state or None)
    columns = [
        Column(_("Bank"), lambda r: r.branch.bank.name),
        Column(_("Branch"), lambda r: r.branch.name),
        Column(_("Account manager"), lambda r: r.branch.manager.display_name),
        Column(_("Item"), lambda r: r.item.label),
        Column(_("On hand"), lambda r: r.on_hand),
        Column(_("Unit"), lambda r: r.item.unit_label),
        Column(_("Reorder threshold"), lambda r: r.threshold),
        Column(_("State"), lambda r: r.assessment.label),
        Column(
            _("Days of cover"),
            lambda r: float(r.assessment.days_of_cover)
            if r.assessment.days_of_cover is not None
            else "",
        ),
    ]
    return export(fmt, filename="stock", title=_("Stock"), columns=columns, rows=rows)
