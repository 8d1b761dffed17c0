"""Phone-first forms for the branch pages. They parse input; the services enforce the rules."""

import contextlib
import functools

import django_filters
from django import forms
from django.utils import timezone
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped, sees_team
from accounts.models import AccountManager
from branches import selectors
from branches.models import AbnormalEvent, Bank, Branch, Visit
from core.forms import (
    PositionFieldsMixin,
    add_service_errors,  # noqa: F401  (used by the views)
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_DAYS = 3650  # the branch list's "not visited for (days)"
MONEY = {"max_digits": 16, "decimal_places": 2, "widget": forms.NumberInput(attrs={"step": "0.01"})}


class VisitForm(PositionFieldsMixin, forms.Form):
    visited_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=Visit.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        # Required, so the label carries the asterisk that marks required fields.
        error_messages={"required": _("Choose at least one purpose.")},
    )
    staff_met = forms.ModelMultipleChoiceField(
        label=_("Bank staff met"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label=_("Visit summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_steps = forms.CharField(
        label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    next_visit_on = forms.DateField(label=_("Next visit"), widget=DATE, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    # latitude, longitude, accuracy: from PositionFieldsMixin (the visit is logged as "no
    # location" when they are empty).

    def __init__(self, *args, branch, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["staff_met"]
        field.queryset = staff_met_choices(branch.pk)
        field.label_from_instance = _staff_label
        if not self.is_bound:
            # Make the empty form's choices once: crispy walks the checkboxes' choices more
            # than once. iter(): list() of the choice iterator itself asks its length first,
            # a COUNT query. ``staff``: that queryset's rows, read already by the page.
            iterator = field.iterator(field)
            field.widget.choices = (
                list(iter(field.widget.choices))
                if staff is None
                else [iterator.choice(person) for person in staff]
            )
        self.fields["visited_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_purposes(self):
        purposes = self.cleaned_data["purposes"]
        if not purposes:
            raise forms.ValidationError(_("Choose at least one purpose."))
        return purposes


@functools.cache
def _labels(field):
    """{value: label} of a field with choices: what ``get_<field>_display`` looks up, made
    once per process instead of on each call (the labels are lazy: translated when shown)."""
    return dict(make_hashable(field.flatchoices))


def _staff_label(person):
    """ "name · role", as ``f"{person.name} · {person.get_role_display()}"``."""
    role = person.role
    return f"{person.name} · {_labels(person._meta.get_field('role')).get(role, role)}"


def staff_met_choices(branch):
    """The staff a visit may have met: the branch's active staff by name (``branch``: its id
    or a core.prepared placeholder)."""
    return selectors.of_branch("staff", branch).filter(is_active=True).order_by("name")


class VisitCorrectionForm(VisitForm):
    """The fields of a visit its author may correct: not its time, not its check-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("visited_at", "next", "latitude", "longitude", "accuracy"):
            del self.fields[name]


class DepositForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DATE, initial=timezone.localdate)
    personal = forms.DecimalField(label=_("Personal deposits (yuan)"), **MONEY)
    corporate = forms.DecimalField(label=_("Corporate deposits (yuan)"), **MONEY)


class PlanTargetForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    premium_target = forms.DecimalField(label=_("Premium target (yuan)"), **MONEY)
    policy_count_target = forms.IntegerField(
        label=_("Policy count target"),
        min_value=0,
        max_value=2**31 - 1,  # the column's limit
    )
    competition_scheme = forms.CharField(
        label=_("Competition scheme"), max_length=120, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CompetitorForm(forms.Form):
    insurer = forms.CharField(label=_("Insurer"), max_length=100)
    annual_premium = forms.DecimalField(label=_("Annual premium (yuan)"), **MONEY)
    recent_premium = forms.DecimalField(label=_("Premium of the last three months (yuan)"), **MONEY)
    sales_model = forms.CharField(label=_("Model used"), max_length=200, required=False)
    relationships = forms.CharField(
        label=_("Relationships at the branch"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    advantages = forms.CharField(
        label=_("Advantages"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    observed_on = forms.DateField(label=_("Observed on"), widget=DATE, initial=timezone.localdate)


class EventForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=AbnormalEvent.Category.choices)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE, initial=timezone.localdate)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    campaign_start = forms.DateField(
        label=_("Campaign start"),
        widget=DATE,
        required=False,
        help_text=_("Competitor campaign only."),
    )
    campaign_end = forms.DateField(label=_("Campaign end"), widget=DATE, required=False)
    campaign_effect = forms.CharField(
        label=_("Campaign effect"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EventResponseForm(forms.Form):
    response = forms.CharField(
        label=_("The company's response"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the company's response.")},
    )


class EventReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the event is reopened.")},
    )


class EventCloseForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EventOverviewFilter(forms.Form):
    """Filters of the cross-branch view of open events; every one on an indexed column."""

    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *AbnormalEvent.Category.choices],
    )
    bank = forms.ModelChoiceField(
        label=_("Bank"), required=False, queryset=Bank.objects.order_by("name")
    )
    status = forms.ChoiceField(
        label=_("Follow-up status"),
        required=False,
        choices=[
            ("", _("All open")),
            *[c for c in AbnormalEvent.Status.choices if c[0] != AbnormalEvent.Status.CLOSED],
        ],
    )
    age = forms.ChoiceField(label=_("Age"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from branches.selectors import EVENT_AGES

        super().__init__(*args, **kwargs)
        self.fields["age"].choices = [
            ("", _("Any age")),
            *[(key, label) for key, label, _young, _old in EVENT_AGES],
        ]


class WholeDaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReadModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice checked among ``rows`` ({pk: row}) read already, when given, instead
    of read from the queryset: the same answer (the rows are the queryset's), no query."""

    rows = None

    def to_python(self, value):
        if self.rows is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            # What queryset.get(pk=value) would look for (an int; "abc" raises ValueError).
            row = self.rows.get(self.queryset.model._meta.pk.get_prep_value(value))
        except (ValueError, TypeError):
            row = None
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row


class ReadModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ReadModelChoiceField


class BranchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Branch.Tier.choices)
    district = django_filters.ChoiceFilter(label=_("District"), choices=())
    manager = ReadModelChoiceFilter(label=_("Account manager"), queryset=None)
    not_visited_days = WholeDaysFilter(
        label=_("Not visited for (days)"),
        method="not_visited_for",
        min_value=0,
        # Ten years is "never" for a branch; a bigger number would overflow the date maths.
        max_value=MAX_DAYS,
    )

    class Meta:
        model = Branch
        fields = ["q", "tier", "district", "manager", "not_visited_days"]

    def __init__(self, *args, user, choices=None, **kwargs):
        """``choices``: (districts, managers or None), read already by the list's prepared
        read (branches.selectors.branch_list_reads); read here otherwise."""
        super().__init__(*args, **kwargs)
        districts, self._managers = choices or (selectors.district_choices_query(user), None)
        self.filters["district"].extra["choices"] = [(d, d) for d in districts]
        if sees_team(user):
            self.filters["manager"].queryset = selectors.manager_choices_query(user)
        else:
            del self.filters["manager"]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            field = form.fields.get("manager")
            if field is not None and self._managers is not None:
                # The options from the managers read already: the select would read its
                # queryset again while rendering, and checking a chosen one would read it.
                # The same options as django-filter's iterator: empty, null, then the rows.
                first = [("", field.empty_label)] if field.empty_label is not None else []
                if field.null_label is not None:
                    first.append((field.null_value, field.null_label))
                field.widget.choices = first + [
                    (manager.pk, field.label_from_instance(manager)) for manager in self._managers
                ]
                field.rows = {manager.pk: manager for manager in self._managers}
        return self._form

    @staticmethod
    def wanted_filters(data, user):
        """The filters ``data`` asks for, as ``prepared_filters`` gives them once the form
        has checked them, made before the form's choices are read (the list reads them with
        its rows, in one statement). The list then compares: a district or a manager that is
        not a choice, or any value the form refuses, and it reads its rows again."""

        def given(name):
            value = data.get(name, "")
            return "" if "\x00" in value else value  # the form refuses it (SQL would too)

        filters = {}
        q = given("q").strip()
        if q:
            filters["q"] = q
        if given("tier") in Branch.Tier.values:
            filters["tier"] = data["tier"]
        if given("district"):
            filters["district"] = data["district"]
        if sees_team(user) and given("manager"):
            with contextlib.suppress(ValueError):
                filters["manager"] = int(data["manager"])
        try:
            days = int(given("not_visited_days"))
        except ValueError:
            pass
        else:
            if 0 <= days <= MAX_DAYS:
                filters["not_visited_days"] = days
        return filters

    def prepared_filters(self):
        """The form's valid filters as branches.selectors.branch_list_reads takes them
        ({name: value}, only those that filter), or None where that read would not give
        ``qs`` (a district "null": django-filter's "is null")."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018  (the form checked: its cleaned_data)
        data = self.form.cleaned_data
        filters = {}
        q = (data.get("q") or "").strip()
        if q:
            filters["q"] = q
        for name in ("tier", "district"):
            value = data.get(name)
            if value == self.filters[name].null_value:
                return None
            if value:
                filters[name] = value
        if data.get("manager") is not None:
            filters["manager"] = data["manager"].pk
        if data.get("not_visited_days") is not None:
            filters["not_visited_days"] = data["not_visited_days"]
        return filters

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(selectors.branch_search(value))

    def not_visited_for(self, queryset, name, value):
        """Never visited, or the last visit was at least ``value`` days ago by the local
        calendar: the same count as the "N days ago" the list shows next to each branch."""
        if value is None:
            return queryset
        return queryset.filter(selectors.not_visited_since(selectors.not_visited_cutoff(value)))


class CheckinFilter(django_filters.FilterSet):
    """The supervisor's check-in list: flagged check-ins unless another status is chosen."""

    status = django_filters.ChoiceFilter(
        label=_("Location"),
        method="by_status",
        empty_label=_("Flagged check-ins"),
        choices=[("all", _("All check-ins")), *Visit.LocationStatus.choices],
    )
    manager = django_filters.ModelChoiceFilter(label=_("Account manager"), queryset=None)
    day = django_filters.DateFilter(
        label=_("Date"), field_name="visited_at", lookup_expr="date", widget=DATE
    )

    class Meta:
        model = Visit
        fields = ["status", "manager", "day"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if sees_team(user):
            self.filters["manager"].queryset = scoped(
                AccountManager.objects.select_related("user"), user, ""
            )
        else:
            del self.filters["manager"]

    def by_status(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(location_status=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(location_status__in=Visit.FLAGGED)
        return queryset


class PosterPolicySelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Follow the bank's policy")),
            ("true", _("Posters allowed at this branch")),
            ("false", _("No posters at this branch")),
        ]


class BranchDetailsForm(forms.ModelForm):
    """What a manager keeps up to date about a branch: contact details and poster policy."""

    allows_posters = forms.NullBooleanField(
        label=_("Posters allowed"),
        widget=PosterPolicySelect,
        required=False,
    )

    class Meta:
        model = Branch
        fields = ["address", "district", "phone", "allows_posters", "layout_notes"]
        widgets = {"layout_notes": forms.Textarea(attrs={"rows": 3})}
