"""The harness's writes: signing leases, recording equity rounds and changing units, each driven
by wrk with a different request body every time (a lease may be signed once), against the
same-run rate of one committed write with nothing else in it (`/bench/commit`: an insert and its
fsync). Also many operators admitting into one unit at once, of whom exactly one may win.

The bodies are prepared first through the product's own server functions (applications created
and taken into review, as a startup and an operator would) and handed to wrk in files, one per
wrk thread; a run that needs more bodies than were prepared is refused, not measured.
Only the Python standard library is used.
"""

import calendar
import concurrent.futures
import datetime
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
THREADS = 2
# Leases are signed for single months from this one on, unit by unit: far enough ahead that the
# demo city has booked none of them.
FIRST_MONTH = datetime.date(2031, 1, 1)

LUA = """
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  bodies = {}
  for line in io.lines(args[1] .. "-" .. id .. ".txt") do
    bodies[#bodies + 1] = line
  end
  next_body = 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "application/json"
  wrk.headers["Origin"] = args[2]
  wrk.headers["Cookie"] = args[3]
end
function request()
  local body = bodies[next_body]
  if body == nil then
    -- Out of prepared bodies: send the last again; it is refused, and the run is reported so.
    body = bodies[#bodies]
  end
  next_body = next_body + 1
  return wrk.format(nil, nil, nil, body)
end
"""


def post(server, cookie, function, fields):
    """A server function called as the role's browser calls it; (status, decoded JSON or text)."""
    body = urllib.parse.urlencode(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
               "Origin": f"http://127.0.0.1:{server.port}"}
    if cookie:
        headers["Cookie"] = cookie
    status, payload, _ = server.request("POST", f"/api/{function}", body, headers)
    text = payload.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def must(server, cookie, function, fields):
    status, answer = post(server, cookie, function, fields)
    if status != 200:
        sys.exit(f"{function} answered {status}: {str(answer)[:400]}")
    return answer


def month(n):
    """The first and last day of the n-th month from FIRST_MONTH."""
    year, index = divmod(FIRST_MONTH.month - 1 + n, 12)
    first = datetime.date(FIRST_MONTH.year + year, index + 1, 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def lettable_units(server, cookie, carrier):
    """The carrier's units that can be let and are let to nobody today."""
    floors = must(server, cookie, "get_carrier_floors", {"carrier": carrier, "on": datetime.date.today().isoformat()})
    units = [u for f in floors for u in f["units"]
             if u.get("tenant") is None and u["availability"] == "in_service" and u["status"] == "vacant"]
    if not units:
        sys.exit(f"carrier {carrier} has no vacant unit to sign leases on")
    return units


def applications(server, cookies, carrier, startup, count):
    """`count` applications of the demo startup to the carrier, each taken into review by its
    operator: what an admission needs."""
    start = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

    def one(n):
        created = must(server, cookies["startup"], "create_application", {
            "startup": startup, "form[carrier_id]": carrier, "form[request_kind]": "desks", "form[desks]": "2",
            "form[area]": "", "form[desired_start]": start, "form[duration_months]": "1",
            "form[summary]": f"压力测试申请第{n}号：两个工位，一个月，用于写入基准测试。", "submit": "true",
        })
        must(server, cookies["operator"], "move_application",
             {"id": created, "transition": "start_review", "reason": ""})
        return created

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def wrk_bodies(server, cookie, function, bodies, duration, connections):
    """Requests per second of wrk posting each body once, and p50/p99 in ms."""
    stem = RESULTS / f"bodies-{function}"
    for thread in range(THREADS):
        (RESULTS / f"bodies-{function}-{thread + 1}.txt").write_text(
            "\n".join(bodies[thread::THREADS]) + "\n")
    script = RESULTS / "bodies.lua"
    script.write_text(LUA)
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{server.port}/api/{function}", "--", str(stem), f"http://127.0.0.1:{server.port}", cookie],
        capture_output=True, text=True, check=True,
    ).stdout
    sent = int(re.search(r"(\d+) requests in", out).group(1))
    if sent > len(bodies):
        sys.exit(f"{function}: wrk sent {sent} requests but only {len(bodies)} bodies were prepared; "
                 f"prepare more (the rate is higher than the harness planned for)")
    if "Non-2xx or 3xx responses" in out:
        sys.exit(f"{function}: some writes were refused under load:\n{out}")
    from harness import wrk_ms
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rate, wrk_ms(out, "50%"), wrk_ms(out, "99%"), sent


def commit_baseline(server, duration, connections):
    """The same-run rate of one committed insert (`POST /bench/commit`)."""
    from harness import wrk
    return wrk(server.port, "POST", "/bench/commit", "", None, connections, duration)


def race(server, cookie, ids, unit, first, last):
    """Every application in `ids` admitted into one unit for one month at once; the statuses."""
    barrier = threading.Barrier(len(ids))

    def attempt(application):
        fields = {"id": application, "lease[units][0]": unit, "lease[starts_on]": first.isoformat(),
                  "lease[ends_on]": last.isoformat(), "lease[monthly_rent]": "1000", "lease[deposit]": "0"}
        barrier.wait()
        return post(server, cookie, "admit_application", fields)[0]

    with concurrent.futures.ThreadPoolExecutor(len(ids)) as pool:
        return list(pool.map(attempt, ids))


