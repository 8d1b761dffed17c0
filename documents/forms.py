from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from documents.models import SERIAL_WIDTH, IntakeForm, SerialForm, StockItem
from documents.selectors import StockState

# Far above any real delivery or shelf, far below the database column's limit (2**31 on
# PostgreSQL): a mistyped 2147483648 is a form error, not a server error.
MAX_QUANTITY = 1_000_000
MAX_SERIAL = 10**SERIAL_WIDTH - 1


def _active_items():
    return StockItem.objects.filter(is_active=True).order_by("code")


class DeliveryLineForm(forms.Form):
    """One catalogue item per line: the item is fixed (hidden), the manager types a quantity."""

    item = forms.ChoiceField(label=_("Item"), widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False
    )

    def __init__(self, *args, items=(), on_hand=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue is read once per page and shared by every line (no query per row).
        self.items = {str(item.pk): item for item in items}
        self.on_hand = on_hand or {}
        self.fields["item"].choices = [(pk, item.label) for pk, item in self.items.items()]
        self.fields["quantity"].widget.attrs.update(
            {"class": "form-control", "inputmode": "numeric", "placeholder": "0"}
        )

    @property
    def item_object(self):
        return self.items.get(str(self["item"].value()))

    @property
    def current_on_hand(self):
        item = self.item_object
        return self.on_hand.get(item.pk, 0) if item else None

    def clean_item(self):
        return self.items[self.cleaned_data["item"]]


DeliveryLineFormSet = formset_factory(DeliveryLineForm, extra=0, max_num=30, validate_max=True)


class DeliveryForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    also_log_visit = forms.BooleanField(
        label=_("Also log a visit for this delivery"), required=False, initial=True
    )
    next_visit_on = forms.DateField(
        label=_("Next visit"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CountForm(forms.Form):
    counted = forms.IntegerField(
        label=_("Counted on the shelf"), min_value=0, max_value=MAX_QUANTITY
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MovementForm(forms.Form):
    KINDS = [
        ("usage", _("Usage")),
        ("withdrawal", _("Withdrawal / return")),
        ("damaged", _("Damaged")),
    ]
    kind = forms.ChoiceField(label=_("Kind of movement"), choices=KINDS)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class StockFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All"))] + [(key, label) for key, label in StockState.LABELS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class SerialRangeForm(forms.Form):
    first_number = forms.IntegerField(label=_("First number"), min_value=0, max_value=MAX_SERIAL)
    last_number = forms.IntegerField(label=_("Last number"), min_value=0, max_value=MAX_SERIAL)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_number"), data.get("last_number")
        if first is not None and last is not None and last < first:
            raise forms.ValidationError(_("The last number must not be below the first."))
        return data


class SerialStatusForm(forms.Form):
    number = forms.IntegerField(label=_("Serial number"), min_value=0, max_value=MAX_SERIAL)
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (SerialForm.Status.VOIDED, SerialForm.Status.VOIDED.label),
            (SerialForm.Status.LOST, SerialForm.Status.LOST.label),
            (SerialForm.Status.ISSUED, _("Found again (back to issued)")),
        ],
    )


class CollectForm(forms.Form):
    serials = forms.CharField(
        label=_("Serial numbers"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"}),
        help_text=_("One per line, or separated by spaces or commas."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_serials(self):
        text = self.cleaned_data["serials"].replace(",", " ").replace("，", " ")
        return text.split()


class ReviewForm(forms.ModelForm):
    return_reason = forms.CharField(
        label=_("Return to the branch because"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty if the form is fine; failed checks are added automatically."),
    )

    class Meta:
        model = IntakeForm
        fields = [
            "applicant_name",
            "applicant_age",
            "annual_premium",
            "stated_income",
            "signatures_present",
            "id_copy_attached",
            "bank_account_filled",
        ]


class HandoverForm(forms.Form):
    forms_to_hand_over = forms.ModelMultipleChoiceField(
        label=_("Registered forms"),
        queryset=IntakeForm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    received_by = forms.CharField(label=_("Received by"), max_length=60)
    slip_number = forms.CharField(label=_("Handover slip number"), max_length=30)

    def __init__(self, *args, registered=None, **kwargs):
        super().__init__(*args, **kwargs)
        if registered is not None:
            self.fields["forms_to_hand_over"].queryset = registered


class ConfirmReceiptForm(forms.Form):
    scanned_slip_number = forms.CharField(
        label=_("Scanned slip number"),
        max_length=40,
        required=False,
        help_text=_("The number on the slip the archive scanned, if any."),
    )


class PlacementForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=StockItem.objects.none())
    location = forms.CharField(label=_("Where"), max_length=100)
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _active_items().filter(is_display=True)
