"""Writes of the sales app: the policy feed import, the feed-folder scan, ID-number views."""

import datetime
import hashlib
import io
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AccountManager
from branches.models import Branch
from sales import feed
from sales.models import (
    Customer,
    CustomerContact,
    FeedFile,
    IdNumberView,
    MonthlySales,
    Policy,
    Product,
)
from sales.validators import id_number_valid
from service.models import ServiceSettings, cooling_off_end
from staff.models import BranchStaff

CHUNK = 2000
ZERO = Decimal("0")
MAX_REPORTED = 1000  # a file of 100,000 bad rows reports the first thousand, and says so

STATUS_ALIASES = {
    "in_force": Policy.Status.IN_FORCE,
    "有效": Policy.Status.IN_FORCE,
    "cancelled": Policy.Status.CANCELLED,
    "撤单": Policy.Status.CANCELLED,
    "surrendered": Policy.Status.SURRENDERED,
    "退保": Policy.Status.SURRENDERED,
    "lapsed": Policy.Status.LAPSED,
    "失效": Policy.Status.LAPSED,
}
# The fields a known policy takes from a later feed: its status and its dates.
UPDATABLE = ("status", "status_changed_on", "effective_on", "cooling_off_ends_on")
# Labels are lazy: translating them for each of 100,000 good rows was a third of the import.
DATE_COLUMNS = (
    ("signed_on", gettext_lazy("signed date")),
    ("effective_on", gettext_lazy("effective date")),
    ("received_on", gettext_lazy("receipt date")),
    ("status_changed_on", gettext_lazy("status change date")),
)
NEW_POLICY_FIELDS = (
    "number",
    "product_id",
    "branch_id",
    "manager_id",
    "credited_staff_id",
    "customer_id",
    "premium",
    "standard_premium",
    "payment_years",
    "signed_on",
    "effective_on",
    "cooling_off_ends_on",
    "status",
    "status_changed_on",
    "application_serial",
    "intake_form_id",
    "imported_at",
)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class FeedError(Exception):
    """The file was rejected and nothing was saved; ``errors`` is [(line, reason)]."""

    errors: list = field(default_factory=list)
    total: int = 0

    def __str__(self):
        return self.report()

    def report(self):
        lines = [_("Line %(line)s: %(reason)s") % {"line": n, "reason": r} for n, r in self.errors]
        if self.total > len(self.errors):
            lines.append(
                _("… and %(count)s more bad rows.") % {"count": self.total - len(self.errors)}
            )
        return "\n".join(lines)


def _in_chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Lookups:
    """Everything a row refers to, loaded once per file instead of once per row."""

    def __init__(self, user):
        branches = Branch.objects.select_related("bank")
        if user is not None:
            branches = branches.for_user(user)
        self.branches = {}
        for branch in branches:
            self.branches[(branch.bank.name, branch.code)] = branch
            if branch.bank.short_name:
                self.branches.setdefault((branch.bank.short_name, branch.code), branch)
        self.products = {product.code: product for product in Product.objects.all()}
        self.managers = dict(AccountManager.objects.values_list("employee_number", "pk"))
        self.staff = {
            (branch_id, name): pk
            for pk, branch_id, name in BranchStaff.objects.filter(
                branch_id__in={branch.pk for branch in self.branches.values()}
            ).values_list("pk", "branch_id", "name")
        }
        self.cooling_off_days = ServiceSettings.load().cooling_off_days
        self.valid_ids = {}  # ID number → passes its check digit, filled while parsing


def _identity(name, id_number, phone):
    return id_number.upper() if id_number else f"{name}|{phone}"


