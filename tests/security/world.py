"""One object of every kind, per account manager: what the security walks fetch by id.

Built through the apps' own services and the project's factories, so the rows look like
real data (a stock level made through the ledger, forms collected from issued serials).
"""

import datetime
import itertools

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from documents import services as documents
from documents.models import IntakeForm
from duties.models import ChecklistItem
from duties.services import generate_checklist
from grading import services as grading
from grading.models import LevelChange
from reminders.models import ReminderPreference, StockEpisode
from service import services as service
from service.models import Kind
from tests.branches.factories import (
    AbnormalEventFactory,
    BranchFactory,
    CompetitorPresenceFactory,
    DepositSnapshotFactory,
    PlanTargetFactory,
    VisitFactory,
)
from tests.documents.factories import item, stock_at
from tests.duties.factories import (
    AttendanceFactory,
    BriefingDeliveryFactory,
    ChecklistTemplateFactory,
    PolicyBriefingFactory,
    TrainingSessionFactory,
)
from tests.grading.factories import (
    AssessmentPeriodFactory,
    LevelStandardFactory,
    SalesFigureFactory,
    level,
)
from tests.reminders.factories import NotificationFactory
from tests.service.factories import CaseFactory
from tests.staff.factories import BranchStaffFactory, StaffPostingFactory

try:  # the calendar feed arrives with issue 9; the walk covers it once it is there
    from reminders.services import calendar_feed_for
except ImportError:
    calendar_feed_for = None

_serial_base = itertools.count(1000, 1000)


def build_shared():
    """Catalogue rows every manager shares: a briefing, a period, a checklist template."""
    ChecklistTemplateFactory()
    LevelStandardFactory()
    # The brute-force log's own admin pages need a row each.
    AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.9", user_agent="-", failures_since_start=1
    )
    AccessLog.objects.create(username="x", ip_address="10.0.0.9", user_agent="-")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.9", user_agent="-")
    # Superuser-only configuration: a group robot and a department's contact.
    from reminders import crypto
    from reminders.models import Channel, DepartmentContact

    robot = Channel.objects.create(name="walk", kind="wecom", token_encrypted=crypto.encrypt("k"))
    DepartmentContact.objects.create(department="claims", email="claims@example.com", channel=robot)
    from sales.models import FeedFile
    from tests.sales.factories import ProductFactory

    return {
        "briefing": PolicyBriefingFactory(),
        "period": AssessmentPeriodFactory(),
        "product": ProductFactory(),
        "feed_file": FeedFile.objects.create(
            content_hash="0" * 64, file_name="policies.csv", outcome=FeedFile.Outcome.IMPORTED
        ),
    }


def _photo_of(visit, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from photos.registry import owner_type_for
    from photos.services import add_photos
    from tests.photos.images import jpeg_with_exif

    upload = SimpleUploadedFile("walk.jpg", jpeg_with_exif(size=(64, 48)), "image/jpeg")
    (photo,) = add_photos(
        owner_type=owner_type_for(type(visit)), owner=visit, files=[upload], taken_by=user
    )
    return photo


def _sync_record(user, branch):
    """A visit queued offline and synced, through the sync's own service."""
    import uuid

    from offline import services as offline

    fields = [
        ["visited_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")],
        ["purposes", "relationship"],
    ]
    return offline.apply_record(
        user=user,
        key=uuid.uuid4(),
        kind="visit",
        target=branch.pk,
        data=offline.form_data(fields),
    )


def _outreach_event(profile, branch):
    from outreach.services import record_event

    return record_event(
        organiser=profile,
        recorded_by=profile.user,
        kind="consultation",
        held_on=timezone.localdate(),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(11, 0),
        branches=[branch],
    )


