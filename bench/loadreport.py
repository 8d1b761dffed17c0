"""The load test's summary from Locust's CSV (bench/out/locust_stats.csv) and the CPU figures
``bench/loadtest`` read before and after: a Markdown table on stdout, JSON in
bench/out/loadtest.json. Exit 1 on any failed request."""

import argparse
import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def main():
    parser = argparse.ArgumentParser()
    for name in ("before", "after", "load-before", "load-after", "users", "duration", "workers"):
        parser.add_argument(f"--{name}", required=True)
    # "requests failures" before the measured window: sign-ins and settling.
    parser.add_argument("--settling", default="0 0")
    args = parser.parse_args()
    settling_requests, settling_failures = (int(v) for v in args.settling.split())
    rows = list(csv.DictReader((OUT / "locust_stats.csv").open()))
    web_before, db_before = (float(v) for v in args.before.split(","))
    web_after, db_after = (float(v) for v in args.after.split(","))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    web, db = web_after - web_before, db_after - db_before
    per_request = {
        "web_cpu_ms": round(1000 * web / requests, 1) if requests else None,
        "db_cpu_ms": round(1000 * db / requests, 1) if requests else None,
    }
    lines = [
        f"{args.users} users, {args.duration}, gunicorn {args.workers} sync workers; "
        f"load average {args.load_before} before, {args.load_after} after.",
        "",
        "| request | count | failures | median ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | "
            f"{round(float(row['Max Response Time']))} |"
        )
    lines += [
        "",
        f"Requests {requests:,} ({float(total['Requests/s']):.1f}/s), failures {failures}; CPU "
        f"{web:.1f} s in gunicorn and {db:.1f} s in PostgreSQL: "
        f"{per_request['web_cpu_ms']} ms + {per_request['db_cpu_ms']} ms per request.",
        f"Before the measured window (signing in, settling): {settling_requests:,} requests, "
        f"failures {settling_failures}.",
    ]
    print("\n".join(lines))
    failures_csv = OUT / "locust_failures.csv"
    if failures and failures_csv.exists():
        print("\nFailures:\n" + failures_csv.read_text())
    (OUT / "loadtest.json").write_text(
        json.dumps(
            {
                "users": args.users,
                "duration": args.duration,
                "workers": args.workers,
                "load_before": args.load_before,
                "load_after": args.load_after,
                "requests": requests,
                "failures": failures,
                "settling": {"requests": settling_requests, "failures": settling_failures},
                "p95_ms": float(total["95%"]),
                "cpu_seconds": {"web": round(web, 2), "db": round(db, 2)},
                "cpu_ms_per_request": per_request,
                "rows": rows,
            },
            indent=2,
        )
    )
    return 1 if failures or settling_failures else 0


if __name__ == "__main__":
    sys.exit(main())
