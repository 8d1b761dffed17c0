from django.urls import path

from desk import dashboard_views

app_name = "desk"

urlpatterns = [
    path("team/", dashboard_views.dashboard, name="dashboard"),
]
