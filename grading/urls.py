from django.urls import path

from core.exports import export_urls
from grading import exports, views

app_name = "grading"

urlpatterns = [
    *export_urls("assessments/", exports.assessment_export, "assessment_export"),
    path("my-level/", views.my_level, name="my_level"),
    path("managers/<int:pk>/level/", views.manager_level, name="manager_level"),
]
