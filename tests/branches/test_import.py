from decimal import Decimal

import pytest
import tablib
from django.db import IntegrityError, transaction
from django.urls import reverse

from branches.models import Branch
from branches.resources import BranchResource
from branches.services import import_table
from staff.models import BranchStaff
from staff.resources import BranchStaffResource
from tests.branches.factories import BankFactory, BranchFactory

pytestmark = pytest.mark.django_db
HEADERS = ["bank", "code", "name", "district", "phone", "tier", "manager"]


@pytest.fixture
def bank():
    return BankFactory(name="中国工商银行", short_name="工行")


def _branches(rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_it_creates_and_updates_branches_by_bank_and_code(superuser, manager, bank):
    BranchFactory(bank=bank, code="SH0001", name="旧名", manager=manager)
    dataset = _branches(
        [
            [
                "中国工商银行",
                "SH0001",
                "南京东路支行",
                "黄浦区",
                "021-63218888",
                "A",
                manager.employee_number,
            ],
            ["工行", "SH0002", "淮海中路支行", "徐汇区", "", "b", manager.employee_number],
        ]
    )
    result, summary = import_table(resource=BranchResource(user=superuser), dataset=dataset)
    assert summary == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0, "saved": True}
    assert Branch.objects.count() == 2
    assert Branch.objects.get(code="SH0001").name == "南京东路支行"
    assert Branch.objects.get(code="SH0002").tier == "B"


def test_one_bad_row_saves_nothing_and_is_reported(superuser, manager, bank):
    dataset = _branches(
        [
            ["中国工商银行", "SH0001", "南京东路支行", "黄浦区", "", "A", manager.employee_number],
            ["中国工商银行", "SH0002", "坏电话", "黄浦区", "12345", "A", manager.employee_number],
            ["不存在的银行", "SH0003", "无银行", "黄浦区", "", "A", manager.employee_number],
        ]
    )
    result, summary = import_table(resource=BranchResource(user=superuser), dataset=dataset)
    assert summary["rejected"] == 2
    assert summary["saved"] is False
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert not Branch.objects.exists()


def test_a_supervisor_cannot_assign_branches_outside_the_team(supervisor, other_manager, bank):
    dataset = _branches(
        [["中国工商银行", "SH0009", "外队", "", "", "A", other_manager.employee_number]]
    )
    result, summary = import_table(resource=BranchResource(user=supervisor), dataset=dataset)
    assert summary["rejected"] == 1
    assert not Branch.objects.exists()


def test_the_preview_saves_nothing(superuser, manager, bank):
    dataset = _branches([["中国工商银行", "SH0001", "甲", "", "", "A", manager.employee_number]])
    result, summary = import_table(
        resource=BranchResource(user=superuser), dataset=dataset, dry_run=True
    )
    assert summary["created"] == 1 and summary["saved"] is False
    assert not Branch.objects.exists()


def test_it_imports_staff_with_birthdays_and_postings(superuser, manager, bank):
    branch = BranchFactory(bank=bank, code="SH0001", manager=manager)
    dataset = tablib.Dataset(
        ["工行", "SH0001", "李娜", "网点主任", "13812345678", "02-29", "是", ""],
        ["工行", "SH0001", "王强", "teller", "13912345678", "1990-06-01", "", "1"],
        headers=[
            "bank",
            "branch_code",
            "name",
            "role",
            "mobile",
            "birthday",
            "key_teller",
            "influencer",
        ],
    )
    result, summary = import_table(resource=BranchStaffResource(user=superuser), dataset=dataset)
    assert summary["created"] == 2, result.invalid_rows
    director = BranchStaff.objects.get(name="李娜")
    assert (director.role, director.birthday_display, director.is_key_teller) == (
        "director",
        "02-29",
        True,
    )
    assert director.postings.get().branch == branch
    # Importing the same file again changes nothing and duplicates nobody.
    result, summary = import_table(resource=BranchStaffResource(user=superuser), dataset=dataset)
    assert summary["created"] == 0 and BranchStaff.objects.count() == 2


