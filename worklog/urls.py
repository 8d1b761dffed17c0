from django.urls import path

from worklog import views

app_name = "worklog"

urlpatterns = [
    path("", views.today, name="today"),
    path("team/", views.team, name="team"),
    path("<int:pk>/", views.detail, name="detail"),
]
