from django.urls import path

from photos import views

app_name = "photos"

urlpatterns = [
    path("<int:pk>/", views.image, name="image"),
    path("<int:pk>/thumb/", views.thumbnail, name="thumbnail"),
    path("of/<str:label>/<int:pk>/", views.owner_photos, name="owner"),
    path("of/<str:label>/<int:pk>/upload/", views.upload, name="upload"),
]
