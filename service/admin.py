from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from accounts.models import AccountManager
from branches.models import Branch
from core.admin_scoping import ScopedAdminMixin
from service import services
from service.models import (
    Case,
    CaseEvent,
    ServiceSettings,
    SlaRule,
    SurrenderDetail,
    cooling_off_end,
)


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
class CaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = [
        "pk",
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Raw-id fields accept any typed id: limit them to the user's scope, so a supervisor
        # cannot move a team case to another team's branch or manager.
        if db_field.name == "branch":
            kwargs["queryset"] = scoped(Branch.objects.all(), request.user, "manager")
        elif db_field.name == "assigned_manager":
            kwargs["queryset"] = scoped(AccountManager.objects.all(), request.user, "")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("customer mobile"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, obj):
        return obj.is_overdue

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.due_at = services.compute_due_at(obj.kind, obj.priority, obj.opened_at)
            if obj.policy_received_on:
                obj.cooling_off_ends_on = cooling_off_end(
                    obj.policy_received_on, ServiceSettings.load().cooling_off_days
                )
        super().save_model(request, obj, form, change)
        if not change:
            CaseEvent.objects.create(
                case=obj, kind=CaseEvent.Kind.STATUS, to_status=obj.status, actor=request.user
            )


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "case__branch__manager"
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
    manager_path = "case__branch__manager"
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
