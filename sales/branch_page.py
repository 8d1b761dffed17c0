"""What the sales app adds to the branch page: this period's progress against plan."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.panels import Panel, register_panel
from branches.timeline import TimelineEntry, register
from sales import selectors
from sales.models import CustomerContact, Policy


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


def _noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@register
def policy_changes(branch, limit):
    """Policies cancelled (撤单) or surrendered (退保) at the branch (one query)."""
    rows = (
        Policy.objects.filter(
            branch=branch,
            status__in=[Policy.Status.CANCELLED, Policy.Status.SURRENDERED],
            status_changed_on__isnull=False,
        )
        .select_related("customer", "product")
        .order_by("-status_changed_on", "-pk")[:limit]
    )
    for policy in rows:
        yield TimelineEntry(
            when=_noon(policy.status_changed_on),
            kind="policy",
            title=f"{policy.get_status_display()}: {policy.number} · {policy.customer.name}",
            summary=f"{policy.product.name} · {policy.premium:,.0f}",
        )


@register
def customer_contacts(branch, limit):
    """Follow-ups with the branch's customers (one query)."""
    rows = (
        CustomerContact.objects.filter(customer__branch=branch)
        .select_related("customer", "manager__user")
        .order_by("-contacted_at")[:limit]
    )
    for contact in rows:
        yield TimelineEntry(
            when=contact.contacted_at,
            kind="customer_contact",
            title=_("Customer follow-up: %(name)s") % {"name": contact.customer.name},
            summary=contact.summary,
            url=reverse("sales:customer_detail", args=[contact.customer_id]),
            actor=contact.manager.display_name,
        )