def test_staff_with_an_impossible_birthday_or_bad_mobile_are_rejected(superuser, manager, bank):
    BranchFactory(bank=bank, code="SH0001", manager=manager)
    dataset = tablib.Dataset(
        ["工行", "SH0001", "甲", "teller", "13812345678", "02-30"],
        ["工行", "SH0001", "乙", "teller", "2381234567", "03-01"],
        ["工行", "SH9999", "丙", "teller", "", ""],
        headers=["bank", "branch_code", "name", "role", "mobile", "birthday"],
    )
    result, summary = import_table(resource=BranchStaffResource(user=superuser), dataset=dataset)
    assert summary["rejected"] == 3
    assert not BranchStaff.objects.exists()


def test_two_thousand_rows_import_in_one_go(
    superuser, manager, bank, django_assert_max_num_queries
):
    rows = [
        [
            "中国工商银行",
            f"BULK{n:05d}",
            f"第{n}支行",
            "浦东新区",
            "",
            "ABC"[n % 3],
            manager.employee_number,
        ]
        for n in range(2000)
    ]
    # Three queries a row (a savepoint, the insert, its release): the banks, managers and
    # existing branches are read once, and a row without a position does not ask the
    # database to check the position constraint (it was six a row).
    with django_assert_max_num_queries(3 * 2000 + 20):
        result, summary = import_table(
            resource=BranchResource(user=superuser), dataset=_branches(rows)
        )
    assert summary["created"] == 2000
    assert Branch.objects.count() == 2000


def test_a_position_out_of_range_is_refused(superuser, manager, bank):
    # Rows with a position are still checked against branch_position_both_and_in_range
    # (only rows without one skip the check, above).
    headers = [*HEADERS, "latitude", "longitude"]
    row = ["中国工商银行", "SH0001", "南京东路支行", "黄浦区", "", "A", manager.employee_number]
    # A half position too: in SQL a comparison with NULL passed the CHECK (fixed in 0014).
    cases = [("91", "121.4"), ("-90.5", "121.4"), ("31.2", "181"), ("31.2", ""), ("", "121.4")]
    for latitude, longitude in cases:
        dataset = tablib.Dataset([*row, latitude, longitude], headers=headers)
        result, summary = import_table(resource=BranchResource(user=superuser), dataset=dataset)
        assert summary["rejected"] == 1, (latitude, longitude)
        # Refused by validation with the row's message, not by the database's CHECK.
        assert [row.number for row in result.invalid_rows] == [1]
        assert not result.row_errors()
        assert not Branch.objects.exists()
    dataset = tablib.Dataset([*row, "31.235", "121.475"], headers=headers)
    result, summary = import_table(resource=BranchResource(user=superuser), dataset=dataset)
    assert summary["created"] == 1
    assert Branch.objects.get().position == (Decimal("31.235"), Decimal("121.475"))


def test_the_database_refuses_a_branch_with_one_coordinate(manager):
    branch = BranchFactory(manager=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Branch.objects.filter(pk=branch.pk).update(latitude=Decimal("31.2"), longitude=None)


def test_the_admin_import_page_loads_for_a_supervisor(supervisor_client):
    assert supervisor_client.get(reverse("admin:branches_branch_import")).status_code == 200


def _upload(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from branches.admin import BranchAdmin

    formats = [f().get_title() for f in BranchAdmin(Branch, None).get_import_formats()]
    upload = SimpleUploadedFile("branches.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("admin:branches_branch_import"),
        {"import_file": upload, "format": formats.index("csv")},
    )


def test_the_admin_import_reports_bad_rows_and_saves_nothing(
    admin_client, manager, bank, django_capture_on_commit_callbacks
):
    text = (
        "bank,code,name,district,phone,tier,manager\n"
        f"中国工商银行,SH0001,甲,黄浦区,,A,{manager.employee_number}\n"
        f"中国工商银行,SH0002,乙,黄浦区,,Z,{manager.employee_number}\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin_client, text)
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "Z" in page and "<td>2</td>" in page
    assert "没有保存任何数据" in page
    assert not Branch.objects.exists()


def test_the_admin_import_saves_and_reports_counts(
    admin_client, manager, bank, django_capture_on_commit_callbacks
):
    text = (
        "bank,code,name,district,phone,tier,manager\n"
        f"中国工商银行,SH0001,甲,黄浦区,,A,{manager.employee_number}\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(admin_client, text)
    assert Branch.objects.get().name == "甲"
    page = admin_client.get(response["Location"]).content.decode()
    assert "新建 1 行，更新 0 行，未变 0 行，拒绝 0 行。" in page
