"""Server-side timings of the main pages on the seeded database, each against its limit.

Run by ``bench/run`` (see bench/README.md); on its own: ``DATABASE_URL=... python
bench/measure.py --repeat 20``. Each page is requested in-process with Django's test
client (all middleware, a signed-in user), after warm-up. Its **limit** is the same template
rendered from the same context with every row already in memory: no middleware, no view, no
context processors, no queries (the limit's own query count is reported and should be 0).

A page is one entry in ``PAGES``; a reminder scan one entry in ``SCANS``.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "False")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count, Max, QuerySet  # noqa: E402
from django.forms import BaseForm  # noqa: E402
from django.template import engines, loader  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.collector import settle_collector  # noqa: E402

PAGE_QUERY_LIMIT = 12  # issue 22 (was 20)
RATIO_LIMIT = 3.0
SCAN_LIMIT_MS = 1000  # issue 22: per unit of scale (1 s at scale 1, 5 s at scale 5)
ROWS_LIMIT = 2.0  # the 100-row branch list against the 25-row one


@dataclass
class Page:
    name: str
    user: str  # "manager", "supervisor" or "admin": who opens it
    url: object  # a function (Subjects) -> path, or None when the page does not exist here
    method: str = "get"
    data: object = None  # a function (Subjects) -> POST data, or -> a function making it anew
    expect: int = 200
    json: bool = False  # the data is posted as JSON (the offline sync), its records accepted


@dataclass
class Subjects:
    """The people and rows the pages are measured on."""

    manager: object
    supervisor: object
    admin: object
    province_head: object  # issue 17: the head of the whole tree (None before it existed)
    branch: object  # the manager's branch with the longest visit history
    visits_at_branch: int
    # The latest day the manager's team submitted logs (seed_bench writes them for the working
    # days before it ran), or None: the team's log page is read as a supervisor reads it the
    # morning after, not on a day nobody has logged yet.
    log_day: object = None
    extra: dict = field(default_factory=dict)


def first_url(*names):
    """The first of these URL names that exists: pages still being built are skipped."""

    def url(subjects):
        for name in names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        return None

    return url


def team_logs_url(subjects):
    url = first_url("worklog:team")(subjects)
    if url is None or subjects.log_day is None:
        return url
    return f"{url}?date={subjects.log_day:%Y-%m-%d}"


def visit_post(subjects):
    now = timezone.localtime()
    return {
        "visited_at": now.strftime("%Y-%m-%dT%H:%M"),
        "purposes": ["relationship", "delivery"],
        "summary": "bench visit",
        "next_steps": "",
    }


def sync_post(subjects):
    """A function making one queued visit with a new key: the phone's sync of the visit form.
    The same key twice would only read the first answer."""
    fields = visit_post(subjects)

    def body():
        record = {
            "key": str(uuid.uuid4()),
            "kind": "visit",
            "target": subjects.branch.pk,
            "fields": [
                [name, value]
                for name, values in fields.items()
                for value in (values if isinstance(values, list) else [values])
            ],
        }
        return {"records": [record]}

    return body


PAGES = [
    Page("branch list", "manager", lambda s: reverse("branches:list")),
    Page("branch list, filtered", "manager", lambda s: reverse("branches:list") + "?tier=B&q=支行"),
    Page("branch list (supervisor)", "supervisor", lambda s: reverse("branches:list")),
    # Issue 22: a row costs little, so 100 rows cost at most twice the 25 above.
    Page(
        "branch list, 100 rows (supervisor)",
        "supervisor",
        lambda s: reverse("branches:list") + "?per_page=100",
    ),
    Page("branch detail", "manager", lambda s: reverse("branches:detail", args=[s.branch.pk])),
    Page(
        "visit form GET", "manager", lambda s: reverse("branches:visit_create", args=[s.branch.pk])
    ),
    Page(
        "visit form POST",
        "manager",
        lambda s: reverse("branches:visit_create", args=[s.branch.pk]),
        method="post",
        data=visit_post,
        expect=302,
    ),
    # The manager home of issue 9: the visit planner, today's checklist, stock, cases.
    Page("manager home", "manager", lambda s: reverse("home")),
    Page("supervisor home", "supervisor", lambda s: reverse("home")),
    Page("supervisor dashboard", "supervisor", first_url("desk:dashboard")),
    # Issue 17: the province head's dashboard, a row per city over all 200 managers.
    Page("province dashboard", "province_head", first_url("desk:dashboard")),
    Page(
        "admin assessment list (supervisor)",
        "supervisor",
        lambda s: reverse("admin:grading_assessment_changelist"),
    ),
    Page(
        "admin assessment list (superuser)",
        "admin",
        lambda s: reverse("admin:grading_assessment_changelist"),
    ),
    Page("stock overview", "manager", lambda s: reverse("documents:overview")),
    # The rest of the load test's mix (bench/locustfile.py) and the pages of issues 18-20.
    Page("checklist", "manager", lambda s: reverse("duties:today")),
    Page(
        "delivery form GET", "manager", lambda s: reverse("documents:delivery", args=[s.branch.pk])
    ),
    Page("work log", "manager", first_url("worklog:today")),
    Page("work log (supervisor's team)", "supervisor", team_logs_url),
    Page("offline data (JSON)", "manager", first_url("offline:data")),
    # A visit queued on the phone and synced (issue 22): a visit POST plus the key's check
    # and its answer.
    Page(
        "offline sync, one visit (JSON)",
        "manager",
        first_url("offline:sync"),
        method="post",
        data=sync_post,
        json=True,
    ),
    # The floor: a signed-in page that reads nothing of its own (Django's form, the session's
    # read only). What it costs beyond its template is what any page costs before its reads.
    Page("password change (no reads of its own)", "manager", first_url("password_change")),
]


def scan_birthdays():
    from reminders import birthdays

    return birthdays.plan()


def scan_stock():
    from reminders import stock

    return stock.plan_daily()


def scan_stock_usage():
    """The 00:05 job: each branch item's stored 30-day usage (documents.tasks)."""
    from documents import services

    services.refresh_stock_usage()
    return []


