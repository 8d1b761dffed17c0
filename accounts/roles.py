"""Helpers for data migrations that give the two roles their model permissions.

Each app grants its own models' permissions in a data migration of its own, so the roles
grow with the apps::

    def forwards(apps, schema_editor):
        grant(apps, MANAGER_GROUP, ["branches.view_branch", "branches.add_visit"])
"""

from django.contrib.auth.management import create_permissions


def _ensure_permissions(apps):
    # Permissions are normally created after migrate; a data migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name, permissions):
    """Give ``group_name`` each "app_label.codename" permission, creating the group if needed."""
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, group_name, permissions):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label, codename=codename)
        )
