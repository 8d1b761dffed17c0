"""Download of the customer register: the same search, tab and scope as the page.

ID numbers and phones are masked in the file whoever downloads it (full values only on a
customer's own page, where each view is logged).
"""

from django.utils.translation import gettext as _

from core.exports import Column, export
from sales import selectors


def customer_export(request, fmt):
    customers = selectors.customers_for(
        request.user, request.GET.get("q", "").strip(), request.GET.get("large") == "1"
    )
    columns = [
        Column(_("Name"), lambda c: c.name),
        Column(_("ID number"), lambda c: c.masked_id_number),
        Column(_("Phone"), lambda c: c.masked_phone),
        Column(_("Bank"), lambda c: c.branch.bank.name),
        Column(_("Branch"), lambda c: c.branch.name),
        Column(_("Premium in force (yuan)"), lambda c: c.premium_in_force),
        Column(_("Next contact due"), lambda c: c.next_contact_due),
    ]
    return export(fmt, filename="customers", title=_("Customers"), columns=columns, rows=customers)
