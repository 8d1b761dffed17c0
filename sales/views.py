"""Customer register pages: parse, call the selectors and services, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import manager_profile
from sales import selectors, services
from sales.forms import CustomerContactForm
from sales.models import Customer, Policy
from service.models import Case

PAGE_SIZE = 30


def customer_list(request):
    """The customers of the user's branches; ?large=1 the large customers (大客户) only."""
    from django.conf import settings

    query = request.GET.get("q", "").strip()
    large = request.GET.get("large") == "1"
    customers = selectors.customers_for(request.user, query, large)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sales/customer_list.html",
        {
            "page": page,
            "query": query,
            "large": large,
            "threshold": settings.SALES_LARGE_CUSTOMER_PREMIUM,
        },
    )


def customer_detail(request, pk):
    """One customer with the full ID number: each view of it is logged (who, when)."""
    customer = Customer.objects.select_related("branch__bank").get_for_user(request.user, pk=pk)
    services.record_id_number_view(customer=customer, user=request.user)
    policies = customer.policies.select_related("product", "branch__bank").order_by("-signed_on")
    contacts = customer.contacts.select_related("manager__user")[:20]
    # Their service cases: about one of their policies, or from their phone at their branch.
    about = Q(policy_number__in=customer.policies.values("number"))
    if customer.phone:
        about |= Q(customer_mobile=customer.phone, branch=customer.branch)
    cases = Case.objects.for_user(request.user).filter(about).order_by("-opened_at", "-pk")[:20]
    return render(
        request,
        "sales/customer_detail.html",
        {
            "customer": customer,
            "policies": policies,
            "contacts": contacts,
            "cases": cases,
            "form": CustomerContactForm() if manager_profile(request.user) else None,
        },
    )


@require_POST
def customer_contact(request, pk):
    """Record a follow-up with a customer of one of the manager's branches."""
    customer = Customer.objects.get_for_user(request.user, pk=pk)
    profile = manager_profile(request.user)
    if profile is None:
        raise Http404  # a follow-up is the manager's own work
    form = CustomerContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what was discussed."))
        return redirect("sales:customer_detail", pk=customer.pk)
    services.record_customer_contact(customer=customer, manager=profile, **form.cleaned_data)
    messages.success(request, _("Follow-up recorded."))
    return redirect("sales:customer_detail", pk=customer.pk)


def policy_detail(request, pk):
    """One policy: the sale, its applicant (masked), the application form it came from."""
    policy = Policy.objects.select_related(
        "product", "branch__bank", "customer", "manager__user", "credited_staff", "intake_form"
    ).get_for_user(request.user, pk=pk)
    cases = (
        Case.objects.for_user(request.user)
        .filter(policy_number=policy.number)
        .order_by("-opened_at", "-pk")
    )
    return render(request, "sales/policy_detail.html", {"policy": policy, "cases": cases})
