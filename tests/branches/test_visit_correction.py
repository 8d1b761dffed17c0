"""Correcting a visit (issue 21): by its author, within the window, with history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Visit, VisitChange
from tests.branches.factories import VisitFactory

pytestmark = pytest.mark.django_db


def _url(visit):
    return reverse("branches:visit_edit", args=[visit.pk])


def _data(**change):
    return {"purposes": ["relationship"], "summary": "拜访网点主任", **change}


def test_the_author_corrects_a_visit_and_the_history_shows_old_and_new(
    manager_client, manager, branch, teller
):
    visit = VisitFactory(branch=branch)
    response = manager_client.post(
        _url(visit),
        _data(purposes=["relationship", "delivery"], summary="送投保单", staff_met=[teller.pk]),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("branches:visit_detail", args=[visit.pk])
    visit.refresh_from_db()
    assert visit.summary == "送投保单" and visit.purposes == ["relationship", "delivery"]
    change = VisitChange.objects.get()
    assert change.changed_by == manager.user
    assert {row["field"]: (row["old"], row["new"]) for row in change.changes} == {
        "purposes": ("关系维护", "关系维护、资料配送"),
        "staff_met": ("", "李娜"),
        "summary": ("拜访网点主任", "送投保单"),
    }
    page = response.content.decode()
    history = page.split('id="visit-history"')[1]
    assert "拜访网点主任 → 送投保单" in history
    assert "— → 李娜" in history


def test_no_change_keeps_no_history(manager_client, branch):
    visit = VisitFactory(branch=branch)
    manager_client.post(_url(visit), _data())
    assert not VisitChange.objects.exists()


def test_after_the_window_the_correction_is_refused(manager_client, branch, settings):
    visit = VisitFactory(branch=branch)
    Visit.objects.filter(pk=visit.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    for response in (manager_client.get(_url(visit)), manager_client.post(_url(visit), _data())):
        assert response.status_code == 403
        assert "这次拜访已不能更正：拜访登记后 24 小时内可以更正。" in response.content.decode()
    visit.refresh_from_db()
    assert visit.summary == "拜访网点主任" and not VisitChange.objects.exists()
    # The window is a setting.
    settings.BRANCHDESK_VISIT_EDIT_HOURS = 48
    assert manager_client.get(_url(visit)).status_code == 200


def test_someone_else_is_refused(client, supervisor, other_manager, branch):
    visit = VisitFactory(branch=branch)
    client.force_login(supervisor)
    response = client.post(_url(visit), _data(summary="主管改的"))
    assert response.status_code == 403
    assert "只有登记这次拜访的客户经理可以更正它。" in response.content.decode()
    client.force_login(other_manager.user)
    assert client.get(_url(visit)).status_code == 404
    visit.refresh_from_db()
    assert visit.summary == "拜访网点主任"


def test_a_bad_correction_shows_the_error_and_saves_nothing(manager_client, branch):
    visit = VisitFactory(branch=branch)
    response = manager_client.post(_url(visit), _data(next_visit_on="2000-01-01"))
    assert response.status_code == 200
    assert "下次拜访日期不能早于本次拜访。" in response.content.decode()
    visit.refresh_from_db()
    assert visit.next_visit_on is None and not VisitChange.objects.exists()


def test_the_visit_page_offers_the_correction_to_its_author_only(
    client, manager, supervisor, branch
):
    visit = VisitFactory(branch=branch)
    url = reverse("branches:visit_detail", args=[visit.pk])
    client.force_login(manager.user)
    assert 'id="edit-visit"' in client.get(url).content.decode()
    client.force_login(supervisor)
    assert 'id="edit-visit"' not in client.get(url).content.decode()
