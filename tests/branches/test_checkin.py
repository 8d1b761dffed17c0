"""Check-in at the branch: the distance, the flag, check-out, the supervisor's list."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch, Visit
from core import geo
from tests.branches.factories import BranchFactory, VisitFactory

# 南京东路 in Shanghai; 0.001° of latitude is about 111 m.
BRANCH_LAT, BRANCH_LON = Decimal("31.235000"), Decimal("121.475000")


def _near(metres_north):
    return float(BRANCH_LAT) + metres_north / 111_195, float(BRANCH_LON)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((31.235, 121.475), (31.235, 121.475), 0),
        ((31.235, 121.475), (31.236, 121.475), 111),  # 0.001° of latitude
        ((0, 0), (0, 1), 111_195),  # one degree on the equator
        ((39.9042, 116.4074), (31.2304, 121.4737), 1_067_000),  # Beijing → Shanghai
    ],
)
def test_haversine_distances(a, b, expected):
    assert geo.haversine_m(*a, *b) == pytest.approx(expected, rel=0.005, abs=1)


@pytest.mark.parametrize(
    ("position", "accuracy", "branch_position", "expected"),
    [
        (None, None, (31.235, 121.475), (geo.NO_LOCATION, None)),
        (None, 10, None, (geo.NO_LOCATION, None)),
        ((31.235, 121.475), 10, None, (geo.BRANCH_UNLOCATED, None)),
        ((31.236, 121.475), 10, (31.235, 121.475), (geo.OK, 111)),
        ((31.236, 121.475), 250, (31.235, 121.475), (geo.LOW_ACCURACY, 111)),
        ((31.236, 121.475), None, (31.235, 121.475), (geo.LOW_ACCURACY, 111)),
        ((31.238, 121.475), 10, (31.235, 121.475), (geo.FAR, 334)),
        # Far whatever the accuracy: the supervisor must see it as far.
        ((31.245, 121.475), 900, (31.235, 121.475), (geo.FAR, 1112)),
        # Exactly on the radius is still at the branch.
        ((31.235 + 300 / 111_195, 121.475), 10, (31.235, 121.475), (geo.OK, 300)),
    ],
)
def test_judging_a_check_in(position, accuracy, branch_position, expected):
    assert (
        geo.judge_checkin(
            position=position,
            accuracy_m=accuracy,
            branch_position=branch_position,
            radius_m=300,
            max_accuracy_m=200,
        )
        == expected
    )


pytestmark = pytest.mark.django_db


@pytest.fixture
def located(branch):
    Branch.objects.filter(pk=branch.pk).update(latitude=BRANCH_LAT, longitude=BRANCH_LON)
    branch.refresh_from_db()
    return branch


def _post(client, branch, **position):
    data = {
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "purposes": ["relationship"],
        **{key: str(value) for key, value in position.items()},
    }
    return client.post(reverse("branches:visit_create", args=[branch.pk]), data)


@pytest.mark.parametrize(
    ("metres", "accuracy", "status", "distance"),
    [
        (None, None, "no_location", None),
        (50, 20, "ok", 50),
        (50, 500, "low_accuracy", 50),
        (1000, 20, "far", 1000),
    ],
)
def test_the_visit_form_records_the_check_in_and_the_server_judges_it(
    manager_client, located, metres, accuracy, status, distance
):
    position = {}
    if metres is not None:
        latitude, longitude = _near(metres)
        position = {"latitude": f"{latitude:.6f}", "longitude": longitude, "accuracy": accuracy}
    response = _post(manager_client, located, **position)
    assert response.status_code == 302
    visit = Visit.objects.get(branch=located)
    assert visit.location_status == status
    assert visit.distance_m == distance
    assert visit.checked_in_at is not None and visit.checked_out_at is None
    page = manager_client.get(reverse("branches:visit_detail", args=[visit.pk])).content.decode()
    assert str(Visit.LocationStatus(status).label) in page
    if distance is not None:
        assert f"{distance} 米" in page


def test_a_branch_without_coordinates_still_logs_the_check_in(manager_client, branch):
    latitude, longitude = _near(0)
    _post(manager_client, branch, latitude=latitude, longitude=longitude, accuracy=15)
    visit = Visit.objects.get(branch=branch)
    assert visit.location_status == "branch_unlocated"
    assert visit.distance_m is None
    assert visit.checkin_latitude == Decimal("31.235000")


def test_the_radius_comes_from_the_settings(manager_client, located, settings):
    settings.BRANCHDESK_CHECKIN_RADIUS_M = 2000
    latitude, longitude = _near(1000)
    _post(manager_client, located, latitude=latitude, longitude=longitude, accuracy=20)
    assert Visit.objects.get(branch=located).location_status == "ok"


@pytest.mark.parametrize(
    "position",
    [
        {"latitude": "91", "longitude": "121.4"},
        {"latitude": "31.2", "longitude": "abc"},
        {"latitude": "31.2"},
        {"latitude": "nan", "longitude": "121.4"},
    ],
)
def test_a_bad_position_is_refused_with_a_message_and_nothing_saved(
    manager_client, located, position
):
    response = _post(manager_client, located, **position)
    assert response.status_code == 200
    assert "手机发送的位置无效。" in response.content.decode()
    assert not Visit.objects.exists()


def test_check_out_records_the_time_on_site(client, manager, branch):
    # Mid-afternoon, local time: 45 minutes earlier is the same day whenever the suite runs
    # (a check-out on another day than the check-in is refused).
    afternoon = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    with time_machine.travel(afternoon, tick=True):
        client.force_login(manager.user)
        visit = VisitFactory(
            branch=branch,
            checked_in_at=timezone.now() - datetime.timedelta(minutes=45),
            location_status="ok",
        )
        url = reverse("branches:visit_check_out", args=[visit.pk])
        response = client.post(url, follow=True)
        visit.refresh_from_db()
        assert visit.checked_out_at is not None
        assert visit.minutes_on_site == 45
        assert "在网点 45 分钟" in response.content.decode()
        first = visit.checked_out_at
        response = client.post(url, follow=True)
        assert "你已经签退了这次拜访。" in response.content.decode()
        visit.refresh_from_db()
        assert visit.checked_out_at == first


def test_only_the_visits_manager_checks_out(client, supervisor, branch, other_manager):
    visit = VisitFactory(branch=branch, checked_in_at=timezone.now(), location_status="ok")
    url = reverse("branches:visit_check_out", args=[visit.pk])
    client.force_login(supervisor)
    response = client.post(url, follow=True)
    assert "只有拜访的客户经理本人可以签退。" in response.content.decode()
    client.force_login(other_manager.user)
    assert client.post(url).status_code == 404
    visit.refresh_from_db()
    assert visit.checked_out_at is None


def test_check_out_is_a_post(manager_client, branch):
    visit = VisitFactory(branch=branch, checked_in_at=timezone.now(), location_status="ok")
    response = manager_client.get(reverse("branches:visit_check_out", args=[visit.pk]))
    assert response.status_code == 405


def test_the_supervisor_sees_the_teams_flagged_check_ins_only(
    supervisor_client, branch, other_manager, django_assert_max_num_queries
):
    far = VisitFactory(branch=branch, location_status="far", distance_m=1500)
    VisitFactory(branch=branch, location_status="ok", distance_m=20)
    VisitFactory(branch=branch, location_status="no_location")
    VisitFactory(branch=BranchFactory(manager=other_manager), location_status="far")
    for _ in range(10):
        VisitFactory(branch=branch, location_status="low_accuracy")
    url = reverse("branches:checkin_list")
    with django_assert_max_num_queries(4):
        response = supervisor_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    listed = page.split('id="checkins"')[1]
    assert listed.count('class="bd-cell"') == 12
    assert "离网点 1500 米" in listed
    assert ">网点现场<" not in listed
    assert far.branch.name in page
    response = supervisor_client.get(url, {"status": "far"})
    assert response.content.decode().split('id="checkins"')[1].count('class="bd-cell"') == 1


def test_another_teams_visit_is_404_for_the_supervisor(client, other_supervisor, branch):
    visit = VisitFactory(branch=branch, location_status="far")
    client.force_login(other_supervisor)
    assert client.get(reverse("branches:visit_detail", args=[visit.pk])).status_code == 404
    response = client.post(reverse("branches:confirm_position", args=[visit.pk]))
    assert response.status_code == 404


def test_a_supervisor_confirms_a_check_in_as_the_branchs_coordinates(
    client, supervisor, manager, branch
):
    earlier = VisitFactory(
        branch=branch,
        location_status="branch_unlocated",
        checkin_latitude=Decimal("31.236000"),
        checkin_longitude=BRANCH_LON,
        checkin_accuracy_m=30,
    )
    visit = VisitFactory(
        branch=branch,
        location_status="branch_unlocated",
        checkin_latitude=BRANCH_LAT,
        checkin_longitude=BRANCH_LON,
        checkin_accuracy_m=12,
    )
    url = reverse("branches:confirm_position", args=[visit.pk])
    client.force_login(manager.user)
    response = client.post(url, follow=True)
    assert "只有主管可以确认网点坐标。" in response.content.decode()
    branch.refresh_from_db()
    assert branch.position is None

    client.force_login(supervisor)
    response = client.post(url, follow=True)
    assert "已用这次签到的位置作为网点坐标。" in response.content.decode()
    branch.refresh_from_db()
    assert branch.position == (BRANCH_LAT, BRANCH_LON)
    visit.refresh_from_db()
    earlier.refresh_from_db()
    assert (visit.location_status, visit.distance_m) == ("ok", 0)
    assert (earlier.location_status, earlier.distance_m) == ("ok", 111)


def test_an_imprecise_check_in_cannot_become_the_branchs_coordinates(supervisor_client, branch):
    visit = VisitFactory(
        branch=branch,
        location_status="branch_unlocated",
        checkin_latitude=BRANCH_LAT,
        checkin_longitude=BRANCH_LON,
        checkin_accuracy_m=800,
    )
    response = supervisor_client.post(
        reverse("branches:confirm_position", args=[visit.pk]), follow=True
    )
    assert "这次签到的位置不够精确，不能作为网点坐标。" in response.content.decode()
    branch.refresh_from_db()
    assert branch.position is None
