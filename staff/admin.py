from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from branches.admin import ScopedImportMixin
from core.admin_scoping import ScopedAdminMixin
from staff.models import BranchStaff, StaffPosting
from staff.resources import BranchStaffResource


class StaffPostingInline(admin.TabularInline):
    model = StaffPosting
    extra = 0
    raw_id_fields = ["branch"]


@admin.register(BranchStaff)
class BranchStaffAdmin(ScopedAdminMixin, ScopedImportMixin, SimpleHistoryAdmin):
    resource_classes = [BranchStaffResource]
    list_display = [
        "name",
        "role",
        "branch",
        "masked_mobile",
        "is_key_teller",
        "is_influencer",
        "is_active",
    ]
    list_filter = ["role", "is_key_teller", "is_influencer", "is_active"]
    search_fields = ["name", "branch__name", "branch__code"]
    list_select_related = ["branch__bank"]
    raw_id_fields = ["branch"]
    inlines = [StaffPostingInline]

    @admin.display(description=BranchStaff._meta.get_field("mobile").verbose_name)
    def masked_mobile(self, obj):
        return obj.masked_mobile


@admin.register(StaffPosting)
class StaffPostingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["staff", "branch", "role", "started_on", "ended_on"]
    list_filter = ["role", "started_on"]
    search_fields = ["staff__name", "branch__name", "branch__code"]
    list_select_related = ["staff", "branch__bank"]
    raw_id_fields = ["staff", "branch"]
