from django import forms
from django.utils.translation import gettext_lazy as _

from sales.models import CustomerContact


class CustomerContactForm(forms.ModelForm):
    class Meta:
        model = CustomerContact
        fields = ["summary", "next_contact_due"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "next_contact_due": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"summary": _("What was discussed")}
