"""Account manager profiles (客户经理): where the supervisor is chosen and a level placed.

Separation of duties: on one's own profile every grading field is read-only (only the mobile
can change), nobody is offered as their own supervisor, and the save goes through
grading.services.save_manager_profile, which refuses both again.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import SUPERVISOR_GROUP
from accounts.models import AccountManager
from core.admin_scoping import ScopedAdminMixin
from core.names import full_name
from core.validators import mask_phone
from grading import services
from grading.admin.filters import TeamFilter
from grading.admin.forms import AccountManagerForm
from grading.selectors import level_of


def _is_own(request, obj):
    return obj is not None and obj.user_id == request.user.pk


@admin.register(AccountManager)
class AccountManagerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = ""
    form = AccountManagerForm
    list_display = [
        "employee_number",
        "name",
        "current_level",
        "entry_route",
        "masked_mobile",
        "hire_date",
        "supervisor",
        "is_active",
    ]
    list_filter = [
        "is_active",
        "current_level__level__tier",
        "entry_route",
        ("supervisor", TeamFilter),
    ]
    search_fields = [
        "employee_number",
        "user__username",
        "user__first_name",
        "user__last_name",
        "mobile",
    ]
    list_select_related = ["user", "supervisor", "current_level__level"]
    autocomplete_fields = ["user"]
    readonly_fields = ["current_level"]
    # The current level sits next to the fields that change it.
    fields = [
        "user",
        "employee_number",
        "hire_date",
        "mobile",
        "supervisor",
        "is_active",
        "entry_route",
        "previous_employer",
        "previous_title",
        "affiliation_reason",
        "current_level",
        "placed_level",
        "placement_reason",
    ]

    def get_fields(self, request, obj=None):
        if _is_own(request, obj):
            # Nobody places themselves: the level fields are not offered at all.
            return [f for f in self.fields if f not in ("placed_level", "placement_reason")]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if _is_own(request, obj):
            return [*self.readonly_fields, *services.GRADING_FIELDS]
        # Re-linking a profile to another login would hand that login the manager's branches;
        # only a superuser may do it.
        if obj is not None and not request.user.is_superuser:
            return [*self.readonly_fields, "user"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editing_user = request.user
        if _is_own(request, obj):
            # The form declares the level fields itself; drop them so a forged POST is ignored.
            for name in ("placed_level", "placement_reason"):
                form.base_fields.pop(name, None)
        if obj is not None and "supervisor" in form.base_fields:
            # Nobody is offered as their own supervisor.
            field = form.base_fields["supervisor"]
            field.queryset = field.queryset.exclude(pk=obj.user_id)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "supervisor":
            kwargs["queryset"] = (
                db_field.related_model.objects.filter(
                    Q(groups__name=SUPERVISOR_GROUP) | Q(is_superuser=True)
                )
                .distinct()
                .order_by("last_name", "first_name")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = full_name
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("current level"), ordering="current_level__level__rank")
    def current_level(self, obj):
        return level_of(obj) if obj.pk else None

    @admin.display(description=_("full name"), ordering=("user__last_name", "user__first_name"))
    def name(self, obj):
        return obj.display_name

    @admin.display(description=AccountManager._meta.get_field("mobile").verbose_name)
    def masked_mobile(self, obj):
        # A list is read over shoulders and in screenshots: the number shows on the record.
        return mask_phone(obj.mobile)

    def save_model(self, request, obj, form, change):
        services.save_manager_profile(
            manager=obj,
            by=request.user,
            changed=list(form.changed_data) if change else [],
            placed_level=form.cleaned_data.get("placed_level"),
            level_note=form.level_change_note(),
        )
        self.refuse_if_out_of_scope(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form already refuses what the service refuses; a forged POST gets a 403.
            raise PermissionDenied(" ".join(error.messages)) from error
