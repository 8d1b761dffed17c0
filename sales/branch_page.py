"""What the sales app adds to the branch page: this period's progress against plan."""

from branches.panels import Panel, register_panel
from sales import selectors


def panel_context(branch, user):
    # The branch page has already checked that the user may see this branch. Eight queries.
    windows = [selectors.window(kind) for kind in selectors.PERIOD_KINDS]
    progress = selectors.branch_progress([branch.pk], windows)
    month = windows[0]
    return {
        "periods": [(w, progress[(branch.pk, w.kind)]) for w in windows],
        "by_staff": selectors.sales_by_staff(branch, month),
        "cancellations": selectors.cancellations(branch, month),
        "cooling_off": list(selectors.in_cooling_off(branch, month.today)),
        "trend": selectors.monthly_trend(branch, month.today),
    }


PANEL = register_panel(
    Panel(order=20, template="sales/_branch_sales_panel.html", context=panel_context)
)
