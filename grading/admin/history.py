"""The level history (职级变动): read-only; a new row is a correction made through
grading.services.change_level."""

from django.contrib import admin

from core.admin_scoping import ScopedAdminMixin
from grading import services
from grading.admin.filters import TeamChoicesMixin
from grading.admin.forms import LevelChangeForm
from grading.models import LevelChange


@admin.register(LevelChange)
class LevelChangeAdmin(ScopedAdminMixin, TeamChoicesMixin, admin.ModelAdmin):
    manager_path = "manager"
    form = LevelChangeForm
    list_display = [
        "manager",
        "from_level",
        "to_level",
        "reason",
        "effective_on",
        "approved_by",
        "assessment",
    ]
    list_filter = ["reason", "to_level", "effective_on"]
    search_fields = ["manager__employee_number", "manager__user__username", "note"]
    list_select_related = [
        "manager__user",
        "from_level",
        "to_level",
        "approved_by",
        "assessment__period",
        "assessment__manager__user",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editing_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        created = services.change_level(
            manager=form.cleaned_data["manager"],
            to_level=form.cleaned_data["to_level"],
            reason=form.cleaned_data["reason"],
            effective_on=form.cleaned_data["effective_on"],
            approved_by=request.user,
            note=form.cleaned_data["note"],
        )
        obj.pk = created.pk
        obj.refresh_from_db()
