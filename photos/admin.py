from django.contrib import admin

from core.admin_scoping import ScopedAdminMixin
from photos.models import Photo


@admin.register(Photo)
class PhotoAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: photos come in through the owner's page (photos.services.add_photos)."""

    list_display = ("uploaded_at", "branch", "manager", "taken_at", "far_from_owner_time")
    list_filter = ("far_from_owner_time",)
    list_select_related = ("branch__bank", "manager__user")
    readonly_fields = [f.name for f in Photo._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
