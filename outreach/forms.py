import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from outreach.models import OutreachEvent
from sales.models import Policy
from staff.models import BranchStaff


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutreachEvent.Kind.choices)
    held_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput(format="%H:%M"))
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimeInput(format="%H:%M"))
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.CharField(
        label=_("Place (off-site)"),
        required=False,
        max_length=200,
        help_text=_("The community, company or hall, when not at a branch."),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Bank staff involved"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    customers_reached = forms.IntegerField(
        label=_("Customers reached"), min_value=0, max_value=100000, initial=0
    )
    leads = forms.IntegerField(label=_("Leads"), min_value=0, max_value=100000, initial=0)
    policy_numbers = forms.CharField(
        label=_("Resulting policies"),
        required=False,
        max_length=1000,
        help_text=_("Policy numbers, separated by spaces or commas."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, manager, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["branches"].queryset = Branch.objects.filter(
            manager=manager, is_active=True
        ).select_related("bank")
        self.fields["staff"].queryset = BranchStaff.objects.filter(
            branch__manager=manager, branch__is_active=True, is_active=True
        ).select_related("branch")
        self.fields["staff"].label_from_instance = lambda person: (
            f"{person.name} · {person.branch.name}"
        )

    def clean_policy_numbers(self):
        numbers = [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["policy_numbers"]) if n]
        numbers = list(dict.fromkeys(numbers))
        if len(numbers) > 50:
            raise forms.ValidationError(_("At most 50 policies per event."))
        found = {
            policy.number: policy
            for policy in Policy.objects.for_user(self.user)
            .filter(number__in=numbers)
            .select_related("branch")
        }
        missing = [number for number in numbers if number not in found]
        if missing:
            raise forms.ValidationError(
                _("No policy of yours has the number %(numbers)s.")
                % {"numbers": ", ".join(missing)}
            )
        return [found[number] for number in numbers]
