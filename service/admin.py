from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.admin_scoping import ScopedAdminMixin, ServiceWriteMixin
from service import services
from service.models import Case, CaseEvent, ServiceSettings, SlaRule, SurrenderDetail


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "text", "actor"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The timeline is written by the status machine, never by hand.
        return False


@admin.register(Case)
class CaseAdmin(ServiceWriteMixin, ScopedAdminMixin, admin.ModelAdmin):
    """A case is opened through services.open_case, with its checks (the SLA due time, the
    cooling-off period, the policy number a surrender needs); its refusals show on the form."""

    list_display = [
        "number",
        "branch",
        "kind",
        "customer_name",
        "masked_mobile",
        "priority",
        "status",
        "assigned_manager",
        "opened_at",
        "due_at",
        "is_overdue",
    ]
    list_filter = ["kind", "status", OverdueFilter, "priority", "department", "opened_at"]
    search_fields = ["customer_name", "policy_number", "branch__name", "branch__code"]
    list_select_related = ["branch__bank", "assigned_manager__user"]
    raw_id_fields = ["branch", "assigned_manager"]
    # Status, times and the timeline move only through the status machine on the site.
    readonly_fields = [
        "status",
        "due_at",
        "resolved_at",
        "closed_at",
        "handed_over_at",
        "cooling_off_ends_on",
        "created_by",
    ]
    inlines = [CaseEventInline]
    date_hierarchy = "opened_at"

    # What services.open_case takes; the status, times and timeline are the service's.
    add_fields = [
        "branch",
        "kind",
        "servicing_type",
        "priority",
        "channel",
        "customer_name",
        "customer_mobile",
        "customer_id_last_four",
        "policy_number",
        "product",
        "policy_received_on",
        "description",
        "opened_at",
        "assigned_manager",
    ]

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else super().get_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=pgettext_lazy("case", "No."), ordering="pk")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("customer mobile"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, obj):
        return obj.is_overdue

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        case = services.open_case(
            user=request.user,
            **{name: data[name] for name in self.add_fields if data.get(name) is not None},
        )
        obj.pk = case.pk
        obj.refresh_from_db()


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["text", "case__customer_name"]
    list_select_related = ["case", "actor"]
    raw_id_fields = ["case", "actor"]

    # The timeline is written by the status machine and the case page's notes, with the
    # signed-in user as the actor: never typed in here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurrenderDetail)
class SurrenderDetailAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "case",
        "outcome",
        "cash_value",
        "procedure_explained",
        "pros_and_cons_explained",
    ]
    list_filter = ["outcome"]
    search_fields = ["case__customer_name", "case__policy_number"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "abnormal_event"]


@admin.register(SlaRule)
class SlaRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "priority", "hours"]
    list_editable = ["hours"]
    list_filter = ["kind", "priority"]
    search_fields = ["kind"]
    list_select_related = []


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cooling_off_days"]
    list_filter = []
    search_fields = []
    list_select_related = []
