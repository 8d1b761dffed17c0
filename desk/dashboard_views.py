"""The supervisor dashboard page: parse the sort, call the selector, draw the charts."""

from django.shortcuts import render

from core.charts import horizontal_bars, vertical_bars
from desk.dashboard import COLUMNS, team_dashboard


def dashboard(request):
    data = team_dashboard(request.user, request.GET.get("sort"))
    grade_bars, grade_height = horizontal_bars(
        [(level.name, count) for level, count in data["grades"]]
    )
    week_bars, week_height = vertical_bars(
        [(monday.strftime("%m-%d"), count) for monday, count in data["weeks"]]
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
        },
    )
