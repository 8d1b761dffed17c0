"""The supervisors' workspace: the ladder, standards, sales figures and assessments.

Everything that belongs to a manager is scoped (ScopedAdminMixin); decisions and level changes
go through grading.services, never through a plain model save.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from accounts.access import SUPERVISOR_GROUP, scoped
from accounts.models import AccountManager
from core.admin_scoping import ScopedAdminMixin
from core.names import full_name
from core.validators import mask_phone
from grading import services
from grading.models import (
    METRIC_KEYS,
    METRIC_LABELS,
    Assessment,
    AssessmentPeriod,
    CurrentLevel,
    Level,
    LevelChange,
    LevelStandard,
    SalesFigure,
    entry_level_id,
)
from grading.resources import SalesFigureResource
from grading.rules import meets
from grading.selectors import level_of


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


def _errors(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["rank", "name", "tier", "grade", "code"]
    list_filter = ["tier"]
    search_fields = ["code"]
    list_select_related = []
    ordering = ["rank"]


def _current_level_id(manager):
    """The manager's level now; a manager not saved yet starts at the entry level."""
    if manager.pk is None:
        return entry_level_id()
    return CurrentLevel.objects.filter(manager=manager).values_list("level_id", flat=True).first()


class AccountManagerForm(forms.ModelForm):
    placed_level = forms.ModelChoiceField(
        Level.objects.all(),
        required=False,
        label=_("place at level"),
        help_text=_(
            "For 同职级挂靠 or a correction: the level is changed through the level history."
        ),
    )

    placement_reason = forms.CharField(
        required=False,
        label=_("reason for the level change"),
        help_text=_("Required for a correction; an affiliation gives its reason above."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = AccountManager
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
        ]

    def clean(self):
        """A level set here bypasses the assessment, so it must say why: an affiliation
        names the previous employer and its reason, a correction gives a reason."""
        cleaned = super().clean()
        placed = cleaned.get("placed_level")
        if placed is None or placed.pk == _current_level_id(self.instance):
            return cleaned
        if cleaned.get("entry_route") == AccountManager.EntryRoute.AFFILIATION:
            for name in ("previous_employer", "affiliation_reason"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(
                        name,
                        gettext("Same-grade affiliation needs the previous employer and a reason."),
                    )
        elif not (cleaned.get("placement_reason") or "").strip():
            self.add_error("placement_reason", gettext("Say why the level changes."))
        return cleaned

    def level_change_note(self):
        if self.cleaned_data.get("entry_route") == AccountManager.EntryRoute.AFFILIATION:
            return self.cleaned_data.get("affiliation_reason", "")
        return self.cleaned_data.get("placement_reason", "")


@admin.register(AccountManager)
class AccountManagerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    manager_path = ""
    form = AccountManagerForm
    list_display = [
        "employee_number",
        "display_name",
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

    def get_readonly_fields(self, request, obj=None):
        # Re-linking a profile to another login would hand that login the manager's branches;
        # only a superuser may do it.
        if obj is not None and not request.user.is_superuser:
            return [*self.readonly_fields, "user"]
        return self.readonly_fields

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

    @admin.display(description=AccountManager._meta.get_field("mobile").verbose_name)
    def masked_mobile(self, obj):
        # A list is read over shoulders and in screenshots: the number shows on the record.
        return mask_phone(obj.mobile)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        placed = form.cleaned_data.get("placed_level")
        if placed is not None and placed.pk != level_of(obj).pk:
            reason = (
                LevelChange.Reason.AFFILIATION
                if obj.entry_route == AccountManager.EntryRoute.AFFILIATION
                else LevelChange.Reason.CORRECTION
            )
            services.change_level(
                obj,
                placed,
                reason,
                obj.hire_date if not change else timezone.localdate(),
                request.user,
                note=form.level_change_note(),
            )


@admin.register(LevelStandard)
class LevelStandardAdmin(admin.ModelAdmin):
    list_display = [
        "level",
        "effective_from",
        "keep_premium",
        "keep_visits",
        "promote_premium",
        "promote_persistency",
        "promote_visits",
    ]
    list_filter = ["level__tier", "level", "effective_from"]
    search_fields = ["level__code"]
    list_select_related = ["level"]
    fieldsets = [
        (None, {"fields": ["level", "effective_from"]}),
        (_("Keep the level (保级)"), {"fields": [f"keep_{key}" for key in METRIC_KEYS]}),
        (
            _("Promotion into the level (晋级)"),
            {"fields": [f"promote_{key}" for key in METRIC_KEYS]},
        ),
    ]


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "is_open"]
    list_filter = ["is_open"]
    search_fields = ["name"]
    list_select_related = []
    actions = ["generate_assessments"]

    def has_generate_permission(self, request):
        return request.user.has_perm("grading.add_assessment")

    @admin.action(description=_("Generate assessments for this period"), permissions=["generate"])
    def generate_assessments(self, request, queryset):
        for period in queryset:
            created = services.generate_assessments(period, request.user)
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


class AssessmentForm(forms.ModelForm):
    # Set by AssessmentAdmin.get_form: the supervisor pressed "Approve".
    approving = False

    class Meta:
        model = Assessment
        fields = ["manager", "period", "decided_level", "override_reason"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        if instance.is_final:
            raise ValidationError(gettext("This assessment has already been decided."))
        chosen = cleaned.get("decided_level")
        if (
            chosen is not None
            and chosen.pk != instance.recommended_level_id
            and not (cleaned.get("override_reason") or "").strip()
        ):
            self.add_error("override_reason", gettext("An override needs a reason."))
        accepting = chosen is None or chosen.pk == instance.recommended_level_id
        current = level_of(instance.manager)
        if self.approving and accepting and current.pk != instance.level_at_start_id:
            # Same rule as services.approve_assessment, shown on the form instead of failing.
            self.add_error(
                "decided_level",
                gettext(
                    "%(manager)s is now at %(level)s, not at the level this assessment started "
                    "from: override with a reason, or reject it."
                )
                % {"manager": instance.manager, "level": current},
            )
        return cleaned


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdminMixin, TeamChoicesMixin, admin.ModelAdmin):
    manager_path = "manager"
    form = AssessmentForm
    list_display = [
        "manager",
        "period",
        "current_level",
        "recommended_outcome",
        "recommended_level",
        "premium",
        "persistency",
        "visits",
        "status",
    ]
    list_filter = [
        "period",
        "status",
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
        "recommended_level",
        "metric_table",
        "decision",
        "decided_by",
        "decided_at",
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
            "recommended_level",
            "decided_level",
            "override_reason",
            "decision",
            "decided_by",
            "decided_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.approving = "_approve" in request.POST
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_final:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("current level"), ordering="manager__current_level__level__rank")
    def current_level(self, obj):
        return level_of(obj.manager)

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
        not_required = gettext("not required")
        not_measured = gettext("not measured")

        def mark(value, bar):
            if bar is None:
                return format_html('<span class="quiet">{}</span>', not_required)
            if meets(value, bar):
                return format_html('<strong style="color:#2e7d32">✔ {}</strong>', bar)
            return format_html('<strong style="color:#c62828">✘ {}</strong>', bar)

        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    METRIC_LABELS[key],
                    not_measured if obj.metrics.get(key) is None else obj.metrics.get(key),
                    mark(obj.metrics.get(key), keep.get(key)),
                    mark(obj.metrics.get(key), promote.get(key)),
                )
                for key in METRIC_KEYS
            ),
        )
        # An empty <caption> still draws the admin's coloured caption bar: only add one
        # when there is something to say.
        caption = ""
        if obj.first_period:
            caption = format_html(
                "<caption>{}</caption>",
                gettext(
                    "New hire's first period: meeting every keep bar of 客户专员 promotes to "
                    "客户主任一级; missing one keeps 客户专员."
                ),
            )
        return format_html(
            '<table class="metric-table">{}<thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            caption,
            gettext("metric"),
            gettext("result"),
            gettext("keep bar (保级)"),
            gettext("promotion bar (晋级)"),
            rows,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.create_assessment(obj.manager, obj.period, request.user)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        level = form.cleaned_data.get("decided_level")
        reason = form.cleaned_data.get("override_reason") or ""
        if "_approve" in request.POST:
            services.approve_assessment(obj, request.user, level=level, reason=reason)
        elif "_reject" in request.POST:
            services.reject_assessment(obj, request.user, reason=reason)
        else:
            services.record_decision(obj, request.user, level=level, reason=reason)
        obj.refresh_from_db()

    def _apply(self, request, queryset, service, done_message):
        done, failed = 0, []
        for assessment in queryset.select_related("manager__user"):
            try:
                service(assessment, request.user)
            except (ValidationError, PermissionDenied) as error:
                failed.append(f"{assessment}: {_errors(error)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.WARNING)

    @admin.action(description=_("Approve as recommended"), permissions=["change"])
    def approve_as_recommended(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.approve_assessment,
            gettext("%(count)d assessments approved."),
        )

    @admin.action(description=_("Submit for approval"), permissions=["change"])
    def submit_for_approval(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.submit_assessment,
            gettext("%(count)d assessments submitted."),
        )

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.reject_assessment,
            gettext("%(count)d assessments rejected."),
        )


class LevelChangeForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=[
            (LevelChange.Reason.CORRECTION, LevelChange.Reason.CORRECTION.label),
            (LevelChange.Reason.AFFILIATION, LevelChange.Reason.AFFILIATION.label),
        ],
    )

    class Meta:
        model = LevelChange
        fields = ["manager", "to_level", "reason", "effective_on", "note"]

    def clean(self):
        cleaned = super().clean()
        manager, to_level = cleaned.get("manager"), cleaned.get("to_level")
        if manager and to_level and level_of(manager).pk == to_level.pk:
            self.add_error("to_level", gettext("The manager is already at this level."))
        if not (cleaned.get("note") or "").strip():
            self.add_error("note", gettext("Say why the level changes."))
        return cleaned


@admin.register(LevelChange)
class LevelChangeAdmin(ScopedAdminMixin, TeamChoicesMixin, admin.ModelAdmin):
    """The history is read-only; adding a row is a correction made through change_level."""

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

    def save_model(self, request, obj, form, change):
        created = services.change_level(
            form.cleaned_data["manager"],
            form.cleaned_data["to_level"],
            form.cleaned_data["reason"],
            form.cleaned_data["effective_on"],
            request.user,
            note=form.cleaned_data["note"],
        )
        obj.pk = created.pk
        obj.refresh_from_db()
