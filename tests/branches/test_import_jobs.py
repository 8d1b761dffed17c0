"""Issue 14, findings 3, 5 and 9: admin imports run as background jobs, with the model's
add/change permissions, file limits, GBK CSVs, and a report of bad rows kept on the job."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from branches.models import Branch, ImportJob
from staff.models import BranchStaff
from tests.branches.factories import BankFactory, BranchFactory

pytestmark = pytest.mark.django_db

HEADER = "bank,code,name,district,phone,tier,manager\n"
IMPORT = reverse("admin:branches_branch_import")
STAFF_IMPORT = reverse("admin:staff_branchstaff_import")


@pytest.fixture
def bank():
    return BankFactory(name="中国工商银行", short_name="工行")


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run what a request queued once it commits (in-process, as without a broker)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _post(client, data, name="branches.csv", fmt="csv", url=IMPORT, **extra):
    upload = SimpleUploadedFile(name, data)
    return client.post(url, {"import_file": upload, "format": ["csv", "xlsx"].index(fmt), **extra})


def _row(manager, code="SH0001", name="南京东路支行"):
    return f"中国工商银行,{code},{name},黄浦区,,A,{manager.employee_number}\n"


def _job_page(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


# --- Background jobs (finding 5) --------------------------------------------------------------


def test_the_upload_only_stores_the_file_and_queues_the_job(admin_client, manager, bank):
    # Without running on-commit callbacks the task never starts: the request saved no branch.
    response = _post(admin_client, (HEADER + _row(manager)).encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:branches_branch_import_job", args=[job.pk])
    assert job.status == ImportJob.Status.QUEUED and bytes(job.data).startswith(b"bank,")
    assert not Branch.objects.exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert 'id="import-progress"' in page
    assert re.search(r'<script src="/static/branches/import_progress.js" defer>', page)
    # No inline script (CSP): every <script> on the page has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    status = admin_client.get(reverse("admin:branches_branch_import_job_status", args=[job.pk]))
    assert status.json() == {
        "status": "queued",
        "status_display": "等待开始",
        "progress": 0,
        "total": 0,
        "percent": 0,
        "finished": False,
    }


def test_the_job_runs_after_the_upload_and_keeps_its_counts(admin_client, manager, bank, run_jobs):
    with run_jobs():
        response = _post(admin_client, (HEADER + _row(manager) + _row(manager, "SH0002")).encode())
    assert Branch.objects.count() == 2
    job = ImportJob.objects.get()
    assert (job.status, job.progress, job.total) == ("done", 2, 2)
    assert job.summary["created"] == 2 and job.errors == []
    assert bytes(job.data) == b""  # the file is not kept once imported
    page = _job_page(admin_client, response)
    assert "新建 2 行" in page and "import_progress.js" not in page


def test_bad_rows_are_kept_on_the_job_and_nothing_is_saved(admin_client, manager, bank, run_jobs):
    rows = _row(manager) + _row(manager, "SH0002").replace(",A,", ",Z,")
    with run_jobs():
        response = _post(admin_client, (HEADER + rows).encode())
    job = ImportJob.objects.get()
    assert job.status == "failed" and not Branch.objects.exists()
    assert [error["row"] for error in job.errors] == [2]
    page = _job_page(admin_client, response)
    assert "没有保存任何数据" in page
    assert "Traceback" not in page and "site-packages" not in page


def test_a_check_only_import_saves_nothing(admin_client, manager, bank, run_jobs):
    with run_jobs():
        _post(admin_client, (HEADER + _row(manager)).encode(), dry_run="on")
    job = ImportJob.objects.get()
    assert job.status == "done" and job.summary["created"] == 1
    assert not Branch.objects.exists()


def test_a_gbk_csv_is_read(admin_client, manager, bank, run_jobs):
    with run_jobs():
        _post(admin_client, (HEADER + _row(manager, name="徐家汇支行")).encode("gbk"))
    assert Branch.objects.get().name == "徐家汇支行"


def test_a_utf8_csv_with_a_byte_order_mark_is_read(admin_client, manager, bank, run_jobs):
    with run_jobs():
        _post(admin_client, (HEADER + _row(manager)).encode("utf-8-sig"))
    assert Branch.objects.get().code == "SH0001"


def test_an_unreadable_csv_gets_a_message_in_the_users_language(admin_client, manager, bank):
    response = _post(admin_client, HEADER.encode() + b"\xff\xfe\xff\x80\x80\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "另存为" in page and "CSV UTF-8" in page
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_a_message(admin_client, manager, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = _post(admin_client, (HEADER + _row(manager) * 50).encode())
    assert response.status_code == 200
    assert "文件太大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_xlsx_that_unpacks_to_too_much_is_refused(admin_client, settings):
    """A zip bomb: a small file whose sheet unpacks to far more than the limit."""
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    assert len(buffer.getvalue()) < 50 * 1024
    response = _post(admin_client, buffer.getvalue(), name="bomb.xlsx", fmt="xlsx")
    assert response.status_code == 200
    assert "解压后" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_xlsx_import_runs(admin_client, manager, bank, run_jobs):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["中国工商银行", "SH0007", "外滩支行", "黄浦区", "", "B", manager.employee_number])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with run_jobs():
        _post(admin_client, buffer.getvalue(), name="branches.xlsx", fmt="xlsx")
    assert Branch.objects.get().name == "外滩支行"


def test_nobody_else_sees_a_job(admin_client, supervisor, manager, bank):
    from django.test import Client

    response = _post(admin_client, (HEADER + _row(manager)).encode())
    job = ImportJob.objects.get()
    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    assert supervisor_client.get(response["Location"]).status_code == 404
    status = reverse("admin:branches_branch_import_job_status", args=[job.pk])
    assert supervisor_client.get(status).status_code == 404


def test_the_command_line_import_shows_progress(superuser, manager, bank, tmp_path):
    path = tmp_path / "branches.csv"
    rows = "".join(_row(manager, f"BULK{n:04d}") for n in range(250))
    path.write_bytes((HEADER + rows).encode("gbk"))
    out = io.StringIO()
    call_command("import_file", "branches.branch", str(path), user=superuser.username, stdout=out)
    text = out.getvalue()
    assert "100/250" in text and "250/250" in text
    assert Branch.objects.count() == 250
    assert ImportJob.objects.get().status == "done"


# --- Permissions (finding 3) ------------------------------------------------------------------


def _add_branch(client, manager, bank, code="SH0009"):
    return client.post(
        reverse("admin:branches_branch_add"),
        {
            "bank": bank.pk,
            "name": "新开支行",
            "code": code,
            "tier": "B",
            "manager": manager.pk,
            "is_active": "on",
            "allows_posters": "on",
        },
    )


def test_a_supervisor_adds_a_branch_for_the_team_on_the_add_page_and_by_import(
    supervisor_client, manager, bank, run_jobs
):
    """One rule: a supervisor hands out the team's branches, new ones included, either way."""
    assert supervisor_client.get(reverse("admin:branches_branch_add")).status_code == 200
    response = _add_branch(supervisor_client, manager, bank)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Branch.objects.get(code="SH0009").manager == manager
    with run_jobs():
        _post(supervisor_client, (HEADER + _row(manager)).encode())
    assert ImportJob.objects.get().status == "done"
    assert Branch.objects.get(code="SH0001").manager == manager


