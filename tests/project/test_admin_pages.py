"""Every registered ModelAdmin loads for a superuser and is refused to a manager."""

import pytest
from django.contrib import admin
from django.urls import reverse

ADMINS = sorted(
    ((model._meta.app_label, model._meta.model_name) for model in admin.site._registry),
)


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), ADMINS)
def test_it_loads_changelist_and_add_page_for_a_superuser(admin_client, app_label, model_name):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    model_admin = admin.site._registry[
        next(
            m
            for m in admin.site._registry
            if m._meta.model_name == model_name and m._meta.app_label == app_label
        )
    ]
    add = reverse(f"admin:{app_label}_{model_name}_add")
    expected = 200 if model_admin.has_add_permission(_request_for(admin_client)) else 403
    assert admin_client.get(add).status_code == expected


def _request_for(client):
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return request


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), ADMINS)
def test_it_refuses_the_admin_to_a_manager(manager_client, app_label, model_name):
    for view in ("changelist", "add"):
        response = manager_client.get(reverse(f"admin:{app_label}_{model_name}_{view}"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_the_admin_header_is_ours_and_names_the_user_family_name_first(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "网点通管理后台" in page
    assert "Django 管理" not in page and "Django administration" not in page
    assert "<strong>周敏</strong>" in page
    assert "欢迎" not in page