def scan_weekly():
    from reminders import weekly

    return weekly.plan()


def scan_unit_figures():
    """Beat's five-minute count of every team's unit-page figures (desk.services)."""
    from desk import services

    services.refresh_team_figures()
    return []


SCANS = [
    ("reminder scan: birthdays", scan_birthdays),
    ("reminder scan: stock", scan_stock),
    ("reminder scan: weekly digest", scan_weekly),
    ("nightly stock usage refresh", scan_stock_usage),
    ("unit figures count (every 5 minutes)", scan_unit_figures),
]


def subjects():
    from django.contrib.auth import get_user_model

    from branches.models import Branch
    from worklog.models import WorkLog

    User = get_user_model()
    manager = User.objects.get(username="bm0001")
    supervisor = manager.account_manager.supervisor
    branch = (
        Branch.objects.filter(manager__user=manager)
        .annotate(visit_count=Count("visits"))
        .order_by("-visit_count")
        .first()
    )
    return Subjects(
        manager=manager,
        supervisor=User.objects.get(username=supervisor.username),
        admin=User.objects.get(username="bench_admin"),
        province_head=User.objects.filter(username="bench_province").first(),
        branch=branch,
        visits_at_branch=branch.visit_count,
        log_day=WorkLog.objects.filter(
            manager__supervisor=supervisor, submitted_at__isnull=False
        ).aggregate(day=Max("date"))["day"],
    )


def timed(function, repeat, warmup):
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 2), round(p95, 2)


def freeze(context):
    """Make a captured context query-free: every row it shows is in memory already."""
    for value in context.values():
        if isinstance(value, QuerySet) and value._result_cache is None:
            list(value)
        form = value if isinstance(value, BaseForm) else getattr(value, "form", None)
        if isinstance(form, BaseForm):
            for form_field in form.fields.values():
                if hasattr(form_field, "queryset"):
                    form_field.widget.choices = list(form_field.widget.choices)
    return context


def capture(client, page, url, data):
    """One instrumented request: its queries, the page template and its context."""
    setup_test_environment(debug=False)
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    try:
        with CaptureQueriesContext(connection) as queries:
            response = request(client, page, url, data)
    finally:
        teardown_test_environment()
        settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    template = response.templates[0].name if response.templates else None
    context = None
    if template is not None:
        contexts = response.context
        first = contexts[0] if isinstance(contexts, list) else contexts
        context = freeze(first.flatten())
    return len(queries), template, context, response.wsgi_request


def without_processors(context, request):
    """The view's own context: the flattened one without what the context processors and
    the template engine add (they are run again when rendering with the request)."""
    engine = engines["django"].engine
    added = {"True", "False", "None", "csrf_token"}
    for processor in engine.template_context_processors:
        added.update(processor(request))
    return {key: value for key, value in context.items() if key not in added}


