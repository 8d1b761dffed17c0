"""Import of bank staff from Excel/CSV, next to their branches (django-import-export).

A person is identified by their branch (bank + branch code) and name. Branches are looked
up once per import, not once per row.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from branches.models import Branch
from branches.resources import LookupWidget, PermittedImportMixin
from core.validators import mask_phone
from staff.models import BranchStaff, StaffPosting

_BIRTHDAY = re.compile(r"^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$")
_YES = {"1", "y", "yes", "true", "是", "√", "x"}


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip().lower() in _YES

    def render(self, value, obj=None, **kwargs):
        return "是" if value else ""


class BranchStaffResource(PermittedImportMixin, resources.ModelResource):
    """Columns: bank, branch_code, name, role (code or Chinese title), mobile, birthday
    (MM-DD or YYYY-MM-DD), key_teller, influencer, hobbies, home_area, family_notes, notes."""

    branch = fields.Field(attribute="branch", column_name="branch_code")
    is_key_teller = fields.Field(
        attribute="is_key_teller", column_name="key_teller", widget=YesNoWidget()
    )
    is_influencer = fields.Field(
        attribute="is_influencer", column_name="influencer", widget=YesNoWidget()
    )
    birth_month = fields.Field(attribute="birth_month", column_name="birth_month")
    birth_day = fields.Field(attribute="birth_day", column_name="birth_day")
    birth_year = fields.Field(attribute="birth_year", column_name="birth_year")
    resolved_fields = ("branch",)

    class Meta:
        model = BranchStaff
        fields = (
            "branch",
            "name",
            "role",
            "mobile",
            "birth_month",
            "birth_day",
            "birth_year",
            "is_key_teller",
            "is_influencer",
            "hobbies",
            "home_area",
            "family_notes",
            "notes",
        )
        import_id_fields = ("branch", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._branches = {}
        self._existing = {}
        self.fields["branch"].widget = LookupWidget(
            lambda: self._branches, lambda: _("Unknown branch “%(value)s” for that bank."), "code"
        )
        self._roles = {}
        for value, label in BranchStaff.Role.choices:
            self._roles[value] = value
            self._roles[str(label)] = value
            # "网点主任" as well as "Branch director (网点主任)"
            match = re.search(r"\((.+)\)", str(label))
            if match:
                self._roles[match.group(1)] = value

    def before_import(self, dataset, **kwargs):
        branches = Branch.objects.select_related("bank")
        if self.user is not None:
            branches = branches.for_user(self.user)
        # Keyed "bank|code"; a row's branch_code cell is rewritten to that key below.
        for branch in branches:
            self._branches[f"{branch.bank.name}|{branch.code}"] = branch
            if branch.bank.short_name:
                self._branches.setdefault(f"{branch.bank.short_name}|{branch.code}", branch)
        staff = BranchStaff.objects.filter(branch__in=[b.pk for b in self._branches.values()])
        self._existing = {(s.branch_id, s.name): s for s in staff}

    def before_import_row(self, row, **kwargs):
        bank = str(row.get("bank") or "").strip()
        code = str(row.get("branch_code") or "").strip()
        row["branch_code"] = f"{bank}|{code}" if code else ""
        row["name"] = str(row.get("name") or "").strip()
        if row.get("mobile") is not None:
            row["mobile"] = str(row["mobile"]).strip()
            if "*" in row["mobile"]:
                # A masked number from one of our exports: keep the number on record.
                del row["mobile"]
        role = str(row.get("role") or "").strip()
        row["role"] = self._roles.get(role, role or BranchStaff.Role.OTHER)
        birthday = row.get("birthday")
        if isinstance(birthday, datetime.date | datetime.datetime):
            birthday = birthday.strftime("%Y-%m-%d")
        birthday = str(birthday or "").strip()
        row["birth_month"] = row["birth_day"] = row["birth_year"] = None
        if birthday:
            match = _BIRTHDAY.match(birthday)
            if not match:
                raise ValidationError(
                    {"birth_day": _("Write the birthday as MM-DD or YYYY-MM-DD.")}
                )
            year, month, day = match.groups()
            row["birth_year"] = int(year) if year else None
            row["birth_month"], row["birth_day"] = int(month), int(day)

    def dehydrate_mobile(self, staff):
        """Exports show 138****5678: a file travels further than a screen."""
        return mask_phone(staff.mobile)

    def get_instance(self, instance_loader, row):
        branch = self._branches.get(row.get("branch_code"))
        if branch is None:
            return None
        return self._existing.get((branch.pk, row.get("name")))

    def after_save_instance(self, instance, row, **kwargs):
        key = (instance.branch_id, instance.name)
        if key not in self._existing:
            self._existing[key] = instance
            StaffPosting.objects.create(
                staff=instance,
                branch=instance.branch,
                role=instance.role,
                started_on=timezone.localdate(),
            )
