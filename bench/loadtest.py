"""Closed-loop load on a running server: signed-in managers open a branch and log visits.

Run by ``bench/load`` (see bench/README.md). Each virtual user signs in as its own bench
manager (bm0001, bm0002, ...), reads its branch list once, then until the time is up:
opens one of its branches, opens the visit form and posts a visit (a 302 back to the
branch). No think time: the figures are the server's capacity. Standard library only;
loopback only; bounded by ``--duration`` and ``--max-requests``.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BRANCH_LINK = re.compile(r'href="/branches/(\d+)/"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Recorder:
    def __init__(self, max_requests):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.max_requests = max_requests
        self.count = 0

    def allow(self):
        with self.lock:
            if self.count >= self.max_requests:
                return False
            self.count += 1
            return True

    def record(self, name, ms, ok, detail=""):
        with self.lock:
            self.latencies[name].append(ms)
            if not ok:
                self.errors[f"{name}: {detail}"] += 1


class User:
    def __init__(self, base, username, password, recorder):
        if urllib.parse.urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("The load test only talks to the loopback interface.")
        self.base = base
        self.username = username
        self.password = password
        self.recorder = recorder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def call(self, name, path, data=None, expect=200, record=True):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:
            status, text = None, str(error)
        ms = (time.perf_counter() - started) * 1000
        ok = status == expect
        if record:
            self.recorder.record(name, ms, ok, f"status {status}")
        if not ok and not record:
            raise RuntimeError(f"{self.username} {path}: status {status}")
        return text

    def sign_in(self):
        page = self.call("login form", "/accounts/login/", record=False)
        token = TOKEN.search(page).group(1)
        self.call(
            "login",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password},
            expect=302,
            record=False,
        )
        listing = self.call("branch list", "/branches/", record=False)
        self.branches = sorted(set(BRANCH_LINK.findall(listing)))
        if not self.branches:
            raise RuntimeError(f"{self.username} sees no branches")

    def run(self, deadline, rng):
        while time.monotonic() < deadline:
            branch = rng.choice(self.branches)
            if not self.recorder.allow():
                return
            self.call("branch page", f"/branches/{branch}/")
            if not self.recorder.allow():
                return
            form = self.call("visit form", f"/branches/{branch}/visits/new/")
            match = TOKEN.search(form)
            if match is None:
                self.recorder.record("visit form", 0, False, "no CSRF token")
                continue
            if not self.recorder.allow():
                return
            now = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() - 3600))
            self.call(
                "visit POST",
                f"/branches/{branch}/visits/new/",
                {
                    "csrfmiddlewaretoken": match.group(1),
                    "visited_at": now,
                    "purposes": ["relationship", "delivery"],
                    "summary": "load test visit",
                },
                expect=302,
            )


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--password", required=True, help="seed_bench.BENCH_PASSWORD")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "out" / "load.json"))
    args = parser.parse_args()

    recorder = Recorder(args.max_requests)
    users = [User(args.url, f"bm{i + 1:04d}", args.password, recorder) for i in range(args.users)]
    for user in users:
        user.sign_in()
    deadline = time.monotonic() + args.duration
    started = time.monotonic()
    threads = [
        threading.Thread(target=user.run, args=(deadline, random.Random(i)))
        for i, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    everything = [ms for values in recorder.latencies.values() for ms in values]
    errors = sum(recorder.errors.values())
    result = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "requests": len(everything),
        "requests_per_second": round(len(everything) / elapsed, 1),
        "p50_ms": round(statistics.median(everything), 1) if everything else None,
        "p95_ms": round(p95(everything), 1) if everything else None,
        "errors": errors,
        "load_average_at_end": round(os.getloadavg()[0], 1),
        "error_kinds": dict(recorder.errors),
        "by_request": {
            name: {
                "count": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(p95(values), 1),
            }
            for name, values in sorted(recorder.latencies.items())
        },
    }
    lines = [
        f"{result['users']} users, {result['seconds']} s: {result['requests']} requests, "
        f"{result['requests_per_second']} requests/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, errors {errors} "
        f"(machine load average {result['load_average_at_end']} at the end)",
        "",
        "| request | count | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for name, row in result["by_request"].items():
        lines.append(f"| {name} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} |")
    print("\n".join(lines))
    if recorder.errors:
        print("Errors:", json.dumps(result["error_kinds"], ensure_ascii=False))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
