"""The organisation tree in the admin: a head keeps only what lies inside their unit.

Both pages write through accounts.services (the paths, the supervisors, the dated moves).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts import services
from accounts.access import scoped, visible_units
from accounts.models import AccountManager, OrgUnit, TeamMembership


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "head"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["parent", "head"]

    def get_queryset(self, request):
        return visible_units(request.user).select_related("parent", "head")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = visible_units(request.user).exclude(kind=OrgUnit.Kind.TEAM)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A head edits their units' names and heads; only a superuser reshapes the tree.
        if request.user.is_superuser:
            return []
        return ["kind", "parent"]

    def save_model(self, request, obj, form, change):
        services.save_unit(unit=obj)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = TeamMembership
        fields = ["manager", "team", "started"]

    def _post_clean(self):
        # The move is checked by the service's rule and saved by it (save_model).
        data = self.cleaned_data
        if all(data.get(key) for key in ("manager", "team", "started")):
            try:
                services.check_move(manager=data["manager"], team=data["team"], on=data["started"])
            except ValidationError as error:
                self.add_error(None, error.messages)


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    """Adding a membership moves the manager (the open one ends that day); rows are history."""

    form = MembershipForm
    list_display = ["manager", "team", "started", "ended"]
    list_filter = ["team"]
    list_select_related = ["manager__user", "team"]
    date_hierarchy = "started"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(team__in=visible_units(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = visible_units(request.user).filter(kind=OrgUnit.Kind.TEAM)
        elif db_field.name == "manager":
            kwargs["queryset"] = scoped(
                AccountManager.objects.select_related("user"), request.user, ""
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        membership = services.move_manager(
            manager=data["manager"], team=data["team"], on=data["started"]
        )
        obj.manager, obj.team, obj.started = data["manager"], data["team"], data["started"]
        if membership is not None:
            obj.pk = membership.pk  # the admin's log and redirect name the saved row
