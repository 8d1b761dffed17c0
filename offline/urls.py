from django.urls import path

from offline import views

app_name = "offline"

urlpatterns = [
    path("", views.offline_page, name="offline_page"),
    path("data/", views.data, name="data"),
    path("sync/", views.sync, name="sync"),
]
