from django.urls import path

from grading import dashboard_views, views

app_name = "grading"

urlpatterns = [
    path("team/", dashboard_views.dashboard, name="dashboard"),
    path("my-level/", views.my_level, name="my_level"),
    path("managers/<int:pk>/level/", views.manager_level, name="manager_level"),
]
