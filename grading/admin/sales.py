"""Sales figures (业绩), imported from the insurer's core system."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from core.admin_scoping import ScopedAdminMixin
from grading.admin.filters import TeamChoicesMixin, TeamFilter
from grading.models import SalesFigure
from grading.resources import SalesFigureResource


@admin.register(SalesFigure)
class SalesFigureAdmin(ScopedAdminMixin, TeamChoicesMixin, ImportExportModelAdmin):
    manager_path = "manager"
    resource_classes = [SalesFigureResource]
    list_display = ["manager", "period", "premium", "policies", "active_branches", "persistency"]
    list_filter = ["period", ("manager__supervisor", TeamFilter)]
    search_fields = ["manager__employee_number", "manager__user__username", "period__name"]
    list_select_related = ["manager__user", "period"]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}