def _parse_row(row, lookups, today):
    """(values, errors) for one feed row: every reason the row is bad, not just the first."""
    errors = []
    number = row.get("policy_number", "")
    if not number:
        errors.append(_("no policy number"))
    product = lookups.products.get(row.get("product_code", ""))
    if product is None:
        errors.append(_("unknown product “%(code)s”") % {"code": row.get("product_code", "")})
    bank, code = row.get("bank", ""), row.get("branch_code", "")
    branch = lookups.branches.get((bank, code))
    if branch is None:
        errors.append(
            _("unknown branch code “%(code)s” of %(bank)s") % {"code": code, "bank": bank}
        )
    name = row.get("applicant_name", "")
    if not name:
        errors.append(_("no applicant name"))
    id_number = row.get("applicant_id_number", "").upper()
    if id_number:
        # One person often has several rows: check each number once per file.
        valid = lookups.valid_ids.get(id_number)
        if valid is None:
            valid = lookups.valid_ids[id_number] = id_number_valid(id_number)
        if not valid:
            errors.append(_("ID number fails its check digit"))
    premium = None
    try:
        premium = feed.parse_decimal(row.get("premium"))
        if premium < 0:
            errors.append(_("negative premium %(premium)s") % {"premium": premium})
    except ValueError:
        errors.append(_("premium “%(value)s” is not a number") % {"value": row.get("premium")})
    dates = {}
    for key, label in DATE_COLUMNS:
        try:
            dates[key] = feed.parse_date(row.get(key))
        except ValueError as bad:
            errors.append(_("bad %(what)s “%(value)s”") % {"what": label, "value": bad})
    if not errors and dates["signed_on"] is None:
        errors.append(_("no signed date"))
    raw_status = row.get("status", "") or "in_force"
    status = STATUS_ALIASES.get(raw_status.lower())
    if status is None:
        errors.append(_("unknown status “%(status)s”") % {"status": raw_status})
    manager_id = None
    employee_number = row.get("manager", "")
    if employee_number:
        manager_id = lookups.managers.get(employee_number)
        if manager_id is None:
            errors.append(_("unknown account manager “%(number)s”") % {"number": employee_number})
    payment_years = None
    if row.get("payment_years", ""):
        try:
            payment_years = int(Decimal(row.get("payment_years", "")))
        except (ArithmeticError, ValueError):
            errors.append(_("bad payment years"))
    if errors:
        return None, errors
    start = dates["received_on"] or dates["effective_on"] or dates["signed_on"]
    serial = row.get("application_serial", "")
    return {
        "number": number,
        "product": product,
        "branch": branch,
        "manager_id": manager_id or branch.manager_id,
        "credited_staff_id": lookups.staff.get((branch.pk, row.get("staff", ""))),
        "identity": _identity(name, id_number, row.get("applicant_phone", "")),
        "customer": {
            "name": name,
            "id_number": id_number,
            "phone": row.get("applicant_phone", ""),
            "branch_id": branch.pk,
        },
        "premium": premium,
        "standard_premium": (premium * product.standard_factor).quantize(Decimal("0.01")),
        "payment_years": payment_years or product.payment_years,
        "signed_on": dates["signed_on"],
        "effective_on": dates["effective_on"],
        "cooling_off_ends_on": cooling_off_end(start, lookups.cooling_off_days),
        "status": status,
        "status_changed_on": (
            None if status == Policy.Status.IN_FORCE else dates["status_changed_on"] or today
        ),
        "application_serial": serial,
    }, []


def _parse_file(data, lookups, progress):
    """[(line, values)] for the whole file, or FeedError listing every bad row."""
    today = timezone.localdate()
    parsed, errors, total_bad, seen = [], [], 0, {}
    for line, row in feed.read_rows(data):
        if row is None:
            continue
        values, problems = _parse_row(row, lookups, today)
        if values is not None and values["number"] in seen:
            problems = [
                _("policy number %(number)s repeats line %(line)s")
                % {"number": values["number"], "line": seen[values["number"]]}
            ]
        if problems:
            total_bad += 1
            if len(errors) < MAX_REPORTED:
                errors.append((line, "; ".join(problems)))
            continue
        seen[values["number"]] = line
        parsed.append((line, values))
        if progress and len(parsed) % CHUNK == 0:
            progress("read", len(parsed))
    if errors:
        raise FeedError(errors=errors, total=total_bad)
    return parsed


