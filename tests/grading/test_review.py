"""Issue 16's review rules as tables: hire date × period, data present × missing, period end,
step size × approver, reasons, history, the outcome email and the appeal (申诉); each rule
also through the admin's bulk actions where one applies."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.access import SUPERVISOR_GROUP
from grading import services
from grading.models import Assessment, AssessmentDecision
from reminders.models import Notification, ReminderPreference
from tests.grading.factories import (
    AccountManagerFactory,
    AssessmentPeriodFactory,
    LevelStandardFactory,
    SalesFigureFactory,
    UserFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def django_settings(settings):
    return settings


CHANGELIST = reverse("admin:grading_assessment_changelist")
Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
AFTER_Q3 = datetime.date(2026, 10, 1)


@pytest.fixture
def q3(db):
    return AssessmentPeriodFactory(name="2026Q3", start=Q3[0], end=Q3[1])


def _submitted(assessment, user):
    return services.submit_assessment(assessment=assessment, user=user)


def _speak(client, language):
    """The language the user chose (the site is Chinese first, whatever the browser says)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _bulk(client, action, assessments, **extra):
    return _speak(client, "en").post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in assessments], **extra},
        follow=True,
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# --- hire date × period ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hired", "placed", "assessable"),
    [
        (datetime.date(2026, 1, 1), None, True),  # hired before the period
        (datetime.date(2026, 7, 1), None, True),  # hired on its first day
        (datetime.date(2026, 7, 2), None, False),  # hired the day after it started
        (datetime.date(2026, 10, 15), None, False),  # hired after it ended
        (datetime.date(2019, 3, 1), datetime.date(2026, 6, 30), True),  # placed before
        (datetime.date(2019, 3, 1), datetime.date(2026, 8, 1), False),  # 挂靠 placed during it
    ],
)
def test_hire_date_x_period(supervisor, superuser, q3, hired, placed, assessable):
    LevelStandardFactory(level=level(1), keep_premium=Decimal("50000"))
    member = AccountManagerFactory(supervisor=supervisor, hire_date=hired)
    if placed is not None:
        services.place_by_affiliation(
            manager=member,
            level=level(4),
            previous_employer="平安人寿",
            previous_title="银保经理",
            reason="原单位同级",
            approved_by=superuser,
            effective_on=placed,
        )
    SalesFigureFactory(manager=member, period=q3, premium=Decimal("10000"))  # misses the bar
    (assessment,) = services.generate_assessments(period=q3, user=supervisor)
    if assessable:
        assert assessment.recommended_outcome != Assessment.Outcome.NONE
        assert assessment.no_recommendation == ""
    else:
        # Not assessable this period: no recommendation, the level stays.
        assert (assessment.recommended_outcome, assessment.no_recommendation) == (
            "none",
            "not_assessable",
        )
        assert assessment.recommended_level == member.current_level.level


def test_bulk_approve_leaves_a_not_assessable_manager_alone(supervisor_client, supervisor, q3):
    late = AccountManagerFactory(supervisor=supervisor, hire_date=datetime.date(2026, 8, 1))
    (assessment,) = services.generate_assessments(period=q3, user=supervisor)
    _submitted(assessment, supervisor)
    response = _bulk(supervisor_client, "approve_as_recommended", [assessment])
    assert any("has no recommendation" in m for m in _messages(response))
    assessment.refresh_from_db()
    late.refresh_from_db()
    assert (assessment.status, late.current_level.level) == (Assessment.Status.SUBMITTED, level(1))


# --- data present × missing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "bars", "expected"),
    [
        # sales figures imported: the bars decide
        (Decimal("90000"), {"keep_premium": Decimal("80000")}, ("keep", 3, "")),
        (Decimal("10000"), {"keep_premium": Decimal("80000")}, ("demote", 2, "")),
        # no sales figures imported: no recommendation, never a demotion
        (None, {"keep_premium": Decimal("80000")}, ("none", 3, "missing_data")),
        (None, {"keep_persistency": Decimal("80")}, ("none", 3, "missing_data")),
        # no figures, but no bar needs them: the other bars decide
        (None, {"keep_visits": 0}, ("keep", 3, "")),
    ],
)
def test_data_present_x_missing(supervisor, superuser, period, figure, bars, expected):
    member = AccountManagerFactory(supervisor=supervisor)
    services.change_level(
        manager=member,
        to_level=level(3),
        reason="correction",
        effective_on=datetime.date(2026, 1, 1),
        approved_by=superuser,
    )
    LevelStandardFactory(level=level(3), **bars)
    if figure is not None:
        SalesFigureFactory(manager=member, period=period, premium=figure)
    (assessment,) = services.generate_assessments(period=period, user=supervisor)
    got = (
        assessment.recommended_outcome,
        assessment.recommended_level.rank,
        assessment.no_recommendation,
    )
    assert got == expected


