"""Assessment periods (考核期) and the action that generates their drafts."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from grading import services
from grading.models import AssessmentPeriod


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "closes_on", "is_open"]
    list_filter = ["is_open"]
    search_fields = ["name"]
    list_select_related = []
    actions = ["generate_assessments"]

    def has_generate_permission(self, request):
        return request.user.has_perm("grading.add_assessment")

    @admin.action(description=_("Generate assessments for this period"), permissions=["generate"])
    def generate_assessments(self, request, queryset):
        for period in queryset:
            created = services.generate_assessments(period=period, user=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(period)s: %(count)d draft assessment created.",
                    "%(period)s: %(count)d draft assessments created.",
                    len(created),
                )
                % {"period": period, "count": len(created)},
                messages.SUCCESS,
            )
