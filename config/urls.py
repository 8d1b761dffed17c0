from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from desk import views
from offline import views as offline_views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Reviewed: choosing a language must work on the login page, before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    # The installable app: at the root, so the service worker's scope is the whole site.
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("favicon.ico", offline_views.favicon, name="favicon"),
    path("offline/", include("offline.urls")),
    path("desk/", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("branches/", include("branches.urls")),
    path("staff/", include("staff.urls")),
    path("grading/", include("grading.urls")),
    path("duties/", include("duties.urls")),
    path("worklog/", include("worklog.urls")),
    path("documents/", include("documents.urls")),
    path("service/", include("service.urls")),
    path("reminders/", include("reminders.urls")),
    path("sales/", include("sales.urls")),
    path("photos/", include("photos.urls")),
    path("outreach/", include("outreach.urls")),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Uploaded files while developing, except photos: those are served only by photos' own
    # view, which applies the scoping rule (MEDIA_ROOT/photos is the local photo storage).
    urlpatterns += [
        re_path(
            r"^" + settings.MEDIA_URL.lstrip("/") + r"(?!photos/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

handler403 = "desk.views.permission_denied"
handler404 = "desk.views.page_not_found"
handler500 = "desk.views.server_error"
