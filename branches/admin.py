from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from branches import services
from branches.imports import check_size
from branches.models import (
    AbnormalEvent,
    Bank,
    Branch,
    CompetitorPresence,
    DepositSnapshot,
    EventAction,
    EventResponseTime,
    ImportJob,
    PlanTarget,
    Visit,
)
from branches.resources import BranchResource
from branches.services import queue_import
from core.admin_scoping import ScopedAdminMixin, ServiceWriteMixin


class JobImportForm(ImportForm):
    dry_run = forms.BooleanField(
        label=_("Check only, save nothing"),
        required=False,
        help_text=_("Reports the rows that would be refused without saving any."),
    )


class ScopedImportMixin(ImportMixin):
    """Import through the admin as a background job, all or nothing, scoped to what the
    importing user may see, with the model's add/change permissions (see
    branches.resources.PermittedImportMixin).

    The upload only stores the file and queues the job, then shows the job's page, which
    follows its progress (branches/import_progress.js polls the status URL) and, once it has
    run, its counts or its bad rows.
    """

    formats = [base_formats.CSV, base_formats.XLSX]
    import_form_class = JobImportForm

    def has_import_permission(self, request):
        # Same rule as the rows: an import may create (add) or update (change).
        return self.has_add_permission(request) or self.has_change_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/job/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
            path(
                "import/job/<int:job_id>/status/",
                self.admin_site.admin_view(self.import_job_status),
                name="{}_{}_import_job_status".format(*info),
            ),
            *super().get_urls(),
        ]

    def create_import_form(self, request):
        form = getattr(request, "_refused_import_form", None)
        return form if form is not None else super().create_import_form(request)

    def import_action(self, request, **kwargs):
        if request.method != "POST":
            return super().import_action(request, **kwargs)
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = super().create_import_form(request)
        if form.is_valid():
            upload = form.cleaned_data["import_file"]
            file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
            try:
                # Refused before reading a byte too many.
                check_size(upload.size)
                job = queue_import(
                    user=request.user,
                    resource_class=self.choose_import_resource_class(form, request),
                    model_label=self.opts.label_lower,
                    file_name=upload.name,
                    data=b"".join(upload.chunks()),
                    file_format=file_format().get_title(),
                    language=translation.get_language(),
                    dry_run=form.cleaned_data.get("dry_run", False),
                )
            except ValidationError as error:
                form.add_error("import_file", error)
            else:
                info = self.get_model_info()
                return redirect("admin:{}_{}_import_job".format(*info), job_id=job.pk)
        # Shown again with its errors (an invalid form never reaches the dry run below).
        request._refused_import_form = form
        return super().import_action(request, **kwargs)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        # The old second step (confirm a preview): imports are background jobs now.
        raise Http404

    def _job(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        jobs = ImportJob.objects.filter(model_label=self.opts.label_lower)
        if not request.user.is_superuser:
            jobs = jobs.filter(created_by=request.user)
        return get_object_or_404(jobs.defer("data"), pk=job_id)

    def import_job_view(self, request, job_id):
        job = self._job(request, job_id)
        info = self.get_model_info()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.opts,
            "job": job,
            "status_url": reverse("admin:{}_{}_import_job_status".format(*info), args=[job.pk]),
            "import_url": reverse("admin:{}_{}_import".format(*info)),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/branches/import_job.html", context)

    def import_job_status(self, request, job_id):
        job = self._job(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress,
                "total": job.total,
                "percent": job.percent,
                "finished": job.is_finished,
            }
        )


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "allows_posters"]
    list_filter = ["allows_posters"]
    search_fields = ["name", "short_name"]


