"""List filters and choice limits shared by the grading admins."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from accounts.models import AccountManager
from core.names import full_name
from grading import selectors


class TeamChoicesMixin:
    """Manager drop-downs list only the managers the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is AccountManager:
            kwargs["queryset"] = scoped(
                AccountManager.objects.select_related("user"), request.user, ""
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TeamFilter(admin.RelatedOnlyFieldListFilter):
    """Filter by supervisor (the team), naming each supervisor as people read it (周敏), not by
    login; only the teams of the managers in the user's scope are offered."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.empty_value_display = gettext("No supervisor")

    def field_choices(self, field, request, model_admin):
        pk_qs = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        users = field.related_model.objects.filter(pk__in=pk_qs)
        return sorted(((user.pk, full_name(user)) for user in users), key=lambda c: c[1])


class AwaitingReviewFilter(admin.SimpleListFilter):
    """ "Awaiting my review": the assessments the signed-in user can decide now (the list the
    dashboard's count links to)."""

    title = _("review")
    parameter_name = "review"
    MINE = "mine"

    def lookups(self, request, model_admin):
        return [(self.MINE, _("Awaiting my review"))]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return queryset.filter(pk__in=selectors.awaiting_review(request.user).values("pk"))
        return queryset
