"""The daily work log (工作日志): assembled from the day's records, submitted once, ticked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import IntakeBatch
from duties.models import ChecklistItem, ChecklistTemplate
from duties.services import generate_checklist
from tests.branches.factories import BranchFactory, VisitFactory
from tests.documents.factories import stock_at
from tests.duties.factories import (
    BriefingDeliveryFactory,
    ChecklistTemplateFactory,
    TrainingSessionFactory,
    task,
)
from tests.service.factories import CaseFactory
from worklog import providers
from worklog.models import WorkLog
from worklog.providers import LogEntry

pytestmark = pytest.mark.django_db
URL = reverse("worklog:today")


@pytest.fixture
def day_of_work(manager, branch):
    """One record of each kind today, and one of yesterday that must not show."""
    VisitFactory(branch=branch, summary="拜访", location_status="ok", distance_m=40)
    VisitFactory(branch=branch, visited_at=timezone.now() - datetime.timedelta(days=1))
    stock_at(branch, "application_form", 50, manager.user)
    IntakeBatch.objects.create(branch=branch, collected_by=manager.user, note="十二份投保单")
    CaseFactory(branch=branch)
    training = TrainingSessionFactory(manager=manager, held_on=timezone.localdate())
    training.branches.set([branch])
    BriefingDeliveryFactory(branch=branch, delivered_by=manager)
    return branch


def test_the_log_is_assembled_from_the_days_records(
    manager_client, day_of_work, django_assert_max_num_queries
):
    # The session, and every provider's records with the log in one prepared statement.
    with django_assert_max_num_queries(2):
        response = manager_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    listed = page.split('id="log-entries"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 6  # visit, delivery, intake, case, training, briefing
    assert f"拜访{day_of_work.bank} {day_of_work.name}" in listed
    assert "网点现场 40 米" in listed
    assert "十二份投保单" in listed
    assert f"在{day_of_work.name}登记了案件" in listed
    assert f"向{day_of_work.name}配送了" in listed


def test_another_app_registers_its_own_records(manager_client, manager):
    def events(manager_, day):
        yield LogEntry(when=timezone.now(), kind="event", title="社区活动：金融知识讲座")

    providers.register(events)
    try:
        page = manager_client.get(URL).content.decode()
    finally:
        providers._providers.remove(events)
    assert "社区活动：金融知识讲座" in page


def test_submitting_locks_the_log_and_ticks_the_checklist(manager_client, manager, day_of_work):
    ChecklistTemplateFactory(
        task=task("daily-log"), fulfilment=ChecklistTemplate.Fulfilment.WORK_LOG
    )
    generate_checklist(manager=manager)
    response = manager_client.post(
        URL, {"notes": "和网点主任谈了季度计划", "tomorrow_plan": "去第二支行", "submit": "1"}
    )
    log = WorkLog.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("worklog:detail", args=[log.pk])
    assert log.submitted_at is not None and len(log.entries) == 6
    item = ChecklistItem.objects.get(task__code="daily-log")
    assert item.done and item.done_by == "auto"
    page = manager_client.get(response.url).content.decode()
    assert "和网点主任谈了季度计划" in page and "不能再修改" in page
    # Locked: the form redirects to the submitted log, and a second submission is refused.
    assert manager_client.get(URL).status_code == 302
    response = manager_client.post(
        URL + "?date=" + log.date.isoformat(), {"notes": "改", "submit": "1"}
    )
    log.refresh_from_db()
    assert log.notes == "和网点主任谈了季度计划"


def test_a_draft_keeps_the_notes_without_submitting(manager_client):
    response = manager_client.post(URL, {"notes": "草稿", "tomorrow_plan": "", "draft": "1"})
    assert response.status_code == 302
    log = WorkLog.objects.get()
    assert log.notes == "草稿" and log.submitted_at is None
    assert "草稿" in manager_client.get(URL).content.decode()


def test_an_empty_day_needs_a_note(manager_client):
    response = manager_client.post(URL, {"notes": " ", "submit": "1"})
    assert response.status_code == 200
    assert "今天没有任何记录？请写下你做了什么。" in response.content.decode()
    assert not WorkLog.objects.filter(submitted_at__isnull=False).exists()


def test_the_supervisor_sees_the_teams_logs_and_who_has_not_submitted(
    client, supervisor, manager, other_manager, django_assert_max_num_queries
):
    from tests.grading.factories import AccountManagerFactory

    late = AccountManagerFactory(supervisor=supervisor, user__first_name="迟", user__last_name="王")
    client.force_login(manager.user)
    client.post(URL, {"notes": "写完了", "submit": "1"})
    log = WorkLog.objects.get()
    client.force_login(supervisor)
    # The session, then the team and its logs in one prepared statement.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("worklog:team"))
    page = response.content.decode()
    missing = page.split('id="not-submitted"')[1].split("</ul>")[0]
    submitted = page.split('id="submitted"')[1].split("</ul>")[0]
    assert late.display_name in missing and manager.display_name not in missing
    assert manager.display_name in submitted
    assert other_manager.display_name not in page
    assert client.get(reverse("worklog:detail", args=[log.pk])).status_code == 200


def test_the_team_page_shows_each_logs_records_and_how_its_notes_begin(
    client, supervisor, manager, day_of_work, django_assert_max_num_queries
):
    from tests.grading.factories import AccountManagerFactory

    quiet = AccountManagerFactory(supervisor=supervisor)
    long_notes = "走访" * 50  # 100 characters: longer than the page's preview
    client.force_login(manager.user)
    client.post(URL, {"notes": long_notes, "submit": "1"})
    WorkLog.objects.create(manager=quiet, notes="病假", entries=[], submitted_at=timezone.now())
    client.force_login(supervisor)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("worklog:team"))
    submitted = response.content.decode().split('id="submitted"')[1].split("</ul>")[0]
    mine, theirs = (
        submitted.split(manager.display_name)[1].split("</li>")[0],
        submitted.split(quiet.display_name)[1].split("</li>")[0],
    )
    assert "6 条记录" in mine  # the day_of_work's six records, counted in the database
    # Django's Chinese catalogue ends a cut text with three dots.
    assert "走访" * 38 + "走..." in mine and long_notes not in mine
    assert "0 条记录" in theirs and "病假" in theirs


def test_the_team_page_in_english_counts_records_in_english(client, supervisor, manager):
    WorkLog.objects.create(
        manager=manager, entries=[{"kind": "visit"}], submitted_at=timezone.now()
    )
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("worklog:team"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 record<" in page and "条记录" not in page


def test_another_teams_log_is_404(client, manager, other_manager):
    client.force_login(manager.user)
    client.post(URL, {"notes": "写完了", "submit": "1"})
    log = WorkLog.objects.get()
    client.force_login(other_manager.user)
    assert client.get(reverse("worklog:detail", args=[log.pk])).status_code == 404


def test_the_log_page_is_404_without_a_manager_profile(supervisor_client):
    assert supervisor_client.get(URL).status_code == 404


def test_the_home_page_links_to_todays_log(manager_client):
    page = manager_client.get(reverse("home")).content.decode()
    assert 'id="home-work-log"' in page and reverse("worklog:today") in page
    assert "尚未提交。" in page


def test_a_future_day_falls_back_to_today(manager_client):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = manager_client.get(URL, {"date": future})
    assert response.context["day"] == timezone.localdate()


def test_records_of_another_manager_do_not_show(manager_client, other_manager):
    VisitFactory(branch=BranchFactory(manager=other_manager), summary="别人的拜访")
    page = manager_client.get(URL).content.decode()
    assert "今天还没有记录。" in page


def test_a_case_counts_once_and_updates_only_of_older_cases_show(
    manager_client, manager, branch, django_assert_max_num_queries
):
    """The case provider's second read leaves out the cases opened that day (a subquery of
    its first read since the log is one prepared statement): each case shows once."""
    from service.services import add_note

    new = CaseFactory(branch=branch)
    add_note(case=new, user=manager.user, text="当天跟进")
    older = CaseFactory(branch=branch, opened_at=timezone.now() - datetime.timedelta(days=3))
    add_note(case=older, user=manager.user, text="电话回访")
    add_note(case=older, user=manager.user, text="再次回访")
    someone_elses = CaseFactory(
        branch=branch, opened_at=timezone.now() - datetime.timedelta(days=3)
    )
    # The session, then every provider's records with the log in one prepared statement.
    with django_assert_max_num_queries(2):
        page = manager_client.get(URL).content.decode()
    listed = page.split('id="log-entries"')[1].split("</ul>")[0]
    assert listed.count(f"在{branch.name}登记了案件") == 1
    assert listed.count(f"跟进了{branch.name}的案件") == 1
    assert f"/service/{older.pk}/" in listed and f"/service/{new.pk}/" in listed
    assert f"/service/{someone_elses.pk}/" not in listed


def _old_team_day(user, day):
    from accounts.access import scoped
    from accounts.models import AccountManager

    managers = list(
        scoped(
            AccountManager.objects.filter(is_active=True).select_related("user"), user, ""
        ).order_by("employee_number")
    )
    logs = {log.manager_id: log for log in WorkLog.objects.filter(manager__in=managers, date=day)}
    return [(manager.pk, getattr(logs.get(manager.pk), "pk", None)) for manager in managers]


def test_a_supervisors_team_day_is_the_scoped_one(
    supervisor, manager, other_manager, org, superuser
):
    """A supervisor's team day is read by their id in SQL (worklog.selectors.team_day): the
    same managers and logs as the scoping rule gives, for them and for everyone else."""
    from accounts.models import AccountManager
    from tests.grading.factories import AccountManagerFactory
    from worklog import selectors

    today = timezone.localdate()
    second = AccountManagerFactory(supervisor=supervisor)
    gone = AccountManagerFactory(supervisor=supervisor)
    AccountManager.objects.filter(pk=gone.pk).update(is_active=False)
    for member in (manager, other_manager, gone):
        WorkLog.objects.create(manager=member, date=today, notes="日志")
    WorkLog.objects.create(manager=second, date=today - datetime.timedelta(days=1), notes="昨天")
    assert selectors._supervises_only(supervisor)
    for user in (supervisor, org.city_head, org.province_head, superuser, manager.user):
        got = [(m.pk, getattr(log, "pk", None)) for m, log in selectors.team_day(user, today)]
        assert got == _old_team_day(user, today)
    assert [m for m, _log in _old_team_day(supervisor, today)] == sorted(
        [manager.pk, second.pk], key=lambda pk: AccountManager.objects.get(pk=pk).employee_number
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_visits_entry_says_what_the_visit_records_say(language, manager, branch):
    """The visit entries translate their labels and reverse their URL once per day's list
    (a hundred visits a day): each entry as the visit's own display methods give it."""
    from django.urls import reverse
    from django.utils import translation

    from core.lists import join_list
    from worklog.builtin import visits

    visit = VisitFactory(
        branch=branch,
        purposes=["relationship", "training"],
        location_status="ok",
        distance_m=40,
    )
    with translation.override(language):
        (entry,) = [e.as_json() for e in visits(manager, timezone.localdate())]
        title = "拜访{branch}" if language == "zh-hans" else "Visit to {branch}"
        assert entry["title"] == title.format(branch=f"{branch.bank} {branch.name}")
        assert entry["detail"] == (
            join_list(visit.get_purposes_display())
            + f" · {visit.get_location_status_display()} 40 "
            + ("米" if language == "zh-hans" else "m")
        )
        assert entry["url"] == reverse("branches:visit_detail", args=[visit.pk])


def test_a_visits_entry_names_a_bank_without_a_short_name_by_its_name(manager, branch):
    from django.utils import translation

    from worklog.builtin import visits

    branch.bank.short_name = ""
    branch.bank.save()
    VisitFactory(branch=branch, manager=manager)
    with translation.override("en"):
        (entry,) = [e.as_json() for e in visits(manager, timezone.localdate())]
    assert entry["title"] == f"Visit to {branch.bank.name} {branch.name}"
