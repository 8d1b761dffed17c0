"""What the documents app adds to the branch page: the stock panel and timeline entries."""

from itertools import groupby

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.page_reads import register_read, rows
from branches.panels import Panel, register_panel
from branches.timeline import TimelineEntry, register
from core.lists import join_list
from core.names import full_name, name_fields


def _stock(branch, limit):
    from documents.selectors import branch_stock_panel_query

    return branch_stock_panel_query(branch)


def _returned(branch, limit):
    from documents.selectors import returned_forms_of

    return returned_forms_of(branch)


def _deliveries(branch, limit):
    from documents.models import StockMovement

    # One delivery of several items shares its moment: up to seven items an entry.
    return (
        StockMovement.objects.filter(branch_stock__branch=branch, kind=StockMovement.Kind.DELIVERY)
        .select_related("branch_stock__item", "recorded_by")
        # Only what an entry shows (item labels in both languages, the recorder's name).
        .only(
            "occurred_at",
            "quantity",
            "branch_stock__item__name",
            "branch_stock__item__name_en",
            "branch_stock__item__unit",
            "branch_stock__item__unit_en",
            *name_fields("recorded_by"),
        )
        .order_by("-occurred_at", "pk")[: limit * 7]
    )


def _intake_batches(branch, limit):
    from documents.models import IntakeBatch

    return (
        IntakeBatch.objects.filter(branch=branch)
        .annotate(form_count=Count("forms"))
        .select_related("collected_by")
        .order_by("-collected_at")[:limit]
    )


register_read("documents.stock", _stock)
register_read("documents.returned_forms", _returned)
register_read("documents.deliveries", _deliveries)
register_read("documents.intake_batches", _intake_batches)


def stock_panel_context(branch, user):
    from documents.selectors import assess_rows

    # Forms returned at review are still outstanding here until collected again.
    return {
        "stock_rows": assess_rows(rows(branch, "documents.stock")),
        "returned_forms": rows(branch, "documents.returned_forms"),
    }


register_panel(
    Panel(order=30, template="documents/_branch_stock_panel.html", context=stock_panel_context)
)


@register
def deliveries(branch, limit):
    movements = rows(branch, "documents.deliveries", limit=limit)
    # One delivery of several items shares its moment: show it as one entry.
    for when, group in groupby(movements, key=lambda movement: movement.occurred_at):
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
    for batch in rows(branch, "documents.intake_batches", limit=limit):
        yield TimelineEntry(
            when=batch.collected_at,
            kind="intake",
            title=_("Application forms collected: %(count)d") % {"count": batch.form_count},
            summary=batch.note,
            url=reverse("documents:intake_batch", args=[batch.pk]),
            actor=full_name(batch.collected_by),
        )