def test_without_sales_figures_bulk_approval_demotes_nobody(
    supervisor_client, supervisor, superuser, period
):
    """Issue 16: with no sales figures imported, 3 of 4 were recommended 降一级 and the bulk
    approval would apply it."""
    LevelStandardFactory(level=level(3), keep_premium=Decimal("80000"))
    members = [AccountManagerFactory(supervisor=supervisor) for _ in range(4)]
    for member in members:
        services.change_level(
            manager=member,
            to_level=level(3),
            reason="correction",
            effective_on=datetime.date(2026, 1, 1),
            approved_by=superuser,
        )
    assessments = [
        _submitted(a, supervisor)
        for a in services.generate_assessments(period=period, user=supervisor)
    ]
    assert {a.recommended_outcome for a in assessments} == {"none"}
    _bulk(supervisor_client, "approve_as_recommended", assessments)
    for member in members:
        member.refresh_from_db()
        assert member.current_level.level == level(3)
    assert not Assessment.objects.filter(status=Assessment.Status.APPROVED).exists()


# --- the period must be over ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("closes_on", "today", "allowed"),
    [
        (None, datetime.date(2026, 9, 30), False),  # its last day: not over yet
        (None, datetime.date(2026, 10, 1), True),  # the day after
        (datetime.date(2026, 9, 25), datetime.date(2026, 9, 24), False),  # before the close date
        (datetime.date(2026, 9, 25), datetime.date(2026, 9, 25), True),  # from the close date
    ],
)
def test_a_period_is_decided_only_once_it_is_over(manager, supervisor, closes_on, today, allowed):
    period = AssessmentPeriodFactory(name="2026Q3", start=Q3[0], end=Q3[1], closes_on=closes_on)
    (assessment,) = services.generate_assessments(period=period, user=supervisor)
    _submitted(assessment, supervisor)
    for decide in (
        lambda: services.approve_assessment(assessment=assessment, user=supervisor, today=today),
        lambda: services.reject_assessment(
            assessment=assessment, user=supervisor, reason="数据待核", today=today
        ),
    ):
        if allowed:
            decide()
            return
        with pytest.raises(ValidationError):
            decide()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_the_admin_refuses_an_open_period(supervisor_client, manager, supervisor):
    open_period = AssessmentPeriodFactory(name="2026Q4")  # ends 2026-12-31, no close date
    (assessment,) = services.generate_assessments(period=open_period, user=supervisor)
    _submitted(assessment, supervisor)
    response = _bulk(supervisor_client, "approve_as_recommended", [assessment])
    assert any("once the period is over" in m for m in _messages(response))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


# --- step size × approver -------------------------------------------------------------------


@pytest.fixture
def at_rank_3(supervisor, superuser, q3):
    """A manager of the supervisor's team at 客户主任三级 (rank 3), with a submitted 2026Q3
    assessment; ``make(recommended_rank or None)`` sets its recommendation."""
    member = AccountManagerFactory(supervisor=supervisor)
    services.change_level(
        manager=member,
        to_level=level(3),
        reason="correction",
        effective_on=datetime.date(2026, 1, 1),
        approved_by=superuser,
    )

    def make(recommended):
        outcome = {None: "none", 2: "demote", 3: "keep", 4: "promote"}[recommended]
        return Assessment.objects.create(
            manager=member,
            period=q3,
            level_at_start=level(3),
            recommended_outcome=outcome,
            recommended_level=level(recommended or 3),
            no_recommendation="missing_data" if recommended is None else "",
            status=Assessment.Status.SUBMITTED,
        )

    return member, make


