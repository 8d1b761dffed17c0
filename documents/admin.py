"""Admin for the documents app. Stock figures are read-only here: they change only through
the services, together with their ledger line."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.admin_scoping import ScopedAdminMixin, ServiceWriteMixin
from documents import services
from documents.models import (
    BranchStock,
    Handover,
    IntakeBatch,
    IntakeForm,
    IntakeReview,
    LayoutPlacement,
    ReviewCheck,
    SerialForm,
    SerialRange,
    StockItem,
    StockMovement,
)


class ServiceAddMixin(ServiceWriteMixin):
    """Adding goes through a service (the rules live there, not in the admin).

    The add form only checks its fields; save_model calls ``create(request, cleaned_data)``,
    and a ValidationError from the service is shown on the form (ServiceWriteMixin).
    Existing rows are read-only.
    """

    add_fields = ()
    refusal = None  # a message when rows cannot be added here at all

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, **kwargs)
        admin_self = self
        kwargs["fields"] = list(self.add_fields)
        base = super().get_form(request, obj, **kwargs)

        class AddForm(base):
            def clean(self):
                data = super().clean()
                if admin_self.refusal is not None:
                    raise ValidationError(admin_self.refusal)
                return data

            def _post_clean(self):
                # The service validates and builds the row; the model's own checks on a
                # half-built instance (a usage's quantity before its sign) do not apply.
                pass

        return AddForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(self.add_fields)
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [field.name for field in self.model._meta.fields]

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = self.create(request, form.cleaned_data)
        obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # the service saved everything the row needs

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    list_display = ["branch", "item", "on_hand", "threshold_override", "last_counted_at"]
    list_filter = ["item"]
    search_fields = ["branch__name", "branch__code", "item__name"]
    list_select_related = ["branch__bank", "item"]
    raw_id_fields = ["branch"]
    readonly_fields = ["on_hand", "last_counted_at"]


@admin.register(StockMovement)
class StockMovementAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The ledger is append-only: a line is added through the stock services, never edited."""

    list_display = ["occurred_at", "branch_stock", "kind", "quantity", "recorded_by", "note"]
    list_filter = ["kind", "occurred_at"]
    search_fields = ["branch_stock__branch__name", "branch_stock__item__name", "note"]
    list_select_related = ["branch_stock__branch__bank", "branch_stock__item", "recorded_by"]
    date_hierarchy = "occurred_at"
    add_fields = ("branch_stock", "kind", "quantity", "note")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "branch_stock":
            # Scoped to the user by the mixin.
            kwargs["queryset"] = BranchStock.objects.select_related("branch__bank", "item")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, data):
        return services.record_movement(
            branch_stock=data["branch_stock"],
            kind=data["kind"],
            quantity=data["quantity"],
            user=request.user,
            note=data.get("note", ""),
        )


@admin.register(SerialRange)
class SerialRangeAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "branch", "item", "issued_at", "issued_by"]
    list_filter = ["item", "issued_at"]
    search_fields = ["branch__name", "branch__code"]
    list_select_related = ["branch__bank", "item", "issued_by"]
    add_fields = ("branch", "item", "first_number", "last_number")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "branch":
            kwargs["queryset"] = Branch.objects.select_related("bank")  # scoped by the mixin
        if db_field.name == "item":
            kwargs["queryset"] = StockItem.objects.filter(is_controlled=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, data):
        return services.issue_serial_range(
            branch=data["branch"],
            item=data["item"],
            first_number=data["first_number"],
            last_number=data["last_number"],
            user=request.user,
        )


@admin.register(SerialForm)
class SerialFormAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "serial_range", "status", "status_changed_at"]
    list_filter = ["status"]
    search_fields = ["=number"]
    list_select_related = ["serial_range__branch__bank"]
    refusal = _("Numbered forms are created by issuing a serial range.")


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
class IntakeBatchAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "collected_at", "collected_by"]
    list_filter = ["collected_at"]
    search_fields = ["branch__name", "branch__code", "note"]
    list_select_related = ["branch__bank", "collected_by"]
    inlines = [IntakeFormInline]
    refusal = _('Forms are collected on the branch\'s "Collect forms" page.')

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


class IntakeReviewInline(admin.TabularInline):
    model = IntakeReview
    fields = ["round", "batch", "outcome", "failed_checks", "return_reason", "reviewed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # written by documents.services.review_form only


@admin.register(IntakeReview)
class IntakeReviewAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a round is written by the review (documents.services.review_form)."""

    list_display = ["intake_form", "round", "outcome", "reviewed_at", "reviewed_by"]
    list_filter = ["outcome", "reviewed_at"]
    search_fields = ["=intake_form__serial_form__number"]
    list_select_related = ["intake_form__serial_form", "reviewed_by"]
    readonly_fields = [
        "intake_form",
        "round",
        "batch",
        "outcome",
        "failed_checks",
        "review_warnings",
        "return_reason",
        "reviewed_at",
        "reviewed_by",
    ]
    refusal = _("Review rounds are written by the preliminary review.")


@admin.register(IntakeForm)
class IntakeFormAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the status moves only through the review, register and handover actions."""

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
    refusal = _('Forms are collected on the branch\'s "Collect forms" page.')
    inlines = [IntakeReviewInline]


@admin.register(Handover)
class HandoverAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only but for the archive's confirmation of receipt, through the service."""

    list_display = [
        "slip_number",
        "manager",
        "handed_over_at",
        "received_by",
        "confirmed_at",
        "confirmed_by",
    ]
    list_filter = ["handed_over_at", "confirmed_at"]
    search_fields = ["slip_number", "received_by", "scanned_slip_number"]
    list_select_related = ["manager__user", "confirmed_by"]
    readonly_fields = [
        "manager",
        "handed_over_at",
        "received_by",
        "slip_number",
        "handed_over_by",
        "confirmed_at",
        "confirmed_by",
        "scanned_slip_number",
    ]
    actions = ["confirm_receipt"]
    refusal = _("Registered forms are handed over on the form intake pages.")

    @admin.action(description=_("Confirm receipt by the archive"), permissions=["change"])
    def confirm_receipt(self, request, queryset):
        for handover in queryset:
            try:
                services.confirm_handover(handover=handover, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("Receipt of %(slip)s confirmed.") % {"slip": handover.slip_number}
                )


@admin.register(LayoutPlacement)
class LayoutPlacementAdmin(ServiceAddMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "item", "location", "since", "removed_on"]
    list_filter = ["item", "removed_on"]
    search_fields = ["branch__name", "location"]
    list_select_related = ["branch__bank", "item"]
    add_fields = ("branch", "item", "location", "since")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "branch":
            kwargs["queryset"] = Branch.objects.select_related("bank")  # scoped by the mixin
        if db_field.name == "item":
            kwargs["queryset"] = StockItem.objects.filter(is_display=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, data):
        return services.place_item(
            branch=data["branch"],
            item=data["item"],
            location=data["location"],
            user=request.user,
            since=data.get("since"),
        )
