import pytest
from django.urls import reverse

from reminders.models import Notification, ReminderPreference
from tests.grading.factories import UserFactory
from tests.reminders.factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = reverse("reminders:preferences")
ALL_ON = {
    "language": "en",
    "birthdays": "on",
    "stock_alert": "on",
    "stock_digest": "on",
    "stock_escalation": "on",
}


def test_a_manager_sees_their_settings_and_recent_emails(manager, manager_client):
    NotificationFactory(recipient=manager.user, subject="生日提醒：2 位网点人员")
    NotificationFactory(subject="别人的邮件")
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert "生日提醒：2 位网点人员" in response.text
    assert "别人的邮件" not in response.text
    assert 'name="birthdays"' in response.text


def test_the_menu_links_to_the_settings(manager_client):
    assert f'href="{URL}"' in manager_client.get("/").text


def test_a_manager_switches_birthdays_off_and_chooses_english(manager, manager_client):
    data = {**ALL_ON}
    del data["birthdays"]
    response = manager_client.post(URL, data)
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=manager.user)
    assert (preference.language, preference.birthdays, preference.stock_alert) == (
        "en",
        False,
        True,
    )


def test_a_posted_user_field_cannot_change_someone_elses_settings(
    manager, other_manager, manager_client
):
    manager_client.post(URL, {**ALL_ON, "user": other_manager.user.pk})
    assert not ReminderPreference.objects.filter(user=other_manager.user).exists()
    assert ReminderPreference.objects.get().user == manager.user


def test_an_unknown_language_is_refused_and_nothing_saved(manager_client):
    response = manager_client.post(URL, {**ALL_ON, "language": "klingon"})
    assert response.status_code == 200
    assert "klingon" in response.text  # the choice error names the bad value
    assert "is-invalid" in response.text
    assert not ReminderPreference.objects.exists()


def test_a_supervisor_has_settings_too(supervisor, supervisor_client):
    response = supervisor_client.post(URL, {**ALL_ON, "language": "zh-hans"})
    assert response.status_code == 302
    assert ReminderPreference.objects.get().user == supervisor


def test_a_user_who_gets_no_reminders_finds_nothing(client):
    client.force_login(UserFactory(username="clerk"))
    assert client.get(URL).status_code == 404
    assert client.post(URL, ALL_ON).status_code == 404
    assert not ReminderPreference.objects.exists()


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_a_constant_number_of_queries(
    count, manager, manager_client, django_assert_max_num_queries
):
    NotificationFactory.create_batch(count, recipient=manager.user)
    with django_assert_max_num_queries(4):
        assert manager_client.get(URL).status_code == 200
    assert Notification.objects.count() == count


def test_the_menu_hides_the_settings_from_users_without_reminders(client):
    client.force_login(UserFactory(username="clerk"))
    assert f'href="{URL}"' not in client.get("/").text
