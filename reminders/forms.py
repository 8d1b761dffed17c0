from django import forms
from django.utils.translation import gettext_lazy as _

from reminders.models import (
    NOT_USER_KINDS,
    Channel,
    ChannelChoice,
    ReminderKind,
    ReminderPreference,
)

EMAIL = "email"


class PreferenceForm(forms.ModelForm):
    """The on/off switches and language, plus, for a user with group robots (their own or
    their team's), where each kind of message goes: one ``channels_<kind>`` field per kind."""

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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = list(Channel.objects.available_to(user)) if user else []
        if not self.channels:
            return
        chosen = {}
        for kind, channel_id in ChannelChoice.objects.filter(user=user).values_list(
            "kind", "channel_id"
        ):
            chosen.setdefault(kind, []).append(str(channel_id) if channel_id else EMAIL)
        options = [(EMAIL, _("Email"))] + [(str(c.pk), str(c)) for c in self.channels]
        for kind in ReminderKind:
            if kind in NOT_USER_KINDS:
                continue
            self.fields[f"channels_{kind.value}"] = forms.MultipleChoiceField(
                label=_("Send “%(kind)s” to") % {"kind": kind.label},
                choices=options,
                initial=chosen.get(kind.value, [EMAIL]),
                required=False,
                help_text=_("None ticked: by email."),
                widget=forms.CheckboxSelectMultiple,
            )

    def preference_values(self):
        """The switches and language, for reminders.services.save_preference."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def channels_by_kind(self):
        """{kind: [None for email, or a Channel]} from the ticked boxes."""
        by_pk = {str(c.pk): c for c in self.channels}
        result = {}
        for name, values in self.cleaned_data.items():
            if name.startswith("channels_"):
                result[name.removeprefix("channels_")] = [
                    None if value == EMAIL else by_pk[value] for value in values
                ]
        return result