@pytest.mark.parametrize(
    ("recommended", "decided", "approver", "status", "rank"),
    [
        # accepting the recommendation (one step at most): the supervisor's decision
        (4, None, "supervisor", "approved", 4),
        (2, None, "supervisor", "approved", 2),
        (3, 3, "supervisor", "approved", 3),
        # an override against the recommendation, even by one step or none: second approval
        (3, 4, "supervisor", "awaiting_second", 3),
        (4, 3, "supervisor", "awaiting_second", 3),
        (2, 3, "supervisor", "awaiting_second", 3),
        # more than one step: second approval
        (4, 5, "supervisor", "awaiting_second", 3),
        (3, 10, "supervisor", "awaiting_second", 3),
        # no recommendation: keeping needs only a reason, any move a second approval
        (None, 3, "supervisor", "approved", 3),
        (None, 4, "supervisor", "awaiting_second", 3),
        # a superuser deciding first still needs somebody else's second approval
        (3, 5, "superuser", "awaiting_second", 3),
        (4, None, "superuser", "approved", 4),
    ],
)
def test_step_size_x_approver(
    at_rank_3, supervisor, superuser, recommended, decided, approver, status, rank
):
    member, make = at_rank_3
    assessment = make(recommended)
    user = {"supervisor": supervisor, "superuser": superuser}[approver]
    services.approve_assessment(
        assessment=assessment,
        user=user,
        level=level(decided) if decided else None,
        reason="理由" if decided else "",
        today=AFTER_Q3,
    )
    assessment.refresh_from_db()
    member.refresh_from_db()
    assert (assessment.status, member.current_level.level.rank) == (status, rank)


@pytest.mark.parametrize(("recommended", "decided"), [(3, 4), (4, 5), (None, 4), (None, 3), (4, 3)])
def test_every_override_needs_a_reason(at_rank_3, supervisor, recommended, decided):
    _member, make = at_rank_3
    assessment = make(recommended)
    with pytest.raises(ValidationError) as refused:
        services.approve_assessment(
            assessment=assessment, user=supervisor, level=level(decided), today=AFTER_Q3
        )
    assert refused.value.code == "needs_reason"


@pytest.fixture
def second_superuser(db):
    return UserFactory(username="root2", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    ("first", "second", "outcome"),
    [
        ("supervisor", "superuser", "approved"),
        ("supervisor", "supervisor", "refused"),  # not a head of the unit above
        ("supervisor", "other_supervisor", "out_of_scope"),
        ("superuser", "superuser", "refused"),  # the same person twice
        ("superuser", "second_superuser", "approved"),
    ],
)
def test_second_approval_x_approver(
    at_rank_3, request, supervisor, superuser, first, second, outcome
):
    member, make = at_rank_3
    assessment = make(3)
    users = {name: request.getfixturevalue(name) for name in {first, second}}
    services.approve_assessment(
        assessment=assessment, user=users[first], level=level(5), reason="大单", today=AFTER_Q3
    )
    expected = {"refused": ValidationError, "out_of_scope": PermissionDenied}.get(outcome)
    if expected:
        with pytest.raises(expected):
            services.approve_assessment(assessment=assessment, user=users[second])
    else:
        services.approve_assessment(assessment=assessment, user=users[second])
    assessment.refresh_from_db()
    member.refresh_from_db()
    if outcome == "approved":
        assert (assessment.status, member.current_level.level) == (
            Assessment.Status.APPROVED,
            level(5),
        )
        assert assessment.second_approved_by == users[second]
    else:
        assert (assessment.status, member.current_level.level) == (
            Assessment.Status.AWAITING_SECOND,
            level(3),
        )


def test_the_bulk_approval_of_a_superuser_gives_the_second_approvals(
    admin_client, at_rank_3, supervisor
):
    member, make = at_rank_3
    assessment = make(3)
    services.approve_assessment(
        assessment=assessment, user=supervisor, level=level(4), reason="大单", today=AFTER_Q3
    )
    response = _bulk(admin_client, "approve_as_recommended", [assessment])
    assert "1 assessment approved." in _messages(response)
    member.refresh_from_db()
    assert member.current_level.level == level(4)


# --- reasons, states, history ---------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(manager, supervisor, period, reason):
    (assessment,) = services.generate_assessments(period=period, user=supervisor)
    _submitted(assessment, supervisor)
    with pytest.raises(ValidationError) as refused:
        services.reject_assessment(assessment=assessment, user=supervisor, reason=reason)
    assert refused.value.code == "needs_reason"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize("action", ["approve_as_recommended", "reject"])
