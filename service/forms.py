from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import AbnormalEvent
from core.validators import mobile_validator
from service import case_links
from service.models import Case, SurrenderDetail

# Filled from the picked customer or policy when left empty.
PREFILLED = ("customer_name", "customer_mobile", "policy_number", "product", "policy_received_on")


class CaseForm(forms.ModelForm):
    """The quick form a manager fills in at the counter: the essentials first."""

    class Meta:
        model = Case
        fields = [
            "customer_name",
            "customer_mobile",
            "kind",
            "servicing_type",
            "priority",
            "channel",
            "policy_number",
            "product",
            "policy_received_on",
            "customer_id_last_four",
            "description",
            "opened_at",
            "due_at",
        ]
        widgets = {
            "customer_mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "policy_received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opened_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "due_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "due_at": _("Leave empty to use the time limit for this kind and priority."),
            "opened_at": _("Leave empty for now."),
        }

    link = forms.ChoiceField(
        label=_("Customer or policy"),
        required=False,
        help_text=_("Pick one to fill in the customer's details and the policy number."),
    )

    # Shown first; the rest sits behind "More details" so the counter form stays short.
    ESSENTIAL = (
        "link",
        "customer_name",
        "customer_mobile",
        "kind",
        "servicing_type",
        "policy_number",
        "policy_received_on",
        "priority",
        "description",
    )

    def __init__(self, *args, branch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        groups = case_links.choices(branch) if branch is not None else []
        if groups:
            self.fields["link"].choices = [("", "---------"), *groups]
            # A picked customer or policy may supply these; clean() checks them after.
            self.fields["customer_name"].required = False
            self.fields["customer_mobile"].required = False
        else:
            del self.fields["link"]
        self.fields["opened_at"].required = False
        self.fields["due_at"].required = False
        self.fields["servicing_type"].help_text = _("Only for policy servicing.")

    def clean(self):
        data = super().clean()
        value = data.pop("link", "")
        if value:
            found = case_links.prefill(value, self.branch)
            if found is None:
                self.add_error("link", _("Pick a customer or policy of this branch."))
                return data
            for name in PREFILLED:
                if data.get(name) in (None, "") and found.get(name) not in (None, ""):
                    data[name] = found[name]
        if "link" in self.fields:
            # Required as usual when nothing was picked or the pick could not supply them.
            if not data.get("customer_name") and "customer_name" not in self.errors:
                self.add_error("customer_name", forms.Field.default_error_messages["required"])
            mobile = data.get("customer_mobile")
            if not mobile and "customer_mobile" not in self.errors:
                self.add_error("customer_mobile", forms.Field.default_error_messages["required"])
            elif mobile:
                try:
                    mobile_validator(mobile)
                except forms.ValidationError as error:
                    self.add_error("customer_mobile", error)
        return data

    def essential_fields(self):
        return [self[name] for name in self.ESSENTIAL if name in self.fields]

    def more_fields(self):
        return [field for field in self if field.name not in self.ESSENTIAL]

    def more_has_errors(self):
        return any(field.errors for field in self.more_fields())

    def _post_clean(self):
        # The service validates the whole case (and computes the due time); the form only
        # checks each field, so skip ModelForm's instance validation here.
        pass


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Note or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolution = forms.CharField(
        label=_("Resolution summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        choices=[("", "---------"), *Case.Department.choices],
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class SurrenderDetailForm(forms.ModelForm):
    class Meta:
        model = SurrenderDetail
        fields = [
            "procedure_explained",
            "time_limits_explained",
            "cash_value",
            "cash_value_explained",
            "pros_and_cons_explained",
            "notes",
            "outcome",
            "abnormal_event",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "cash_value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the outcomes this kind of case can have (the service refuses the others).
        impossible = {
            "surrender": SurrenderDetail.Outcome.CANCELLED,
            "cancellation": SurrenderDetail.Outcome.SURRENDERED,
        }.get(case.kind)
        if case.kind == "cancellation":
            # A cooling-off cancellation refunds the premium (退还保费); the cash value is a
            # surrender's. The amount is kept in the same column.
            self.fields["procedure_explained"].label = _("Cancellation procedure explained")
            self.fields["time_limits_explained"].label = _("Cooling-off period explained")
            self.fields["cash_value"].label = _("Premium refunded (yuan)")
            self.fields["cash_value_explained"].label = _("Refund explained")
        self.fields["outcome"].choices = [
            choice for choice in self.fields["outcome"].choices if choice[0] != impossible
        ]
        self.fields["abnormal_event"].queryset = AbnormalEvent.objects.filter(
            branch=case.branch, category=AbnormalEvent.Category.BANK_SURRENDER
        ).order_by("-occurred_on")

    def _post_clean(self):
        pass
