"""Forms of the duties app: they parse input; the rules live in duties.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import Visit
from core.forms import (
    PositionFieldsMixin,
    add_service_errors,  # noqa: F401  (used by the views)
)
from core.validators import parse_id
from duties import selectors
from duties.models import Attendance, TrainingSession


class DateInput(forms.DateInput):
    """The phone's date picker; it needs ISO dates whatever the active language's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TickForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.TextInput()
    )


class LogVisitForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Visit.Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=pgettext_lazy("visit", "Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_visit_on = forms.DateField(label=_("Next visit"), required=False, widget=DateInput)

    def __init__(self, *args, manager, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = selectors.own_active_branches(manager)
        if item.branch_id:
            self.fields["branch"].initial = item.branch_id
        if item.template and item.template.visit_purpose:
            self.fields["purposes"].initial = [item.template.visit_purpose]


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingSession.Kind.choices)
    trainer_kind = forms.ChoiceField(
        label=_("Trainer"),
        choices=TrainingSession.Trainer.choices,
        initial=TrainingSession.Trainer.MANAGER,
    )
    trainer_name = forms.CharField(label=_("Trainer's name"), required=False, max_length=50)
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=TrainingSession.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    held_on = forms.DateField(label=_("Held on"), initial=timezone.localdate, widget=DateInput)
    # The columns are small integers (32767 on PostgreSQL): beyond is a form error, not a 500.
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=32767
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Bank staff who attended"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    head_count = forms.IntegerField(label=_("Head count"), min_value=0, max_value=32767, initial=0)
    feedback = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = selectors.own_active_branches(manager)
        self.fields["attendees"].queryset = selectors.own_active_staff(manager)
        self.fields["attendees"].label_from_instance = lambda person: (
            f"{person.name} · {person.branch.name}"
        )


class DeliveryForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    delivered_at = forms.DateTimeField(
        label=_("Delivered at"),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    staff_briefed = forms.ModelMultipleChoiceField(
        label=_("Staff briefed"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visit = forms.ModelChoiceField(label=_("During visit"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = selectors.own_active_branches(manager)
        self.fields["staff_briefed"].queryset = selectors.own_active_staff(manager)
        self.fields["staff_briefed"].label_from_instance = lambda person: (
            f"{person.name} · {person.branch.name}"
        )
        self.fields["visit"].queryset = selectors.own_recent_visits(manager)
        # Opened for one branch (from its page or the coverage list): offer only its staff
        # and visits instead of every person at every branch. Not when bound: a choice from
        # another branch must reach the service, whose message says what is wrong.
        branch = None if self.is_bound else parse_id(self.initial.get("branch"))
        if branch is not None:
            for name in ("staff_briefed", "visit"):
                field = self.fields[name]
                field.queryset = field.queryset.filter(branch_id=branch)


class PunchForm(PositionFieldsMixin, forms.Form):
    """打卡: nothing to type; the position comes from the phone."""


class CorrectionForm(forms.Form):
    """补卡: what the day should say, and why. The supervisor decides."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Attendance.Status.choices)
    check_in_at = forms.TimeField(
        label=_("Check-in time"),
        required=False,
        help_text=_("For a day in the office or in the field: when you started work."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