def test_only_a_submitted_assessment_is_decided_single_and_bulk(
    supervisor_client, manager, supervisor, period, action
):
    (draft,) = services.generate_assessments(period=period, user=supervisor)
    with pytest.raises(ValidationError):
        services.approve_assessment(assessment=draft, user=supervisor)
    with pytest.raises(ValidationError):
        services.reject_assessment(assessment=draft, user=supervisor, reason="数据待核")
    response = _bulk(supervisor_client, action, [draft], apply="1", reason="数据待核")
    assert any("Only a submitted assessment can be decided." in m for m in _messages(response))
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_every_step_is_kept_with_who_when_and_why(supervisor, superuser, at_rank_3):
    _member, make = at_rank_3
    assessment = make(3)
    services.approve_assessment(
        assessment=assessment, user=supervisor, level=level(5), reason="大单", today=AFTER_Q3
    )
    services.reject_assessment(assessment=assessment, user=superuser, reason="证据不足")
    steps = list(assessment.history.values_list("action", "by", "reason", "level"))
    assert steps == [
        ("await_second", supervisor.pk, "大单", level(5).pk),
        ("reject", superuser.pk, "证据不足", None),
    ]
    assert all(assessment.history.values_list("at", flat=True))


# --- the outcome email ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject"),
    [("zh-hans", "您的 2026Q3 考核已批准"), ("en", "Your 2026Q3 assessment was approved")],
)
def test_the_manager_is_emailed_the_outcome_once_in_their_language(
    supervisor, at_rank_3, language, subject, django_capture_on_commit_callbacks
):
    member, make = at_rank_3
    ReminderPreference.objects.create(user=member.user, language=language)
    assessment = make(4)
    with django_capture_on_commit_callbacks(execute=False):
        services.approve_assessment(assessment=assessment, user=supervisor, today=AFTER_Q3)
    email = Notification.objects.get(recipient=member.user)
    assert (email.kind, email.subject, email.language) == ("grade_decision", subject, language)
    # The body speaks the recipient's language too (the level's name included).
    import re

    has_chinese = bool(re.search(r"[\u3400-\u9fff]", email.body_text + email.body_html))
    assert has_chinese == (language == "zh-hans")
    # The same decision never sends twice (a retried task, a doubled call).
    event = assessment.history.get(action=AssessmentDecision.Action.APPROVE)
    assessment.refresh_from_db()
    services._notify_outcome(assessment, event)
    assert Notification.objects.filter(recipient=member.user).count() == 1


def test_an_awaiting_decision_is_not_emailed_yet(supervisor, at_rank_3):
    member, make = at_rank_3
    services.approve_assessment(
        assessment=make(3), user=supervisor, level=level(5), reason="大单", today=AFTER_Q3
    )
    assert not Notification.objects.filter(recipient=member.user).exists()


# --- the appeal (申诉) ------------------------------------------------------------------------


@pytest.fixture
def approved(supervisor, at_rank_3):
    member, make = at_rank_3
    assessment = make(4)
    services.approve_assessment(assessment=assessment, user=supervisor, today=AFTER_Q3)
    assessment.refresh_from_db()
    return member, assessment


@pytest.mark.parametrize(
    ("days_after", "allowed"), [(0, True), (5, True), (5 + 1, False), (30, False)]
)
def test_an_appeal_is_heard_within_the_configured_days(
    django_settings, approved, days_after, allowed
):
    django_settings.GRADING_APPEAL_DAYS = 5
    member, assessment = approved
    closed = assessment.closed_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    today = closed.date() + datetime.timedelta(days=days_after)
    if not allowed:
        with pytest.raises(ValidationError):
            services.file_appeal(
                assessment=assessment, user=member.user, reason="业绩漏算", today=today
            )
        assessment.refresh_from_db()
        assert assessment.status == Assessment.Status.APPROVED
        return
    services.file_appeal(assessment=assessment, user=member.user, reason="业绩漏算", today=today)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.decided_level, assessment.closed_at) == (
        Assessment.Status.SUBMITTED,
        None,
        None,
    )
    # The history is kept, the appeal added to it.
    actions = list(assessment.history.values_list("action", flat=True))
    assert actions == ["approve", "appeal"]


