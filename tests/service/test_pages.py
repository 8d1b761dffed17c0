"""The pages: who sees what, the phone form, the actions, and constant query counts."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from service import services
from service.models import Case, CaseEvent, Kind, SurrenderDetail
from tests.branches.factories import AbnormalEventFactory, BranchFactory
from tests.service.factories import CaseFactory

PAST = timezone.now() - datetime.timedelta(days=5)


@pytest.fixture
def client_en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _overdue(branch, **kwargs):
    return CaseFactory(
        branch=branch, opened_at=PAST, due_at=PAST + datetime.timedelta(hours=1), **kwargs
    )


# --- lists ------------------------------------------------------------------------------------


def test_my_open_cases_list_only_open_cases_of_my_branches(manager_client, branch, other_branch):
    mine = CaseFactory(branch=branch, customer_name="王女士")
    CaseFactory(branch=branch, customer_name="已结案", status=Case.Status.CLOSED)
    CaseFactory(branch=other_branch, customer_name="别人的客户")
    response = manager_client.get(reverse("service:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "王女士" in page and "已结案" not in page and "别人的客户" not in page
    # The mobile is masked in lists.
    assert mine.customer_mobile not in page
    assert mine.customer_mobile[:3] + "****" + mine.customer_mobile[-4:] in page


def test_the_overdue_page_lists_only_late_open_cases(manager_client, branch):
    _overdue(branch, customer_name="超时客户")
    CaseFactory(branch=branch, customer_name="未超时客户")
    _overdue(branch, customer_name="已解决客户", status=Case.Status.RESOLVED)
    page = manager_client.get(reverse("service:overdue")).content.decode()
    assert "超时客户" in page and "未超时客户" not in page and "已解决客户" not in page


def test_a_supervisor_sees_the_teams_overdue_cases(supervisor_client, branch, other_branch):
    _overdue(branch, customer_name="团队客户")
    _overdue(other_branch, customer_name="别队客户")
    page = supervisor_client.get(reverse("service:overdue")).content.decode()
    assert "团队客户" in page and "别队客户" not in page


def test_the_branch_cases_page(manager_client, branch):
    CaseFactory(branch=branch, customer_name="网点客户", status=Case.Status.CLOSED)
    response = manager_client.get(reverse("service:branch", args=[branch.pk]))
    assert response.status_code == 200 and "网点客户" in response.content.decode()


def test_another_manager_cannot_see_my_branch_cases(other_client, branch):
    assert other_client.get(reverse("service:branch", args=[branch.pk])).status_code == 404


def test_a_supervisor_sees_a_team_branchs_cases(supervisor_client, branch):
    CaseFactory(branch=branch, customer_name="团队网点客户")
    response = supervisor_client.get(reverse("service:branch", args=[branch.pk]))
    assert "团队网点客户" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("url_name", ["service:list", "service:overdue", "service:branch"])
def test_list_pages_run_a_constant_number_of_queries(
    manager_client, branch, django_assert_max_num_queries, rows, url_name
):
    for index in range(rows):
        _overdue(BranchFactory(manager=branch.manager) if index % 2 else branch)
    args = [branch.pk] if url_name == "service:branch" else []
    with django_assert_max_num_queries(4):
        response = manager_client.get(reverse(url_name, args=args))
    assert response.status_code == 200


# --- opening a case ---------------------------------------------------------------------------


def test_a_case_opens_from_the_branch_with_the_quick_form(manager_client, branch):
    url = reverse("service:create", args=[branch.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(
        url,
        {
            "customer_name": "李先生",
            "customer_mobile": "13900001111",
            "kind": Kind.HARD_QUESTION,
            "priority": "normal",
            "channel": "branch_counter",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("service:detail", args=[case.pk])
    assert case.branch == branch and case.assigned_manager == branch.manager
    assert case.due_at == case.opened_at + datetime.timedelta(hours=72)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"policy_number": "12-34"}, "8 to 30 letters or digits"),
        ({"customer_mobile": "1390000"}, "11 digits starting with 1"),
        (
            {"opened_at": "2026-03-01T10:00", "due_at": "2026-03-01T09:00"},
            "The due time must be after the case was opened.",
        ),
        ({"kind": Kind.SERVICING}, "Choose what the policy servicing is for."),
    ],
)
def test_bad_input_on_the_form_shows_a_message_and_saves_nothing(
    client_en, manager, branch, extra, message
):
    client_en.force_login(manager.user)
    data = {
        "customer_name": "李先生",
        "customer_mobile": "13900001111",
        "kind": Kind.COMPLAINT,
        "priority": "normal",
        "channel": "phone",
        **extra,
    }
    response = client_en.post(reverse("service:create", args=[branch.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_the_form_speaks_chinese_by_default(manager_client, branch):
    response = manager_client.post(
        reverse("service:create", args=[branch.pk]),
        {
            "customer_name": "李",
            "customer_mobile": "13900001111",
            "kind": "complaint",
            "priority": "normal",
            "channel": "phone",
            "policy_number": "12",
        },
    )
    assert "保单号为 8 至 30 位字母或数字" in response.content.decode()
    assert not Case.objects.exists()


def test_another_manager_cannot_open_a_case_at_my_branch(other_client, branch):
    url = reverse("service:create", args=[branch.pk])
    assert other_client.get(url).status_code == 404
    response = other_client.post(
        url, {"customer_name": "x", "customer_mobile": "13900001111", "kind": "complaint"}
    )
    assert response.status_code == 404 and not Case.objects.exists()


def test_a_supervisor_can_open_a_case_at_a_team_branch(supervisor_client, branch):
    assert supervisor_client.get(reverse("service:create", args=[branch.pk])).status_code == 200


# --- the case page ----------------------------------------------------------------------------


def test_the_case_page_shows_details_timeline_and_actions(manager_client, branch):
    case = CaseFactory(branch=branch, customer_name="赵女士", description="询问分红")
    page = manager_client.get(reverse("service:detail", args=[case.pk])).content.decode()
    assert "赵女士" in page and "询问分红" in page
    assert case.customer_mobile in page  # in full on the case itself
    assert 'value="start"' in page and 'value="close"' not in page


def test_another_manager_gets_404_on_the_case_and_its_actions(other_client, branch):
    case = CaseFactory(branch=branch)
    for name in ("detail", "surrender"):
        assert other_client.get(reverse(f"service:{name}", args=[case.pk])).status_code == 404
    for name, data in (("action", {"action": "start"}), ("note", {"text": "x"})):
        assert (
            other_client.post(reverse(f"service:{name}", args=[case.pk]), data).status_code == 404
        )
    case.refresh_from_db()
    assert case.status == Case.Status.NEW and case.events.count() == 1


def test_a_supervisor_sees_and_moves_a_team_case(supervisor_client, supervisor, branch):
    case = CaseFactory(branch=branch)
    assert supervisor_client.get(reverse("service:detail", args=[case.pk])).status_code == 200
    supervisor_client.post(reverse("service:action", args=[case.pk]), {"action": "start"})
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert case.events.last().actor == supervisor


def test_resolving_from_the_page(manager_client, branch):
    case = CaseFactory(branch=branch, status=Case.Status.IN_PROGRESS)
    response = manager_client.post(
        reverse("service:action", args=[case.pk]), {"action": "resolve", "resolution": "已解答"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED and case.resolution == "已解答"


def test_resolving_without_a_summary_says_so_and_changes_nothing(client_en, manager, branch):
    client_en.force_login(manager.user)
    case = CaseFactory(branch=branch, status=Case.Status.IN_PROGRESS)
    response = client_en.post(reverse("service:action", args=[case.pk]), {"action": "resolve"})
    assert response.status_code == 400
    assert "Write a resolution summary" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.events.count() == 1


def test_an_illegal_action_from_the_page_is_refused(client_en, manager, branch):
    client_en.force_login(manager.user)
    case = CaseFactory(branch=branch)
    response = client_en.post(reverse("service:action", args=[case.pk]), {"action": "close"})
    assert response.status_code == 400
    assert "“Close” is not possible for a case that is New." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_notes_go_on_the_timeline(manager_client, manager, branch):
    case = CaseFactory(branch=branch)
    manager_client.post(reverse("service:note", args=[case.pk]), {"text": "已致电客户"})
    note = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert note.text == "已致电客户" and note.actor == manager.user
    page = manager_client.get(reverse("service:detail", args=[case.pk])).content.decode()
    assert "已致电客户" in page


def test_an_empty_note_is_refused(manager_client, branch):
    case = CaseFactory(branch=branch)
    response = manager_client.post(reverse("service:note", args=[case.pk]), {"text": ""})
    assert response.status_code == 400
    assert not case.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_a_cancellation_page_counts_down_the_cooling_off_period(client_en, manager, branch):
    client_en.force_login(manager.user)
    case = CaseFactory(
        branch=branch,
        kind=Kind.CANCELLATION,
        policy_number="P123456789",
        cooling_off_ends_on=timezone.localdate() + datetime.timedelta(days=4),
    )
    page = client_en.get(reverse("service:detail", args=[case.pk])).content.decode()
    assert "4 days left." in page


def test_recording_surrender_details(manager_client, branch):
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    event = AbnormalEventFactory(branch=branch, category="bank_surrender")
    url = reverse("service:surrender", args=[case.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(
        url,
        {
            "procedure_explained": "on",
            "time_limits_explained": "on",
            "cash_value": "8800.50",
            "cash_value_explained": "on",
            "pros_and_cons_explained": "on",
            "outcome": "retained",
            "abnormal_event": event.pk,
        },
    )
    assert response.status_code == 302
    detail = SurrenderDetail.objects.get(case=case)
    assert detail.outcome == "retained" and str(detail.cash_value) == "8800.50"
    assert detail.abnormal_event == event


def test_an_outcome_without_explanations_is_refused_on_the_page(client_en, manager, branch):
    client_en.force_login(manager.user)
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    response = client_en.post(
        reverse("service:surrender", args=[case.pk]), {"outcome": "surrendered"}
    )
    assert response.status_code == 200
    assert "Explain the procedure and set out the pros and cons" in response.content.decode()
    assert not SurrenderDetail.objects.exists()


def test_a_complaint_has_no_surrender_page(manager_client, branch):
    case = CaseFactory(branch=branch)
    response = manager_client.get(reverse("service:surrender", args=[case.pk]))
    assert response.status_code == 302 and not SurrenderDetail.objects.exists()


def test_the_case_timeline_reads_in_the_readers_language_with_chinese_name_order(
    client_en, manager, branch
):
    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    with translation.override("zh-hans"):
        # Recorded by a manager whose page is in Chinese...
        services.record_surrender_details(
            case=case,
            user=manager.user,
            procedure_explained=True,
            pros_and_cons_explained=True,
            outcome=SurrenderDetail.Outcome.RETAINED,
        )
    client_en.force_login(manager.user)
    page = client_en.get(reverse("service:detail", args=[case.pk])).content.decode()
    # ...and read in English by someone else.
    assert "Outcome: Retained (policy kept)" in page
    assert "挽留成功" not in page
    assert "王芳" in page


def test_the_case_page_names_the_linked_abnormal_event(client_en, manager, branch):
    client_en.force_login(manager.user)
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    report = AbnormalEventFactory(
        branch=branch, category="bank_surrender", description="柜员劝客户退保转存款"
    )
    services.record_surrender_details(case=case, user=manager.user, abnormal_event=report)
    page = client_en.get(reverse("service:detail", args=[case.pk])).content.decode()
    assert "Surrender caused by the bank" in page
    assert "柜员劝客户退保转存款" in page


def test_timeline_lines_written_before_the_codes_were_kept_are_converted(manager, branch):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("service.migrations.0004_case_event_department")
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    for kind, to_status, text in (
        ("details", "", "结果：挽留成功（保单保留）"),
        ("details", "", "Outcome: Surrendered"),
        ("details", "", "客户说再想想"),
        ("status", "waiting", "客服部: 已提交审核"),
        ("status", "waiting", "Underwriting (契约)"),
    ):
        CaseEvent.objects.create(
            case=case, kind=kind, to_status=to_status, text=text, actor=manager.user
        )

    migration.forwards(apps, None)

    rows = case.events.exclude(to_status="new").order_by("pk")
    assert list(rows.values_list("outcome", "department", "text")) == [
        ("retained", "", ""),
        ("surrendered", "", ""),
        ("", "", "客户说再想想"),
        ("", "customer_service", "已提交审核"),
        ("", "underwriting", ""),
    ]


def test_the_hand_over_department_reads_in_the_readers_language(client_en, manager, branch):
    case = CaseFactory(branch=branch, status=Case.Status.IN_PROGRESS)
    with translation.override("zh-hans"):
        services.transition(
            case=case,
            action_name="hand_over",
            user=manager.user,
            department=Case.Department.UNDERWRITING,
        )
    client_en.force_login(manager.user)
    page = client_en.get(reverse("service:detail", args=[case.pk])).content.decode()
    assert "Department: Underwriting" in page
    assert "契约部" not in page


def test_the_details_form_offers_only_the_outcomes_of_the_case_kind(manager_client, branch):
    cancellation = CaseFactory(branch=branch, kind=Kind.CANCELLATION, policy_number="P123456789")
    response = manager_client.get(reverse("service:surrender", args=[cancellation.pk]))
    choices = [value for value, _label in response.context["form"].fields["outcome"].choices]
    assert choices == ["pending", "retained", "cancelled"]


def test_a_refused_surrender_resolution_keeps_the_typed_summary(manager_client, branch):
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, status=Case.Status.IN_PROGRESS)
    response = manager_client.post(
        reverse("service:action", args=[case.pk]),
        {"action": "resolve", "resolution": "客户同意保留保单，已解释现金价值"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "客户同意保留保单，已解释现金价值</textarea>" in page
    assert "bd-error-summary" in page  # the page focuses the message (static/js/branchdesk.js)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_a_cancellation_asks_about_the_refund_a_surrender_about_the_cash_value(
    manager_client, branch
):
    cancellation = CaseFactory(branch=branch, kind=Kind.CANCELLATION, policy_number="P123456789")
    surrender = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P987654321")
    page = manager_client.get(reverse("service:surrender", args=[cancellation.pk])).text
    assert "退还保费（元）" in page and "现金价值" not in page
    SurrenderDetail.objects.create(case=cancellation, cash_value="3000", cash_value_explained=True)
    detail = manager_client.get(reverse("service:detail", args=[cancellation.pk])).text
    assert "已解释退还保费: 3000" in detail and "现金价值" not in detail
    page = manager_client.get(reverse("service:surrender", args=[surrender.pk])).text
    assert "现金价值（元）" in page and "退还保费" not in page
