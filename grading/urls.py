from django.urls import path

from config.exports import export_urls
from grading import dashboard_views, exports, views

app_name = "grading"

urlpatterns = [
    path("team/", dashboard_views.dashboard, name="dashboard"),
    *export_urls("assessments/", exports.assessment_export, "assessment_export"),
    path("my-level/", views.my_level, name="my_level"),
    path("managers/<int:pk>/level/", views.manager_level, name="manager_level"),
    path("assessments/<int:pk>/appeal/", views.appeal, name="appeal"),
]
