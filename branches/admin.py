from django.contrib import admin, messages
from django.utils.translation import gettext as _
from import_export.admin import ImportMixin

from branches.models import (
    AbnormalEvent,
    Bank,
    Branch,
    CompetitorPresence,
    DepositSnapshot,
    PlanTarget,
    Visit,
)
from branches.resources import BranchResource
from branches.services import import_summary
from core.admin_scoping import ScopedAdminMixin


class ScopedImportMixin(ImportMixin):
    """Import through the admin, all or nothing, scoped to what the importing user may see."""

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def add_success_message(self, result, request):
        summary = import_summary(result)
        messages.success(
            request,
            _(
                "Import finished: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(rejected)s rejected."
            )
            % summary,
        )


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "allows_posters"]
    list_filter = ["allows_posters"]
    search_fields = ["name", "short_name"]


@admin.register(Branch)
class BranchAdmin(ScopedAdminMixin, ScopedImportMixin, admin.ModelAdmin):
    resource_classes = [BranchResource]
    list_display = [
        "name",
        "code",
        "bank",
        "tier",
        "district",
        "manager",
        "is_active",
        "last_visit_at",
    ]
    list_filter = ["tier", "is_active", "bank", "district"]
    search_fields = ["name", "code", "bank__name"]
    list_select_related = ["bank", "manager__user"]
    autocomplete_fields = ["manager", "bank"]


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "manager", "visited_at", "next_visit_on"]
    list_filter = ["visited_at"]
    search_fields = ["branch__name", "branch__code", "summary"]
    list_select_related = ["branch__bank", "manager__user"]
    raw_id_fields = ["branch", "staff_met"]
    date_hierarchy = "visited_at"


@admin.register(AbnormalEvent)
class AbnormalEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "category", "occurred_on", "status", "reported_by"]
    list_filter = ["category", "status"]
    search_fields = ["branch__name", "description"]
    list_select_related = ["branch__bank", "reported_by"]
    raw_id_fields = ["branch"]


@admin.register(DepositSnapshot)
class DepositSnapshotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "as_of", "personal", "corporate", "recorded_by"]
    list_filter = ["as_of", "branch__bank"]
    search_fields = ["branch__name", "branch__code"]
    list_select_related = ["branch__bank", "recorded_by"]
    raw_id_fields = ["branch"]
    date_hierarchy = "as_of"


@admin.register(PlanTarget)
class PlanTargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = [
        "branch",
        "period_start",
        "period_end",
        "premium_target",
        "policy_count_target",
        "competition_scheme",
    ]
    list_filter = ["period_start", "branch__bank"]
    search_fields = ["branch__name", "branch__code", "competition_scheme"]
    list_select_related = ["branch__bank"]
    raw_id_fields = ["branch"]


@admin.register(CompetitorPresence)
class CompetitorPresenceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = "branch__manager"
    list_display = ["branch", "insurer", "annual_premium", "recent_premium", "observed_on"]
    list_filter = ["insurer", "observed_on"]
    search_fields = ["branch__name", "branch__code", "insurer"]
    list_select_related = ["branch__bank"]
    raw_id_fields = ["branch"]
