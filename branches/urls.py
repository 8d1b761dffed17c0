from django.urls import path

from branches import exports, views
from core.exports import export_urls

app_name = "branches"

urlpatterns = [
    path("", views.branch_list, name="list"),
    path("<int:pk>/", views.branch_detail, name="detail"),
    path("<int:pk>/edit/", views.branch_edit, name="edit"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/deposits/new/", views.deposit_create, name="deposit_create"),
    path("<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("<int:pk>/competitors/new/", views.competitor_create, name="competitor_create"),
    path("<int:pk>/events/new/", views.event_create, name="event_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/check-out/", views.visit_check_out, name="visit_check_out"),
    path("visits/<int:pk>/confirm-position/", views.confirm_position, name="confirm_position"),
    path("visits/check-ins/", views.checkin_list, name="checkin_list"),
    path("events/", views.event_overview, name="event_overview"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    # One address per action, so each takes only the event's id.
    *(
        path(
            f"events/<int:pk>/{action}/",
            views.event_action,
            {"action": action},
            name=f"event_{action}",
        )
        for action in ("acknowledge", "respond", "close", "reopen")
    ),
    *export_urls("", exports.branch_export, "export"),
    *export_urls("visits/", exports.visit_export, "visit_export"),
]
