from django.urls import path

from reminders import calendar_views, views

app_name = "reminders"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/new-address/", calendar_views.calendar_rotate, name="calendar_rotate"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
