from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import add_service_errors  # noqa: F401  (used by the views)


class WorkLogForm(forms.Form):
    notes = forms.CharField(
        label=_("What I did today"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The day's records are listed above; add what they do not show."),
    )
    tomorrow_plan = forms.CharField(
        label=_("Tomorrow's plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
