"""A form returned at 初审 re-enters: collected again after correction, reviewed in a new round
(the old round kept), outstanding at the branch and on the manager's home until then. The
archive confirms receipt of a handover; one not confirmed in N days is flagged."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.access import SUPERVISOR_GROUP
from documents import services
from documents.models import Handover, IntakeForm, IntakeReview, SerialForm
from tests.documents.factories import GOOD_REVIEW as GOOD
from tests.documents.factories import item
from tests.grading.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(branch, manager):
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1,
        last_number=10,
        user=manager.user,
    )
    return services.collect_forms(branch=branch, serials=["1", "2"], user=manager.user)


@pytest.fixture
def archivist(db):
    """Someone of the archive: not the manager, allowed to confirm handovers."""
    user = UserFactory(username="archive", first_name="芳", last_name="刘")
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))  # holds change_handover
    return user


def form(number):
    return IntakeForm.objects.get(serial_form__number=number)


def _return(number, manager):
    return services.review_form(
        intake_form=form(number), user=manager.user, **{**GOOD, "signatures_present": False}
    )


def test_the_returned_form_loop(batch, branch, manager):
    user = manager.user
    _return(1, manager)
    # Collected again on the branch's collect page, by its serial, with a new form alongside.
    again = services.collect_forms(branch=branch, serials=["1", "3"], user=user)
    assert sorted(f.serial_form.number for f in again.forms.all()) == [1, 3]
    corrected = form(1)
    assert corrected.status == "collected" and corrected.failed_checks == []
    assert SerialForm.objects.get(number=1).status == "used"
    reviewed = services.review_form(intake_form=corrected, user=user, **GOOD)
    assert reviewed.status == "passed"
    services.register_form(intake_form=reviewed, user=user)
    assert form(1).status == "registered"
    rounds = list(IntakeReview.objects.filter(intake_form=corrected).order_by("round"))
    assert [(r.round, r.outcome, r.batch_id) for r in rounds] == [
        (1, "returned", batch.pk),
        (2, "passed", again.pk),
    ]
    assert rounds[0].failed_checks == ["signatures"]


def test_a_form_not_returned_still_cannot_be_collected_twice(batch, branch, manager):
    services.review_form(intake_form=form(1), user=manager.user, **GOOD)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.collect_forms(branch=branch, serials=["1"], user=manager.user)
    assert "已使用" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.recollect_form(intake_form=form(1), user=manager.user)


def test_a_returned_form_cannot_be_reviewed_before_it_is_collected_again(batch, manager):
    _return(1, manager)
    with pytest.raises(ValidationError):
        services.review_form(intake_form=form(1), user=manager.user, **GOOD)
    assert IntakeReview.objects.filter(intake_form=form(1)).count() == 1


def test_collect_again_from_the_page(manager_client, batch, manager):
    _return(1, manager)
    response = manager_client.post(reverse("documents:recollect", args=[form(1).pk]))
    new_batch = form(1).batch
    assert new_batch.pk != batch.pk
    assert response.status_code == 302
    assert response.url == reverse("documents:intake_batch", args=[new_batch.pk])
    assert form(1).status == "collected"
    page = manager_client.get(reverse("documents:intake_batch", args=[new_batch.pk]))
    assert 'data-round="1"' in page.text and "第 1 轮" in page.text
    # Again: it is no longer returned, so a clear message and nothing changes.
    response = manager_client.post(reverse("documents:recollect", args=[form(1).pk]), follow=True)
    assert "只有被退回的投保单才能重新收取" in response.text
    assert form(1).batch == new_batch


def test_a_returned_form_is_outstanding_at_the_branch_and_on_the_home(
    manager_client, batch, branch, manager
):
    _return(1, manager)
    home = manager_client.get(reverse("home"))
    assert 'id="alert-returned-forms"' in home.text and "0000001" in home.text
    branch_page = manager_client.get(reverse("branches:detail", args=[branch.pk]))
    assert 'id="branch-returned-forms"' in branch_page.text
    listing = manager_client.get(reverse("documents:returned"))
    assert [f.pk for f in listing.context["page"]] == [form(1).pk]
    services.recollect_form(intake_form=form(1), user=manager.user)
    home = manager_client.get(reverse("home"))
    assert 'id="alert-returned-forms"' not in home.text
    branch_page = manager_client.get(reverse("branches:detail", args=[branch.pk]))
    assert 'id="branch-returned-forms"' not in branch_page.text


def test_another_manager_cannot_touch_a_returned_form(other_client, batch, manager):
    _return(1, manager)
    response = other_client.post(reverse("documents:recollect", args=[form(1).pk]))
    assert response.status_code == 404
    assert form(1).status == "returned"
    assert list(other_client.get(reverse("documents:returned")).context["page"]) == []


# --- Handover receipts ------------------------------------------------------------------------


def _handover(manager, when=None, slip="GD-001"):
    for number in (1, 2):
        services.review_form(intake_form=form(number), user=manager.user, **GOOD)
        services.register_form(intake_form=form(number), user=manager.user)
    return services.hand_over(
        intake_forms=[form(1), form(2)],
        manager=manager,
        user=manager.user,
        received_by="档案室 刘",
        slip_number=slip,
        when=when,
    )


def test_the_archive_confirms_receipt_once(batch, manager, archivist):
    handover = _handover(manager)
    confirmed = services.confirm_handover(
        handover=handover, user=archivist, scanned_slip_number=" SC-778 "
    )
    assert confirmed.confirmed_by == archivist and confirmed.confirmed_at
    assert confirmed.scanned_slip_number == "SC-778"
    with pytest.raises(ValidationError):
        services.confirm_handover(handover=handover, user=archivist)


def test_the_manager_does_not_confirm_their_own_handover(batch, manager):
    handover = _handover(manager)
    with pytest.raises(ValidationError):
        services.confirm_handover(handover=handover, user=manager.user)
    handover.refresh_from_db()
    assert handover.confirmed_at is None


def test_a_handover_unconfirmed_for_three_days_is_flagged(
    batch, manager, manager_client, supervisor_client, supervisor, settings
):
    assert settings.HANDOVER_CONFIRM_DAYS == 3
    now = timezone.now()
    late = _handover(manager, when=now - datetime.timedelta(days=3, hours=1))
    services.issue_serial_range(
        branch=batch.branch,
        item=item("application_form"),
        first_number=11,
        last_number=12,
        user=manager.user,
    )
    services.collect_forms(branch=batch.branch, serials=["11"], user=manager.user)
    services.review_form(intake_form=form(11), user=manager.user, **GOOD)
    services.register_form(intake_form=form(11), user=manager.user)
    recent = services.hand_over(
        intake_forms=[form(11)],
        manager=manager,
        user=manager.user,
        received_by="档案室 刘",
        slip_number="GD-002",
        when=now - datetime.timedelta(days=2),
    )
    assert late.is_flagged() and not recent.is_flagged()
    page = manager_client.get(reverse("documents:handover_list"), {"flagged": "1"})
    assert [h.pk for h in page.context["page"]] == [late.pk]
    assert "超期未签收" in page.text
    home = manager_client.get(reverse("home"))
    assert 'id="alert-handovers"' in home.text
    dashboard = supervisor_client.get(reverse("desk:dashboard"))
    assert 'id="flagged-handovers"' in dashboard.text
    services.confirm_handover(handover=late, user=supervisor)
    page = manager_client.get(reverse("documents:handover_list"), {"flagged": "1"})
    assert list(page.context["page"]) == []
    assert 'id="alert-handovers"' not in manager_client.get(reverse("home")).text


def test_confirm_from_the_slip_page(batch, manager, manager_client, client, archivist):
    handover = _handover(manager)
    url = reverse("documents:confirm_receipt", args=[handover.pk])
    # The manager holds no change_handover: no form on the page, and a post is refused.
    page = manager_client.get(reverse("documents:handover_slip", args=[handover.pk]))
    assert 'id="confirm-receipt"' not in page.text
    response = manager_client.post(url, follow=True)
    assert response.redirect_chain == [
        (reverse("documents:handover_slip", args=[handover.pk]), 302)
    ]
    assert "只有档案部门可以确认签收" in response.text
    assert Handover.objects.get(pk=handover.pk).confirmed_at is None
    client.force_login(archivist)
    page = client.get(reverse("documents:handover_slip", args=[handover.pk]))
    assert page.status_code == 404  # the archivist heads no team: outside their scope


def test_the_supervisor_confirms_from_the_slip_page(batch, manager, supervisor_client, supervisor):
    handover = _handover(manager)
    page = supervisor_client.get(reverse("documents:handover_slip", args=[handover.pk]))
    assert 'id="confirm-receipt"' in page.text
    response = supervisor_client.post(
        reverse("documents:confirm_receipt", args=[handover.pk]),
        {"scanned_slip_number": "SC-1"},
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.confirmed_by, handover.scanned_slip_number) == (supervisor, "SC-1")


def test_another_team_gets_404(batch, manager, client, other_supervisor):
    handover = _handover(manager)
    client.force_login(other_supervisor)
    url = reverse("documents:confirm_receipt", args=[handover.pk])
    assert client.post(url).status_code == 404
    assert Handover.objects.get(pk=handover.pk).confirmed_at is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_lists_cost_the_same_for_any_number(
    manager_client, branch, manager, count, django_assert_max_num_queries
):
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=100,
        last_number=100 + 2 * count,
        user=manager.user,
    )
    numbers = [str(100 + i) for i in range(2 * count)]
    services.collect_forms(branch=branch, serials=numbers, user=manager.user)
    for index, number in enumerate(numbers):
        target = form(int(number))
        if index % 2:
            services.review_form(
                intake_form=target, user=manager.user, **{**GOOD, "signatures_present": False}
            )
        else:
            services.review_form(intake_form=target, user=manager.user, **GOOD)
            services.register_form(intake_form=target, user=manager.user)
            services.hand_over(
                intake_forms=[target],
                manager=manager,
                user=manager.user,
                received_by="刘",
                slip_number=f"S{number}",
            )
    for name in ("documents:returned", "documents:handover_list"):
        with django_assert_max_num_queries(3):
            assert manager_client.get(reverse(name)).status_code == 200
