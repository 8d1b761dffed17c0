from django.core.paginator import Paginator
from django.shortcuts import render

from branches import selectors
from branches.panels import panels_for
from branches.timeline import timeline_for


def branch_list(request):
    branches = selectors.branches_for_user(request.user)
    page = Paginator(branches, 50).get_page(request.GET.get("page"))
    return render(request, "branches/branch_list.html", {"page": page})


def branch_detail(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    return render(
        request, "branches/branch_detail.html", {"branch": branch, "timeline": timeline_for(branch)}
    )


def visit_detail(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    return render(request, "branches/visit_detail.html", {"visit": visit})
