"""Consultation days and community events: recorded, scoped, on the timeline, ticking duties."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from duties.models import ChecklistItem, ChecklistTemplate
from duties.services import generate_checklist
from outreach.models import OutreachEvent
from outreach.services import record_event
from photos.models import Photo
from tests.branches.factories import BranchFactory
from tests.duties.factories import ChecklistTemplateFactory, task
from tests.photos.images import jpeg_with_exif
from tests.sales.factories import PolicyFactory
from tests.staff.factories import BranchStaffFactory


def _event(manager, **extra):
    values = {
        "organiser": manager,
        "recorded_by": manager.user,
        "kind": OutreachEvent.Kind.COMMUNITY,
        "held_on": timezone.localdate(),
        "starts_at": datetime.time(9, 0),
        "ends_at": datetime.time(11, 0),
        "place": "阳光花园社区",
    }
    values.update(extra)
    return record_event(**values)


@pytest.fixture
def consultation_template(db):
    return ChecklistTemplateFactory(
        task=task("consultation-day"),
        frequency=ChecklistTemplate.Frequency.MONTHLY,
        fulfilment=ChecklistTemplate.Fulfilment.VISIT,
        visit_purpose="consultation",
    )


def test_manager_records_a_consultation_day_from_the_form(manager_client, manager, branch, teller):
    policy = PolicyFactory(branch=branch, number="P2026000001")

    response = manager_client.post(
        reverse("outreach:create"),
        {
            "kind": "consultation",
            "held_on": "2026-12-01",
            "starts_at": "09:30",
            "ends_at": "11:30",
            "branches": [branch.pk],
            "staff": [teller.pk],
            "customers_reached": "18",
            "leads": "5",
            "policy_numbers": "P2026000001",
            "notes": "大堂咨询台",
        },
    )

    event = OutreachEvent.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outreach:detail", args=[event.pk])
    assert event.organiser == manager
    assert list(event.branches.all()) == [branch]
    assert list(event.staff.all()) == [teller]
    assert list(event.policies.all()) == [policy]
    assert (event.customers_reached, event.leads) == (18, 5)
    page = manager_client.get(response.url).content.decode()
    assert "P2026000001" in page and "李娜" in page
    assert 'capture="environment"' in page


def test_bad_input_is_refused_with_messages_and_nothing_saved(
    manager_client, other_manager, branch
):
    foreign = PolicyFactory(branch=BranchFactory(manager=other_manager), number="P9")
    response = manager_client.post(
        reverse("outreach:create"),
        {
            "kind": "consultation",
            "held_on": "2026-12-01",
            "starts_at": "11:00",
            "ends_at": "09:00",
            "customers_reached": "-1",
            "leads": "0",
            "policy_numbers": foreign.number,
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["customers_reached"]
    assert errors["policy_numbers"] == ["没有您的保单号为 P9 的保单。"]
    assert not OutreachEvent.objects.exists()


def test_service_rules(manager, other_manager, branch):
    with pytest.raises(ValidationError) as error:
        _event(manager, kind=OutreachEvent.Kind.CONSULTATION, place="")
    assert "branches" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _event(manager, place="")
    assert "place" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _event(manager, branches=[BranchFactory(manager=other_manager)])
    assert "branches" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _event(manager, branches=[branch], staff=[BranchStaffFactory()])
    assert "staff" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _event(manager, starts_at=datetime.time(12, 0), ends_at=datetime.time(11, 0))
    assert "ends_at" in error.value.error_dict
    assert not OutreachEvent.objects.exists()


def test_events_are_scoped(client, manager, other_manager, supervisor, branch):
    event = _event(manager, branches=[branch])
    other = _event(other_manager)
    detail = reverse("outreach:detail", args=[event.pk])

    client.force_login(other_manager.user)
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("outreach:list"))
    assert list(listing.context["page"]) == [other]

    client.force_login(supervisor)
    assert client.get(detail).status_code == 200
    assert list(client.get(reverse("outreach:list")).context["page"]) == [event]

    client.force_login(manager.user)
    assert list(client.get(reverse("outreach:list")).context["page"]) == [event]


def test_list_and_detail_query_counts_are_constant(
    manager_client, manager, branch, django_assert_max_num_queries
):
    second = BranchFactory(manager=manager)
    for day in range(15):
        event = _event(
            manager,
            branches=[branch, second],
            held_on=timezone.localdate() - datetime.timedelta(days=day),
        )
    with django_assert_max_num_queries(4):
        assert manager_client.get(reverse("outreach:list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert manager_client.get(reverse("outreach:detail", args=[event.pk])).status_code == 200
    with django_assert_max_num_queries(3):
        assert manager_client.get(reverse("outreach:create")).status_code == 200


def test_events_show_on_the_branch_timeline(manager_client, manager, branch):
    _event(
        manager,
        kind=OutreachEvent.Kind.CONSULTATION,
        branches=[branch],
        place="",
        customers_reached=18,
        leads=5,
    )
    _event(manager)  # off-site: not on the branch's timeline

    response = manager_client.get(reverse("branches:detail", args=[branch.pk]))

    entries = [e for e in response.context["timeline"] if e.kind == "outreach"]
    assert [e.title for e in entries] == ["网点咨询日"]
    assert entries[0].summary == "接触客户 18 人，线索 5 条"


def test_a_consultation_day_ticks_the_checklist_item(manager, branch, consultation_template):
    generate_checklist(manager=manager)
    item = ChecklistItem.objects.get(task__code="consultation-day")
    assert not item.done

    _event(manager, kind=OutreachEvent.Kind.COMMUNITY)
    item.refresh_from_db()
    assert not item.done  # a community event is not a consultation day

    _event(manager, kind=OutreachEvent.Kind.CONSULTATION, branches=[branch], place="")
    item.refresh_from_db()
    assert item.done and item.done_by == ChecklistItem.TickedBy.AUTO


def test_a_new_item_starts_ticked_when_the_month_had_a_consultation_day(
    manager, branch, consultation_template
):
    _event(manager, kind=OutreachEvent.Kind.CONSULTATION, branches=[branch], place="")

    generate_checklist(manager=manager)

    assert ChecklistItem.objects.get(task__code="consultation-day").done


def test_event_photos_are_scoped_by_the_organiser(client, manager, other_manager, supervisor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = _event(manager, starts_at=datetime.time(0, 0), ends_at=datetime.time(23, 59))
    client.force_login(manager.user)
    upload = reverse("photos:upload", args=["outreach.outreachevent", event.pk])
    photo_file = SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")
    assert client.post(upload, {"photos": [photo_file]}).status_code == 302
    photo = Photo.objects.get()
    assert photo.branch is None and photo.manager == manager  # off-site

    client.force_login(other_manager.user)
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 404
    client.force_login(supervisor)
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 200


def test_english_pages_have_no_chinese(manager_client, manager, branch):
    import re

    from django.conf import settings

    event = _event(manager, place="Community hall", notes="Talk")
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (
        reverse("outreach:list"),
        reverse("outreach:create"),
        reverse("outreach:detail", args=[event.pk]),
    ):
        html = manager_client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        # The branch's and the manager's own names are data, not interface text.
        for data in (str(branch.bank), branch.name, manager.display_name):
            main = main.replace(data, "")
        assert not re.search(r"[\u4e00-\u9fff]", main), url


def test_the_organisers_event_shows_in_the_days_work_log(manager_client, manager, other_manager):
    event = _event(manager, customers_reached=30, leads=4)
    theirs = _event(other_manager, place="别人的社区")
    page = manager_client.get(reverse("worklog:today")).content.decode()
    listed = page.split('id="log-entries"')[1].split("</ul>")[0]
    assert reverse("outreach:detail", args=[event.pk]) in listed
    assert "社区活动" in listed
    assert "接触客户：30，线索：4" in listed
    assert reverse("outreach:detail", args=[theirs.pk]) not in listed
