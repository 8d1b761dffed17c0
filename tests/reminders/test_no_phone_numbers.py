"""No message carries a full mobile number: every reminder kind, rendered in both languages
from a world whose bank staff, customers, branches and managers all have one."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from branches import services as branches_services
from branches.models import AbnormalEvent
from desk.tasks import send_unit_reports
from documents import services as documents_services
from grading import services as grading_services
from reminders import birthdays, services, stock, weekly
from reminders.models import DepartmentContact, Notification, ReminderKind, ReminderPreference
from service import services as service_services
from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at
from tests.grading.test_review import AFTER_Q3, at_rank_3, q3  # noqa: F401 (fixtures)
from tests.service.factories import CaseFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"\d{17}[\dX]")
D = datetime.date
MONDAY = D(2026, 6, 1)  # a Monday and the first working day of June


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _world(manager, supervisor):
    manager.mobile = "13911112222"
    manager.save(update_fields=["mobile"])
    branch = BranchFactory(manager=manager, name="陆家嘴支行", phone="13700001111")
    BranchStaffFactory(branch=branch, name="刘芳", birth_month=6, birth_day=1, mobile="13812345678")
    # Stock: a real outage for the digest, an episode for the alert and the supervisor's copy.
    user = manager.user
    stocked = stock_at(branch, "application_form", 10, user, when=_at(D(2026, 5, 1)))
    documents_services.record_usage(
        branch_stock=stocked, quantity=10, user=user, when=_at(D(2026, 5, 20))
    )
    item = SimpleNamespace(pk=9001, branch=branch, item="投保单")
    episode = stock.record_state_change(item, "ok", "out", today=D(2026, 5, 25), enqueue=False)
    # An overdue case whose customer has a mobile number, and a branch not visited.
    return episode, CaseFactory(
        branch=branch,
        customer_name="王先生",
        customer_mobile="13987654321",
        opened_at=_at(D(2026, 5, 20)),
        due_at=_at(D(2026, 5, 22)),
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_reminder_carries_a_full_mobile_number(
    language,
    manager,
    supervisor,
    org,
    at_rank_3,  # noqa: F811
):
    for user in get_user_model().objects.all():  # everyone the fixtures made
        ReminderPreference.objects.update_or_create(user=user, defaults={"language": language})
    episode, case = _world(manager, supervisor)
    planned = [
        *birthdays.plan(today=MONDAY),
        stock.plan_alert(episode),
        *stock.plan_digests(MONDAY),
        *stock.plan_escalations(MONDAY),
        *weekly.plan(today=MONDAY),
    ]
    Notification.objects.all().delete()  # alerts the stock signal queued on its own
    services.queue_planned(planned_reminders=planned, enqueue=False)
    send_unit_reports(today=MONDAY, enqueue=False)
    member, make = at_rank_3
    grading_services.approve_assessment(assessment=make(4), user=supervisor, today=AFTER_Q3)
    DepartmentContact.objects.create(
        department="claims", email="claims@insurer.example", language=language
    )
    service_services.transition(
        case=case,
        action_name="hand_over",
        user=manager.user,
        department="claims",
        # Typed by hand: the outbox masks it all the same, and an ID number too.
        text="请回电 13987654321，身份证 11010519491231002X",
    )

    # An abnormal event whose description carries a mobile: the supervisor is told at once,
    # the unit above once it is past its response time.
    branches_services.report_event(
        branch=case.branch,
        category=AbnormalEvent.Category.BANK_POLICY,
        description="支行调整考核口径，联系人手机13812345678。",
        reported_by=manager.user,
    )
    branches_services.escalate_overdue_events(now=timezone.now() + datetime.timedelta(days=30))

    rows = list(Notification.objects.all())
    covered = {row.kind for row in rows}
    assert covered == set(ReminderKind.values), "each reminder kind needs a scenario here"
    assert {(row.kind, row.language) for row in rows if row.language != language} == set()
    for row in rows:
        for text in (row.subject, row.body_text, row.body_html):
            assert not MOBILE.search(text), (row.kind, MOBILE.search(text).group())
            assert not ID_NUMBER.search(text), row.kind
    birthday = next(row for row in rows if row.kind == ReminderKind.BIRTHDAYS)
    assert "138****5678" in birthday.body_text and "138****5678" in birthday.body_html
    handover = next(row for row in rows if row.kind == ReminderKind.DEPARTMENT_HANDOVER)
    assert "139****4321" in handover.body_text and "110***********002X" in handover.body_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请回电 13987654321。", "请回电 139****4321。"),
        ("身份证11010519491231002X", "身份证110***********002X"),
        ("保单 123456789012345678", "保单 123456789012345678"),  # fails the ID checksum
        ("流水 1398765432100", "流水 1398765432100"),  # 13 digits: no mobile number
        ("座机 021-12345678", "座机 021-12345678"),
    ],
)
def test_the_outbox_masks_numbers_typed_into_free_text(text, expected):
    from core.validators import mask_personal_numbers

    assert mask_personal_numbers(text) == expected
