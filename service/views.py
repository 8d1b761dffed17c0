from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors as _apply_errors
from service import selectors, services
from service.forms import ActionForm, CaseForm, NoteForm, SurrenderDetailForm
from service.models import SurrenderDetail

PAGE_SIZE = 30


def _case_list(request, queryset, title, template="service/case_list.html", **extra):
    query = request.GET.get("q", "").strip()[:50]
    if query:
        # A search looks through all the user's cases (open or not) of the tab's branch.
        queryset = selectors.search_cases_for_user(request.user, query, extra.get("branch"))
        title = _("Search results")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, "title": title, "query": query, **extra})


def case_list(request):
    """My open cases: what is still on my plate, the most urgent first."""
    return _case_list(
        request, selectors.open_cases_for_user(request.user), _("Open cases"), tab="open"
    )


def overdue_list(request):
    """Open cases past their due time (a supervisor sees the whole team's)."""
    return _case_list(
        request, selectors.overdue_cases_for_user(request.user), _("Overdue cases"), tab="overdue"
    )


def branch_cases(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    return _case_list(
        request,
        selectors.branch_cases_for_user(request.user, branch),
        _("Cases at %(branch)s") % {"branch": branch},
        branch=branch,
        tab="branch",
    )


def case_create(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    form = CaseForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
        try:
            case = services.open_case(branch=branch, user=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Case opened."))
            return redirect("service:detail", pk=case.pk)
    return render(request, "service/case_form.html", {"form": form, "branch": branch})


def case_detail(request, pk):
    case = selectors.get_case_for_user(request.user, pk)
    return render(request, "service/case_detail.html", _detail_context(case))


def _detail_context(case, **overrides):
    context = {
        "case": case,
        "actions": services.available_actions(case),
        "action_form": ActionForm(),
        "note_form": NoteForm(),
        "events": list(case.events.all()),
    }
    context.update(overrides)
    return context


@require_POST
def case_action(request, pk):
    case = selectors.get_case_for_user(request.user, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.transition(
                case=case,
                action_name=form.cleaned_data["action"],
                user=request.user,
                text=form.cleaned_data["text"],
                resolution=form.cleaned_data["resolution"],
                department=form.cleaned_data["department"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Case updated."))
            return redirect("service:detail", pk=case.pk)
    return render(
        request,
        "service/case_detail.html",
        _detail_context(case, action_form=form, failed_action=request.POST.get("action")),
        status=400,
    )


@require_POST
def case_note(request, pk):
    case = selectors.get_case_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(case=case, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("service:detail", pk=case.pk)
    return render(
        request, "service/case_detail.html", _detail_context(case, note_form=form), status=400
    )


def surrender_details(request, pk):
    case = selectors.get_case_for_user(request.user, pk)
    if not case.has_surrender_details:
        messages.error(request, _("Only surrender and cancellation cases have these details."))
        return redirect("service:detail", pk=case.pk)
    instance = SurrenderDetail.objects.filter(case=case).first()
    form = SurrenderDetailForm(request.POST or None, instance=instance, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_surrender_details(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("service:detail", pk=case.pk)
    return render(request, "service/surrender_form.html", {"form": form, "case": case})
