"""The admin's own look.

That every registered ModelAdmin's list and add page load for a superuser (the add page
refused with 403 where the admin forbids adding) and send a manager to the admin login is
checked by the URL walk (tests/security/test_url_walk.py), with one row of every kind.
"""

from django.urls import reverse


def test_the_admin_header_is_ours_and_names_the_user_family_name_first(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "网点通管理后台" in page
    assert "Django 管理" not in page and "Django administration" not in page
    assert "<strong>周敏</strong>" in page
    assert "欢迎" not in page
