"""The unit pages: a dashboard for every level of the organisation and its monthly report."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import visible_units
from accounts.models import AccountManager, OrgUnit
from core.charts import horizontal_bars, vertical_bars
from desk.dashboard import (
    WEEKS,
    first_monday_of,
    manager_row_queries,
    manager_rows,
    read_together,
    weekly_counts_from,
)
from desk.services import refresh_team_figures
from desk.units import (
    monthly_report,
    tree_of,
    unit_dashboard,
    unit_for,
    unit_grades,
    unit_grades_query,
    unit_weeks_query,
)
from grading.models import Level


def _charts(data):
    grade_bars, grade_height = horizontal_bars(
        [(level.name, count) for level, count in data["grades"]]
    )
    week_bars, week_height = vertical_bars(
        [(monday.strftime("%m-%d"), count) for monday, count in data["weeks"]]
    )
    return {
        "grade_bars": grade_bars,
        "grade_height": grade_height,
        "week_bars": week_bars,
        "week_height": week_height,
    }


def _trail(user, unit):
    """The units above ``unit`` that the user may open, top first (one query)."""
    ids = [int(part) for part in unit.path.split(".") if part and int(part) != unit.pk]
    if not ids:
        return []  # the province: nothing above it, nothing to read
    return list(visible_units(user).filter(pk__in=ids).order_by("path"))


def team_data(unit, today=None):
    """A team's page: a row per current member, charts counting work where it happened."""
    today = today or timezone.localdate()
    managers = list(
        AccountManager.objects.filter(team=unit, is_active=True)
        .select_related("user", "current_level__level")
        .order_by("employee_number")
    )
    tree = tree_of(unit)
    now = timezone.now()
    first_monday = first_monday_of(today)
    # The rows' reads and the charts' in one statement (core.batch).
    read = read_together(
        {
            **manager_row_queries(managers, today, now),
            "grades": unit_grades_query(tree),
            "levels": Level.objects.order_by("rank"),
            "weeks": unit_weeks_query(tree, today),
        }
    )
    return {
        "unit": unit,
        "manager_rows": manager_rows(managers, today, now, read=read),
        "grades": unit_grades(tree, read["grades"], read["levels"]),
        "weeks": weekly_counts_from(read["weeks"], first_monday, WEEKS),
        "today": today,
    }


def render_unit(request, unit):
    if unit.kind == OrgUnit.Kind.TEAM:
        data = team_data(unit)
    else:
        data = {**unit_dashboard(unit), "manager_rows": None}
    return render(
        request,
        "desk/unit_dashboard.html",
        {**data, **_charts(data), "trail": _trail(request.user, unit)},
    )


def unit_page(request, pk):
    return render_unit(request, unit_for(request.user, pk))


@require_POST
def refresh_unit(request, pk):
    """Count the stored figures now (beat does every five minutes), then show the page."""
    unit = unit_for(request.user, pk)
    refresh_team_figures()
    messages.success(request, _("The figures were counted again just now."))
    return redirect("desk:unit", pk=unit.pk)


def _month(value):
    """The month asked for (?month=2026-11), else last month; a malformed one is a 404."""
    if not value:
        return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise Http404 from None


def report_context(unit, month):
    return monthly_report(unit, month)


def unit_report(request, pk):
    unit = unit_for(request.user, pk)
    data = report_context(unit, _month(request.GET.get("month")))
    return render(request, "desk/unit_report.html", {**data, "trail": _trail(request.user, unit)})


def render_report_pdf(data, base_url=None, **options):
    """The report as PDF bytes (WeasyPrint; the CJK glyphs come from fonts-noto-cjk)."""
    from weasyprint import HTML

    html = render_to_string("desk/unit_report_print.html", data)
    return HTML(string=html, base_url=base_url).write_pdf(**options)


def unit_report_pdf(request, pk):
    unit = unit_for(request.user, pk)
    data = report_context(unit, _month(request.GET.get("month")))
    response = HttpResponse(render_report_pdf(data), content_type="application/pdf")
    name = f"unit-{unit.pk}-{data['first']:%Y-%m}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
