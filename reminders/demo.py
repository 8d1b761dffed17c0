"""Demo reminder settings: li reads reminder emails in English, the others in Chinese."""

from django.contrib.auth import get_user_model

from reminders.models import ReminderPreference


def seed(log):
    user = get_user_model().objects.filter(username="li").first()
    if user is not None:
        ReminderPreference.objects.get_or_create(user=user, defaults={"language": "en"})
    log(f"{ReminderPreference.objects.count()} reminder preferences")
