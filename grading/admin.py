from django.contrib import admin

from config.admin_scoping import ScopedAdminMixin
from grading.models import AccountManager


@admin.register(AccountManager)
class AccountManagerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = ""
    list_display = [
        "employee_number",
        "display_name",
        "mobile",
        "hire_date",
        "supervisor",
        "is_active",
    ]
    list_filter = ["is_active", "supervisor"]
    search_fields = [
        "employee_number",
        "user__username",
        "user__first_name",
        "user__last_name",
        "mobile",
    ]
    list_select_related = ["user", "supervisor"]
    autocomplete_fields = ["user"]
