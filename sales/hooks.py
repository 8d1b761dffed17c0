"""What the sales app adds to the apps below it, registered from SalesConfig.ready.

- documents' intake chain: a collected form whose serial number became a policy shows
  "Policy issued" with the policy number and date (``documents.form_notes``);
- service's cases: the case form picks one of the branch's customers or policies, the case
  search finds cases by the customer's name or phone (``service.case_links``), and a resolved
  cancellation case cancels its policy (``service.signals.case_resolved``).
"""

import datetime

from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.form_notes import FormNote, register
from sales import services
from sales.models import Customer, Policy
from service import case_links
from service.models import Kind, Outcome, ServiceSettings
from service.signals import case_resolved


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


# --- service: cases linked to customers and policies ------------------------------------------

PICK_LIMIT = 200  # per group: the newest policies and the customers by name


def case_choices(branch):
    """The branch's customers and policies to pick on the case form (two queries)."""
    customers = Customer.objects.filter(branch=branch).order_by("name", "pk")[:PICK_LIMIT]
    policies = (
        Policy.objects.filter(branch=branch)
        .exclude(status=Policy.Status.CANCELLED)
        .select_related("customer", "product")
        .order_by("-signed_on", "-pk")[:PICK_LIMIT]
    )
    groups = []
    policy_choices = [
        (f"policy:{p.pk}", f"{p.number} · {p.customer.name} · {p.product.name}") for p in policies
    ]
    if policy_choices:
        groups.append((_("Policies at this branch"), policy_choices))
    customer_choices = [
        (f"customer:{c.pk}", f"{c.name} · {c.masked_phone}" if c.phone else c.name)
        for c in customers
    ]
    if customer_choices:
        groups.append((_("Customers at this branch"), customer_choices))
    return groups


def case_prefill(value, branch):
    """The case fields a picked "policy:<pk>" or "customer:<pk>" of ``branch`` fills."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == "policy":
        policy = (
            Policy.objects.filter(pk=pk, branch=branch)
            .select_related("customer", "product")
            .first()
        )
        if policy is None:
            return None
        received = None
        if policy.cooling_off_ends_on is not None:
            days = ServiceSettings.load().cooling_off_days
            received = policy.cooling_off_ends_on - datetime.timedelta(days=days)
        return {
            "customer_name": policy.customer.name,
            "customer_mobile": policy.customer.phone,
            "policy_number": policy.number,
            "product": policy.product.name,
            "policy_received_on": received,
        }
    if kind == "customer":
        customer = Customer.objects.filter(pk=pk, branch=branch).first()
        if customer is None:
            return None
        return {"customer_name": customer.name, "customer_mobile": customer.phone}
    return None


def case_search(text):
    """Cases about the policies of customers whose name contains ``text`` or whose phone is it
    (the case list's scope applies on top)."""
    numbers = Policy.objects.filter(Q(customer__name__icontains=text) | Q(customer__phone=text))
    return Q(policy_number__in=numbers.values("number"))


case_links.register(
    case_links.CaseLinker(choices=case_choices, prefill=case_prefill, search=case_search)
)


@receiver(case_resolved)
def cancel_policy_of_resolved_cancellation(sender, case, outcome, user, **kwargs):
    """A cancellation case resolved as cancelled cancels its policy (same branch) in the
    register, within the resolving transaction."""
    if case.kind != Kind.CANCELLATION or outcome != Outcome.CANCELLED or not case.policy_number:
        return
    policy = Policy.objects.filter(number=case.policy_number, branch_id=case.branch_id).first()
    if policy is not None:
        services.cancel_in_cooling_off(
            policy=policy, on=timezone.localtime(case.resolved_at).date()
        )
