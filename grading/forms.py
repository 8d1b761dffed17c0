"""Forms of the grading pages (the admin's forms are in grading/admin/forms.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the appeal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        # Not "required": an empty box gets the service's own message.
        required=False,
    )