@admin.register(Branch)
class BranchAdmin(ScopedAdminMixin, ScopedImportMixin, admin.ModelAdmin):
    resource_classes = [BranchResource]
    list_display = [
        "name",
        "code",
        "bank",
        "tier",
        "district",
        "manager",
        "is_active",
        "last_visit_at",
    ]
    list_filter = ["tier", "is_active", "bank", "district"]
    search_fields = ["name", "code", "bank__name"]
    list_select_related = ["bank", "manager__user"]
    autocomplete_fields = ["manager", "bank"]


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "manager", "visited_at", "location_status", "distance_m"]
    list_filter = ["visited_at", "location_status"]
    # The check-in is the phone's and the server's record, not something to type in.
    readonly_fields = [
        "checkin_latitude",
        "checkin_longitude",
        "checkin_accuracy_m",
        "checked_in_at",
        "checked_out_at",
        "distance_m",
        "location_status",
    ]
    search_fields = ["branch__name", "branch__code", "summary"]
    list_select_related = ["branch__bank", "manager__user"]
    raw_id_fields = ["branch", "staff_met"]
    date_hierarchy = "visited_at"


class EventActionInline(admin.TabularInline):
    model = EventAction
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # written by branches.services only


@admin.register(AbnormalEvent)
class AbnormalEventAdmin(ServiceWriteMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Reported through branches.services.report_event; moved along only by the same
    services as the event page (acknowledge, close here; the response on the page)."""

    list_display = [
        "branch",
        "category",
        "occurred_on",
        "status",
        "respond_by",
        "escalated_at",
        "reported_by",
    ]
    list_filter = ["category", "status", "branch__bank"]
    search_fields = ["branch__name", "description"]
    list_select_related = ["branch__bank", "reported_by"]
    raw_id_fields = ["branch"]
    fields = [
        "branch",
        "category",
        "occurred_on",
        "description",
        "campaign_start",
        "campaign_end",
        "campaign_effect",
    ]
    readonly_fields = [
        "status",
        "company_response",
        "responded_at",
        "respond_by",
        "escalated_at",
        "escalated_to",
    ]
    inlines = [EventActionInline]
    actions = ["acknowledge", "close"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # What was reported stays as reported; the follow-up goes through the actions.
        return self.readonly_fields if obj is None else [*self.fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = services.report_event(
            branch=obj.branch,
            category=obj.category,
            description=obj.description,
            reported_by=request.user,
            occurred_on=obj.occurred_on,
            campaign_start=obj.campaign_start,
            campaign_end=obj.campaign_end,
            campaign_effect=obj.campaign_effect,
        )
        obj.pk = saved.pk
        obj.__dict__.update(saved.__dict__)
        self.refuse_if_out_of_scope(request, obj)

    def _each(self, request, queryset, act):
        done = 0
        for event in queryset:
            try:
                act(event=event, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d events updated.") % {"count": done})

    @admin.action(description=_("Acknowledge the selected events"), permissions=["change"])
    def acknowledge(self, request, queryset):
        self._each(request, queryset, services.acknowledge_event)

    @admin.action(description=_("Close the selected answered events"), permissions=["change"])
    def close(self, request, queryset):
        self._each(request, queryset, services.close_event)


@admin.register(EventResponseTime)
class EventResponseTimeAdmin(admin.ModelAdmin):
    """Response time per event category: data the company edits (no scope: a catalogue)."""

    list_display = ["category", "response_hours"]
    list_editable = ["response_hours"]
    list_filter = ["category"]
    search_fields = ["category"]


@admin.register(DepositSnapshot)
class DepositSnapshotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "as_of", "personal", "corporate", "recorded_by"]
    list_filter = ["as_of", "branch__bank"]
    search_fields = ["branch__name", "branch__code"]
    list_select_related = ["branch__bank", "recorded_by"]
    raw_id_fields = ["branch"]
    date_hierarchy = "as_of"


@admin.register(PlanTarget)
class PlanTargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "branch",
        "period_start",
        "period_end",
        "premium_target",
        "policy_count_target",
        "competition_scheme",
    ]
    list_filter = ["period_start", "branch__bank"]
    search_fields = ["branch__name", "branch__code", "competition_scheme"]
    list_select_related = ["branch__bank"]
    raw_id_fields = ["branch"]


@admin.register(CompetitorPresence)
class CompetitorPresenceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["branch", "insurer", "annual_premium", "recent_premium", "observed_on"]
    list_filter = ["insurer", "observed_on"]
    search_fields = ["branch__name", "branch__code", "insurer"]
    list_select_related = ["branch__bank"]
    raw_id_fields = ["branch"]
