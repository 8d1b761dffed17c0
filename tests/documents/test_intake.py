import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents import services
from documents.models import IntakeBatch, IntakeForm, ReviewCheck, SerialForm
from tests.branches.factories import BranchFactory
from tests.documents.factories import GOOD_REVIEW as GOOD
from tests.documents.factories import item

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
    return services.collect_forms(branch=branch, serials=["0000001", "2", "3"], user=manager.user)


def form(number):
    return IntakeForm.objects.get(serial_form__number=number)


def test_collecting_marks_the_numbers_used(batch):
    assert batch.forms.count() == 3
    assert SerialForm.objects.get(number=1).status == "used"
    assert SerialForm.objects.get(number=4).status == "issued"


def test_a_form_from_another_branch_is_refused(batch, manager):
    elsewhere = BranchFactory(manager=manager)
    with pytest.raises(ValidationError):
        services.collect_forms(branch=elsewhere, serials=["4"], user=manager.user)
    assert IntakeBatch.objects.count() == 1


def test_a_form_cannot_be_collected_twice(batch, branch, manager):
    with pytest.raises(ValidationError):
        services.collect_forms(branch=branch, serials=["4", "3"], user=manager.user)
    assert SerialForm.objects.get(number=4).status == "issued"


def test_the_full_flow_records_who_and_when(batch, manager):
    user = manager.user
    reviewed = services.review_form(intake_form=form(1), user=user, **GOOD)
    assert (reviewed.status, reviewed.reviewed_by) == ("passed", user)
    registered = services.register_form(intake_form=reviewed, user=user)
    assert registered.registered_at and registered.registered_by == user
    handover = services.hand_over(
        intake_forms=[registered],
        manager=manager,
        user=user,
        received_by="档案室 刘",
        slip_number="GD-001",
    )
    assert form(1).status == "handed_over" and form(1).handover == handover


def test_a_failed_blocking_check_returns_the_form_with_the_reason(batch, manager):
    returned = services.review_form(
        intake_form=form(1), user=manager.user, **{**GOOD, "signatures_present": False}
    )
    assert returned.status == "returned"
    assert returned.failed_checks == [ReviewCheck.Rule.SIGNATURES]


def test_suitability_limits_are_data(batch, manager):
    warned = services.review_form(
        intake_form=form(1),
        user=manager.user,
        **{**GOOD, "applicant_age": 70, "annual_premium": 80000, "stated_income": 100000},
    )
    assert warned.status == "passed"
    assert sorted(warned.review_warnings) == ["age_limit", "premium_income"]
    ReviewCheck.objects.filter(rule="age_limit").update(limit=75)
    ReviewCheck.objects.filter(rule="premium_income").update(blocking=True)
    again = services.review_form(
        intake_form=form(2),
        user=manager.user,
        **{**GOOD, "applicant_age": 70, "annual_premium": 80000, "stated_income": 100000},
    )
    assert again.status == "returned" and again.review_warnings == []


@pytest.mark.parametrize("illegal", ["register", "hand_over", "review_twice"])
def test_illegal_transitions_are_refused(batch, manager, illegal):
    user = manager.user
    if illegal == "register":
        with pytest.raises(ValidationError):
            services.register_form(intake_form=form(1), user=user)  # not reviewed yet
    elif illegal == "hand_over":
        services.review_form(intake_form=form(1), user=user, **GOOD)
        with pytest.raises(ValidationError):
            services.hand_over(
                intake_forms=[form(1)],
                manager=manager,
                user=user,
                received_by="刘",
                slip_number="X1",
            )
    else:
        services.review_form(intake_form=form(1), user=user, **GOOD)
        with pytest.raises(ValidationError):
            services.review_form(intake_form=form(1), user=user, **GOOD)
    assert form(1).handover is None


def test_a_form_cannot_be_registered_twice(batch, manager):
    services.review_form(intake_form=form(1), user=manager.user, **GOOD)
    services.register_form(intake_form=form(1), user=manager.user)
    with pytest.raises(ValidationError):
        services.register_form(intake_form=form(1), user=manager.user)


def test_a_returned_form_cannot_be_registered(batch, manager):
    services.review_form(
        intake_form=form(1), user=manager.user, **{**GOOD, "return_reason": "字迹不清"}
    )
    assert form(1).return_reason == "字迹不清"
    with pytest.raises(ValidationError):
        services.register_form(intake_form=form(1), user=manager.user)


def test_the_collect_page_records_a_batch(manager_client, branch, manager):
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1,
        last_number=10,
        user=manager.user,
    )
    response = manager_client.post(
        reverse("documents:collect", args=[branch.pk]), {"serials": "0000001, 0000002\n3"}
    )
    assert response.status_code == 302
    assert IntakeForm.objects.count() == 3
    timeline = manager_client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert reverse("documents:intake_batch", args=[IntakeBatch.objects.get().pk]) in timeline


