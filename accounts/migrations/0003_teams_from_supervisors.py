"""One team per existing supervisor, its head that supervisor, with every manager they supervise
as a member since the manager's hire date; the supervisors may keep the tree in the admin.

The teams stand alone (no city above them) until someone hangs them under a city branch.
"""

from django.db import migrations

from accounts.roles import grant, revoke

SUPERVISOR_GROUP = "主管 Supervisor"
PERMISSIONS = [
    "accounts.view_orgunit",
    "accounts.change_orgunit",
    "accounts.view_teammembership",
    "accounts.add_teammembership",
]


def forwards(apps, schema_editor):
    AccountManager = apps.get_model("accounts", "AccountManager")
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    TeamMembership = apps.get_model("accounts", "TeamMembership")
    User = apps.get_model("auth", "User")
    supervisor_ids = (
        AccountManager.objects.exclude(supervisor=None)
        .values_list("supervisor_id", flat=True)
        .distinct()
    )
    for supervisor in User.objects.filter(pk__in=list(supervisor_ids)).order_by("pk"):
        name = f"{supervisor.last_name}{supervisor.first_name}".strip() or supervisor.username
        team = OrgUnit.objects.create(kind="team", name=f"{name}团队", head=supervisor)
        team.path = f"{team.pk:06d}."
        team.save(update_fields=["path"])
        members = AccountManager.objects.filter(supervisor=supervisor)
        TeamMembership.objects.bulk_create(
            TeamMembership(manager=manager, team=team, started=manager.hire_date)
            for manager in members
        )
        members.update(team=team)
    grant(apps, SUPERVISOR_GROUP, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, SUPERVISOR_GROUP, PERMISSIONS)
    apps.get_model("accounts", "AccountManager").objects.update(team=None)
    apps.get_model("accounts", "TeamMembership").objects.all().delete()
    units = apps.get_model("accounts", "OrgUnit").objects.all()
    units.update(parent=None)  # the tree's links protect its units from deletion
    units.delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_org_tree")]

    operations = [migrations.RunPython(forwards, backwards)]
