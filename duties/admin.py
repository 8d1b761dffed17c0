from django.contrib import admin

from core.admin_scoping import ScopedAdminMixin
from duties.models import (
    Attendance,
    AttendanceCorrection,
    BriefingDelivery,
    ChecklistItem,
    ChecklistTemplate,
    DutyArea,
    DutyTask,
    PolicyBriefing,
    TrainingSession,
)


class DutyTaskInline(admin.TabularInline):
    model = DutyTask
    extra = 0
    fields = ["code", "name", "name_en", "order", "is_active"]


@admin.register(DutyArea)
class DutyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = True
    inlines = [DutyTaskInline]


@admin.register(DutyTask)
class DutyTaskAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "area", "order", "is_active"]
    list_filter = ["area", "is_active"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["area"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["task", "frequency", "branch_tier", "per_branch", "fulfilment", "is_active"]
    list_filter = ["frequency", "branch_tier", "fulfilment", "is_active"]
    search_fields = ["task__name", "task__name_en"]
    list_select_related = ["task"]
    list_editable = ["is_active"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "due_on", "manager", "task", "branch", "done", "done_by"]
    list_filter = ["done", "done_by", "date"]
    search_fields = ["task__name", "branch__name", "manager__user__username"]
    list_select_related = ["manager__user", "task", "branch__bank"]
    raw_id_fields = ["manager", "branch", "template"]
    date_hierarchy = "date"


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["held_on", "kind", "trainer_kind", "manager", "head_count", "duration_minutes"]
    list_filter = ["kind", "trainer_kind", "held_on"]
    search_fields = ["feedback", "trainer_name", "manager__user__username", "branches__name"]
    list_select_related = ["manager__user"]
    raw_id_fields = ["manager", "branches", "attendees"]
    date_hierarchy = "held_on"


@admin.register(PolicyBriefing)
class PolicyBriefingAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "valid_from", "valid_to"]
    list_filter = ["category", "valid_from"]
    search_fields = ["title", "body"]
    list_select_related = True


@admin.register(BriefingDelivery)
class BriefingDeliveryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["briefing", "branch", "delivered_at", "delivered_by"]
    list_filter = ["briefing__category", "delivered_at"]
    search_fields = ["briefing__title", "branch__name"]
    list_select_related = ["briefing", "branch__bank", "delivered_by__user"]
    raw_id_fields = ["branch", "delivered_by", "staff_briefed", "visit"]


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: attendance comes from check-ins and approved corrections (duties.services),
    never from a typed time."""

    list_display = ["date", "manager", "status", "check_in_at", "source", "verified"]
    list_filter = ["status", "source", "verified", "date"]
    search_fields = ["manager__user__username", "manager__user__first_name", "note"]
    list_select_related = ["manager__user"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AttendanceCorrection)
class AttendanceCorrectionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only history of 补卡 requests; they are decided on the corrections page."""

    list_display = ["date", "manager", "status", "state", "decided_by", "decided_at"]
    list_filter = ["state", "date"]
    list_select_related = ["manager__user", "decided_by"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
