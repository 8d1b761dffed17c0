from django.urls import path

from core.exports import export_urls
from service import exports, views

app_name = "service"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("overdue/", views.overdue_list, name="overdue"),
    *export_urls("", exports.case_export, "export"),
    path("branches/<int:pk>/", views.branch_cases, name="branch"),
    path("branches/<int:pk>/new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/action/", views.case_action, name="action"),
    path("<int:pk>/note/", views.case_note, name="note"),
    path("<int:pk>/surrender/", views.surrender_details, name="surrender"),
]