def run(server, cookies, carrier, startup, held, duration, connections, log):
    """The write rows of the table (`held`: the startups the carrier holds equity in), after the
    race has been won once."""
    rows = []
    base_rate, base_p50, base_p99 = commit_baseline(server, duration, connections)
    log(f"one committed insert (/bench/commit): {base_rate:.0f} req/s")
    rows.append(("one committed insert (baseline)", "-", base_rate, base_p50, base_p99, None))
    # No write can be faster than the bare commit by much; half again as many bodies as the
    # baseline's rate over the run is plenty, and a run that needs more says so.
    needed = int(base_rate * duration * 1.5) + 100
    units = lettable_units(server, cookies["operator"], carrier)

    # Leases: each application admitted into one unit for one month, no two alike.
    log(f"preparing {needed} applications under review")
    started = time.time()
    ids = applications(server, cookies, carrier, startup, needed + 16)
    log(f"  prepared in {time.time() - started:.0f} s")
    racers, ids = ids[:16], ids[16:]
    bodies = []
    for n, application in enumerate(ids):
        first, last = month(1 + n // len(units))
        bodies.append(urllib.parse.urlencode({
            "id": application, "lease[units][0]": units[n % len(units)]["id"],
            "lease[starts_on]": first.isoformat(), "lease[ends_on]": last.isoformat(),
            "lease[monthly_rent]": "1000", "lease[deposit]": "0",
        }))
    rate, p50, p99, sent = wrk_bodies(server, cookies["operator"], "admit_application", bodies, duration, connections)
    log(f"sign a lease: {rate:.0f} req/s ({rate / base_rate:.1%} of one commit), {sent} leases")
    rows.append(("sign a lease (admit an application)", "operator", rate, p50, p99, base_rate))

    # Sixteen operators' admissions into one unit and month at once: one lease.
    first, last = month(0)
    statuses = race(server, cookies["operator"], racers, units[0]["id"], first, last)
    won = statuses.count(200)
    log(f"sixteen admissions into one unit for one month at once: {won} signed, statuses {sorted(statuses)}")
    if won != 1:
        sys.exit(f"{won} of 16 conflicting admissions were signed: the unit is booked {won} times")

    # Equity: a capital increase with a new investor each time, in turn in each startup the
    # carrier holds (a startup's ledger is replayed on each of its events, as it would be).
    today = datetime.date.today().isoformat()
    round_of = lambda startup, name: {
        "startup": startup, "form[kind]": "capital_increase", "form[on]": today, "form[stage]": "seed",
        "form[pre_money]": "10000000", "form[rows][0][name]": name, "form[rows][0][kind]": "investor",
        "form[rows][0][amount]": "1000", "form[rows][0][channel]": "cash",
    }
    # Only the startups whose ledger the operator keeps (its tenants; a graduate's is its own):
    # one round each, as the first of the writes, finds them.
    keeps = [h for h in held[:60] if post(server, cookies["operator"], "record_equity_event",
                                           round_of(h, f"首轮投资人{h}"))[0] == 200]
    if not keeps:
        sys.exit("the operator keeps the ledger of none of the startups its carrier holds")
    bodies = [urllib.parse.urlencode(round_of(keeps[n % len(keeps)], f"基准投资人{n}")) for n in range(needed)]
    rate, p50, p99, sent = wrk_bodies(server, cookies["operator"], "record_equity_event", bodies, duration,
                                      connections)
    log(f"record a round: {rate:.0f} req/s ({rate / base_rate:.1%} of one commit), {sent} rounds")
    rows.append(("record an equity round", "operator", rate, p50, p99, base_rate))

    # Units: each vacant unit's usable area changed today, a hundredth of a square metre less each
    # time (so that no change repeats the one before, whichever runs first), the rest of its
    # specification as it is.
    bases = {"per_square_metre": "per_m2", "per_desk": "per_desk"}
    bodies = []
    for n in range(needed):
        unit = units[n % len(units)]
        spec = unit["spec"]
        rent = spec.get("rent") or {}
        bodies.append(urllib.parse.urlencode({
            "unit": unit["id"], "change[action]": "update", "change[effective_on]": today,
            "change[reason]": f"基准测试第{n}次面积复核", "change[unit][code]": unit["code"],
            "change[unit][kind]": spec["kind"], "change[unit][gross_area]": f"{spec['gross'] / 100:.2f}",
            "change[unit][usable_area]": f"{(spec['usable'] - 1 - (n // len(units)) % 500) / 100:.2f}",
            "change[unit][use_category]": spec["category"],
            "change[unit][desks]": "" if spec.get("desks") is None else str(spec["desks"]),
            "change[unit][list_rent]": f"{rent['amount'] / 100:.2f}" if rent else "",
            "change[unit][rent_basis]": bases.get(rent.get("basis"), "") if rent else "",
        }))
    rate, p50, p99, sent = wrk_bodies(server, cookies["operator"], "change_unit", bodies, duration, connections)
    log(f"change a unit: {rate:.0f} req/s ({rate / base_rate:.1%} of one commit), {sent} changes")
    rows.append(("change a unit's area", "operator", rate, p50, p99, base_rate))
    return rows
