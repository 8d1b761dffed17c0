from django.shortcuts import render

from grading import selectors


def my_level(request):
    manager = selectors.get_own_manager(request.user)
    return render(request, "grading/level.html", selectors.level_overview(manager))


def manager_level(request, pk):
    manager = selectors.get_manager_for_user(request.user, pk)
    return render(request, "grading/level.html", selectors.level_overview(manager))
