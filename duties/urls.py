from django.urls import path

from duties import views

app_name = "duties"

urlpatterns = [
    path("", views.today, name="today"),
    path("managers/<int:pk>/", views.manager_day, name="manager_day"),
    path("items/<int:pk>/tick/", views.tick, name="tick"),
    path("items/<int:pk>/log-visit/", views.log_visit_for_item, name="log_visit"),
    path("week/", views.my_week, name="week"),
    path("team/", views.team_week, name="team_week"),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("briefings/", views.briefing_list, name="briefing_list"),
    path("briefings/coverage/", views.coverage, name="coverage"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/deliver/", views.delivery_create, name="delivery_create"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/summary/", views.attendance_summary, name="attendance_summary"),
    path("attendance/corrections/", views.correction_list, name="correction_list"),
    path("attendance/corrections/new/", views.correction_create, name="correction_create"),
    path(
        "attendance/corrections/<int:pk>/decide/",
        views.correction_decide,
        name="correction_decide",
    ),
]
