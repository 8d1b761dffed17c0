"""The work log part of the demo: the supervisor's team page has logs and a gap to show."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from worklog.models import WorkLog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    pytest.mark.shipped_templates,
]


def test_zhous_team_has_sent_yesterdays_logs_but_one(demo, client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sent = WorkLog.objects.filter(date=yesterday, submitted_at__isnull=False)
    assert sorted(sent.values_list("manager__user__username", flat=True)) == [
        "li",
        "wang",
        "zhang",
    ]
    client.force_login(get_user_model().objects.get(username="zhou"))
    page = client.get(reverse("worklog:team"), {"date": yesterday.isoformat()}).text
    missing = page.split('id="not-submitted"')[1].split("</ul>")[0]
    submitted = page.split('id="submitted"')[1].split("</ul>")[0]
    assert "赵丽" in missing and "王芳" in submitted
    assert "条记录" in submitted and "上午走访两家网点" in submitted


def test_wangs_log_for_today_is_left_open_and_lis_is_sent(demo):
    today = timezone.localdate()
    assert not WorkLog.objects.filter(manager__user__username="wang", date=today).exists()
    assert WorkLog.objects.get(manager__user__username="li", date=today).is_submitted
