import pytest
from django.contrib import admin
from django.urls import reverse

from duties import urls as duties_urls
from duties.models import ChecklistItem
from duties.services import generate_checklist

DUTIES_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "duties"]
# Attendance comes from check-ins and approved corrections, never typed in the admin.
READ_ONLY = {"Attendance", "AttendanceCorrection"}


@pytest.mark.parametrize("model", DUTIES_ADMINS, ids=lambda model: model.__name__)
def test_every_duties_admin_page_loads_for_a_superuser(admin_client, model):
    opts = model._meta
    assert (
        admin_client.get(reverse(f"admin:duties_{opts.model_name}_changelist")).status_code == 200
    )
    add = admin_client.get(reverse(f"admin:duties_{opts.model_name}_add"))
    assert add.status_code == (403 if model.__name__ in READ_ONLY else 200)


def test_a_supervisor_edits_templates_and_sees_only_the_teams_items(
    client, supervisor, manager, other_manager, daily_log_template
):
    generate_checklist(manager=manager)
    generate_checklist(manager=other_manager)
    client.force_login(supervisor)
    template_url = reverse("admin:duties_checklisttemplate_change", args=[daily_log_template.pk])
    assert client.get(template_url).status_code == 200
    response = client.get(reverse("admin:duties_checklistitem_changelist"))
    assert response.status_code == 200
    shown = {item.manager for item in response.context["cl"].result_list}
    assert shown == {manager}
    foreign = ChecklistItem.objects.get(manager=other_manager)
    change = reverse("admin:duties_checklistitem_change", args=[foreign.pk])
    response = client.get(change)
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


@pytest.mark.parametrize("pattern", duties_urls.urlpatterns, ids=lambda p: p.name)
def test_every_page_sends_an_anonymous_visitor_to_login(client, db, pattern):
    args = [1] if "<int:pk>" in str(pattern.pattern) else []
    response = client.get(reverse(f"duties:{pattern.name}", args=args))
    assert response.status_code == 302 and "/login/" in response.url
