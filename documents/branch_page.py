"""What the documents app adds to the branch page: the stock panel and timeline entries."""

from itertools import groupby

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.panels import Panel, register_panel
from branches.timeline import TimelineEntry, register
from core.lists import join_list
from core.names import full_name


def stock_panel_context(branch, user):
    from documents.selectors import branch_stock_panel, returned_forms_of

    # Forms returned at review are still outstanding here until collected again.
    return {
        "stock_rows": branch_stock_panel(branch),
        "returned_forms": list(returned_forms_of(branch)),
    }


register_panel(
    Panel(order=30, template="documents/_branch_stock_panel.html", context=stock_panel_context)
)


@register
def deliveries(branch, limit):
    from documents.models import StockMovement

    rows = (
        StockMovement.objects.filter(branch_stock__branch=branch, kind=StockMovement.Kind.DELIVERY)
        .select_related("branch_stock__item", "recorded_by")
        .order_by("-occurred_at", "pk")[: limit * 7]
    )
    # One delivery of several items shares its moment: show it as one entry.
    for when, group in groupby(rows, key=lambda movement: movement.occurred_at):
        group = list(group)
        yield TimelineEntry(
            when=when,
            kind="delivery",
            title=_("Delivery"),
            summary=join_list(
                _("%(item)s %(quantity)s %(unit)s")
                % {
                    "item": m.branch_stock.item.label,
                    "quantity": m.quantity,
                    "unit": m.branch_stock.item.unit_label,
                }
                for m in group
            ),
            url=reverse("documents:movements", args=[group[0].branch_stock_id]),
            actor=full_name(group[0].recorded_by),
        )


@register
def intake_batches(branch, limit):
    from documents.models import IntakeBatch

    rows = (
        IntakeBatch.objects.filter(branch=branch)
        .annotate(form_count=Count("forms"))
        .select_related("collected_by")
        .order_by("-collected_at")[:limit]
    )
    for batch in rows:
        yield TimelineEntry(
            when=batch.collected_at,
            kind="intake",
            title=_("Application forms collected: %(count)d") % {"count": batch.form_count},
            summary=batch.note,
            url=reverse("documents:intake_batch", args=[batch.pk]),
            actor=full_name(batch.collected_by),
        )
