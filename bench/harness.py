#!/usr/bin/env python3
"""Fuhua's performance harness: load on every page a role uses, against Fortunes in the same run.

Run through `bench/run.sh`, which builds the release binary and installs the load generators.
This script seeds a database, starts `fuhua serve --bench-baseline`, signs in as each role, finds
the ids of the pages to load from the pages themselves, and for each target measures:

- the most requests per second `wrk` gets (2 threads, `--connections` connections, `--duration`
  seconds), with its p50 and p99;
- p50 and p99 at a fixed load of 25 % of that maximum (`hey -q`), the latency a user sees when the
  server is not saturated;
- the size of one response, and the server's resident memory at the end (VmRSS) and its peak
  (VmHWM).

Then the writes (`bench/writes.py`): signing leases, recording equity rounds and changing units,
each against the same-run rate of one committed insert (`/bench/commit`); sixteen conflicting
admissions at once, of which one must win; the cached dashboard against a fresh process's; and,
with the server stopped, `fuhua check` (every roll-up against its rebuild).

The baseline is TechEmpower's Fortunes (`/bench/fortunes`), served by the same process on the same
pool and database; every figure is also given as a ratio to it. The table is printed and written
to `bench/results/<db>-n<scale>.md` (and `.json`).

Only the Python standard library is used.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import writes

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "fuhua-demo-2026"
ACCOUNTS = {
    "bureau": "bureau@demo.fuhua.cn",
    "operator": "operator@demo.fuhua.cn",
    "startup": "startup@demo.fuhua.cn",
}
# The carrier the demo operator runs and the demo startup rents from.
SHOWCASE = "临沂高新区科技创业园"
# List and detail pages must reach this share of Fortunes, report pages the other.
LIST_GOAL, REPORT_GOAL = 0.25, 0.10


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


class Server:
    """One `fuhua serve` process."""

    def __init__(self, binary, env, port, log_name="server.log"):
        self.port = port
        self.log = open(ROOT / "bench" / "results" / log_name, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--bench-baseline", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit("the server exited while starting: see bench/results/server.log")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit("the server did not answer /healthz within 120 s")

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read(), response.getheaders()
        finally:
            connection.close()

    def memory(self):
        """Resident memory now and at its peak, in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        field = lambda name: int(re.search(rf"^{name}:\s+(\d+) kB", status, re.M).group(1)) / 1024
        return field("VmRSS"), field("VmHWM")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def sign_in(server, role):
    body = urllib.parse.urlencode({"email": ACCOUNTS[role], "password": PASSWORD})
    status, _, headers = server.request(
        "POST",
        "/api/login",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{server.port}",
            "Accept": "application/json",
        },
    )
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("fuhua_session="):
            return value.split(";", 1)[0]
    sys.exit(f"signing in as {role} failed ({status})")


def call(server, cookie, method, path, body):
    """One request as the role's browser sends it: its cookie, and a server function's form body
    with the site's own origin."""
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{server.port}"})
    return server.request(method, path, body, headers)


def page(server, cookie, path):
    status, body, _ = server.request("GET", path, headers={"Cookie": cookie, "Accept": "text/html"})
    if status != 200:
        sys.exit(f"GET {path} answered {status}, not 200")
    return body.decode("utf-8", "replace")


def first(pattern, html, what):
    match = re.search(pattern, html)
    if not match:
        sys.exit(f"no {what} found ({pattern})")
    return match.group(1)


