import pytest
from django.core.management import call_command

from reminders.models import ReminderPreference


@pytest.mark.django_db
def test_seeding_twice_creates_nothing_new():
    call_command("seed_demo")
    first = list(ReminderPreference.objects.values_list("user__username", "language"))
    call_command("seed_demo")
    assert list(ReminderPreference.objects.values_list("user__username", "language")) == first
    assert ("li", "en") in first
