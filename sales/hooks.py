"""What the sales app adds to the apps below it, registered from SalesConfig.ready.

- documents' intake chain: a collected form whose serial number became a policy shows
  "Policy issued" with the policy number and date (``documents.form_notes``).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from documents.form_notes import FormNote, register
from sales.models import Policy


@register
def policies_issued(form_ids):
    """{intake form id: [FormNote]} for the forms a policy came from (one query)."""
    rows = Policy.objects.filter(intake_form_id__in=form_ids).values_list(
        "intake_form_id", "pk", "number", "signed_on"
    )
    return {
        form_id: [
            FormNote(
                code="policy_issued",
                label=_("Policy issued"),
                detail=f"{number} · {signed_on:%Y-%m-%d}",
                on=signed_on,
                url=reverse("sales:policy_detail", args=[pk]),
            )
        ]
        for form_id, pk, number, signed_on in rows
    }