def _known_policies(numbers):
    """(number, pk, branch id, signed on, *UPDATABLE) of the policies already known among
    ``numbers`` (the branch and day: the monthly sales a change of status recounts)."""
    if connection.vendor == "postgresql":
        # One statement (= ANY of an array) instead of fifty IN lists of 2,000.
        columns = ", ".join(Policy._meta.get_field(name).column for name in UPDATABLE)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number, id, branch_id, signed_on, {columns} FROM sales_policy "
                "WHERE number = ANY(%s)",
                [numbers],
            )
            return cursor.fetchall()
    rows = []
    for chunk in _in_chunks(numbers):
        rows.extend(
            Policy.objects.filter(number__in=chunk).values_list(
                "number", "pk", "branch_id", "signed_on", *UPDATABLE
            )
        )
    return rows


def _customer_ids(identities):
    """{identity: customer id} of the known ones among ``identities``."""
    identities = list(identities)
    if connection.vendor == "postgresql":
        # One statement for the whole file (= ANY of an array) instead of one per chunk.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT identity, id FROM sales_customer WHERE identity = ANY(%s)", [identities]
            )
            return dict(cursor.fetchall())
    known = {}
    for chunk in _in_chunks(identities):
        known.update(Customer.objects.filter(identity__in=chunk).values_list("identity", "pk"))
    return known


def _customers(parsed, new_numbers):
    """({identity: customer id}, ids of the customers created now), creating the customers the
    feed names for the first time.

    A customer created now holds no policy but the file's new ones, so their premium in force
    is summed here from the file and written with the row: no recomputation afterwards.
    """
    wanted, in_force = {}, {}
    for _line, values in parsed:
        identity = values["identity"]
        wanted.setdefault(identity, values["customer"])
        if values["number"] in new_numbers and values["status"] == Policy.Status.IN_FORCE:
            in_force[identity] = in_force.get(identity, ZERO) + values["premium"]
    known = _customer_ids(wanted)
    now = timezone.now()
    fresh = [identity for identity in wanted if identity not in known]
    _insert(
        Customer,
        ("identity", "name", "id_number", "phone", "branch_id", "premium_in_force", "created_at"),
        [
            (
                identity,
                wanted[identity]["name"],
                wanted[identity]["id_number"],
                wanted[identity]["phone"],
                wanted[identity]["branch_id"],
                in_force.get(identity, ZERO),
                now,
            )
            for identity in fresh
        ],
    )
    created = _customer_ids(fresh)
    known.update(created)
    return known, set(created.values())


def _intake_forms(parsed):
    """{serial text: IntakeForm id} for the application numbers the feed names."""
    from documents.models import IntakeForm

    numbers = {}
    for _line, values in parsed:
        serial = values["application_serial"]
        if serial.isdigit():
            numbers[int(serial)] = serial
    found = {}
    for chunk in _in_chunks(numbers):
        for form_id, number in IntakeForm.objects.filter(
            serial_form__number__in=chunk, policy__isnull=True
        ).values_list("pk", "serial_form__number"):
            found[numbers[number]] = form_id
    return found


_REFRESH_SQL = """
WITH ids AS (SELECT unnest(%s::bigint[]) AS id),
sums AS (
    SELECT p.customer_id, SUM(p.premium) AS total
    FROM sales_policy p JOIN ids ON p.customer_id = ids.id
    WHERE p.status = %s
    GROUP BY p.customer_id
)
UPDATE sales_customer c SET premium_in_force = COALESCE(sums.total, 0)
FROM ids LEFT JOIN sums ON sums.customer_id = ids.id
WHERE c.id = ids.id
"""


