"""Customer register pages: parse, call the selectors and services, render."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from sales import services
from sales.models import Customer

PAGE_SIZE = 30


def customer_list(request):
    """The customers of the user's branches; ?large=1 the large customers (大客户) only."""
    from django.conf import settings

    customers = Customer.objects.for_user(request.user).select_related("branch__bank")
    query = request.GET.get("q", "").strip()
    if query:
        customers = customers.filter(
            Q(name__icontains=query) | Q(policies__number=query) | Q(phone=query)
        ).distinct()
    large = request.GET.get("large") == "1"
    if large:
        customers = customers.filter(
            premium_in_force__gte=settings.SALES_LARGE_CUSTOMER_PREMIUM
        ).order_by("next_contact_due", "-premium_in_force", "pk")
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
    return render(
        request, "sales/customer_detail.html", {"customer": customer, "policies": policies}
    )
