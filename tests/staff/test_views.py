import pytest
from django.urls import reverse

from staff.models import BranchStaff

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {
        "name": "王芳",
        "role": "lobby_manager",
        "mobile": "13912345678",
        "birth_month": "3",
        "birth_day": "8",
        "birth_year": "",
        "hobbies": "羽毛球",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_a_manager_adds_staff_to_their_branch(manager_client, branch):
    response = manager_client.post(reverse("staff:create", args=[branch.pk]), _form())
    staff = BranchStaff.objects.get(name="王芳")
    assert response.url == reverse("staff:detail", args=[staff.pk])
    assert staff.branch == branch
    assert staff.postings.get().branch == branch


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mobile": "1381234567"}, "11"),
        ({"birth_month": "2", "birth_day": "30"}, "日期不存在"),
        ({"birth_month": "2", "birth_day": "29", "birth_year": "2023"}, "日期不存在"),
    ],
)
def test_bad_staff_input_is_refused_with_a_message(manager_client, branch, changes, message):
    response = manager_client.post(reverse("staff:create", args=[branch.pk]), _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BranchStaff.objects.exists()


def test_29_february_without_a_year_is_accepted(manager_client, branch):
    manager_client.post(
        reverse("staff:create", args=[branch.pk]), _form(birth_month="2", birth_day="29")
    )
    assert BranchStaff.objects.get().birthday_display == "02-29"


def test_the_detail_page_shows_the_whole_phone_and_who_changed_what(
    manager_client, manager, teller
):
    manager_client.post(reverse("staff:edit", args=[teller.pk]), _form(name="李娜"))
    page = manager_client.get(reverse("staff:detail", args=[teller.pk])).content.decode()
    assert "13912345678" in page
    assert "13812345678 → 13912345678" in page
    assert manager.user.get_username() in page or manager.user.get_full_name() in page


def test_staff_pages_are_scoped(client, teller, manager, supervisor, other_manager):
    urls = [reverse("staff:detail", args=[teller.pk]), reverse("staff:edit", args=[teller.pk])]
    for user, status in ((manager.user, 200), (supervisor, 200), (other_manager.user, 404)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status


def test_another_manager_cannot_edit(other_client, teller):
    response = other_client.post(reverse("staff:edit", args=[teller.pk]), _form(name="改名"))
    assert response.status_code == 404
    teller.refresh_from_db()
    assert teller.name == "李娜"


def test_the_history_names_roles_and_flags_as_the_reader_knows_them(manager_client, teller):
    manager_client.post(
        reverse("staff:edit", args=[teller.pk]),
        _form(name="李娜", mobile="13812345678", role="director", is_key_teller="on"),
    )
    page = manager_client.get(reverse("staff:detail", args=[teller.pk])).content.decode()
    assert "柜面人员" in page and "网点主任" in page
    assert "→ 是" in page
    assert "teller →" not in page and "→ director" not in page and "True" not in page


def test_the_admin_shows_who_changed_a_staff_record(client, manager, superuser, teller):
    client.force_login(manager.user)
    client.post(reverse("staff:edit", args=[teller.pk]), _form(name="李娜"))
    client.force_login(superuser)
    page = client.get(reverse("admin:staff_branchstaff_history", args=[teller.pk]))
    assert page.status_code == 200
    assert manager.user.get_username() in page.content.decode()
    assert teller.history.count() == 2


def test_bad_input_is_explained_in_english_when_the_user_chose_english(manager_client, branch):
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = manager_client.post(
        reverse("staff:create", args=[branch.pk]), _form(birth_month="2", birth_day="30")
    )
    assert "That date does not exist" in response.content.decode()
    assert not BranchStaff.objects.exists()


def test_the_history_names_the_branches_and_the_people_not_ids(client, manager, teller):
    from django.utils import timezone

    from staff import services
    from tests.branches.factories import BranchFactory

    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    other = BranchFactory(manager=manager, name="张江支行")
    client.force_login(manager.user)
    client.post(reverse("staff:edit", args=[teller.pk]), _form(name="李娜", role="director"))
    services.move_staff(
        staff=BranchStaff.objects.get(pk=teller.pk),
        new_branch=other,
        role="director",
        on=timezone.localdate(),
    )
    page = client.get(reverse("staff:detail", args=[teller.pk])).content.decode()
    assert "南京东路支行 → " in page and "张江支行" in page
    assert f": {teller.branch_id} → {other.pk}" not in page
    assert "王芳" in page and "芳 王" not in page
