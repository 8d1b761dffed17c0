"""Assessments (考核): the review. Every decision is a call to grading.services; this module
only parses the buttons and the forms and says what happened, in both languages with plural
forms."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_scoping import ScopedAdminMixin
from grading import selectors, services
from grading.admin.filters import AwaitingReviewFilter, TeamChoicesMixin, TeamFilter
from grading.admin.forms import AssessmentForm, RejectReasonForm
from grading.models import METRIC_KEYS, METRIC_LABELS, Assessment
from grading.rules import meets
from grading.selectors import level_of

# The buttons of the change page (templates/admin/grading/assessment/change_form.html).
BUTTONS = {"_approve": "approve", "_reject": "reject"}

DECISION_FIELDS = ["decided_level", "override_reason"]


def _pressed(request):
    for name, action in BUTTONS.items():
        if name in request.POST:
            return action
    return "save"


def _errors(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class ResponsiveReviewMedia:
    # The review is done on phones too: narrow screens keep the status and the decision
    # controls and drop the figures (static/css/admin-review.css; no inline style, so the
    # CSP needs no 'unsafe-inline' for it).
    css = {"all": ["css/admin-review.css"]}


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdminMixin, TeamChoicesMixin, admin.ModelAdmin):
    manager_path = "manager"
    form = AssessmentForm
    Media = ResponsiveReviewMedia
    list_display = [
        "manager",
        "status",
        "recommendation",
        "period",
        "current_level",
        "premium",
        "persistency",
        "visits",
    ]
    list_filter = [
        AwaitingReviewFilter,
        "status",
        "period",
        "recommended_outcome",
        ("manager__supervisor", TeamFilter),
    ]
    search_fields = [
        "manager__employee_number",
        "manager__user__username",
        "manager__user__first_name",
        "manager__user__last_name",
    ]
    list_select_related = [
        "manager__user",
        "manager__current_level__level",
        "period",
        "recommended_level",
    ]
    actions = ["approve_as_recommended", "submit_for_approval", "reject"]
    readonly_fields = [
        "manager",
        "period",
        "status",
        "level_at_start",
        "first_period",
        "recommended_outcome",
        "no_recommendation",
        "recommended_level",
        "metric_table",
        "decision",
        "decided_by",
        "decided_at",
        "second_approved_by",
        "second_approved_at",
        "decision_history",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["manager", "period"]
        return [
            "manager",
            "period",
            "status",
            "level_at_start",
            "first_period",
            "metric_table",
            "recommended_outcome",
            "no_recommendation",
            "recommended_level",
            "decided_level",
            "override_reason",
            *(["rejection_reason"] if self.has_change_permission(request, obj) else []),
            "decision",
            "decided_by",
            "decided_at",
            "second_approved_by",
            "second_approved_at",
            "decision_history",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status == Assessment.Status.AWAITING_SECOND:
            # The decision is made; the second approver approves or rejects it as it is.
            return [*self.readonly_fields, *DECISION_FIELDS]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.action = _pressed(request)
        form.user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            if obj.is_final or obj.manager.user_id == request.user.pk:
                return False
            if obj.status == Assessment.Status.AWAITING_SECOND and not (
                selectors.may_give_second_approval(request.user)
                and obj.decided_by_id != request.user.pk
            ):
                return False
        return super().has_change_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["awaiting_second"] = (
            obj is not None and obj.status == Assessment.Status.AWAITING_SECOND
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("current level"), ordering="manager__current_level__level__rank")
    def current_level(self, obj):
        return level_of(obj.manager)

    @admin.display(description=_("recommendation"), ordering="recommended_outcome")
    def recommendation(self, obj):
        if not obj.has_recommendation:
            return obj.get_no_recommendation_display()
        return f"{obj.get_recommended_outcome_display()} · {obj.recommended_level}"

    @admin.display(description=METRIC_LABELS["premium"])
    def premium(self, obj):
        return obj.metrics.get("premium")

    @admin.display(description=METRIC_LABELS["persistency"])
    def persistency(self, obj):
        return obj.metrics.get("persistency")

    @admin.display(description=METRIC_LABELS["visits"])
    def visits(self, obj):
        return obj.metrics.get("visits")

    @admin.display(description=_("metrics against the standards"))
    def metric_table(self, obj):
        keep = (obj.thresholds or {}).get("keep") or {}
        promote = (obj.thresholds or {}).get("promote") or {}

        def mark(value, bar):
            return {"bar": bar, "met": bar is not None and meets(value, bar)}

        rows = [
            {
                "label": METRIC_LABELS[key],
                "value": obj.metrics.get(key),
                "keep": mark(obj.metrics.get(key), keep.get(key)),
                "promote": mark(obj.metrics.get(key), promote.get(key)),
            }
            for key in METRIC_KEYS
        ]
        return render_to_string(
            "admin/grading/assessment/metric_table.html", {"rows": rows, "assessment": obj}
        )

    @admin.display(description=_("history"))
    def decision_history(self, obj):
        events = obj.history.select_related("by", "level")
        return render_to_string(
            "admin/grading/assessment/decision_history.html", {"events": events}
        )

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.create_assessment(
                manager=obj.manager, period=obj.period, user=request.user
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        level = form.cleaned_data.get("decided_level")
        reason = form.cleaned_data.get("override_reason") or ""
        action = _pressed(request)
        if action == "approve":
            done = services.approve_assessment(
                assessment=obj, user=request.user, level=level, reason=reason
            )
            if done.status == Assessment.Status.AWAITING_SECOND:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d assessment awaits a second approval.",
                        "%(count)d assessments await a second approval.",
                        1,
                    )
                    % {"count": 1},
                    messages.INFO,
                )
        elif action == "reject":
            services.reject_assessment(
                assessment=obj,
                user=request.user,
                reason=form.cleaned_data.get("rejection_reason") or "",
            )
        else:
            services.record_decision(assessment=obj, user=request.user, level=level, reason=reason)
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form asks the same service first; only a race ends here.
            raise PermissionDenied(_errors(error)) from error

    # --- actions --------------------------------------------------------------------------

    def _apply(self, request, queryset, write):
        """Run ``write`` on each selected assessment; returns the written ones, and reports
        each refusal as a warning naming the assessment."""
        done, failed = [], []
        for assessment in queryset.select_related("manager__user", "period"):
            try:
                done.append(write(assessment))
            except (ValidationError, PermissionDenied) as error:
                failed.append(f"{assessment}: {_errors(error)}")
        for failure in failed:
            self.message_user(request, failure, messages.WARNING)
        return done

    def _say(self, request, count, message, level=messages.SUCCESS):
        if count:
            self.message_user(request, message % {"count": count}, level)

    @admin.action(description=_("Approve as recommended"), permissions=["change"])
    def approve_as_recommended(self, request, queryset):
        done = self._apply(
            request,
            queryset,
            lambda a: services.approve_assessment(assessment=a, user=request.user),
        )
        approved = sum(a.status == Assessment.Status.APPROVED for a in done)
        self._say(
            request,
            approved,
            ngettext("%(count)d assessment approved.", "%(count)d assessments approved.", approved),
        )
        waiting = len(done) - approved
        self._say(
            request,
            waiting,
            ngettext(
                "%(count)d assessment awaits a second approval.",
                "%(count)d assessments await a second approval.",
                waiting,
            ),
            messages.INFO,
        )

    @admin.action(description=_("Submit for approval"), permissions=["change"])
    def submit_for_approval(self, request, queryset):
        done = self._apply(
            request,
            queryset,
            lambda a: services.submit_assessment(assessment=a, user=request.user),
        )
        self._say(
            request,
            len(done),
            ngettext(
                "%(count)d assessment submitted.", "%(count)d assessments submitted.", len(done)
            ),
        )

    @admin.action(description=_("Reject (asks for a reason)"), permissions=["change"])
    def reject(self, request, queryset):
        """An intermediate page asks for the reason; the rejection runs when it is posted."""
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = self._apply(
                request,
                queryset,
                lambda a: services.reject_assessment(
                    assessment=a, user=request.user, reason=reason
                ),
            )
            self._say(
                request,
                len(done),
                ngettext(
                    "%(count)d assessment rejected.", "%(count)d assessments rejected.", len(done)
                ),
            )
            return None
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/grading/assessment/reject_reason.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject assessments"),
                "subtitle": None,
                "opts": self.model._meta,
                "queryset": queryset.select_related("manager__user", "period"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            },
        )
