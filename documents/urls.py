from django.urls import path

from core.exports import export_urls
from documents import exports, views

app_name = "documents"

urlpatterns = [
    path("", views.overview, name="overview"),
    *export_urls("", exports.stock_export, "export"),
    path("branches/<int:pk>/delivery/", views.delivery, name="delivery"),
    path("branches/<int:pk>/serials/", views.serials, name="serials"),
    path("branches/<int:pk>/collect/", views.collect, name="collect"),
    path("branches/<int:pk>/layout/", views.layout, name="layout"),
    path("stock/<int:pk>/", views.movements, name="movements"),
    path("stock/<int:pk>/count/", views.count, name="count"),
    path("serials/", views.reconciliation, name="reconciliation"),
    path("intake/", views.intake_list, name="intake_list"),
    path("intake/<int:pk>/", views.intake_batch, name="intake_batch"),
    path("intake/forms/<int:pk>/review/", views.review, name="review"),
    path("intake/forms/<int:pk>/register/", views.register, name="register"),
    path("intake/forms/<int:pk>/recollect/", views.recollect, name="recollect"),
    path("intake/returned/", views.returned_forms, name="returned"),
    path("handovers/", views.handover_list, name="handover_list"),
    path("handovers/<int:pk>/confirm/", views.confirm_receipt, name="confirm_receipt"),
    path("handovers/new/", views.handover_new, name="handover_new"),
    path("handovers/<int:pk>/", views.handover_slip, name="handover_slip"),
    path("placements/<int:pk>/remove/", views.remove_placement, name="remove_placement"),
]