def test_an_appeal_is_once_by_the_manager_and_a_rejection_then_restores_the_level(
    approved, supervisor, other_manager
):
    member, assessment = approved
    with pytest.raises(PermissionDenied):
        services.file_appeal(assessment=assessment, user=supervisor, reason="代为申诉")
    with pytest.raises(PermissionDenied):
        services.file_appeal(assessment=assessment, user=other_manager.user, reason="x")
    with pytest.raises(ValidationError):
        services.file_appeal(assessment=assessment, user=member.user, reason=" ")
    services.file_appeal(assessment=assessment, user=member.user, reason="业绩漏算")
    member.refresh_from_db()
    assert member.current_level.level == level(4)  # until the review decides again
    services.reject_assessment(assessment=assessment, user=supervisor, reason="复核维持原判")
    member.refresh_from_db()
    assert member.current_level.level == level(3)
    with pytest.raises(ValidationError):
        services.file_appeal(assessment=assessment, user=member.user, reason="再次申诉")


def test_the_manager_appeals_from_their_level_page(client, approved, other_manager):
    member, assessment = approved
    client.force_login(member.user)
    page = client.get(reverse("grading:my_level")).content.decode()
    url = reverse("grading:appeal", args=[assessment.pk])
    assert url in page
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "申诉须填写理由" in empty.content.decode()
    response = client.post(url, {"reason": "业绩漏算"})
    assert (response.status_code, response["Location"]) == (302, reverse("grading:my_level"))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    client.force_login(other_manager.user)
    assert client.get(url).status_code == 404


# --- plural forms in both languages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "language", "message"),
    [
        (1, "en", "1 assessment submitted."),
        (2, "en", "2 assessments submitted."),
        (1, "zh-hans", "1 项考核已提交审批。"),
        (2, "zh-hans", "2 项考核已提交审批。"),
    ],
)
def test_messages_use_plural_forms(supervisor_client, supervisor, period, count, language, message):
    for _ in range(count):
        AccountManagerFactory(supervisor=supervisor)
    drafts = services.generate_assessments(period=period, user=supervisor)
    response = _speak(supervisor_client, language).post(
        CHANGELIST,
        {"action": "submit_for_approval", "_selected_action": [a.pk for a in drafts]},
        follow=True,
    )
    assert _messages(response) == [message]


# --- the count on the supervisor's pages ----------------------------------------------------


def test_home_and_dashboard_say_how_many_await_review(supervisor_client, supervisor, period):
    members = [AccountManagerFactory(supervisor=supervisor) for _ in range(3)]
    drafts = services.generate_assessments(period=period, user=supervisor)
    for draft in drafts[:2]:
        _submitted(draft, supervisor)
    open_period = AssessmentPeriodFactory(name="2026Q4-open", start=period.start, end=period.end)
    SalesFigureFactory(manager=members[0], period=open_period)
    not_yet = services.generate_assessments(period=open_period, user=supervisor)[0]
    _submitted(not_yet, supervisor)  # its period is not over: not awaiting review yet

    link = f"{CHANGELIST}?review=mine"
    # Both pages read the count with their other reads: the notice's tag reads nothing (so a
    # page's template renders without queries, as bench/measure.py's limit assumes).
    with mock.patch(
        "grading.selectors.awaiting_review_count", side_effect=AssertionError("a query")
    ):
        for url in ("/", reverse("desk:dashboard")):
            page = supervisor_client.get(url).content.decode()
            assert "2 项考核待您审核" in page, url
            assert f'href="{link}"' in page
    listed = supervisor_client.get(link).context["cl"].result_list
    assert {a.pk for a in listed} == {a.pk for a in drafts[:2]}


def test_a_manager_sees_no_review_count(manager_client, manager, supervisor, period):
    (assessment,) = services.generate_assessments(period=period, user=supervisor)
    _submitted(assessment, supervisor)
    assert "待您审核" not in manager_client.get("/").content.decode()


def test_a_supervisor_holding_a_profile_does_not_count_their_own(client, superuser, period):
    boss = UserFactory(username="boss", is_staff=True)
    boss.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    own = AccountManagerFactory(user=boss, supervisor=superuser)
    AccountManagerFactory(supervisor=boss)
    for assessment in services.generate_assessments(period=period, user=superuser):
        _submitted(assessment, superuser)
    client.force_login(boss)
    page = client.get("/").content.decode()
    assert "1 项考核待您审核" in page
    assert own.pk not in [
        a.manager_id for a in client.get(f"{CHANGELIST}?review=mine").context["cl"].result_list
    ]