def targets(server, cookies):
    """(page, role, kind, method, path, body) for every page and read of each role, with ids read
    from the pages a user would click through."""
    bureau, operator, startup = cookies["bureau"], cookies["operator"], cookies["startup"]
    carriers = page(server, bureau, "/carriers")
    # Found by name, as a user would at any scale (the first page holds it only in a small city).
    found = page(server, bureau, "/carriers?q=" + urllib.parse.quote(SHOWCASE))
    carrier = first(rf'href="/carriers/(\d+)"[^>]*>{re.escape(SHOWCASE)}<', found, "showcase carrier")
    deep = re.findall(r'href="/carriers\?[^"]*page=(\d+)', carriers)
    deep_page = max((int(p) for p in deep), default=1)
    spaces = page(server, operator, f"/carriers/{carrier}/spaces")
    floor = first(r'href="/floors/(\d+)[?"]', spaces, "floor")
    # A startup's home is its own page, where `/` sends it.
    _, _, headers = server.request("GET", "/", headers={"Cookie": startup, "Accept": "text/html"})
    own = first(r"^/startups/(\d+)$", dict((k.lower(), v) for k, v in headers).get("location", ""),
                "the startup's own page")
    own_page = page(server, startup, f"/startups/{own}")
    lease = first(r'href="/leases/(\d+)[?"]', own_page, "the startup's lease")
    portfolio = page(server, operator, f"/carriers/{carrier}/portfolio")
    # A startup the carrier holds whose cap table shows a round.
    held = round_id = None
    for candidate in dict.fromkeys(re.findall(r'href="/startups/(\d+)/equity[?"]', portfolio)):
        found = re.search(r'href="/equity/rounds/(\d+)[?"]', page(server, operator, f"/startups/{candidate}/equity"))
        if found:
            held, round_id = candidate, found.group(1)
            break
    if round_id is None:
        sys.exit("no startup the carrier holds has a round")
    applications = page(server, operator, "/applications")
    application = first(r'href="/applications/(\d+)[?"]', applications, "an application")
    holdings = list(dict.fromkeys(re.findall(r'href="/startups/(\d+)/equity[?"]', portfolio)))
    ids = {"carrier": carrier, "startup": own, "held": holdings}
    return ids, [
        ("Fortunes (baseline)", "-", "baseline", "GET", "/bench/fortunes", None),
        ("dashboard", "bureau", "report", "GET", "/dashboard", None),
        ("home", "bureau", "report", "GET", "/", None),
        ("carrier list", "bureau", "list", "GET", "/carriers", None),
        ("carrier list, filtered", "bureau", "list", "GET", "/carriers?kind=maker_space", None),
        ("carrier list, last page", "bureau", "list", "GET", f"/carriers?page={deep_page}", None),
        ("carrier", "bureau", "list", "GET", f"/carriers/{carrier}", None),
        ("carrier's spaces", "bureau", "list", "GET", f"/carriers/{carrier}/spaces", None),
        ("floor", "bureau", "list", "GET", f"/floors/{floor}", None),
        ("city portfolio", "bureau", "report", "GET", "/portfolio", None),
        ("readiness list", "bureau", "report", "GET", "/readiness", None),
        ("carrier readiness", "bureau", "report", "GET", f"/carriers/{carrier}/readiness", None),
        ("audit trail", "bureau", "list", "GET", "/audit", None),
        ("Torch report, city (CSV)", "bureau", "report", "GET", "/reports/torch.csv", None),
        ("Torch report, carrier (XLSX)", "bureau", "report", "GET", f"/reports/torch.xlsx?carrier={carrier}", None),
        ("home", "operator", "report", "GET", "/", None),
        ("tenants", "operator", "list", "GET", f"/carriers/{carrier}/tenants", None),
        ("rent roll", "operator", "list", "GET", f"/carriers/{carrier}/rent-roll", None),
        ("applications", "operator", "list", "GET", "/applications", None),
        ("application", "operator", "list", "GET", f"/applications/{application}", None),
        ("carrier portfolio", "operator", "report", "GET", f"/carriers/{carrier}/portfolio", None),
        ("cap table", "operator", "list", "GET", f"/startups/{held}/equity", None),
        ("round", "operator", "list", "GET", f"/equity/rounds/{round_id}", None),
        ("own startup", "startup", "list", "GET", f"/startups/{own}", None),
        ("lease", "startup", "list", "GET", f"/leases/{lease}", None),
        ("catalogue", "startup", "list", "GET", "/space", None),
        ("get_dashboard (server function)", "bureau", "report", "POST", "/api/get_dashboard", ""),
    ]


