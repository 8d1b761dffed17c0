from django.contrib import admin

from core.admin_scoping import ScopedAdminMixin
from worklog.models import WorkLog


@admin.register(WorkLog)
class WorkLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: logs are written and submitted by their managers (worklog.services)."""

    list_display = ["date", "manager", "submitted_at"]
    list_filter = ["date"]
    list_select_related = ["manager__user"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
