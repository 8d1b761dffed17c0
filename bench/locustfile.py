"""The 200-manager load test (issue 22), run headless by ``bench/loadtest``.

Managers (bm0001 … bm0200) and supervisors (bench_sup001 … bench_sup020) sign in through the
login form once, then act with a think time of 5–15 s between requests, each in proportion:

managers: home 4, branch page 3, branch list 2, stock overview 1, visit POST 1,
          delivery POST 1, checklist tick 1;
supervisors: their dashboard.

Every form is posted as a browser would: the page is read first (CSRF token, hidden fields),
the POST answers with a redirect (302), which is not followed. Any other status is an error.
Loopback only: the host must be 127.0.0.1 or localhost.
"""

import datetime
import itertools
import os
import random
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import gevent
from locust import FastHttpUser, between, events, task

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-pass-2026")
MANAGERS = int(os.environ.get("LOAD_MANAGERS", "200"))
SUPERVISORS = int(os.environ.get("LOAD_SUPERVISORS", "20"))
BRANCH_LINK = re.compile(r'href="/branches/(\d+)/"')
TICK_ACTION = re.compile(r'action="(/duties/items/\d+/tick/)"')

_numbers = {"manager": itertools.count(1), "supervisor": itertools.count(1)}
_lock = threading.Lock()


def _next(kind):
    with _lock:
        return next(_numbers[kind])


# Seconds between the last user's start and the measured window: signing 220 users in (a
# password hash each, ~0.5 s of CPU) piles up a queue the first minute then works off.
SETTLE = int(os.environ.get("LOAD_SETTLE", "60"))
_environment = {}


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _environment["current"] = environment


@events.spawning_complete.add_listener
def _measure_from_steady_state(user_count, **kwargs):
    """SETTLE seconds after every user has started, reset Locust's figures and snapshot the
    server's CPU: bench/loadtest reports the steady state from there, and the requests and
    failures before it (sign-ins, settling) on a line of their own."""
    gevent.spawn_later(SETTLE, _start_measuring)


def _start_measuring():
    environment = _environment["current"]
    total = environment.stats.total
    before = f"{total.num_requests} {total.num_failures}"
    environment.stats.reset_all()
    target = os.environ.get("LOAD_CPU_SNAPSHOT")
    if not target:
        return
    figures = subprocess.run(
        [
            sys.executable,
            "bench/cpu.py",
            os.environ["LOAD_GUNICORN_PID"],
            os.environ["LOAD_PG_PORT"],
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    with open(target, "w") as handle:
        handle.write(f"{figures}\n{load}\n{before}\n")


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("The load test only talks to the loopback interface.")


class FormFields(HTMLParser):
    """The fields of each <form method="post"> of a page: [{name: value}]."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
            self.forms.append({})
        elif tag in ("input", "textarea") and self.in_form and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def form_fields(html):
    """The page's main form: the POST form with the most fields (the menu's sign-out and
    language forms have one or two)."""
    parser = FormFields()
    parser.feed(html)
    return max(parser.forms, key=len, default={})


class SignedIn(FastHttpUser):
    # geventhttpclient, not requests: the load generator shares the server's two cores, and
    # Locust's own measurements put FastHttpUser at several times less CPU per request.
    abstract = True
    wait_time = between(5, 15)

    def sign_in(self, username):
        page = self.client.get("/accounts/login/", name="login form")
        fields = form_fields(page.text)
        fields.update(username=username, password=PASSWORD)
        with self.client.post(
            "/accounts/login/",
            data=fields,
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")

    def post_form(self, page_url, name, change, page_name):
        page = self.client.get(page_url, name=page_name)
        if page.status_code != 200:
            return
        fields = form_fields(page.text)
        change(fields)
        with self.client.post(
            page_url, data=fields, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")


class Manager(SignedIn):
    weight = MANAGERS

    def on_start(self):
        self.username = f"bm{_next('manager'):04d}"
        self.sign_in(self.username)
        listing = self.client.get("/branches/", name="branch list")
        self.branches = sorted(set(BRANCH_LINK.findall(listing.text))) or []

    def branch(self):
        return random.choice(self.branches) if self.branches else None

    @task(4)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def branch_page(self):
        if (pk := self.branch()) is not None:
            self.client.get(f"/branches/{pk}/", name="branch page")

    @task(2)
    def branch_list(self):
        self.client.get(f"/branches/?page={random.randint(1, 2)}", name="branch list")

    @task(1)
    def stock_overview(self):
        self.client.get("/documents/", name="stock overview")

    @task(1)
    def visit(self):
        if (pk := self.branch()) is None:
            return

        def change(fields):
            fields.update(
                visited_at=datetime.datetime.now(SHANGHAI).strftime("%Y-%m-%dT%H:%M"),
                purposes="relationship",
                summary="load test visit",
            )

        self.post_form(f"/branches/{pk}/visits/new/", "visit POST", change, "visit form")

    @task(1)
    def delivery(self):
        if (pk := self.branch()) is None:
            return

        def change(fields):
            # One item of the delivery: the first line's quantity.
            fields["lines-0-quantity"] = str(random.randint(5, 50))
            fields["note"] = "load test delivery"

        self.post_form(
            f"/documents/branches/{pk}/delivery/", "delivery POST", change, "delivery form"
        )

    @task(1)
    def checklist_tick(self):
        page = self.client.get("/duties/", name="checklist")
        actions = TICK_ACTION.findall(page.text)
        if not actions:
            return
        fields = form_fields(page.text)
        token = {"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", "")}
        with self.client.post(
            random.choice(actions),
            data=token,
            allow_redirects=False,
            name="checklist tick",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"checklist tick answered {response.status_code}")


class Supervisor(SignedIn):
    weight = SUPERVISORS

    def on_start(self):
        self.sign_in(f"bench_sup{_next('supervisor'):03d}")

    @task
    def dashboard(self):
        self.client.get("/desk/team/", name="supervisor dashboard")
