"""Download of the assessments the user may see, optionally one period and one status."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.exports import Column, export
from core.validators import parse_id
from grading.models import METRIC_KEYS, METRIC_LABELS, Assessment


def _metric(key):
    """A frozen metric as a number: decimals are kept as strings in the JSON (premium,
    persistency), so a spreadsheet would otherwise get them as text."""

    def value(assessment):
        raw = (assessment.metrics or {}).get(key)
        if isinstance(raw, str):
            try:
                return Decimal(raw)
            except InvalidOperation:
                return raw
        return raw

    return value


def assessment_export(request, fmt):
    assessments = (
        Assessment.objects.for_user(request.user)
        .select_related(
            "manager__user", "period", "level_at_start", "recommended_level", "decided_level"
        )
        .order_by("-period__start", "manager__employee_number")
    )
    period = parse_id(request.GET.get("period"))
    if period is not None:
        assessments = assessments.filter(period_id=period)
    status = request.GET.get("status")
    if status in Assessment.Status.values:
        assessments = assessments.filter(status=status)
    columns = [
        Column(_("Period"), lambda a: a.period.name),
        Column(_("Account manager"), lambda a: a.manager.display_name),
        Column(_("Employee number"), lambda a: a.manager.employee_number),
        Column(_("Level at start"), lambda a: a.level_at_start.name),
        Column(_("Recommended outcome"), lambda a: a.get_recommended_outcome_display()),
        Column(_("Recommended level"), lambda a: a.recommended_level.name),
        Column(_("Decided level"), lambda a: a.decided_level.name if a.decided_level else ""),
        Column(_("Status"), lambda a: a.get_status_display()),
        Column(_("Decided at"), lambda a: a.decided_at),
        *[Column(METRIC_LABELS[key], _metric(key)) for key in METRIC_KEYS],
    ]
    return export(
        fmt, filename="assessments", title=_("Assessments"), columns=columns, rows=assessments
    )
