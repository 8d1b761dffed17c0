from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/edit/", views.staff_edit, name="edit"),
    path("<int:pk>/move/", views.staff_move, name="move"),
    path("branch/<int:branch_pk>/new/", views.staff_create, name="create"),
]
