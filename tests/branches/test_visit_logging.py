import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Visit
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


def _url(branch, query=""):
    return reverse("branches:visit_create", args=[branch.pk]) + query


def _now_field():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_form_preselects_purposes_and_lists_only_active_staff_of_the_branch(
    manager_client, branch, teller
):
    BranchStaffFactory(branch=branch, name="已离职", is_active=False)
    BranchStaffFactory(name="别家员工")
    response = manager_client.get(_url(branch, "?purpose=delivery&purpose=bogus"))
    page = response.content.decode()
    assert response.status_code == 200
    checked = re.findall(r'name="purposes" value="(\w+)"[^>]*checked', page)
    assert checked == ["delivery"]
    assert "李娜" in page
    assert "已离职" not in page and "别家员工" not in page


def test_a_manager_logs_a_visit_and_returns_to_the_timeline(
    manager_client, manager, branch, teller
):
    response = manager_client.post(
        _url(branch),
        {
            "visited_at": _now_field(),
            "purposes": ["delivery", "relationship"],
            "staff_met": [teller.pk],
            "summary": "送投保单，拜访主任",
        },
        follow=True,
    )
    visit = Visit.objects.get(branch=branch)
    assert visit.manager == manager
    assert visit.purposes == ["delivery", "relationship"]
    assert list(visit.staff_met.all()) == [teller]
    assert response.redirect_chain[-1][0].endswith(f"/branches/{branch.pk}/#timeline")
    page = response.content.decode()
    assert "送投保单，拜访主任" in page
    assert "alert-success" in page
    branch.refresh_from_db()
    assert branch.last_visit_at == visit.visited_at


def test_it_returns_to_a_local_next_url_only(manager_client, branch):
    data = {"visited_at": _now_field(), "purposes": ["training"], "next": "/branches/"}
    response = manager_client.post(_url(branch), data)
    assert response.url == "/branches/"
    data["next"] = "https://evil.example.com/"
    response = manager_client.post(_url(branch), data)
    assert response.url == reverse("branches:detail", args=[branch.pk]) + "#timeline"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purposes": []}, "purposes"),
        ({"visited_at": "2999-01-01T10:00"}, "visited_at"),
        ({"next_visit_on": "2000-01-01"}, "next_visit_on"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(manager_client, branch, change, field):
    data = {"visited_at": _now_field(), "purposes": ["plan"], **change}
    response = manager_client.post(_url(branch), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Visit.objects.exists()


def test_the_message_is_in_chinese_by_default(manager_client, branch):
    response = manager_client.post(_url(branch), {"visited_at": _now_field()})
    assert "请至少选择一个拜访目的" in response.content.decode()


def test_another_manager_gets_404(other_client, branch):
    assert other_client.get(_url(branch)).status_code == 404
    response = other_client.post(_url(branch), {"visited_at": _now_field(), "purposes": ["plan"]})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_the_supervisor_logs_a_visit_for_the_branch_manager(supervisor_client, manager, branch):
    response = supervisor_client.post(
        _url(branch), {"visited_at": _now_field(), "purposes": ["plan"]}
    )
    assert response.status_code == 302
    assert Visit.objects.get().manager == manager


def test_visit_detail_is_scoped(client, manager, other_manager, supervisor, branch, teller):
    visit = Visit.objects.create(
        branch=branch,
        manager=manager,
        visited_at=timezone.now() - datetime.timedelta(hours=1),
        purposes=["plan"],
    )
    visit.staff_met.add(teller)
    url = reverse("branches:visit_detail", args=[visit.pk])
    client.force_login(manager.user)
    assert "李娜" in client.get(url).content.decode()
    client.force_login(supervisor)
    assert client.get(url).status_code == 200
    client.force_login(other_manager.user)
    assert client.get(url).status_code == 404


def test_the_purposes_are_listed_with_the_languages_separator(manager_client, manager, branch):
    from tests.branches.factories import VisitFactory

    visit = VisitFactory(
        branch=branch,
        manager=manager,
        purposes=[Visit.Purpose.RELATIONSHIP, Visit.Purpose.DELIVERY],
    )
    url = reverse("branches:visit_detail", args=[visit.pk])
    assert "关系维护、资料配送" in manager_client.get(url).text
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = manager_client.get(url).text
    assert "Relationship upkeep, Material delivery" in page and "、" not in page


@pytest.mark.parametrize("met", [1, 5])
def test_logging_a_visit_runs_a_constant_number_of_queries(
    manager_client, manager, branch, django_assert_max_num_queries, met
):
    staff = BranchStaffFactory.create_batch(met, branch=branch)
    manager_client.get(reverse("home"))  # today's checklist and the session, as on a phone
    data = {
        "visited_at": _now_field(),
        "purposes": ["delivery", "relationship"],
        "staff_met": [person.pk for person in staff],
        "summary": "送投保单",
    }
    # 12 (issue 22; was 13): the user, the branch, the staff to choose from; the visit, who
    # it met, its manager's visits of the day (VisitDay), the branch's last visit; the day's
    # attendance read and set; the visit's items and the attendance item ticked in one
    # update; the transaction's savepoint and its release in the test's transaction (BEGIN
    # and COMMIT on PostgreSQL).
    with django_assert_max_num_queries(12):
        response = manager_client.post(_url(branch), data)
    assert response.status_code == 302
    assert Visit.objects.get(branch=branch).staff_met.count() == met


def test_the_empty_form_reads_the_branchs_staff_once(manager_client, branch, teller):
    BranchStaffFactory.create_batch(3, branch=branch)
    manager_client.get(reverse("home"))  # the session as on a phone
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(_url(branch))
    assert response.status_code == 200
    staff_reads = [q["sql"] for q in queries.captured_queries if "staff_branchstaff" in q["sql"]]
    assert len(staff_reads) == 1
    assert response.content.decode().count('name="staff_met"') == 4
