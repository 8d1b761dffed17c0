from django.contrib import admin

from core.admin_scoping import ScopedAdminMixin
from outreach.models import OutreachEvent


@admin.register(OutreachEvent)
class OutreachEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: events are recorded on the outreach pages (outreach.services.record_event),
    which check the branches, staff and policies and tick the checklist."""

    list_display = ("held_on", "kind", "organiser", "place", "customers_reached", "leads")
    list_filter = ("kind",)
    date_hierarchy = "held_on"
    list_select_related = ("organiser__user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
