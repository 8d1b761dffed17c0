"""The reminders part of the demo: each demo login's reminder preferences."""

import pytest

from reminders.models import ReminderPreference

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]


def test_li_reads_reminders_in_english(demo):
    preferences = set(ReminderPreference.objects.values_list("user__username", "language"))
    assert ("li", "en") in preferences