def request(client, page, url, data):
    if page.method != "post":
        response = client.get(url)
    elif page.json:
        body = json.dumps(data() if callable(data) else data)
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.post(url, data() if callable(data) else data)
    if response.status_code != page.expect:
        raise RuntimeError(f"{page.name}: {url} answered {response.status_code}")
    if page.json and any(r["status"] != "accepted" for r in response.json()["results"]):
        # A refused record costs less than an accepted one: it would not be measured.
        raise RuntimeError(f"{page.name}: {url} answered {response.json()['results']}")
    return response


def stopwatch(function):
    """(wall ms, this process's CPU ms): CPU time leaves out waiting for the database and
    for CPUs other processes hold, so it stays meaningful on a busy machine."""
    started, cpu = time.perf_counter(), time.process_time()
    function()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def measure_page(page, subjects, repeat, warmup):
    url = page.url(subjects)
    if url is None or getattr(subjects, page.user) is None:
        return {"name": page.name, "skipped": "no such page in this build"}
    client = Client()
    client.force_login(getattr(subjects, page.user))
    data = page.data(subjects) if page.data else None
    fetch = lambda: request(client, page, url, data)  # noqa: E731
    for _ in range(warmup):
        fetch()
    queries, template, context, captured_request = capture(client, page, url, data)
    result = {
        "name": page.name,
        "url": url,
        "method": page.method.upper(),
        "user": page.user,
        "queries": queries,
        "template": template,
        "limit_median_ms": None,
        "limit_p95_ms": None,
        "limit_queries": None,
        "ratio": None,
    }
    render = render_with_request = None
    if context is not None:
        compiled = loader.get_template(template)
        render = lambda: compiled.render(context)  # noqa: E731
        # For information only (not the target): the same template rendered as the view
        # renders it, for the request, so with the context processors and CSRF the page
        # cannot do without; the view's own rows in memory as in the limit.
        own = without_processors(context, captured_request)
        render_with_request = lambda: compiled.render(own, captured_request)  # noqa: E731
        with CaptureQueriesContext(connection) as limit_queries:
            for _ in range(warmup):
                render()
        result["limit_queries"] = len(limit_queries) // max(warmup, 1)
        with CaptureQueriesContext(connection) as request_limit_queries:
            for _ in range(warmup):
                render_with_request()
        result["request_limit_queries"] = len(request_limit_queries) // max(warmup, 1)
    # Page and limits alternate, so a busy machine slows them alike.
    samples, limit_samples, cpu, limit_cpu, request_limit_samples = [], [], [], [], []
    for _ in range(repeat):
        wall, used = stopwatch(fetch)
        samples.append(wall)
        cpu.append(used)
        if render is not None:
            wall, used = stopwatch(render)
            limit_samples.append(wall)
            limit_cpu.append(used)
            request_limit_samples.append(stopwatch(render_with_request)[0])
    result["median_ms"], result["p95_ms"] = summary(samples)
    result["cpu_median_ms"] = round(statistics.median(cpu), 2)
    if limit_samples:
        limit_median, limit_p95 = summary(limit_samples)
        limit_cpu_median = statistics.median(limit_cpu)
        result.update(
            limit_median_ms=limit_median,
            limit_p95_ms=limit_p95,
            limit_cpu_median_ms=round(limit_cpu_median, 2),
            ratio=round(result["median_ms"] / limit_median, 2) if limit_median else None,
            # The Django process's own CPU time against the limit's: no waiting in either.
            cpu_ratio=round(result["cpu_median_ms"] / limit_cpu_median, 2)
            if limit_cpu_median
            else None,
        )
        request_limit = statistics.median(request_limit_samples)
        result.update(
            request_limit_median_ms=round(request_limit, 2),
            request_ratio=round(result["median_ms"] / request_limit, 2) if request_limit else None,
        )
    # A limit that reads the database (a template tag querying) is no limit: the page is
    # then compared with a yardstick that waits for the database too.
    result["meets_target"] = (
        queries <= PAGE_QUERY_LIMIT
        and (result["ratio"] is None or result["ratio"] <= RATIO_LIMIT)
        and not result["limit_queries"]
    )
    return result


def measure_rows(short, long, subjects, repeat, warmup):
    """The 100-row list against the 25-row one, the two requested in turn.

    Each page's own median comes from its own minute of the run; on a machine whose speed
    moves from one minute to the next, their quotient measured the minutes as much as the
    rows (1.18-2.06 across six runs of the same code). In turn, both see the same minutes,
    as a page and its limit do.
    """
    fetches = []
    for page in (short, long):
        client = Client()
        client.force_login(getattr(subjects, page.user))
        url = page.url(subjects)
        fetches.append(lambda client=client, page=page, url=url: request(client, page, url, None))
    for _ in range(warmup):
        for fetch in fetches:
            fetch()
    walls, cpus = ([], []), ([], [])
    for _ in range(repeat):
        for index, fetch in enumerate(fetches):
            wall, used = stopwatch(fetch)
            walls[index].append(wall)
            cpus[index].append(used)
    short_ms, long_ms = (statistics.median(samples) for samples in walls)
    short_cpu, long_cpu = (statistics.median(samples) for samples in cpus)
    return {
        "wall": round(long_ms / short_ms, 2),
        "cpu": round(long_cpu / short_cpu, 2),
        "short_ms": round(short_ms, 2),
        "long_ms": round(long_ms, 2),
    }


