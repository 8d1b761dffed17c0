from django.urls import path

from desk import dashboard_views, unit_views

app_name = "desk"

urlpatterns = [
    path("team/", dashboard_views.dashboard, name="dashboard"),
    path("units/<int:pk>/", unit_views.unit_page, name="unit"),
    path("units/<int:pk>/refresh/", unit_views.refresh_unit, name="unit_refresh"),
    path("units/<int:pk>/report/", unit_views.unit_report, name="unit_report"),
    path("units/<int:pk>/report.pdf", unit_views.unit_report_pdf, name="unit_report_pdf"),
]