def test_a_supervisor_adds_no_branch_for_another_team_either_way(
    supervisor_client, manager, other_manager, bank, run_jobs
):
    response = _add_branch(supervisor_client, other_manager, bank)
    assert response.status_code == 200  # the form refuses a manager outside the team
    assert "manager" in response.context["adminform"].form.errors
    with run_jobs():
        _post(supervisor_client, (HEADER + _row(other_manager)).encode())
    assert ImportJob.objects.get().status == "failed"
    assert not Branch.objects.exists()


def test_a_supervisor_may_update_the_teams_branches_by_import(
    supervisor_client, manager, bank, run_jobs
):
    BranchFactory(bank=bank, code="SH0001", name="旧名", manager=manager)
    with run_jobs():
        _post(supervisor_client, (HEADER + _row(manager, name="新名")).encode())
    assert Branch.objects.get().name == "新名"


def test_a_supervisor_without_staff_permissions_cannot_import_staff(
    supervisor_client, manager, bank
):
    BranchFactory(bank=bank, code="SH0001", manager=manager)
    data = "bank,branch_code,name,role\n工行,SH0001,李娜,teller\n".encode()
    assert supervisor_client.get(STAFF_IMPORT).status_code == 403
    assert _post(supervisor_client, data, url=STAFF_IMPORT).status_code == 403
    assert not BranchStaff.objects.exists() and not ImportJob.objects.exists()


def test_the_staff_import_refuses_new_rows_without_add_permission(supervisor, manager, bank):
    """The resource itself, whoever calls it (the command line too)."""
    import tablib

    from branches.services import import_table
    from staff.resources import BranchStaffResource

    BranchFactory(bank=bank, code="SH0001", manager=manager)
    dataset = tablib.Dataset(
        ["工行", "SH0001", "李娜", "teller"], headers=["bank", "branch_code", "name", "role"]
    )
    result, summary = import_table(resource=BranchStaffResource(user=supervisor), dataset=dataset)
    assert summary["rejected"] == 1 and not BranchStaff.objects.exists()
