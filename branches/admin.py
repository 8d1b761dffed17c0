from django.contrib import admin

from branches.models import AbnormalEvent, Bank, Branch, Visit
from config.admin_scoping import ScopedAdminMixin


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "allows_posters"]
    search_fields = ["name", "short_name"]


@admin.register(Branch)
class BranchAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
