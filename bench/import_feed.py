"""Time ``sales.services.import_policies`` on a generated feed (run by ``bench/import_feed``).

Makes 200 branches and a product catalogue if the database has none, writes a CSV of
BENCH_FEED_ROWS rows (default 100,000; about 60,000 customers, some with several policies),
then imports it twice: new policies, then the same file again (nothing to write).
"""

import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "False")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from accounts.models import AccountManager  # noqa: E402
from branches.models import Bank, Branch  # noqa: E402
from sales import services  # noqa: E402
from sales.models import Policy, Product  # noqa: E402
from sales.services import delete_policies, import_policies  # noqa: E402
from sales.validators import _CHECK, _WEIGHTS  # noqa: E402

ROWS = int(os.environ.get("BENCH_FEED_ROWS", "100000"))
HEADER = (
    "policy_number,product_code,bank,branch_code,applicant_name,applicant_id_number,"
    "applicant_phone,premium,signed_on,status\n"
)


def id_number(rng):
    body = f"310{rng.randint(100, 999)}19{rng.randint(50, 99)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def setup():
    if Branch.objects.filter(code__startswith="FEED").exists():
        return
    user = get_user_model().objects.create_user("feed_bench", password="x")
    manager = AccountManager.objects.create(
        user=user, employee_number="FEED0001", hire_date=datetime.date(2020, 1, 1)
    )
    bank, _ = Bank.objects.get_or_create(name="中国工商银行", defaults={"short_name": "工行"})
    Branch.objects.bulk_create(
        Branch(bank=bank, name=f"第{n}支行", code=f"FEED{n:04d}", manager=manager)
        for n in range(200)
    )
    for code, kind, years, factor in [
        ("AN05", Product.Kind.REGULAR, 5, "0.5"),
        ("AN10", Product.Kind.REGULAR, 10, "1.0"),
        ("SP01", Product.Kind.SINGLE, 1, "0.1"),
    ]:
        Product.objects.get_or_create(
            code=code,
            defaults={
                "name": code,
                "kind": kind,
                "payment_years": years,
                "standard_factor": Decimal(factor),
                "on_sale_from": datetime.date(2024, 1, 1),
            },
        )


def write_feed(path):
    rng = random.Random(7)
    people = [(f"客户{n}", id_number(rng), f"139{n:08d}") for n in range(int(ROWS * 0.6))]
    start = datetime.date(2026, 1, 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for n in range(ROWS):
            name, id_no, phone = rng.choice(people)
            signed = start + datetime.timedelta(days=rng.randint(0, 330))
            product = rng.choice(["AN05", "AN10", "SP01"])
            handle.write(
                f"BP{n:09d},{product},工行,FEED{rng.randint(0, 199):04d},"
                f"{name},{id_no},{phone},{rng.randint(1, 200) * 1000},{signed:%Y-%m-%d},有效\n"
            )


STAGES = {}


def _stage_timer(name):
    """Wrap a step of the import so the bench prints where the time goes."""
    original = getattr(services, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            STAGES[name] = STAGES.get(name, 0) + time.perf_counter() - started

    setattr(services, name, wrapper)


for _name in ("_parse_file", "_customers", "_intake_forms", "_insert", "_refresh_premium_in_force"):
    _stage_timer(_name)


def timed(label, path):
    STAGES.clear()
    started = time.perf_counter()
    result = import_policies(source=path)
    seconds = time.perf_counter() - started
    print(
        f"{label}: {result.rows} rows in {seconds:.1f} s "
        f"({result.created} new, {result.updated} updated, {result.unchanged} unchanged)"
    )
    print("  " + ", ".join(f"{name.strip('_')} {spent:.1f} s" for name, spent in STAGES.items()))
    return seconds


def main():
    setup()
    delete_policies(policies=Policy.objects.filter(number__startswith="BP"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.csv"
        write_feed(path)
        print(f"Feed: {ROWS} rows, {path.stat().st_size / 1e6:.1f} MB")
        first = timed("first import", path)
        timed("same file again", path)
    print(f"Limit 60 s for 100,000 rows: {'met' if first < 60 * ROWS / 100_000 else 'MISSED'}")


if __name__ == "__main__":
    main()