def same_figures(server, binary, env, port, cookie, before):
    """The dashboard the running server answers from its cache after the writes (cached before
    them, so it must have been computed again: the writes changed today's area), against the one
    a process started now computes from scratch: equal, or the harness fails."""
    cached = call(server, cookie, "POST", "/api/get_dashboard", "")
    if cached[1] == before[1]:
        sys.exit("the dashboard after the writes is the one before them: the cache was not refreshed")
    fresh_server = Server(binary, env, port, "server-fresh.log")
    try:
        fresh = call(fresh_server, cookie, "POST", "/api/get_dashboard", "")
    finally:
        fresh_server.stop()
    if cached[0] != 200 or cached[1] != fresh[1]:
        sys.exit("the cached dashboard differs from one computed from scratch after the writes")
    log("the cached dashboard after the writes equals a fresh process's")


def wrk(port, method, path, body, cookie, connections, duration):
    script = ROOT / "bench" / "results" / "request.lua"
    headers = {"Origin": f"http://127.0.0.1:{port}", "Accept": "text/html" if method == "GET" else "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    lines = [f'wrk.method = "{method}"']
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"')
        lines.append(f"wrk.body = {json.dumps(body)}")
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in out:
        sys.exit(f"{method} {path}: some answers were errors under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, wrk_ms(out, "50%"), wrk_ms(out, "99%")


def wrk_ms(out, quantile):
    value, unit = re.search(rf"^\s+{re.escape(quantile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def hey(port, method, path, body, cookie, rate, duration):
    """p50 and p99 in ms at `rate` requests per second (4 workers, each rate/4)."""
    workers = 4
    per_worker = max(rate / workers, 0.5)
    command = ["hey", "-z", f"{duration}s", "-c", str(workers), "-q", f"{per_worker:.2f}", "-m", method,
               "-H", f"Origin: http://127.0.0.1:{port}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if body is not None:
        command += ["-T", "application/x-www-form-urlencoded", "-d", body]
    out = subprocess.run(command + ["-o", "csv", f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    # One line per request: response-time (s), DNS+dialup, DNS, request-write, response-delay,
    # response-read, status-code, offset.
    times, statuses = [], set()
    for line in out.splitlines()[1:]:
        cells = line.split(",")
        if len(cells) >= 7:
            times.append(float(cells[0]) * 1000)
            statuses.add(cells[6])
    if not times or statuses != {"200"}:
        sys.exit(f"{method} {path}: answers other than 200 at a fixed load: {sorted(statuses)}")
    times.sort()
    quantile = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return quantile(0.50), quantile(0.99)


def prepare_database(db, scale, env, binary):
    results = ROOT / "bench" / "results"
    if db == "sqlite":
        folder = results / "db"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        env["DATABASE_URL"] = f"sqlite://{folder}/fuhua.db?mode=rwc"
    else:
        server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        name = f"fuhua_bench_n{scale}"
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                        "-c", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = f"{server}/{name}"
    started = time.time()
    grow = ["--scale", str(scale)] if scale != 1 else []
    subprocess.run([binary, "seed", "--demo", *grow], env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.time() - started
    if db == "sqlite":
        size = sum(f.stat().st_size for f in (results / "db").iterdir())
    else:
        size = int(subprocess.run(["psql", env["DATABASE_URL"], "-Atc", "SELECT pg_database_size(current_database())"],
                                  capture_output=True, text=True, check=True).stdout)
    return seconds, size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", type=int, default=1,
                        help="the demo city's scale factor (fuhua seed --demo --scale N: N cities like it)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=3390)
    parser.add_argument("--only", help="measure only the pages whose name contains this ('writes': only the writes)")
    parser.add_argument("--no-writes", action="store_true", help="measure the pages only")
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "fuhua"))
    args = parser.parse_args()

    binary = args.binary
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    env = dict(os.environ, LEPTOS_SITE_ROOT=str(ROOT / "target" / "site"), FUHUA_LOG="warn",
               FUHUA_DATA_DIR=str(results / "data"))
    log(f"seeding the demo city (scale {args.scale}) on {args.db}")
    seed_seconds, db_bytes = prepare_database(args.db, args.scale, env, binary)
    log(f"seeded in {seed_seconds:.1f} s; database {db_bytes / 1e6:.1f} MB")

    server = Server(binary, env, args.port)
    rows = []
    try:
        cookies = {role: sign_in(server, role) for role in ACCOUNTS}
        ids, plan = targets(server, cookies)
        if args.only:
            plan = [t for t in plan if t[4] == "/bench/fortunes" or args.only in t[0]]
        do_writes = not args.no_writes and args.only in (None, "writes")
        baseline = None
        for name, role, kind, method, path, body in plan:
            cookie = cookies.get(role)
            status, payload, _ = call(server, cookie, method, path, body)
            if status != 200:
                sys.exit(f"{method} {path} as {role} answered {status}")
            log(f"{name} ({role}): {method} {path}, {len(payload)} bytes")
            wrk(args.port, method, path, body, cookie, args.connections, 2)  # warm-up
            rate, p50, p99 = wrk(args.port, method, path, body, cookie, args.connections, args.duration)
            fixed = hey(args.port, method, path, body, cookie, rate / 4, args.duration)
            rss, peak = server.memory()
            if baseline is None:
                baseline = rate
            rows.append({
                "page": name, "role": role, "kind": kind, "path": path, "bytes": len(payload),
                "rps": rate, "ratio": rate / baseline, "p50": p50, "p99": p99,
                "fixed_p50": fixed[0], "fixed_p99": fixed[1], "rss_mb": rss, "peak_mb": peak,
            })
            log(f"  {rate:.0f} req/s ({rate / baseline:.1%} of Fortunes), p99 {p99:.1f} ms; "
                f"at 25 %: p99 {fixed[1]:.1f} ms; RSS {rss:.0f} MB")
        write_rows = []
        if do_writes:
            before = call(server, cookies["bureau"], "POST", "/api/get_dashboard", "")
            write_rows = writes.run(server, cookies, ids["carrier"], ids["startup"], ids["held"], args.duration,
                                    args.connections, log)
            same_figures(server, binary, env, args.port + 1, cookies["bureau"], before)
    finally:
        server.stop()
    if do_writes:
        checked = subprocess.run([binary, "check"], env=env, capture_output=True, text=True)
        log(checked.stdout.strip().splitlines()[-1] if checked.stdout.strip() else checked.stderr.strip())
        if checked.returncode != 0:
            sys.exit(f"fuhua check found the roll-ups not exact after the writes:\n{checked.stdout}{checked.stderr}")

    machine = f"{os.cpu_count()} cores, {subprocess.run(['uname', '-sr'], capture_output=True, text=True).stdout.strip()}"
    header = (f"Scale {args.scale} on {args.db} ({machine}); seeded in {seed_seconds:.0f} s, database "
              f"{db_bytes / 1e6:.1f} MB; wrk 2 threads, {args.connections} connections, {args.duration} s; "
              f"fixed load 25 % of each page's maximum (hey); {time.strftime('%Y-%m-%d')}")
    table = [header, "",
             "| page | role | goal | req/s | × Fortunes | p50 ms | p99 ms | p99 ms at 25 % | KB | RSS MB |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        goal = {"list": f"≥ {LIST_GOAL:.0%}", "report": f"≥ {REPORT_GOAL:.0%}", "baseline": ""}[r["kind"]]
        table.append(f"| {r['page']} | {r['role']} | {goal} | {r['rps']:.0f} | {r['ratio']:.2f} | {r['p50']:.1f} | "
                     f"{r['p99']:.1f} | {r['fixed_p99']:.1f} | {r['bytes'] / 1024:.0f} | {r['rss_mb']:.0f} |")
    if write_rows:
        table += ["", "| write | role | req/s | × one commit | p50 ms | p99 ms |", "|---|---|---:|---:|---:|---:|"]
        for name, role, rate, p50, p99, base in write_rows:
            ratio = f"{rate / base:.2f}" if base else ""
            table.append(f"| {name} | {role} | {rate:.0f} | {ratio} | {p50:.1f} | {p99:.1f} |")
        table += ["", f"After the writes: {checked.stdout.strip().splitlines()[-1]}; sixteen conflicting "
                      f"admissions into one unit signed one lease; the cached dashboard equals a fresh process's."]
    text = "\n".join(table) + "\n"
    print(text)
    stem = results / f"{args.db}-n{args.scale}"
    stem.with_suffix(".md").write_text(text)
    stem.with_suffix(".json").write_text(json.dumps({"header": header, "rows": rows, "writes": write_rows},
                                                    ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
