from django.urls import path

from core.exports import export_urls
from sales import exports, views

app_name = "sales"

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    *export_urls("customers/", exports.customer_export, "customer_export"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/contact/", views.customer_contact, name="customer_contact"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
]
