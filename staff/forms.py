from django import forms
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
