"""Against a real streaming replica (bench/replica): which database each page reads from.

Run by bench/replica with DATABASE_URL (the primary) and DATABASE_REPLICA_URL (a hot standby
made by pg_basebackup -R) set and the demo seeded. Prints, per request, the queries that ran
on each database, and fails (exit 1) when the routing is not the documented one:

- the team dashboard (a REPLICA_READ_VIEWS page) reads its figures from the replica, while the
  session and the signed-in user come from the primary;
- a visit POST writes to the primary only;
- right after it, the same browser's dashboard reads everything from the primary (pinned by
  the cookie for REPLICA_PIN_SECONDS), so the new visit is there even if the replica lags;
- the replica really is a standby (pg_is_in_recovery) and the visit reaches it by streaming.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from branches.models import Branch, Visit  # noqa: E402

failures = []


def check(condition, what):
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        failures.append(what)


def request(client, method, url, data=None):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(url, data or {})
    print(
        f"{method.upper()} {url}: {response.status_code}, "
        f"{len(primary)} queries on the primary, {len(replica)} on the replica"
    )
    return response, primary, replica


def main():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        check(cursor.fetchone()[0] is True, "the replica is a hot standby (pg_is_in_recovery)")

    User = get_user_model()
    supervisor = User.objects.get(username="zhou")
    manager = User.objects.get(username="wang")

    print("\nThe supervisor opens the team dashboard:")
    boss = Client()
    boss.force_login(supervisor)
    response, primary, replica = request(boss, "get", reverse("desk:dashboard"))
    check(response.status_code == 200, "the dashboard answers 200")
    check(len(replica) >= 3, "its figures are read from the replica")
    check(
        all("django_session" in q["sql"] or "auth_user" in q["sql"] for q in primary),
        "the primary only gave the session and the signed-in user",
    )

    print("\nThe manager opens the serial-number reconciliation (a replica-reading page):")
    phone = Client()
    phone.force_login(manager)
    phone_page = reverse("documents:reconciliation")
    response, primary, replica = request(phone, "get", phone_page)
    check(response.status_code == 200 and len(replica) >= 1, "it reads from the replica")

    print("\nThe manager logs a visit:")
    branch = Branch.objects.filter(manager__user=manager).order_by("pk").first()
    before = Visit.objects.count()
    url = reverse("branches:visit_create", args=[branch.pk])
    response, primary, replica = request(
        phone,
        "post",
        url,
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "purposes": ["relationship"],
            "summary": "replica check",
        },
    )
    check(response.status_code == 302, "the visit is saved (302)")
    check(len(replica) == 0, "nothing of the POST touched the replica")
    check(Visit.objects.using("default").count() == before + 1, "the visit is on the primary")

    print("\nThe same phone opens a replica-reading page right after writing:")
    response, primary, replica = request(phone, "get", phone_page)
    check(
        response.status_code == 200 and len(replica) == 0,
        "a browser that just wrote reads it only from the primary",
    )

    print("\nStreaming: the new visit reaches the replica")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if Visit.objects.using("replica").count() == before + 1:
            break
        time.sleep(0.1)
    check(Visit.objects.using("replica").count() == before + 1, "the replica has the new visit")

    print(f"\n{'all checks passed' if not failures else f'{len(failures)} check(s) failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
