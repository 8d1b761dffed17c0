import factory

from reminders.models import Notification, ReminderKind
from tests.grading.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = ReminderKind.BIRTHDAYS
    recipient = factory.SubFactory(UserFactory)
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    subject = "生日提醒"
    body_text = "正文"
    body_html = "<p>正文</p>"
    language = "zh-hans"
