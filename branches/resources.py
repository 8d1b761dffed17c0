"""Import of branches from Excel/CSV (django-import-export).

Built for files of a few thousand rows: banks, managers and existing branches are loaded
once per import into dictionaries instead of one lookup per row. The caller runs the import
inside a transaction; any invalid row rolls the whole file back.
"""

from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from accounts.access import scoped
from accounts.models import AccountManager
from branches.models import Bank, Branch


class LookupWidget(widgets.Widget):
    """Turns a text cell into an object from a dictionary filled once per import."""

    def __init__(self, lookup, message, attribute=None):
        super().__init__()
        self.lookup = lookup
        self.message = message
        self.attribute = attribute

    def clean(self, value, row=None, **kwargs):
        key = str(value or "").strip()
        if not key:
            return None
        obj = self.lookup().get(key)
        if obj is None:
            raise ValueError(self.message() % {"value": key})
        return obj

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return getattr(value, self.attribute) if self.attribute else str(value)


class PermittedImportMixin:
    """The rule for every import, the admin's own: a row that creates an object needs the
    model's add permission, a row that changes one its change permission (the admin's add
    and change pages ask the same; an unchanged row needs neither). Also reports progress
    to ``on_progress(rows_done)`` and records the importing user in the change history."""

    on_progress = None
    _rows_done = 0
    # Foreign keys the resource resolves from dictionaries loaded once per import, within the
    # user's scope: full_clean would check each again with a query per row (and the unique
    # keys they are part of, which get_instance has already matched on; the database's own
    # constraint still guards those). Half the queries of a 50,000-row import.
    resolved_fields = ()

    def unchecked_fields(self, instance):
        """Fields full_clean may skip for this row because their constraints hold trivially
        (a CheckConstraint costs a query per row to validate); none unless a resource says."""
        return ()

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        self._rows_done += 1
        if self.on_progress is not None:
            self.on_progress(self._rows_done)
        return row_result

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if self._meta.clean_model_instances:
            resolved = [
                name
                for name in self.resolved_fields
                if getattr(instance, instance._meta.get_field(name).attname) is not None
            ]
            skipped = [*errors, *resolved, *self.unchecked_fields(instance)]
            try:
                instance.full_clean(exclude=skipped, validate_unique=validate_unique)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        user = getattr(self, "user", None)
        if user is not None:
            opts = self._meta.model._meta
            action = "add" if is_create else "change"
            if not user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}"):
                message = (
                    _("You may not add %(things)s: your account lacks that permission.")
                    if is_create
                    else _("You may not change %(things)s: your account lacks that permission.")
                )
                raise ValidationError(message % {"things": opts.verbose_name_plural})
            # django-simple-history: the import is the importing user's change.
            instance._history_user = user
        super().save_instance(instance, is_create, row, **kwargs)


class BranchResource(PermittedImportMixin, resources.ModelResource):
    """Columns: bank, code, name, address, city, district, phone, tier, manager
    (the manager's employee number), layout_notes, latitude, longitude (WGS-84 degrees,
    both or neither). (bank, code) identifies a branch."""

    bank = fields.Field(attribute="bank", column_name="bank")
    manager = fields.Field(attribute="manager", column_name="manager")
    resolved_fields = ("bank", "manager")

    class Meta:
        model = Branch
        fields = (
            "bank",
            "code",
            "name",
            "address",
            "city",
            "district",
            "phone",
            "tier",
            "manager",
            "layout_notes",
            "latitude",
            "longitude",
        )
        import_id_fields = ("bank", "code")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_diff = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._banks = {}
        self._managers = {}
        self._existing = {}
        self.fields["bank"].widget = LookupWidget(
            lambda: self._banks, lambda: _("Unknown bank “%(value)s”."), "name"
        )
        self.fields["manager"].widget = LookupWidget(
            lambda: self._managers,
            lambda: _("No account manager with employee number “%(value)s” in your team."),
            "employee_number",
        )

    def before_import(self, dataset, **kwargs):
        for bank in Bank.objects.all():
            self._banks[bank.name] = bank
            if bank.short_name:
                self._banks.setdefault(bank.short_name, bank)
        managers = AccountManager.objects.select_related("user")
        if self.user is not None:
            managers = scoped(managers, self.user, "")
        self._managers = {m.employee_number: m for m in managers}
        branches = Branch.objects.select_related("bank")
        self._existing = {(b.bank_id, b.code): b for b in branches}
        self._visible = set(
            Branch.objects.for_user(self.user).values_list("pk", flat=True)
            if self.user is not None
            else Branch.objects.values_list("pk", flat=True)
        )

    def get_instance(self, instance_loader, row):
        bank = self._banks.get(str(row.get("bank") or "").strip())
        code = str(row.get("code") or "").strip()
        if bank is None or not code:
            return None
        branch = self._existing.get((bank.pk, code))
        if branch is not None and branch.pk not in self._visible:
            raise ValidationError(
                _("Branch %(code)s of %(bank)s belongs to another team.")
                % {"code": code, "bank": bank}
            )
        return branch

    def unchecked_fields(self, instance):
        # A branch without a position meets branch_position_both_and_in_range (both empty);
        # Django would still ask the database, 3 of the 6 queries a new row costs. Rows that
        # give a position are checked as before.
        if instance.latitude is None and instance.longitude is None:
            return ("latitude", "longitude")
        return ()

    def before_import_row(self, row, **kwargs):
        # Spreadsheets turn codes and phone numbers into numbers; the model wants text.
        for key in ("code", "phone", "district", "city"):
            if row.get(key) is not None:
                row[key] = str(row[key]).strip()
        if row.get("tier"):
            row["tier"] = str(row["tier"]).strip().upper()

    def after_save_instance(self, instance, row, **kwargs):
        self._existing[(instance.bank_id, instance.code)] = instance
        self._visible.add(instance.pk)
