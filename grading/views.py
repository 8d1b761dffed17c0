from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grading import selectors, services
from grading.forms import AppealForm
from grading.models import Assessment


def my_level(request):
    manager = selectors.get_own_manager(request.user)
    return render(
        request,
        "grading/level.html",
        {
            **selectors.level_overview(manager),
            "assessments": selectors.own_assessments(manager),
        },
    )


def manager_level(request, pk):
    manager = selectors.get_manager_for_user(request.user, pk)
    return render(request, "grading/level.html", selectors.level_overview(manager))


@require_http_methods(["GET", "POST"])
def appeal(request, pk):
    """申诉: the manager's own decided assessment (anyone else's is a 404)."""
    manager = selectors.get_own_manager(request.user)
    assessment = get_object_or_404(
        Assessment.objects.select_related("period", "decided_level", "level_at_start"),
        pk=pk,
        manager=manager,
    )
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_appeal(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason", message)
        else:
            messages.success(request, _("Your appeal was sent: the review is open again."))
            return redirect("grading:my_level")
    return render(
        request,
        "grading/appeal.html",
        {
            "assessment": assessment,
            "form": form,
            "appeal_until": selectors.appeal_deadline(assessment),
        },
    )
