from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import BranchStaff
from staff.services import EDITABLE_FIELDS


class StaffForm(forms.ModelForm):
    class Meta:
        model = BranchStaff
        fields = EDITABLE_FIELDS
        widgets = {
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "family_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"birth_year": _("Optional: many people do not tell their year.")}


class MoveForm(forms.Form):
    """Post a bank employee to another of the user's branches."""

    branch = forms.ModelChoiceField(label=_("New branch"), queryset=None)
    role = forms.ChoiceField(label=_("Role there"), choices=BranchStaff.Role.choices)
    on = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
