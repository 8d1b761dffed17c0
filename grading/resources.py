"""Sales figures from the insurer's core system, imported in the admin (django-import-export).

One row per manager and period, keyed by employee number and period name. A row naming a
manager outside the importing user's team is an error on that row; any error stops the whole
import (nothing is saved).
"""

from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from accounts.access import scoped
from accounts.models import AccountManager
from grading.models import AssessmentPeriod, SalesFigure


class TeamManagerWidget(ForeignKeyWidget):
    """An employee number, resolved only among the managers the importing user may see."""

    user = None

    def get_queryset(self, value, row, *args, **kwargs):
        return scoped(AccountManager.objects.all(), self.user, "")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except AccountManager.DoesNotExist:
            raise ValueError(
                _("No account manager with employee number %(number)s in your team.")
                % {"number": value}
            ) from None


class PeriodWidget(ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except AssessmentPeriod.DoesNotExist:
            raise ValueError(_("No assessment period named %(name)s.") % {"name": value}) from None


class SalesFigureResource(resources.ModelResource):
    manager = fields.Field(
        attribute="manager",
        column_name="employee_number",
        widget=TeamManagerWidget(AccountManager, "employee_number"),
    )
    period = fields.Field(
        attribute="period", column_name="period", widget=PeriodWidget(AssessmentPeriod, "name")
    )

    class Meta:
        model = SalesFigure
        fields = ("manager", "period", "premium", "policies", "active_branches", "persistency")
        import_id_fields = ("manager", "period")
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.fields["manager"].widget.user = user
