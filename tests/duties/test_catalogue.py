from django.contrib.auth.models import Group

from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
from duties.models import DutyArea, DutyTask


def test_it_loads_the_eight_business_duties_and_the_daily_ones(db):
    assert DutyArea.objects.filter(kind=DutyArea.Kind.BUSINESS).count() == 8
    daily = DutyTask.objects.filter(area__kind=DutyArea.Kind.DAILY).values_list("code", flat=True)
    assert set(daily) == {"attendance", "daily-log"}
    assert (
        DutyTask.objects.get(code="deliver-materials").area.name == "网点资料和单证的配送等售前服务"
    )


def test_it_gives_supervisors_the_templates_and_managers_their_records(db):
    supervisor = Group.objects.get(name=SUPERVISOR_GROUP).permissions
    manager = Group.objects.get(name=MANAGER_GROUP).permissions
    assert supervisor.filter(codename="change_checklisttemplate").exists()
    assert not manager.filter(codename="change_checklisttemplate").exists()
    assert manager.filter(codename="add_trainingsession").exists()
