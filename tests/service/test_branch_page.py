"""What the service app adds to the branch page: the open-cases panel and timeline entries."""

from django.template.loader import render_to_string
from django.urls import reverse

from branches.panels import panel_context
from branches.timeline import timeline_for
from service import services
from service.branch_page import case_status_changes
from service.models import Case
from tests.service.factories import CaseFactory


def _service_panel(branch, user):
    return panel_context("service/_branch_cases_panel.html", branch, user)


def test_the_panel_lists_the_branchs_open_cases_and_a_new_case_button(branch, manager):
    CaseFactory(branch=branch, customer_name="陈先生")
    CaseFactory(branch=branch, customer_name="已关闭", status=Case.Status.CLOSED)
    context = _service_panel(branch, manager.user)
    html = render_to_string("service/_branch_cases_panel.html", {"panel": context})
    assert "陈先生" in html and "已关闭" not in html
    assert reverse("service:create", args=[branch.pk]) in html


def test_the_panel_runs_a_constant_number_of_queries(branch, manager, django_assert_num_queries):
    for _index in range(12):
        CaseFactory(branch=branch)
    with django_assert_num_queries(1):
        context = _service_panel(branch, manager.user)
        render_to_string("service/_branch_cases_panel.html", {"panel": context})


def test_status_changes_appear_on_the_branch_timeline(branch, manager):
    case = CaseFactory(branch=branch, customer_name="孙女士", status=Case.Status.IN_PROGRESS)
    services.transition(case=case, action_name="resolve", user=manager.user, resolution="已办妥")
    entries = [entry for entry in timeline_for(branch) if entry.kind == "case"]
    assert [entry.title for entry in entries] == [
        "Complaint · 孙女士 — Resolved",
        "Complaint · 孙女士 — Opened",
    ]
    assert entries[0].url == reverse("service:detail", args=[case.pk])
    assert entries[0].summary == "已办妥"


def test_the_timeline_provider_runs_one_query(branch, django_assert_num_queries):
    for _index in range(5):
        CaseFactory(branch=branch)
    with django_assert_num_queries(1):
        assert len(list(case_status_changes(branch, 50))) == 5


def test_other_branches_cases_stay_off_the_timeline(branch, other_branch):
    CaseFactory(branch=other_branch, customer_name="别处客户")
    assert not [entry for entry in timeline_for(branch) if "别处客户" in entry.title]


def test_a_hand_over_names_its_department_on_the_branch_timeline(branch, manager):
    case = CaseFactory(branch=branch, status=Case.Status.IN_PROGRESS)
    services.transition(
        case=case,
        action_name="hand_over",
        user=manager.user,
        department="customer_service",
        text="已提交审核",
    )
    (entry,) = [entry for entry in timeline_for(branch) if entry.kind == "case"][:1]
    assert entry.summary == "Customer service: 已提交审核"
