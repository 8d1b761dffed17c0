from django.contrib import admin

from core.admin_scoping import ReadOnlyAdminMixin, ScopedAdminMixin
from offline.models import SyncRecord


@admin.register(SyncRecord)
class SyncRecordAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: records arrive through the sync (offline.services.apply_record), and each is
    what keeps a late duplicate of its key from being applied again, so none is deleted."""

    list_display = ("created_at", "user", "key", "kind", "status")
    list_filter = ("kind", "status")
    list_select_related = ("user",)
    search_fields = ("=key",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    readonly_fields = [f.name for f in SyncRecord._meta.fields]
