"""Measure a large admin import through the background job (issue 14, finding 5).

Run against a throwaway PostgreSQL and Redis with a Celery worker on them, e.g.::

    export DATABASE_URL=postgres://branchdesk:branchdesk@127.0.0.1:54417/branchdesk
    export CELERY_BROKER_URL=redis://127.0.0.1:6417/0
    .venv/bin/python manage.py migrate
    .venv/bin/celery -A config worker --pool=solo &
    .venv/bin/python bench/import_job.py 50000

It uploads an N-row branch CSV (GBK-encoded, as Chinese Excel saves it) through the admin's
import page as a superuser, times that request, then polls the job's status URL as the
browser does and prints the progress it sees, and the job's total time.
"""

import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import AccountManager  # noqa: E402
from branches.models import Bank, Branch, ImportJob  # noqa: E402


def main(rows):
    user_model = get_user_model()
    root, _ = user_model.objects.get_or_create(
        username="bench-import", defaults={"is_staff": True, "is_superuser": True}
    )
    bank, _ = Bank.objects.get_or_create(name="中国工商银行", defaults={"short_name": "工行"})
    manager_user, _ = user_model.objects.get_or_create(username="bench-import-manager")
    manager, _ = AccountManager.objects.get_or_create(
        user=manager_user,
        defaults={"employee_number": "BENCHIMP1", "hire_date": datetime.date(2020, 1, 1)},
    )
    Branch.objects.filter(code__startswith="IMP").delete()
    lines = ["bank,code,name,district,phone,tier,manager"]
    lines += [
        f"中国工商银行,IMP{n:06d},第{n}号支行,浦东新区,,{'ABC'[n % 3]},{manager.employee_number}"
        for n in range(rows)
    ]
    data = ("\n".join(lines) + "\n").encode("gb18030")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(root)
    upload = SimpleUploadedFile("branches.csv", data, content_type="text/csv")
    started = time.monotonic()
    response = client.post(
        reverse("admin:branches_branch_import"), {"import_file": upload, "format": 0}
    )
    upload_seconds = time.monotonic() - started
    assert response.status_code == 302, response.status_code
    job = ImportJob.objects.order_by("-pk").first()
    status_url = reverse("admin:branches_branch_import_job_status", args=[job.pk])
    print(f"{rows} rows, {len(data) / 1e6:.1f} MB; upload request {upload_seconds:.2f} s")
    seen = []
    longest_poll = 0.0
    while True:
        poll_started = time.monotonic()
        state = client.get(status_url).json()
        longest_poll = max(longest_poll, time.monotonic() - poll_started)
        if not seen or seen[-1] != (state["status"], state["progress"]):
            seen.append((state["status"], state["progress"]))
            print(
                f"{time.monotonic() - started:7.1f} s  {state['status']:8} "
                f"{state['progress']}/{state['total']}"
            )
        if state["finished"]:
            break
        time.sleep(2)
    job.refresh_from_db()
    total = (job.finished_at - job.started_at).total_seconds()
    print(
        f"job {job.status}: {job.summary}; ran {total:.1f} s "
        f"({rows / total:.0f} rows/s); longest status request {longest_poll * 1000:.0f} ms; "
        f"{len(seen)} distinct progress readings; {connection.vendor}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50000)
