"""The grading admin's forms. They parse and show errors; the rules are in grading.services
(each form asks the service's ``check_*`` function, which is what the write itself runs)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountManager
from grading import services
from grading.models import Assessment, CurrentLevel, Level, LevelChange, entry_level_id
from grading.selectors import level_of


def _current_level_id(manager):
    """The manager's level now; a manager not saved yet starts at the entry level."""
    if manager.pk is None:
        return entry_level_id()
    return CurrentLevel.objects.filter(manager=manager).values_list("level_id", flat=True).first()


class AccountManagerForm(forms.ModelForm):
    placed_level = forms.ModelChoiceField(
        Level.objects.all(),
        required=False,
        label=_("place at level"),
        help_text=_(
            "For a same-grade affiliation or a correction: the level is changed through the "
            "level history."
        ),
    )

    placement_reason = forms.CharField(
        required=False,
        label=_("reason for the level change"),
        help_text=_("Required for a correction; an affiliation gives its reason above."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Set by AccountManagerAdmin.get_form: who is editing.
    editing_user = None

    class Meta:
        model = AccountManager
        fields = [
            "user",
            "employee_number",
            "hire_date",
            "mobile",
            "supervisor",
            "is_active",
            "entry_route",
            "previous_employer",
            "previous_title",
            "affiliation_reason",
        ]

    def clean(self):
        """A level set here bypasses the assessment, so it must say why: an affiliation
        names the previous employer and its reason, a correction gives a reason."""
        cleaned = super().clean()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        supervisor = cleaned.get("supervisor")
        if user is not None and supervisor is not None and supervisor.pk == user.pk:
            self.add_error("supervisor", gettext("Nobody can be their own supervisor."))
        placed = cleaned.get("placed_level")
        if placed is None or placed.pk == _current_level_id(self.instance):
            return cleaned
        if self.editing_user is not None and user is not None and user.pk == self.editing_user.pk:
            self.add_error("placed_level", gettext("Nobody can set their own level."))
        if cleaned.get("entry_route") == AccountManager.EntryRoute.AFFILIATION:
            for name in ("previous_employer", "affiliation_reason"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(
                        name,
                        gettext("Same-grade affiliation needs the previous employer and a reason."),
                    )
        elif not (cleaned.get("placement_reason") or "").strip():
            self.add_error("placement_reason", gettext("Say why the level changes."))
        return cleaned

    def level_change_note(self):
        if self.cleaned_data.get("entry_route") == AccountManager.EntryRoute.AFFILIATION:
            return self.cleaned_data.get("affiliation_reason", "")
        return self.cleaned_data.get("placement_reason", "")


def _messages(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


class AssessmentForm(forms.ModelForm):
    rejection_reason = forms.CharField(
        required=False,
        label=_("reason for a rejection"),
        help_text=_("Needed when you press Reject; the manager is told it."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    # Set by AssessmentAdmin.get_form: the button pressed and who pressed it.
    action = "save"
    user = None

    class Meta:
        model = Assessment
        fields = ["manager", "period", "decided_level", "override_reason"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        level = cleaned.get("decided_level", instance.decided_level)
        reason = cleaned.get("override_reason", instance.override_reason) or ""
        reason_field = "override_reason"
        try:
            if self.action == "approve":
                services.check_approval(
                    assessment=instance, user=self.user, level=level, reason=reason
                )
            elif self.action == "reject":
                reason_field = "rejection_reason"
                services.check_rejection(
                    assessment=instance,
                    user=self.user,
                    reason=cleaned.get("rejection_reason") or "",
                )
            else:
                services.check_record(
                    assessment=instance, user=self.user, level=level, reason=reason
                )
        except (ValidationError, PermissionDenied) as error:
            # A missing reason is shown at the reason; anything else above the form.
            field = reason_field if getattr(error, "code", None) == "needs_reason" else None
            if field not in self.fields:
                field = None
            for message in _messages(error):
                self.add_error(field, message)
        return cleaned


class RejectReasonForm(forms.Form):
    """The intermediate page of the bulk "Reject" action: one reason for every selected row."""

    # Not "required": an empty box gets the service's own message, not Django's generic one.
    reason = forms.CharField(
        label=_("reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(gettext("A rejection needs a reason."))
        return reason


class LevelChangeForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=[
            (LevelChange.Reason.CORRECTION, LevelChange.Reason.CORRECTION.label),
            (LevelChange.Reason.AFFILIATION, LevelChange.Reason.AFFILIATION.label),
        ],
    )

    # Set by LevelChangeAdmin.get_form: who is editing.
    editing_user = None

    class Meta:
        model = LevelChange
        fields = ["manager", "to_level", "reason", "effective_on", "note"]

    def clean(self):
        cleaned = super().clean()
        manager, to_level = cleaned.get("manager"), cleaned.get("to_level")
        if manager and to_level and level_of(manager).pk == to_level.pk:
            self.add_error("to_level", gettext("The manager is already at this level."))
        if manager and self.editing_user is not None and manager.user_id == self.editing_user.pk:
            self.add_error("manager", gettext("Nobody can set their own level."))
        if not (cleaned.get("note") or "").strip():
            self.add_error("note", gettext("Say why the level changes."))
        return cleaned