def measure_scan(name, function, repeat, limit_ms=SCAN_LIMIT_MS):
    with CaptureQueriesContext(connection) as queries:
        planned = function()
    samples = timed(function, repeat, warmup=0)
    median, p95 = summary(samples)
    return {
        "name": name,
        "median_ms": median,
        "p95_ms": p95,
        "queries": len(queries),
        "planned_emails": len(planned),
        "limit_median_ms": None,
        "ratio": None,
        "limit_ms": limit_ms,
        "meets_target": p95 < limit_ms,
    }


def table(results, header):
    lines = [
        header,
        "",
        "| page | median ms | p95 ms | queries | limit median ms | ratio | CPU ratio | target |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in results:
        if "skipped" in row:
            lines.append(f"| {row['name']} | — | — | — | — | — | — | skipped: {row['skipped']} |")
            continue

        def show(value):
            return "—" if value is None else f"{value}"

        lines.append(
            f"| {row['name']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
            f"{show(row['limit_median_ms'])} | {show(row['ratio'])} | "
            f"{show(row.get('cpu_ratio'))} | "
            f"{'ok' if row['meets_target'] else 'MISS'} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scan-repeat", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "results.json"))
    parser.add_argument(
        "--only", default="", help="measure only the pages and scans whose name contains this"
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    # Reminder emails rendered by a scan must not go anywhere.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    who = subjects()
    # What the server process does when start-up is done (config.wsgi): the pages are timed
    # in a process whose garbage collector is set as the served one's.
    settle_collector()
    from branches.models import Branch
    from desk.management.commands.seed_bench import BASE

    scale = Branch.objects.filter(code__startswith="BN").count() / BASE["branches"]
    results = []
    for page in [page for page in PAGES if args.only in page.name]:
        results.append(measure_page(page, who, args.repeat, args.warmup))
        reset_queries()
        print(f"  measured {page.name}", file=sys.stderr, flush=True)
    for name, function in [(name, function) for name, function in SCANS if args.only in name]:
        results.append(
            measure_scan(name, function, args.scan_repeat, SCAN_LIMIT_MS * max(1.0, scale))
        )
        print(f"  measured {name}", file=sys.stderr, flush=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    header = (
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, scale {scale:g}, "
        f"{connection.vendor} {getattr(connection, 'pg_version', '')}, "
        f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {args.repeat} requests per page after "
        f"{args.warmup} warm-up; branch detail on a branch with {who.visits_at_branch} visits; "
        f"load average {load:.1f} when the run ended."
    )
    print(table(results, header))
    with_request = [
        f"{row['name']} {row['request_ratio']}× ({row['request_limit_median_ms']} ms)"
        for row in results
        if row.get("request_ratio") is not None
    ]
    if with_request:
        # Not the target: the limit rendered for the request, with the context processors.
        print("\nRatio to the limit rendered for the request: " + "; ".join(with_request))
    querying = [
        f"{row['name']} ({row['limit_queries']})" for row in results if row.get("limit_queries")
    ]
    if querying:
        print("\nLimits that ran queries (their pages count as MISS): " + "; ".join(querying))
    rows_ratio = None
    short, long = (
        next((page for page in PAGES if page.name == name), None)
        for name in ("branch list (supervisor)", "branch list, 100 rows (supervisor)")
    )
    if short and long and args.only in short.name and args.only in long.name:
        rows_ratio = measure_rows(short, long, who, args.repeat, args.warmup)
        verdict = "ok" if rows_ratio["wall"] <= ROWS_LIMIT else "MISS"
        print(
            f"\nBranch list, 100 rows against 25 (requested in turn, {args.repeat} each: "
            f"{rows_ratio['long_ms']} against {rows_ratio['short_ms']} ms): "
            f"{rows_ratio['wall']}× wall, {rows_ratio['cpu']}× CPU (target ≤ {ROWS_LIMIT}×): "
            f"{verdict}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"header": header, "results": results, "rows_ratio": rows_ratio},
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nJSON: {out}")
    return 0 if all(row.get("meets_target", True) for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
