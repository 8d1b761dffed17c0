from django.urls import path

from sales import views

app_name = "sales"

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/contact/", views.customer_contact, name="customer_contact"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
]