def test_the_collect_page_refuses_an_unknown_number(manager_client, branch):
    response = manager_client.post(
        reverse("documents:collect", args=[branch.pk]), {"serials": "12x"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not IntakeBatch.objects.exists()


def test_review_and_register_pages(manager_client, batch):
    target = form(1)
    response = manager_client.post(
        reverse("documents:review", args=[target.pk]),
        {
            "signatures_present": "on",
            "id_copy_attached": "on",
            "bank_account_filled": "on",
            "applicant_name": "张三",
            "applicant_age": "40",
        },
    )
    assert response.status_code == 302 and form(1).status == "passed"
    manager_client.post(reverse("documents:register", args=[target.pk]))
    assert form(1).status == "registered"
    # A second register is refused with a message, nothing changes.
    response = manager_client.post(reverse("documents:register", args=[target.pk]), follow=True)
    assert "error" in [message.level_tag for message in response.context["messages"]]


def test_the_review_page_refuses_a_bad_age(manager_client, batch):
    response = manager_client.post(
        reverse("documents:review", args=[form(1).pk]), {"applicant_age": "-4"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert form(1).status == "collected"


def test_handover_page_and_printable_slip(manager_client, batch, manager):
    for number in (1, 2):
        services.review_form(intake_form=form(number), user=manager.user, **GOOD)
        services.register_form(intake_form=form(number), user=manager.user)
    response = manager_client.post(
        reverse("documents:handover_new"),
        {
            "forms_to_hand_over": [form(1).pk, form(2).pk],
            "received_by": "档案室 刘",
            "slip_number": "GD-7",
        },
    )
    assert response.status_code == 302
    slip = manager_client.get(response.url).content.decode()
    assert "GD-7" in slip and "0000001" in slip and "0000002" in slip and "0000003" not in slip


def test_the_handover_page_refuses_a_used_slip_number(manager_client, batch, manager):
    for number in (1, 2):
        services.review_form(intake_form=form(number), user=manager.user, **GOOD)
        services.register_form(intake_form=form(number), user=manager.user)
    services.hand_over(
        intake_forms=[form(1)],
        manager=manager,
        user=manager.user,
        received_by="刘",
        slip_number="GD-7",
    )
    response = manager_client.post(
        reverse("documents:handover_new"),
        {"forms_to_hand_over": [form(2).pk], "received_by": "刘", "slip_number": "GD-7"},
    )
    assert response.status_code == 200 and response.context["form"].errors["slip_number"]
    assert form(2).status == "registered"


def test_intake_pages_are_private(other_client, batch, branch, manager):
    services.review_form(intake_form=form(1), user=manager.user, **GOOD)
    services.register_form(intake_form=form(1), user=manager.user)
    handover = services.hand_over(
        intake_forms=[form(1)],
        manager=manager,
        user=manager.user,
        received_by="刘",
        slip_number="S1",
    )
    for url in [
        reverse("documents:collect", args=[branch.pk]),
        reverse("documents:intake_batch", args=[batch.pk]),
        reverse("documents:review", args=[form(2).pk]),
        reverse("documents:handover_slip", args=[handover.pk]),
    ]:
        assert other_client.get(url).status_code == 404
    assert other_client.post(reverse("documents:register", args=[form(2).pk])).status_code == 404
    assert other_client.get(reverse("documents:intake_list")).context["page"].paginator.count == 0


def test_the_supervisor_sees_the_teams_intake(supervisor_client, batch):
    assert (
        supervisor_client.get(reverse("documents:intake_batch", args=[batch.pk])).status_code == 200
    )
    assert (
        supervisor_client.get(reverse("documents:intake_list")).context["page"].paginator.count == 1
    )


@pytest.mark.parametrize("batches", [3, 30])
def test_the_intake_list_runs_constant_queries(
    manager_client, branch, manager, django_assert_max_num_queries, batches
):
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1,
        last_number=100,
        user=manager.user,
    )
    for number in range(1, batches + 1):
        services.collect_forms(branch=branch, serials=[str(number)], user=manager.user)
    with django_assert_max_num_queries(5):
        response = manager_client.get(reverse("documents:intake_list"))
    assert len(response.context["page"]) == batches


def test_the_batch_page_shows_who_did_each_step_and_when(manager_client, batch, manager):
    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    services.review_form(intake_form=form(1), user=manager.user, **GOOD)
    services.register_form(intake_form=form(1), user=manager.user)
    services.hand_over(
        intake_forms=[form(1)],
        manager=manager,
        user=manager.user,
        received_by="刘",
        slip_number="GD-9",
    )
    text = manager_client.get(reverse("documents:intake_batch", args=[batch.pk])).text
    for step in ("已初审", "已登记", "已交接"):
        assert re.search(step + r" \d{4}-\d\d-\d\d \d\d:\d\d 王芳", text), step


def test_an_empty_intake_list_offers_to_start_collecting(
    manager_client, manager, branch, other_manager
):
    theirs = BranchFactory(manager=other_manager)
    page = manager_client.get(reverse("documents:intake_list")).text
    assert 'id="intake-empty"' in page and 'id="start-collect"' in page
    assert f'<option value="{branch.pk}">' in page
    assert f'<option value="{theirs.pk}">' not in page
    response = manager_client.get(reverse("documents:intake_list"), {"collect": branch.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:collect", args=[branch.pk])
    refused = manager_client.get(reverse("documents:intake_list"), {"collect": theirs.pk})
    assert refused.status_code == 404
    assert manager_client.get(reverse("documents:intake_list"), {"collect": "x"}).status_code == 404


def test_the_collect_form_shows_the_numbers_available(
    manager_client, manager, branch, django_assert_max_num_queries
):
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1,
        last_number=10,
        user=manager.user,
    )
    services.collect_forms(branch=branch, serials=["4", "5"], user=manager.user)
    url = reverse("documents:collect", args=[branch.pk])
    with django_assert_max_num_queries(3):
        page = manager_client.get(url).text
    assert "可收取的投保单共 8 份" in page
    assert "0000001–0000003、0000006–0000010" in page
