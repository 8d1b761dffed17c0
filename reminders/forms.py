from django import forms

from reminders.models import ReminderPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = [
            "language",
            "birthdays",
            "stock_alert",
            "stock_digest",
            "stock_escalation",
            "weekly",
            "event_reported",
            "event_escalated",
        ]
