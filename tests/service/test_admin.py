import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from service import services
from service.models import Case, CaseEvent, SlaRule
from tests.service.factories import CaseFactory

PAST = timezone.now() - datetime.timedelta(days=3)


def test_the_overdue_filter(admin_client, branch):
    CaseFactory(
        branch=branch,
        customer_name="迟了",
        opened_at=PAST,
        due_at=PAST + datetime.timedelta(hours=1),
    )
    CaseFactory(branch=branch, customer_name="按时")
    url = reverse("admin:service_case_changelist")
    late = admin_client.get(url, {"overdue": "yes"}).content.decode()
    on_time = admin_client.get(url, {"overdue": "no"}).content.decode()
    assert "迟了" in late and "按时" not in late
    assert "按时" in on_time and "迟了" not in on_time


def test_the_case_admin_is_scoped_to_the_supervisors_team(supervisor_client, branch, other_branch):
    CaseFactory(branch=branch, customer_name="团队")
    hidden = CaseFactory(branch=other_branch, customer_name="外队")
    page = supervisor_client.get(reverse("admin:service_case_changelist")).content.decode()
    assert "团队" in page and "外队" not in page
    change = reverse("admin:service_case_change", args=[hidden.pk])
    response = supervisor_client.get(change)
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


def test_a_supervisor_edits_sla_hours_in_the_admin(supervisor_client):
    rule = SlaRule.objects.get(kind="complaint", priority="urgent")
    response = supervisor_client.post(
        reverse("admin:service_slarule_change", args=[rule.pk]),
        {"kind": "complaint", "priority": "urgent", "hours": "12"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.hours == 12


def test_adding_a_case_in_the_admin_computes_its_due_time(admin_client, branch):
    opened = timezone.localtime().replace(second=0, microsecond=0)
    response = admin_client.post(
        reverse("admin:service_case_add"),
        {
            "branch": branch.pk,
            "customer_name": "后台客户",
            "customer_mobile": "13700001111",
            "kind": "complaint",
            "channel": "phone",
            "priority": "urgent",
            "assigned_manager": branch.manager.pk,
            "opened_at_0": opened.strftime("%Y-%m-%d"),
            "opened_at_1": opened.strftime("%H:%M:%S"),
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.due_at == case.opened_at + datetime.timedelta(hours=24)
    assert case.events.get().to_status == "new"


def test_every_service_admin_page_loads(admin_client, branch):
    case = CaseFactory(branch=branch, kind="surrender", policy_number="P123456789")
    services.record_surrender_details(case=case, user=branch.manager.user)
    for model in ("case", "caseevent", "surrenderdetail", "slarule", "servicesettings"):
        for view in ("changelist", "add"):
            url = reverse(f"admin:service_{model}_{view}")
            # Timeline lines are only written by the status machine and the case page.
            expected = 403 if (model, view) == ("caseevent", "add") else 200
            assert admin_client.get(url).status_code == expected, url
    for model, pk in (("case", case.pk), ("surrenderdetail", case.surrender_detail.pk)):
        url = reverse(f"admin:service_{model}_change", args=[pk])
        assert admin_client.get(url).status_code == 200, url


def test_the_case_list_filters_by_kind_and_status(admin_client, branch):
    CaseFactory(branch=branch, customer_name="投诉客户", kind="complaint")
    CaseFactory(
        branch=branch, customer_name="退保客户", kind="surrender", policy_number="P123456789"
    )
    CaseFactory(branch=branch, customer_name="已结客户", status=Case.Status.CLOSED)
    url = reverse("admin:service_case_changelist")

    def shown(query):
        return {
            case.customer_name for case in admin_client.get(url, query).context["cl"].result_list
        }

    assert shown({"kind__exact": "surrender"}) == {"退保客户"}
    assert shown({"status__exact": "closed"}) == {"已结客户"}
    assert shown({"kind__exact": "complaint", "status__exact": "new"}) == {"投诉客户"}


def _case_form(case, **changes):
    return {
        "branch": case.branch_id,
        "customer_name": case.customer_name,
        "customer_mobile": case.customer_mobile,
        "kind": case.kind,
        "channel": case.channel,
        "priority": case.priority,
        "assigned_manager": case.assigned_manager_id,
        "opened_at_0": timezone.localtime(case.opened_at).strftime("%Y-%m-%d"),
        "opened_at_1": timezone.localtime(case.opened_at).strftime("%H:%M:%S"),
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "1",
        "events-0-id": case.events.get().pk,
        "events-0-case": case.pk,
        **changes,
    }


def test_a_supervisor_cannot_move_a_team_case_to_another_team(
    supervisor_client, branch, other_branch, other_manager
):
    case = CaseFactory(branch=branch, customer_name="团队客户")
    url = reverse("admin:service_case_change", args=[case.pk])
    for forged in ({"branch": other_branch.pk}, {"assigned_manager": other_manager.pk}):
        response = supervisor_client.post(url, _case_form(case, **forged))
        assert response.status_code == 200
    case.refresh_from_db()
    assert (case.branch, case.assigned_manager) == (branch, branch.manager)
    # The same form with the case's own branch saves.
    response = supervisor_client.post(url, _case_form(case, priority="urgent"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.priority == "urgent"


def test_nobody_writes_timeline_lines_in_the_admin(supervisor_client, branch):
    case = CaseFactory(branch=branch)
    response = supervisor_client.post(
        reverse("admin:service_caseevent_add"),
        {"case": case.pk, "kind": "status", "to_status": "closed", "actor": 1},
    )
    assert response.status_code == 403
    assert case.events.count() == 1


def _add_form(branch, **fields):
    opened = timezone.localtime().replace(second=0, microsecond=0)
    return {
        "branch": branch.pk,
        "customer_name": "后台客户",
        "customer_mobile": "13700001111",
        "kind": "complaint",
        "channel": "phone",
        "priority": "normal",
        "opened_at_0": opened.strftime("%Y-%m-%d"),
        "opened_at_1": opened.strftime("%H:%M:%S"),
        "assigned_manager": branch.manager.pk,
        **fields,
    }


def _refusal(**arguments):
    """What services.open_case says to the same case, field by field, in the admin's language
    (Chinese: no language chosen)."""
    try:
        with translation.override("zh-hans"):
            services.open_case(customer_name="x", customer_mobile="13700001111", **arguments)
    except ValidationError as error:
        return error.message_dict
    raise AssertionError("the service accepted it")


@pytest.mark.parametrize(
    ("fields", "arguments"),
    [
        # The cooling-off period (15 days) ended long ago: a surrender, not a cancellation.
        (
            {
                "kind": "cancellation",
                "policy_number": "P1234567",
                "policy_received_on": "2020-01-02",
            },
            {
                "kind": "cancellation",
                "policy_number": "P1234567",
                "policy_received_on": datetime.date(2020, 1, 2),
            },
        ),
        ({"kind": "surrender"}, {"kind": "surrender"}),
        ({"kind": "servicing"}, {"kind": "servicing"}),
    ],
    ids=["cooling-off-over", "surrender-without-policy", "servicing-without-type"],
)
def test_the_case_admin_refuses_what_open_case_refuses(
    admin_client, superuser, branch, fields, arguments
):
    expected = _refusal(branch=branch, user=superuser, **arguments)
    response = admin_client.post(reverse("admin:service_case_add"), _add_form(branch, **fields))
    assert response.status_code == 200
    # On the form, on its field, or above the form where the model's own constraint says it.
    errors = response.context["adminform"].form.errors
    for field, messages in expected.items():
        assert errors.get(field) == messages or errors.get("__all__") == messages, errors
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_a_case_added_in_the_admin_is_opened_by_the_service(admin_client, superuser, branch):
    response = admin_client.post(
        reverse("admin:service_case_add"),
        _add_form(branch, kind="surrender", policy_number="p7777777", customer_id_last_four="1234"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get()
    assert response["Location"] == reverse("admin:service_case_changelist")
    # The service's own touches: the upper-cased policy number, the opener, the first timeline line.
    assert (case.policy_number, case.customer_id_last_four) == ("P7777777", "1234")
    assert case.created_by == superuser
    assert case.assigned_manager == branch.manager
    assert list(case.events.values_list("to_status", "actor")) == [("new", superuser.pk)]
