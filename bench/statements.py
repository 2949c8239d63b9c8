#!/usr/bin/env python3
"""Where a page's time goes: the SQL statements one request runs, and their time.

Starts `fuhua serve` on the database the harness last seeded (bench/results/db, SQLite) with
`FUHUA_LOG_SQL` set, requests each page of the harness once to warm it and once to count, and
prints per page the statements, their summed time and the request's whole time.

Usage: bench/statements.py [path-to-fuhua]   (default target/release/fuhua; the debug build
counts the same statements, only its times are slower)
"""

import re
import sys
import time

import harness

MULTIPLIER = {"µs": 0.001, "us": 0.001, "ms": 1.0, "s": 1000.0}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(harness.ROOT / "target" / "release" / "fuhua")
    database = harness.ROOT / "bench" / "results" / "db" / "fuhua.db"
    if not database.exists():
        sys.exit("no database: run bench/run.sh --db sqlite first")
    env = dict(harness.os.environ, LEPTOS_SITE_ROOT=str(harness.ROOT / "target" / "site"),
               FUHUA_LOG="warn,sqlx::query=info", FUHUA_LOG_SQL="1", DATABASE_URL=f"sqlite://{database}?mode=rwc",
               NO_COLOR="1")
    server = harness.Server(binary, env, 3391)
    log = harness.ROOT / "bench" / "results" / "server.log"
    print("| page | role | statements | in the database, ms | whole request, ms |\n|---|---|---:|---:|---:|")
    try:
        cookies = {role: harness.sign_in(server, role) for role in harness.ACCOUNTS}
        _, plan = harness.targets(server, cookies)
        for name, role, _, method, path, body in plan:
            harness.call(server, cookies.get(role), method, path, body)
            time.sleep(0.2)
            before = len(log.read_text().splitlines())
            started = time.time()
            harness.call(server, cookies.get(role), method, path, body)
            whole = (time.time() - started) * 1000
            time.sleep(0.2)
            lines = [line for line in log.read_text().splitlines()[before:] if "sqlx::query" in line]
            spent = 0.0
            for line in lines:
                found = re.search(r"elapsed=([\d.]+)(µs|us|ms|s)\b", line)
                if found:
                    spent += float(found.group(1)) * MULTIPLIER[found.group(2)]
            print(f"| {name} | {role} | {len(lines)} | {spent:.1f} | {whole:.1f} |", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
