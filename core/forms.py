"""Form helpers every app uses."""

import math

from django import forms
from django.utils.translation import gettext_lazy as _


class PositionFieldsMixin(forms.Form):
    """Hidden latitude, longitude and accuracy inputs, filled by static/js/checkin.js from
    the browser's Geolocation API; empty when the phone refused or could not tell.

    ``clean`` turns them into floats (or None). They are hidden, so a bad value is reported
    above the form, where it can be seen; the range rules are the service's (core.geo).
    """

    latitude = forms.CharField(widget=forms.HiddenInput, required=False)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False)
    accuracy = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        try:
            for name in ("latitude", "longitude", "accuracy"):
                raw = (data.get(name) or "").strip()
                data[name] = float(raw) if raw else None
                if data[name] is not None and not math.isfinite(data[name]):
                    raise ValueError(raw)
        except ValueError:
            self.add_error(None, _("The position sent by the phone is not valid."))
        return data


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on its field when the form has one.

    Services raise ValidationError({field: message}) in the user's language; the view shows
    the messages next to the fields the user typed, and anything else at the top.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
