"""Admin for the documents app. Stock figures are read-only here: they change only through
the services, together with their ledger line."""

from django.contrib import admin

from config.admin_scoping import ScopedAdminMixin
from documents.models import (
    BranchStock,
    Handover,
    IntakeBatch,
    IntakeForm,
    LayoutPlacement,
    ReviewCheck,
    SerialForm,
    SerialRange,
    StockItem,
    StockMovement,
)


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "default_threshold",
        "is_controlled",
        "is_display",
        "is_active",
    ]
    list_filter = ["is_active", "is_controlled", "is_display"]
    search_fields = ["code", "name"]
    list_select_related = []


@admin.register(BranchStock)
class BranchStockAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "item", "on_hand", "threshold_override", "last_counted_at"]
    list_filter = ["item"]
    search_fields = ["branch__name", "branch__code", "item__name"]
    list_select_related = ["branch__bank", "item"]
    raw_id_fields = ["branch"]
    readonly_fields = ["on_hand", "last_counted_at"]


@admin.register(StockMovement)
class StockMovementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The ledger is append-only: nothing here can be edited or deleted."""

    manager_path = "branch_stock__branch__manager"
    list_display = ["occurred_at", "branch_stock", "kind", "quantity", "recorded_by", "note"]
    list_filter = ["kind", "occurred_at"]
    search_fields = ["branch_stock__branch__name", "branch_stock__item__name", "note"]
    list_select_related = ["branch_stock__branch__bank", "branch_stock__item", "recorded_by"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SerialRange)
class SerialRangeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["__str__", "branch", "item", "issued_at", "issued_by"]
    list_filter = ["item", "issued_at"]
    search_fields = ["branch__name", "branch__code"]
    list_select_related = ["branch__bank", "item", "issued_by"]
    raw_id_fields = ["branch"]

    def has_add_permission(self, request):
        # Ranges are issued on the branch's serial page, which checks overlaps.
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SerialForm)
class SerialFormAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "serial_range__branch__manager"
    list_display = ["__str__", "serial_range", "status", "status_changed_at"]
    list_filter = ["status"]
    search_fields = ["=number"]
    list_select_related = ["serial_range__branch__bank"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewCheck)
class ReviewCheckAdmin(admin.ModelAdmin):
    list_display = ["rule", "limit", "blocking", "is_active"]
    list_filter = ["is_active", "blocking"]
    search_fields = ["rule"]
    list_select_related = []


class IntakeFormInline(admin.TabularInline):
    model = IntakeForm
    fields = ["serial_form", "applicant_name", "status", "reviewed_at", "registered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IntakeBatch)
class IntakeBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "collected_at", "collected_by"]
    list_filter = ["collected_at"]
    search_fields = ["branch__name", "branch__code", "note"]
    list_select_related = ["branch__bank", "collected_by"]
    inlines = [IntakeFormInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IntakeForm)
class IntakeFormAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the status moves only through the review, register and handover actions."""

    manager_path = "batch__branch__manager"
    list_display = [
        "__str__",
        "batch",
        "applicant_name",
        "status",
        "reviewed_at",
        "registered_at",
        "handover",
    ]
    list_filter = ["status"]
    search_fields = ["=serial_form__number", "applicant_name"]
    list_select_related = ["batch__branch__bank", "serial_form", "handover"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["slip_number", "manager", "handed_over_at", "received_by"]
    list_filter = ["handed_over_at"]
    search_fields = ["slip_number", "received_by"]
    list_select_related = ["manager__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LayoutPlacement)
class LayoutPlacementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "item", "location", "since", "removed_on"]
    list_filter = ["item", "removed_on"]
    search_fields = ["branch__name", "location"]
    list_select_related = ["branch__bank", "item"]
    raw_id_fields = ["branch"]
    readonly_fields = ["placed_by"]

    def has_add_permission(self, request):
        # Placements go through the layout page, which refuses posters where forbidden.
        return False
