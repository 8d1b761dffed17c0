"""The supervisors' workspace in the admin: scoping, actions and decisions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AccountManager
from grading import services
from grading.models import (
    Assessment,
    AssessmentPeriod,
    Level,
    LevelChange,
    LevelStandard,
    SalesFigure,
)
from tests.grading.factories import AccountManagerFactory, SalesFigureFactory, level

MODELS = [
    AccountManager,
    Level,
    LevelStandard,
    AssessmentPeriod,
    SalesFigure,
    Assessment,
    LevelChange,
]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def submitted(
    manager, other_manager, supervisor, other_supervisor, period, standards, strong_figures
):
    strong_figures(manager)
    strong_figures(other_manager)
    (mine,) = services.generate_assessments(period=period, user=supervisor)
    (theirs,) = services.generate_assessments(period=period, user=other_supervisor)
    # Only a submitted assessment can be decided.
    mine = services.submit_assessment(assessment=mine, user=supervisor)
    theirs = services.submit_assessment(assessment=theirs, user=other_supervisor)
    return mine, theirs


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_every_grading_admin_page_loads_for_a_superuser(admin_client, model, submitted):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == 200


@pytest.mark.django_db
def test_the_assessment_change_page_shows_each_metric_against_its_bar(supervisor_client, submitted):
    mine, _theirs = submitted
    page = supervisor_client.get(_url(Assessment, "change", mine.pk)).content.decode()
    assert "150000.00" in page  # premium
    assert "✔ 50000.00" in page  # 客户专员 keep bar met
    assert 'name="_approve"' in page


@pytest.mark.django_db
def test_a_supervisor_sees_only_their_team(supervisor_client, submitted):
    mine, theirs = submitted
    page = supervisor_client.get(_url(Assessment, "changelist")).content.decode()
    assert mine.manager.employee_number in page
    assert theirs.manager.employee_number not in page
    # The admin answers an object outside the scope as a missing one: back to its index.
    response = supervisor_client.get(_url(Assessment, "change", theirs.pk))
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    managers = supervisor_client.get(_url(AccountManager, "changelist")).content.decode()
    assert theirs.manager.employee_number not in managers


@pytest.mark.django_db
def test_generate_action_creates_drafts_once(supervisor_client, manager, period):
    data = {"action": "generate_assessments", "_selected_action": [period.pk]}
    supervisor_client.post(_url(AssessmentPeriod, "changelist"), data)
    supervisor_client.post(_url(AssessmentPeriod, "changelist"), data)
    assert list(Assessment.objects.values_list("manager", "status")) == [(manager.pk, "draft")]


@pytest.mark.django_db
def test_approve_as_recommended_applies_the_level(supervisor_client, submitted):
    mine, _theirs = submitted
    supervisor_client.post(
        _url(Assessment, "changelist"),
        {"action": "approve_as_recommended", "_selected_action": [mine.pk]},
    )
    mine.refresh_from_db()
    mine.manager.refresh_from_db()
    assert mine.status == Assessment.Status.APPROVED
    assert mine.manager.current_level.level == level(2)


@pytest.mark.django_db
def test_a_forged_approval_of_another_team_is_refused(supervisor_client, submitted):
    _mine, theirs = submitted
    supervisor_client.post(
        _url(Assessment, "changelist"),
        {"action": "approve_as_recommended", "_selected_action": [theirs.pk]},
    )
    response = supervisor_client.post(
        _url(Assessment, "change", theirs.pk), {"_approve": "1", "override_reason": ""}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    theirs.refresh_from_db()
    theirs.manager.refresh_from_db()
    assert theirs.status == Assessment.Status.SUBMITTED
    assert theirs.manager.current_level.level == level(1)


@pytest.mark.django_db
def test_an_override_without_a_reason_is_refused(supervisor_client, submitted):
    mine, _theirs = submitted
    response = supervisor_client.post(
        _url(Assessment, "change", mine.pk),
        {"decided_level": level(1).pk, "override_reason": "", "_approve": "1"},
    )
    assert response.status_code == 200
    assert "调整建议须填写理由" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Assessment.Status.SUBMITTED


@pytest.mark.django_db
def test_an_override_waits_for_a_superusers_second_approval(
    supervisor_client, submitted, client, superuser
):
    mine, _theirs = submitted
    response = supervisor_client.post(
        _url(Assessment, "change", mine.pk),
        {"decided_level": level(3).pk, "override_reason": "大客户突破", "_approve": "1"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    mine.manager.refresh_from_db()
    assert (mine.status, mine.decision) == (Assessment.Status.AWAITING_SECOND, "override")
    assert mine.manager.current_level.level == level(1)
    listed = supervisor_client.get(_url(Assessment, "changelist")).content.decode()
    assert "等待二次审批" in listed
    # The supervisor cannot give the second approval; the page is read-only for them.
    page = supervisor_client.get(_url(Assessment, "change", mine.pk)).content.decode()
    assert 'name="_approve"' not in page

    client.force_login(superuser)
    page = client.get(_url(Assessment, "change", mine.pk)).content.decode()
    assert 'name="_approve"' in page
    response = client.post(_url(Assessment, "change", mine.pk), {"_approve": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    mine.manager.refresh_from_db()
    assert (mine.status, mine.second_approved_by) == (Assessment.Status.APPROVED, superuser)
    assert mine.manager.current_level.level == level(3)


@pytest.mark.django_db
def test_reject_action_asks_for_a_reason_then_leaves_the_level(supervisor_client, submitted):
    mine, _theirs = submitted
    chosen = {"action": "reject", "_selected_action": [mine.pk]}
    page = supervisor_client.post(_url(Assessment, "changelist"), chosen)
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    mine.refresh_from_db()
    assert mine.status == Assessment.Status.SUBMITTED

    empty = supervisor_client.post(
        _url(Assessment, "changelist"), {**chosen, "apply": "1", "reason": "  "}
    )
    assert empty.status_code == 200
    assert "驳回须填写理由" in empty.content.decode()
    mine.refresh_from_db()
    assert mine.status == Assessment.Status.SUBMITTED

    done = supervisor_client.post(
        _url(Assessment, "changelist"),
        {**chosen, "apply": "1", "reason": "保费待复核"},
        follow=True,
    )
    assert "1 项考核已驳回" in done.content.decode()
    mine.refresh_from_db()
    mine.manager.refresh_from_db()
    assert mine.status == Assessment.Status.REJECTED
    assert mine.manager.current_level.level == level(1)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_assessment_list_runs_a_constant_number_of_queries(
    supervisor_client, supervisor, period, size, django_assert_max_num_queries
):
    for _ in range(size):
        SalesFigureFactory(manager=AccountManagerFactory(supervisor=supervisor), period=period)
    services.generate_assessments(period=period, user=supervisor)
    with django_assert_max_num_queries(8):
        response = supervisor_client.get(_url(Assessment, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == size


@pytest.mark.django_db
def test_a_supervisor_can_place_an_affiliated_hire(supervisor_client, manager):
    response = supervisor_client.post(
        _url(AccountManager, "change", manager.pk),
        {
            "user": manager.user.pk,
            "employee_number": manager.employee_number,
            "hire_date": "2020-01-01",
            "mobile": manager.mobile,
            "supervisor": manager.supervisor_id,
            "is_active": "on",
            "entry_route": "affiliation",
            "previous_employer": "平安人寿",
            "previous_title": "银保主管",
            "affiliation_reason": "原单位同级",
            "placed_level": level(5).pk,
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.current_level.level == level(5)
    assert manager.level_changes.get().reason == "affiliation"


@pytest.mark.django_db
def test_sales_figures_import_is_all_or_nothing(supervisor_client, manager, other_manager, period):
    csv = (
        "employee_number,period,premium,policies,active_branches,persistency\n"
        f"{manager.employee_number},{period.name},120000,12,4,91.5\n"
        f"{other_manager.employee_number},{period.name},90000,9,2,88\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = supervisor_client.post(
        reverse("admin:grading_salesfigure_import"),
        {
            "import_file": SimpleUploadedFile("figures.csv", csv.encode()),
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert other_manager.employee_number in page  # the row error names the bad row
    # with a row in error there is nothing to confirm: the good row is not saved either
    assert response.context.get("confirm_form") is None
    assert not SalesFigure.objects.exists()


@pytest.mark.django_db
def test_sales_figures_import_saves_good_rows_after_confirmation(
    supervisor_client, manager, period
):
    csv = (
        "employee_number,period,premium,policies,active_branches,persistency\n"
        f"{manager.employee_number},{period.name},120000,12,4,91.5\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = supervisor_client.post(
        reverse("admin:grading_salesfigure_import"),
        {
            "import_file": SimpleUploadedFile("figures.csv", csv.encode()),
            "format": "0",
            "resource": "0",
        },
    )
    confirm = response.context["confirm_form"]
    supervisor_client.post(
        reverse("admin:grading_salesfigure_process_import"),
        {**confirm.initial, "resource": "0"},
    )
    figure = SalesFigure.objects.get()
    assert (figure.manager, figure.premium) == (manager, Decimal("120000.00"))


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("model", [AccountManager, SalesFigure, LevelChange])
def test_team_lists_run_a_constant_number_of_queries(
    supervisor_client, supervisor, period, model, size, django_assert_max_num_queries
):
    import datetime

    for index in range(size):
        member = AccountManagerFactory(supervisor=supervisor)
        SalesFigureFactory(manager=member, period=period)
        services.change_level(
            manager=member,
            to_level=level(2 + index % 3),
            reason="correction",
            effective_on=datetime.date(2026, 11, 1),
            approved_by=supervisor,
        )
    with django_assert_max_num_queries(8):
        response = supervisor_client.get(_url(model, "changelist"))
    assert response.context["cl"].result_count == size


@pytest.mark.django_db
def test_a_decided_assessment_is_read_only(supervisor_client, supervisor, submitted):
    mine, _theirs = submitted
    services.approve_assessment(assessment=mine, user=supervisor)
    page = supervisor_client.get(_url(Assessment, "change", mine.pk)).content.decode()
    assert 'name="_approve"' not in page
    supervisor_client.post(
        _url(Assessment, "change", mine.pk),
        {"decided_level": level(1).pk, "override_reason": "改判", "_approve": "1"},
    )
    mine.refresh_from_db()
    mine.manager.refresh_from_db()
    assert mine.decided_level == level(2)
    assert mine.manager.current_level.level == level(2)


@pytest.mark.django_db
def test_a_correction_in_the_history_admin_changes_the_level(admin_client, manager):
    response = admin_client.post(
        _url(LevelChange, "add"),
        {
            "manager": manager.pk,
            "to_level": level(4).pk,
            "reason": "correction",
            "effective_on": "2026-11-01",
            "note": "人事档案更正",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.current_level.level == level(4)


@pytest.mark.django_db
def test_a_correction_without_a_note_is_refused(admin_client, manager):
    response = admin_client.post(
        _url(LevelChange, "add"),
        {
            "manager": manager.pk,
            "to_level": level(4).pk,
            "reason": "correction",
            "effective_on": "2026-11-01",
            "note": "",
        },
    )
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.current_level.level == level(1)
    assert not LevelChange.objects.exists()


@pytest.mark.django_db
def test_the_assessment_list_filters_by_team_status_outcome_and_period(
    admin_client, submitted, supervisor, period
):
    mine, theirs = submitted
    services.reject_assessment(assessment=theirs, user=theirs.manager.supervisor, reason="数据待核")
    url = _url(Assessment, "changelist")

    def shown(query):
        return list(admin_client.get(url, query).context["cl"].result_list)

    assert shown({"manager__supervisor__id__exact": supervisor.pk}) == [mine]
    assert shown({"status__exact": "rejected"}) == [theirs]
    promoted = shown({"recommended_outcome__exact": "promote", "period__id__exact": period.pk})
    assert set(promoted) == {mine, theirs}
    assert shown({"recommended_outcome__exact": "demote"}) == []


def _manager_form(manager, **changes):
    return {
        "user": manager.user.pk,
        "employee_number": manager.employee_number,
        "hire_date": "2020-01-01",
        "mobile": manager.mobile,
        "supervisor": manager.supervisor_id,
        "is_active": "on",
        "entry_route": "new_hire",
        **changes,
    }


@pytest.mark.django_db
def test_a_level_correction_on_the_manager_page_needs_a_reason(supervisor_client, manager):
    url = _url(AccountManager, "change", manager.pk)
    response = supervisor_client.post(url, _manager_form(manager, placed_level=level(4).pk))
    assert response.status_code == 200
    assert "请说明职级变动的原因" in response.content.decode()
    manager.refresh_from_db()
    assert manager.current_level.level == level(1) and not manager.level_changes.exists()

    response = supervisor_client.post(
        url, _manager_form(manager, placed_level=level(4).pk, placement_reason="人事档案更正")
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    change = manager.level_changes.get()
    assert (manager.current_level.level, change.reason, change.note) == (
        level(4),
        "correction",
        "人事档案更正",
    )


@pytest.mark.django_db
def test_an_affiliation_on_the_manager_page_needs_the_previous_employer(supervisor_client, manager):
    response = supervisor_client.post(
        _url(AccountManager, "change", manager.pk),
        _manager_form(manager, entry_route="affiliation", placed_level=level(5).pk),
    )
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.current_level.level == level(1) and not manager.level_changes.exists()


@pytest.mark.django_db
def test_the_level_itself_cannot_be_posted_on_the_manager_page(supervisor_client, manager):
    response = supervisor_client.post(
        _url(AccountManager, "change", manager.pk), _manager_form(manager, level=level(9).pk)
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.current_level.level == level(1) and not manager.level_changes.exists()


@pytest.mark.django_db
def test_the_team_filter_names_the_supervisor(supervisor_client, submitted):
    page = supervisor_client.get(_url(Assessment, "changelist")).content.decode()
    assert "周敏" in page


@pytest.mark.django_db
def test_a_supervisor_cannot_relink_a_profile_to_another_login(
    supervisor_client, manager, other_manager
):
    own_user = manager.user
    response = supervisor_client.post(
        _url(AccountManager, "change", manager.pk),
        _manager_form(manager, user=other_manager.user.pk),
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.user == own_user


@pytest.mark.django_db
def test_the_supervisor_choices_are_supervisors_by_name(supervisor_client, manager, other_manager):
    page = supervisor_client.get(_url(AccountManager, "change", manager.pk)).content.decode()
    assert ">周敏</option>" in page
    assert f">{other_manager.user.username}</option>" not in page


@pytest.mark.django_db
def test_approving_after_the_level_changed_asks_for_an_override(
    supervisor_client, supervisor, submitted
):
    import datetime

    mine, _theirs = submitted
    services.change_level(
        manager=mine.manager,
        to_level=level(3),
        reason="correction",
        effective_on=datetime.date(2026, 11, 2),
        approved_by=supervisor,
    )
    url = _url(Assessment, "change", mine.pk)
    response = supervisor_client.post(url, {"override_reason": "", "_approve": "1"})
    assert response.status_code == 200
    assert "与本次考核的期初职级不同" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Assessment.Status.SUBMITTED
    # Rejecting it is still possible, with a reason.
    response = supervisor_client.post(url, {"rejection_reason": "", "_reject": "1"})
    assert response.status_code == 200
    assert "驳回须填写理由" in response.content.decode()
    response = supervisor_client.post(url, {"rejection_reason": "职级已更正", "_reject": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Assessment.Status.REJECTED


@pytest.mark.django_db
def test_the_decider_is_shown_by_name_not_login(supervisor_client, supervisor, submitted):
    mine, _theirs = submitted
    services.approve_assessment(assessment=mine, user=supervisor)
    page = supervisor_client.get(_url(Assessment, "change", mine.pk)).content.decode()
    start = page.index("field-decided_by")
    decided_by = page[start : page.index("</div>", page.index("readonly", start))]
    assert "周敏" in decided_by
    assert ">supervisor<" not in decided_by