def build_for(profile, shared, approver):
    """Every kind of record under ``profile``, keyed by kind (and by model label)."""
    user = profile.user
    branch = BranchFactory(manager=profile)
    staff = BranchStaffFactory(branch=branch)
    stock = stock_at(branch, "brochure", 10, user)

    base = next(_serial_base)
    serial_range = documents.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=base + 1,
        last_number=base + 10,
        user=user,
    )
    batch = documents.collect_forms(
        branch=branch, serials=[str(base + 1), str(base + 2)], user=user
    )
    handed, collected = IntakeForm.objects.filter(batch=batch).order_by("pk")
    passed = documents.review_form(
        intake_form=handed,
        user=user,
        signatures_present=True,
        id_copy_attached=True,
        bank_account_filled=True,
    )
    handover = documents.hand_over(
        intake_forms=[documents.register_form(intake_form=passed, user=user)],
        manager=profile,
        user=user,
        received_by="档案室",
        slip_number=f"GD-{base}",
    )

    generate_checklist(manager=profile)
    case = CaseFactory(branch=branch)
    surrender = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number=f"P{base}")
    details = service.record_surrender_details(case=surrender, user=user)
    SalesFigureFactory(manager=profile, period=shared["period"])
    assessment = grading.create_assessment(manager=profile, period=shared["period"], user=approver)
    grading.change_level(
        manager=profile,
        to_level=level(2),
        reason=LevelChange.Reason.CORRECTION,
        effective_on=timezone.localdate(),
        approved_by=approver,
    )
    ReminderPreference.objects.get_or_create(user=user)
    extra = {"calendar_feed": calendar_feed_for(user=user)} if calendar_feed_for is not None else {}

    from sales.services import record_id_number_view
    from tests.sales.factories import PolicyFactory

    policy = PolicyFactory(branch=branch, product=shared["product"])
    visit = VisitFactory(branch=branch)
    from duties.services import request_correction
    from worklog.models import WorkLog

    objects = {
        "attendance_correction": request_correction(
            manager=profile,
            requested_by=user,
            date=timezone.localdate() - datetime.timedelta(days=2),
            status="leave",
            reason="事假",
        ),
        "work_log": WorkLog.objects.create(manager=profile),
        "branch": branch,
        "visit": visit,
        "photo": _photo_of(visit, user),
        "outreach_event": _outreach_event(profile, branch),
        "sync_record": _sync_record(user, branch),
        "staff": staff,
        "manager": profile,
        "checklist_item": ChecklistItem.objects.filter(manager=profile).first(),
        "training": TrainingSessionFactory(manager=profile, branches=[branch]),
        "briefing": shared["briefing"],
        "branch_stock": stock,
        "intake_batch": batch,
        "intake_form": collected,
        "review_round": passed.reviews.first(),
        "handover": handover,
        "placement": documents.place_item(
            branch=branch, item=item("acrylic_stand"), location="柜台", user=user
        ),
        "case": case,
        # Only for the admin walk: one row of every other branch-owned model.
        "event": AbnormalEventFactory(branch=branch),
        "deposit": DepositSnapshotFactory(branch=branch),
        "target": PlanTargetFactory(branch=branch),
        "competitor": CompetitorPresenceFactory(branch=branch),
        "posting": StaffPostingFactory(staff=staff),
        "delivery": BriefingDeliveryFactory(briefing=shared["briefing"], branch=branch),
        "attendance": AttendanceFactory(
            manager=profile, date=timezone.localdate() - datetime.timedelta(days=1)
        ),
        "movement": stock.movements.first(),
        "serial_range": serial_range,
        "serial_form": serial_range.forms.first(),
        "surrender": details,
        "case_event": case.events.first(),
        "assessment": assessment,
        "level_change": profile.level_changes.first(),
        "sales_figure": profile.sales_figures.first(),
        "stock_episode": StockEpisode.objects.create(
            branch_stock_id=stock.pk,
            branch=branch,
            item_name="宣传彩页",
            state=StockEpisode.State.LOW,
            opened_on=timezone.localdate(),
        ),
        "notification": NotificationFactory(recipient=user),
        "product": shared["product"],
        "feed_file": shared["feed_file"],
        "policy": policy,
        "customer": policy.customer,
        "id_view": record_id_number_view(customer=policy.customer, user=user),
        **extra,
    }
    missing = [kind for kind, value in objects.items() if value is None]
    assert not missing, f"the world builder made no {missing}"
    objects.update({obj._meta.label: obj for obj in objects.values()})
    return objects
