"""What the sales app adds to the branch page: this period's progress against plan."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.page_reads import register_read, rows
from branches.panels import Panel, register_panel
from branches.timeline import TimelineEntry, register
from core.names import name_fields
from sales import selectors
from sales.models import CustomerContact, Policy


def _windows():
    return [selectors.window(kind) for kind in selectors.PERIOD_KINDS]


# The panel's reads, made with the rest of the branch page's in one statement.
register_read(
    "sales.progress",
    lambda branch, limit: selectors.branch_sales_query(branch, _windows()),
)
register_read(
    "sales.targets",
    lambda branch, limit: selectors.branch_targets_query(branch, _windows()),
)
register_read(
    "sales.by_staff",
    lambda branch, limit: selectors.sales_by_staff_query(branch, _windows()[0]),
)
register_read(
    "sales.sellers",
    # The panel shows a seller's name only (17 columns to 2).
    lambda branch, limit: selectors.sales_by_staff_sellers(branch, _windows()[0]).only("name"),
)
register_read(
    "sales.cancellations",
    lambda branch, limit: selectors.cancellations_query(branch, _windows()[0]),
)
register_read(
    "sales.cooling_off",
    # Only what the panel's list shows (35 columns of policy, customer and product to 9).
    lambda branch, limit: selectors.in_cooling_off(branch).only(
        "number", "premium", "cooling_off_ends_on", "customer__name", "product__name"
    ),
)
register_read("sales.trend", lambda branch, limit: selectors.monthly_trend_query(branch))


def panel_context(branch, user):
    # The branch page has already checked that the user may see this branch.
    windows = _windows()
    progress = selectors.branch_progress_from(
        branch, windows, rows(branch, "sales.progress"), rows(branch, "sales.targets")
    )
    month = windows[0]
    sellers = {seller.pk: seller for seller in rows(branch, "sales.sellers")}
    return {
        "periods": [(w, progress[(branch.pk, w.kind)]) for w in windows],
        "by_staff": selectors.sales_by_staff_from(rows(branch, "sales.by_staff"), sellers),
        "cancellations": selectors.cancellations_from(rows(branch, "sales.cancellations")),
        "cooling_off": rows(branch, "sales.cooling_off"),
        "trend": selectors.monthly_trend_from(rows(branch, "sales.trend"), month.today),
    }


PANEL = register_panel(
    Panel(order=20, template="sales/_branch_sales_panel.html", context=panel_context)
)


def _noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _policy_changes(branch, limit):
    return (
        Policy.objects.filter(
            branch=branch,
            status__in=[Policy.Status.CANCELLED, Policy.Status.SURRENDERED],
            status_changed_on__isnull=False,
        )
        .select_related("customer", "product")
        # Only what the entry shows (the policy's, customer's and product's other columns
        # cost compiling, planning and reading on every branch page).
        .only("number", "status", "status_changed_on", "premium", "customer__name", "product__name")
        .order_by("-status_changed_on", "-pk")[:limit]
    )


def _customer_contacts(branch, limit):
    return (
        CustomerContact.objects.filter(customer__branch=branch)
        .select_related("customer", "manager__user")
        .only(
            "contacted_at",
            "summary",
            "customer__name",
            *name_fields("manager__user"),
        )
        .order_by("-contacted_at")[:limit]
    )


register_read("sales.policy_changes", _policy_changes)
register_read("sales.customer_contacts", _customer_contacts)


@register
def policy_changes(branch, limit):
    """Policies cancelled (撤单) or surrendered (退保) at the branch (one query)."""
    for policy in rows(branch, "sales.policy_changes", limit=limit):
        yield TimelineEntry(
            when=_noon(policy.status_changed_on),
            kind="policy",
            title=f"{policy.get_status_display()}: {policy.number} · {policy.customer.name}",
            summary=f"{policy.product.name} · {policy.premium:,.0f}",
        )


@register
def customer_contacts(branch, limit):
    """Follow-ups with the branch's customers (one query)."""
    for contact in rows(branch, "sales.customer_contacts", limit=limit):
        yield TimelineEntry(
            when=contact.contacted_at,
            kind="customer_contact",
            title=_("Customer follow-up: %(name)s") % {"name": contact.customer.name},
            summary=contact.summary,
            url=reverse("sales:customer_detail", args=[contact.customer_id]),
            actor=contact.manager.display_name,
        )