def _refresh_premium_in_force(customer_ids):
    """Each touched customer's premium in force, recomputed from their policies."""
    if not customer_ids:
        return
    if connection.vendor == "postgresql":
        # One statement with hash joins instead of a correlated sum per customer.
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, [list(customer_ids), Policy.Status.IN_FORCE])
        return
    in_force = (
        Policy.objects.filter(customer=OuterRef("pk"), status=Policy.Status.IN_FORCE)
        .values("customer")
        .annotate(total=Sum("premium"))
        .values("total")
    )
    for chunk in _in_chunks(customer_ids):
        Customer.objects.filter(pk__in=chunk).update(
            premium_in_force=Coalesce(
                Subquery(in_force),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )


def import_policies(
    *,
    source: bytes | str | Path | BinaryIO,
    user: AbstractBaseUser | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    """Import one feed file of policies: all rows or none.

    ``source`` is the file's bytes, a path, or a binary file object. A policy number already
    known takes the row's status and dates (nothing else: the sale itself does not change);
    an unchanged row is not written, so a file imported twice changes nothing. Any bad row
    (unknown branch or product, bad date, negative premium, an ID number failing its check
    digit, a policy number twice in the file) rejects the whole file with FeedError listing
    every bad row by line. With ``user``, only branches in the user's scope are known.
    ``progress(stage, count)`` is called every few thousand rows.
    """
    data = _read_source(source)
    lookups = _Lookups(user)
    parsed = _parse_file(data, lookups, progress)
    result = ImportResult(rows=len(parsed))
    now = timezone.now()
    with transaction.atomic():
        existing = {
            number: (pk, dict(zip(UPDATABLE, dated, strict=True)), (branch_id, signed_on))
            for number, pk, branch_id, signed_on, *dated in _known_policies(
                [values["number"] for _l, values in parsed]
            )
        }
        new_numbers = {
            values["number"] for _line, values in parsed if values["number"] not in existing
        }
        customers, created_customers = _customers(parsed, new_numbers)
        forms = _intake_forms(parsed)
        new, changed, touched_customers, touched_months = [], [], set(), set()
        for _line, values in parsed:
            customer_id = customers[values["identity"]]
            known = existing.get(values["number"])
            if known is None:
                new.append(
                    (
                        values["number"],
                        values["product"].pk,
                        values["branch"].pk,
                        values["manager_id"],
                        values["credited_staff_id"],
                        customer_id,
                        values["premium"],
                        values["standard_premium"],
                        values["payment_years"],
                        values["signed_on"],
                        values["effective_on"],
                        values["cooling_off_ends_on"],
                        values["status"],
                        values["status_changed_on"],
                        values["application_serial"],
                        forms.get(values["application_serial"]),
                        now,
                    )
                )
                touched_customers.add(customer_id)
                touched_months.add((values["branch"].pk, values["signed_on"]))
                continue
            pk, old, sale = known
            if old["status"] == values["status"]:
                # Same status: keep the day it changed as first reported.
                values["status_changed_on"] = old["status_changed_on"]
            if any(old[name] != values[name] for name in UPDATABLE):
                changed.append(
                    Policy(pk=pk, imported_at=now, **{name: values[name] for name in UPDATABLE})
                )
                touched_customers.add(customer_id)
                if (old["status"] == Policy.Status.CANCELLED) != (
                    values["status"] == Policy.Status.CANCELLED
                ):  # 撤单 or its reversal: the sale of the policy's month (as stored) changes
                    touched_months.add(sale)
            else:
                result.unchanged += 1
        _insert(Policy, NEW_POLICY_FIELDS, new, progress)
        Policy.objects.bulk_update(changed, [*UPDATABLE, "imported_at"], batch_size=CHUNK)
        _refresh_premium_in_force(touched_customers - created_customers)
        recount_monthly_sales(touched_months)
    result.created, result.updated = len(new), len(changed)
    return result


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": ""})


def _copy_value(value):
    if value is None:
        return r"\N"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # numbers


def _insert(model, fields, rows, progress=None):
    """Insert tuples of ``fields`` (attnames): one COPY per chunk on PostgreSQL (Django's
    bulk_create spent most of a 100,000-row import preparing values), bulk_create elsewhere.
    ``rows`` carry every column without a database default."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in fields
    )
    for chunk in _in_chunks(rows, 20 * CHUNK):
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in chunk:
                buffer.write("\t".join(_copy_value(value) for value in row))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in chunk],
                batch_size=CHUNK,
            )
        if progress:
            progress("saved", len(chunk))
    if connection.vendor == "postgresql" and len(rows) > 10 * CHUNK:
        # Fresh statistics, or the following UPDATE plans a freshly loaded table as empty.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def _read_source(source):
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def import_feed_file(*, path: Path) -> FeedFile:
    """Import one dropped file once (by content hash) and move it to done/ or failed/.

    A failed file gets its error report beside it (``name.errors.txt``). A file whose content
    was seen before is moved to done/ without importing it again.
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    seen = FeedFile.objects.filter(content_hash=digest).first()
    if seen is not None:
        _move(path, "done")
        return seen
    record = FeedFile(content_hash=digest, file_name=path.name)
    try:
        result = import_policies(source=data)
    except (FeedError, feed.FeedFormatError) as error:
        record.outcome = FeedFile.Outcome.FAILED
        record.report = error.report() if isinstance(error, FeedError) else str(error)
        target = _move(path, "failed")
        target.with_name(target.name + ".errors.txt").write_text(record.report, encoding="utf-8")
    else:
        record.outcome = FeedFile.Outcome.IMPORTED
        record.rows, record.created, record.updated = result.rows, result.created, result.updated
        _move(path, "done")
    record.save()
    return record


def _move(path, folder):
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        target = target_dir / f"{path.stem}-{stamp}{path.suffix}"
    shutil.move(path, target)
    return target


def scan_feed_dir(*, folder: Path) -> list[FeedFile]:
    """Import every file waiting in ``folder`` (not its done/ and failed/ sub-folders)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    waiting = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return [import_feed_file(path=path) for path in waiting]


def record_id_number_view(*, customer: Customer, user: AbstractBaseUser) -> IdNumberView:
    """Log that ``user`` was shown ``customer``'s full ID number (one row per view)."""
    return IdNumberView.objects.create(customer=customer, viewed_by=user)


def record_customer_contact(
    *,
    customer: Customer,
    manager: AccountManager,
    summary: str,
    next_contact_due: datetime.date | None = None,
) -> CustomerContact:
    """Record a follow-up with a customer and move their next contact due to the date given
    (None clears it). The caller has fetched the customer within the user's scope."""
    with transaction.atomic():
        contact = CustomerContact.objects.create(
            customer=customer, manager=manager, summary=summary, next_contact_due=next_contact_due
        )
        Customer.objects.filter(pk=customer.pk).update(next_contact_due=next_contact_due)
    customer.next_contact_due = next_contact_due
    return contact


def cooling_off_end_for(start: datetime.date) -> datetime.date:
    """The last day of the cooling-off period for a policy received on ``start`` (a read)."""
    return cooling_off_end(start, ServiceSettings.load().cooling_off_days)


def cancel_in_cooling_off(*, policy: Policy, on: datetime.date) -> bool:
    """Mark an in-force policy cancelled within cooling-off (撤单) on ``on``, as its resolved
    cancellation case decided; the customer's premium in force drops with it.

    Rule: only a policy still in force changes (a later feed may confirm it); returns whether
    it changed. A cancelled policy never counts as a sale (``selectors.counted_policies``).
    """
    with transaction.atomic():
        changed = Policy.objects.filter(pk=policy.pk, status=Policy.Status.IN_FORCE).update(
            status=Policy.Status.CANCELLED, status_changed_on=on
        )
        if changed:
            _refresh_premium_in_force([policy.customer_id])
            recount_monthly_sales([(policy.branch_id, policy.signed_on)])
    if changed:
        policy.status, policy.status_changed_on = Policy.Status.CANCELLED, on
    return bool(changed)


def delete_policies(*, policies: QuerySet) -> int:
    """Delete ``policies`` (the admin's delete; a policy is otherwise never deleted): their
    customers' premium in force and their branches' monthly sales are recounted in the same
    transaction. Returns how many policies were deleted."""
    with transaction.atomic():
        touched = list(policies.values_list("branch_id", "signed_on", "customer_id"))
        deleted = policies.delete()[1].get(Policy._meta.label, 0)
        _refresh_premium_in_force({customer_id for _b, _d, customer_id in touched})
        recount_monthly_sales((branch_id, day) for branch_id, day, _c in touched)
    return deleted


def _month_end(day):
    following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def recount_monthly_sales(touched: Iterable[tuple[int, datetime.date]]) -> None:
    """Recount the ``MonthlySales`` of the (branch id, any day of the month) pairs from the
    policies: every write of policies calls it in its transaction (a bulk load that bypasses
    the services calls :func:`rebuild_monthly_sales`). Rule: a row per branch and month with
    a counted policy (every status but 撤单), its sums exactly those of the policies.

    Recounts a little more than asked, in few statements: per chunk of branches, every month
    between the earliest and the latest given.
    """
    touched = list(touched)
    if not touched:
        return
    first = min(day for _branch, day in touched).replace(day=1)
    last = _month_end(max(day for _branch, day in touched))
    for chunk in _in_chunks(sorted({branch_id for branch_id, _day in touched})):
        _recount_months(chunk, first, last)


def rebuild_monthly_sales() -> int:
    """Recount every branch's ``MonthlySales`` from all its policies (after a bulk load, or
    to repair the summary); returns the number of rows. Rule as :func:`recount_monthly_sales`."""
    with transaction.atomic():
        _recount_months(None, None, None)
        return MonthlySales.objects.count()


_RECOUNT_SQL = """
INSERT INTO sales_monthlysales (branch_id, month, premium, policies, standard_premium)
SELECT branch_id, date_trunc('month', signed_on::timestamp)::date,
       SUM(premium), COUNT(*), SUM(standard_premium)
FROM sales_policy
WHERE status <> %s {where}
GROUP BY 1, 2
"""


def _recount_months(branch_ids, first, last):
    """Replace the monthly sales of ``branch_ids`` (None: every branch) in ``first``..``last``
    (None: every month) by the policies' sums."""
    rows = MonthlySales.objects.all()
    policies = Policy.objects.exclude(status=Policy.Status.CANCELLED)
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=branch_ids)
        policies = policies.filter(branch_id__in=branch_ids)
    if first is not None:
        rows = rows.filter(month__gte=first, month__lte=last)
        policies = policies.filter(signed_on__gte=first, signed_on__lte=last)
    rows.delete()
    if connection.vendor == "postgresql":
        # One INSERT ... SELECT: a rebuild writes ~60,000 rows at scale 1 without Python.
        where, params = "", [Policy.Status.CANCELLED]
        if branch_ids is not None:
            where += " AND branch_id = ANY(%s)"
            params.append(list(branch_ids))
        if first is not None:
            where += " AND signed_on BETWEEN %s AND %s"
            params += [first, last]
        with connection.cursor() as cursor:
            cursor.execute(_RECOUNT_SQL.format(where=where), params)
        return
    sums = (
        policies.annotate(month=TruncMonth("signed_on"))
        .order_by()
        .values_list("branch_id", "month")
        .annotate(Sum("premium"), Count("pk"), Sum("standard_premium"))
    )
    MonthlySales.objects.bulk_create(
        [
            MonthlySales(
                branch_id=branch_id,
                month=month.date() if isinstance(month, datetime.datetime) else month,
                premium=premium,
                policies=count,
                standard_premium=standard,
            )
            for branch_id, month, premium, count, standard in sums
        ],
        batch_size=CHUNK,
    )
