"""The supervisor dashboard page: parse the sort, call the selector, draw the charts."""

from decimal import Decimal

from django.shortcuts import render

from accounts.access import heads_above_team
from accounts.models import OrgUnit
from core.charts import horizontal_bars, vertical_bars
from desk.dashboard import COLUMNS, team_dashboard
from desk.unit_views import render_unit
from desk.units import home_unit


def dashboard(request):
    # A city or province head lands on their unit's page (rows per team, or per city).
    # Someone heading teams only gets the team dashboard: no need to look their unit up.
    unit = home_unit(request.user) if heads_above_team(request.user) else None
    if unit is not None and unit.kind != OrgUnit.Kind.TEAM:
        return render_unit(request, unit)
    data = team_dashboard(request.user, request.GET.get("sort"), chart=request.GET.get("chart"))
    grade_bars, grade_height = horizontal_bars(
        [(level.name, count) for level, count in data["grades"]]
    )
    week_bars, week_height = vertical_bars(
        [(monday.strftime("%m-%d"), count) for monday, count in data["weeks"]]
    )
    # Premium per month in 万元 (the bars), 达成率 printed under each month.
    month_bars, month_height = vertical_bars(
        [
            (month.strftime("%y-%m"), (progress.premium / 10000).quantize(Decimal("0.1")))
            for month, progress in data["months"]
        ],
        height=250,
        bottom=48,
    )
    columns = [
        {
            "key": key,
            "label": label,
            "active": key == data["sort"],
            "descending": data["descending"],
            # A click on the sorted column flips it; any other column starts ascending.
            "link": f"-{key}" if key == data["sort"] and not data["descending"] else key,
        }
        for key, label in COLUMNS
    ]
    return render(
        request,
        "desk/dashboard.html",
        {
            **data,
            "columns": columns,
            "grade_bars": grade_bars,
            "grade_height": grade_height,
            "week_bars": week_bars,
            "week_height": week_height,
            "month_bars": list(zip(month_bars, [p for _m, p in data["months"]], strict=True)),
            "month_height": month_height,
        },
    )
