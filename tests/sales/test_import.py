"""The policy feed: idempotent, all-or-nothing, every bad row reported, GBK/BOM/xlsx."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from sales.models import Customer, FeedFile, Policy
from sales.services import FeedError, import_policies, scan_feed_dir
from service.models import ServiceSettings
from tests.sales.factories import id_number

HEADER = (
    "policy_number,product_code,bank,branch_code,manager,staff,applicant_name,"
    "applicant_id_number,applicant_phone,premium,payment_years,signed_on,effective_on,"
    "received_on,status,status_changed_on,application_serial"
)
VALID_ID = id_number("11010519900307123")
OTHER_ID = id_number("31010419850615234")


def row(
    number="P0001",
    *,
    product="AN05",
    bank="工行",
    code="SH0001",
    staff="李娜",
    name="王芳",
    id_no=VALID_ID,
    premium="10000",
    signed="2026-11-03",
    effective="2026-11-04",
    received="2026-11-05",
    status="有效",
    changed="",
    serial="",
):
    return (
        f"{number},{product},{bank},{code},,{staff},{name},{id_no},13912345678,{premium},,"
        f"{signed},{effective},{received},{status},{changed},{serial}"
    )


def csv_bytes(*rows, encoding="utf-8", bom=False):
    text = "\n".join([HEADER, *rows]) + "\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.fixture
def feed_ready(branch, teller, product, single_product):
    return branch


def test_a_feed_creates_policies_customers_and_credits_the_teller(feed_ready, teller, manager):
    result = import_policies(
        source=csv_bytes(row("P0001"), row("P0002", product="SP01", premium="200000.50"))
    )

    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    first = Policy.objects.get(number="P0001")
    assert first.branch == feed_ready and first.manager == manager
    assert first.credited_staff == teller
    assert first.premium == Decimal("10000.00")
    assert first.standard_premium == Decimal("5000.00")  # factor 0.5
    assert first.payment_years == 5  # the product's, the row left it empty
    days = ServiceSettings.load().cooling_off_days
    assert first.cooling_off_ends_on == datetime.date(2026, 11, 5) + datetime.timedelta(days=days)
    # One person, two policies: one customer, premium in force summed.
    customer = Customer.objects.get()
    assert customer.id_number == VALID_ID
    assert customer.premium_in_force == Decimal("210000.50")


def test_importing_the_same_file_twice_changes_nothing(feed_ready):
    data = csv_bytes(row("P0001"), row("P0002"))
    import_policies(source=data)
    before = list(Policy.objects.order_by("pk").values())

    again = import_policies(source=data)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Policy.objects.order_by("pk").values()) == before


def test_a_known_policy_takes_the_new_status_and_dates(feed_ready):
    import_policies(source=csv_bytes(row("P0001"), row("P0002")))

    result = import_policies(
        source=csv_bytes(
            row("P0001", status="撤单", changed="2026-11-10", premium="99999"),
            row("P0002"),
        )
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    policy = Policy.objects.get(number="P0001")
    assert policy.status == Policy.Status.CANCELLED
    assert policy.status_changed_on == datetime.date(2026, 11, 10)
    assert policy.premium == Decimal("10000.00")  # the sale itself is not rewritten
    # The cancelled policy no longer counts toward the customer's premium in force.
    assert Customer.objects.get().premium_in_force == Decimal("10000.00")


def test_a_bad_file_saves_nothing_and_reports_every_bad_row(feed_ready):
    # Reasons are in the user's language: Chinese unless they chose English.
    data = csv_bytes(
        row("P0001"),
        row("P0002", code="XX9999"),
        row("P0003", product="NOPE"),
        row("P0004", signed="2026-13-45"),
        row("P0005", premium="-5"),
        row("P0006", id_no="110105199003071230"),
        row("P0001"),
    )

    with pytest.raises(FeedError) as raised:
        import_policies(source=data)

    errors = dict(raised.value.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "无网点代码“XX9999”" in errors[3]
    assert "未知险种“NOPE”" in errors[4]
    assert "签单日期“2026-13-45”无效" in errors[5]
    assert "保费为负数" in errors[6]
    assert "证件号码校验位错误" in errors[7]
    assert "与第 2 行重复" in errors[8]
    assert not Policy.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)]
)
def test_csv_in_utf8_gbk_with_or_without_bom(feed_ready, encoding, bom):
    import_policies(source=csv_bytes(row("P0001", name="欧阳娜娜"), encoding=encoding, bom=bom))

    assert Customer.objects.get().name == "欧阳娜娜"


def test_chinese_headers_and_xlsx(feed_ready):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "保单号",
            "险种代码",
            "银行",
            "网点代码",
            "投保人",
            "投保人证件号",
            "保费",
            "签单日期",
            "保单状态",
        ]
    )
    sheet.append(
        [
            "P0001",
            "AN05",
            "中国工商银行",
            "SH0001",
            "王芳",
            VALID_ID,
            8000.0,
            datetime.datetime(2026, 11, 3),
            "有效",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_policies(source=buffer.getvalue())

    assert result.created == 1
    policy = Policy.objects.get()
    assert policy.signed_on == datetime.date(2026, 11, 3)
    assert policy.premium == Decimal("8000.00")


def test_branches_outside_the_uploaders_scope_are_unknown(feed_ready, other_branch, supervisor):
    with pytest.raises(FeedError) as raised:
        import_policies(
            source=csv_bytes(row("P0001"), row("P0002", code="SH0002")), user=supervisor
        )

    assert [line for line, _reason in raised.value.errors] == [3]


def test_the_policy_is_linked_to_its_intake_form(feed_ready, manager):
    from django.utils import timezone

    from documents.models import IntakeBatch, IntakeForm, SerialForm, SerialRange
    from tests.documents.factories import item

    serial_range = SerialRange.objects.create(
        branch=feed_ready,
        item=item(),
        first_number=1000,
        last_number=1099,
        issued_by=manager.user,
    )
    form = SerialForm.objects.create(serial_range=serial_range, number=1005)
    batch = IntakeBatch.objects.create(
        branch=feed_ready, collected_by=manager.user, collected_at=timezone.now()
    )
    intake = IntakeForm.objects.create(batch=batch, serial_form=form, applicant_name="王芳")

    import_policies(source=csv_bytes(row("P0001", serial="0001005")))

    assert Policy.objects.get().intake_form == intake


def test_the_command_reports_bad_rows_and_imports_good_files(feed_ready, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(row("P0001", premium="-1")))
    with pytest.raises(CommandError, match="第 2 行：保费为负数"):
        call_command("import_policies", str(bad))

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(row("P0001"), row("P0002")))
    call_command("import_policies", str(good))
    assert "2 rows: 2 new, 0 updated, 0 unchanged." in capsys.readouterr().out


def test_the_feed_folder_imports_each_file_once_and_files_it(feed_ready, tmp_path):
    (tmp_path / "day1.csv").write_bytes(csv_bytes(row("P0001")))
    (tmp_path / "broken.csv").write_bytes(csv_bytes(row("P0002", product="NOPE")))

    scan_feed_dir(folder=tmp_path)

    assert (tmp_path / "done" / "day1.csv").exists()
    assert (tmp_path / "failed" / "broken.csv").exists()
    report = (tmp_path / "failed" / "broken.csv.errors.txt").read_text(encoding="utf-8")
    assert "第 2 行：未知险种“NOPE”" in report
    assert Policy.objects.count() == 1

    # The same content dropped again under another name is not imported a second time.
    (tmp_path / "day1-again.csv").write_bytes(csv_bytes(row("P0001")))
    scan_feed_dir(folder=tmp_path)
    assert FeedFile.objects.count() == 2
    assert (tmp_path / "done" / "day1-again.csv").exists()
