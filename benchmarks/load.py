#!/usr/bin/env python
"""`make load`: many editors at once against gunicorn on PostgreSQL.

Builds the PostgreSQL benchmark dataset if it is missing, starts gunicorn (one app
server, or two on different ports sharing PostgreSQL and Redis with `--servers 2`),
runs locust headless with N simulated editors for a fixed time (benchmarks/locustfile.py),
then prints throughput, latency percentiles and errors, and checks that every write the
server accepted is in the database: each note with its text and audit row, each status
change in the claim's timeline (ClaimEvent) and its audit trail (simple-history) at the
version the server confirmed. With two servers it first proves they share state: a
session made on A works on B, a change through A shows on B at once, a note added on B
shows on A, and a cache entry set under A's environment is read under B's. Exits
non-zero on any error, lost write or failed consistency check. See benchmarks/README.md.

    python benchmarks/load.py --scale 0.02 --users 50 --time 60
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness, servers  # noqa: E402

TARGET_P95_MS = 250
LOGIN = {"login", "login page"}  # once per editor, PBKDF2 by design: reported apart from the mix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, choices=[1, 2], default=1, help="app servers (2: shared Redis cache)")
    parser.add_argument("--users", type=int, default=50, help="simulated editors (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="editors started per second (default 5)")
    parser.add_argument("--time", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server (default 4)")
    parser.add_argument("--port", type=int, default=8100, help="first server's port (default 8100; B is +1)")
    parser.add_argument("--wait", default="1,3", help="think time between an editor's actions, min,max s (default 1,3)")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset scale (1 = 100,000 claims)")
    parser.add_argument("--conn-max-age", default="60", help="CONN_MAX_AGE for the servers (default 60)")
    parser.add_argument("--skip-dataset", action="store_true", help="use the database as it is")
    parser.add_argument("--output", type=Path, help="JSON file to write (default .bench/load-<timestamp>.json)")
    args = parser.parse_args()

    database = harness.database_url("postgres", args.scale)
    if not args.skip_dataset:
        database = harness.ensure_dataset("postgres", args.scale)
    os.environ.update(harness.app_env(database))  # the checks below read the same database
    import django

    django.setup()

    redis = harness.redis_answers()
    if args.servers == 2 and not redis:
        print(f"Two app servers need Redis at {harness.REDIS_URL}, which does not answer.")
        return 2
    extra = {"CONN_MAX_AGE": args.conn_max_age}
    if redis:
        extra["REDIS_URL"] = harness.REDIS_URL
    started_at = datetime.now()
    load_average = " ".join(f"{value:.2f}" for value in os.getloadavg())
    names = ["A", "B"][: args.servers]
    running = []
    try:
        for offset, name in enumerate(names):
            env = harness.app_env(database, **extra)
            running.append(
                servers.start_gunicorn(name, args.port + offset, env, workers=args.workers, log_dir=harness.BENCH_DIR)
            )
        for server in running:
            servers.wait_until_ready(server)
        where = ", ".join(f"{server.name} {server.url}" for server in running)
        print(f"App servers: {where} ({args.workers} gunicorn workers each; cache: {extra.get('REDIS_URL', 'local')})")

        users, password, words = load_plan(args.users)
        consistency = []
        if len(running) == 2:
            try:
                consistency = check_consistency(running, users[0], password)
            except AssertionError as failure:  # a step the checks could not take: the servers disagree
                consistency = [{"check": "two servers act as one desk", "ok": False, "detail": str(failure)}]
                print(f"  FAIL {failure}")
        cpu_before = cpu_snapshot(running)
        record = run_locust(args, running, users, password, words)
        cpu = {name: round(after - cpu_before.get(name, 0), 1) for name, after in cpu_snapshot(running).items()}
        cpu["locust"] = round(record.pop("locust_cpu"), 1)
        cpu["everything else"] = round(cpu.pop("machine") - sum(cpu.values()), 1)
    finally:
        for server in running:
            servers.stop(server)
    server_errors = [line for server in running for line in server_log_errors(server.log)]

    report = analyse(record, args)
    lost = find_lost_writes(record["writes"])
    report.update(
        {
            "created": started_at.isoformat(timespec="seconds"),
            "database": database,
            "servers": [server.url for server in running],
            "cache": extra.get("REDIS_URL", "local memory"),
            "consistency": consistency,
            "lost_writes": lost,
            "server_errors": server_errors[:50],
            "cpu_seconds": cpu,
            "load_average": load_average,
        }
    )
    print_report(report)
    output = args.output or harness.BENCH_DIR / f"load-{started_at:%Y%m%d-%H%M%S}.json"
    output.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nFigures written to {output}")
    failed_checks = [check for check in consistency if not check["ok"]]
    return 1 if report["errors"] or lost or failed_checks or server_errors else 0


def load_plan(count: int) -> tuple[list[str], str, list[str]]:
    """One editor account per simulated editor, their password, and words to search for."""
    from django.contrib.auth import get_user_model

    from claims.models import Claim

    # Editors first, then reviewers (who may do everything an editor may).
    accounts = get_user_model().objects.filter(is_active=True)
    editors = list(accounts.filter(groups__name="editor").order_by("username").values_list("username", flat=True))
    editors += list(accounts.filter(groups__name="reviewer").order_by("username").values_list("username", flat=True))
    editors = list(dict.fromkeys(editors))[:count]
    if len(editors) < count:
        print(f"Only {len(editors)} editor accounts for {count} simulated editors: some share an account.")
    summaries = Claim.objects.order_by("pk").values_list("summary", flat=True)[:500]
    words = Counter(word.lower() for summary in summaries for word in re.findall(r"[A-Za-z]{5,}", summary))
    return editors, harness.dataset_password(), [word for word, _ in words.most_common(40)[5:]]


def check_consistency(pair, username: str, password: str) -> list[dict]:
    """Two app servers behave as one: sessions, changes, notes and the cache are shared."""
    from claims.models import Claim

    a, b = pair
    checks = []

    def check(name, ok, detail):
        checks.append({"check": name, "ok": bool(ok), "detail": detail})
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")

    print("Two servers, one desk:")
    on_a = servers.DeskSession(a.url)
    on_a.log_in(username, password)
    on_b = servers.DeskSession(b.url, cookies=on_a.cookies)
    shown_a, shown_b = on_a.signed_in_as(), on_b.signed_in_as()
    check("session made on A works on B", shown_b and shown_b == shown_a, f"B shows {shown_b!r} signed in")

    claim = Claim.objects.filter(status__in=["new", "researching", "not_checkworthy"]).order_by("-pk").first()
    before = claim.status
    counts_before = on_b.page("/").status_counts()  # cached (Redis) until a claim changes
    on_a.page("/")
    status, version = on_a.change_status(claim.pk)
    page_b = on_b.page(f"/claims/{claim.pk}/")
    form_b = page_b.form(f"/claims/{claim.pk}/status/")
    seen = (page_b.statuses_shown()[:1], form_b.value("based_on") if form_b else None)
    check(
        "a change through A shows on B at once",
        seen == ([status], str(version)),
        f"claim {claim.pk} → {status} at version {version} on A; B shows {seen[0]} at version {seen[1]}",
    )

    counts_after = on_b.page("/").status_counts()
    expected = {**counts_before, before: counts_before[before] - 1, status: counts_before[status] + 1}
    check(
        "the desk's counts on B follow a change through A at once",
        counts_after == expected,
        f"B's {before}/{status} counts {counts_before[before]}/{counts_before[status]} → "
        f"{counts_after.get(before)}/{counts_after.get(status)}",
    )

    body = f"Written through B, {uuid.uuid4()}"
    note_id = on_b.add_note(claim.pk, body)
    page_a = on_a.page(f"/claims/{claim.pk}/")
    check("a note added on B shows on A", note_id in page_a.annotation_ids() and body in page_a.html, f"note {note_id}")

    key, value = f"bench-consistency-{uuid.uuid4()}", uuid.uuid4().hex
    backend_a, _ = servers.cache_probe(a.env, key, value)
    backend_b, read = servers.cache_probe(b.env, key)
    check(
        "the cache is shared (set under A's environment, read under B's)",
        read == value and backend_a == backend_b == "RedisCache",
        f"A uses {backend_a}, B uses {backend_b}; B read {read!r}",
    )
    for session in (on_a, on_b):
        session.close()
    return checks


def run_locust(args, running, users, password, words) -> dict:
    record_path = harness.BENCH_DIR / "load-record.json"
    record_path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_HOSTS": ",".join(server.url for server in running),
        "BENCH_USERS": ",".join(users),
        "BENCH_PASSWORD": password,
        "BENCH_WORDS": ",".join(words),
        "BENCH_WAIT": args.wait,
        "BENCH_RECORD": str(record_path),
    }
    command = [
        str(harness.BIN / "locust"),
        "-f",
        str(harness.ROOT / "benchmarks" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.time}s",
        "--host",
        running[0].url,
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    print(
        f"\nlocust: {args.users} editors ({args.spawn_rate:g}/s), {args.time} s, think time {args.wait} s …", flush=True
    )
    started = time.monotonic()
    log = harness.BENCH_DIR / "locust.log"
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log.open("w") as output:
        subprocess.run(command, env=env, cwd=harness.ROOT, check=True, stdout=output, stderr=subprocess.STDOUT)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"locust done in {time.monotonic() - started:.0f} s (its own summary: {log})")
    record = json.loads(record_path.read_text())
    record["locust_cpu"] = sum(
        getattr(children_after, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime")
    )
    return record


def cpu_snapshot(running) -> dict[str, float]:
    """CPU seconds used so far by each app server (master and workers), PostgreSQL and
    Redis (all their processes, whoever else uses them), to see where the cores went."""
    import psutil

    def used(process) -> float:
        try:
            times = process.cpu_times()
            return times.user + times.system
        except psutil.Error:
            return 0.0

    machine = psutil.cpu_times()
    totals = {"machine": machine.user + machine.system + getattr(machine, "nice", 0) + getattr(machine, "irq", 0)}
    totals["machine"] += getattr(machine, "softirq", 0)
    for server in running:
        master = psutil.Process(server.process.pid)
        totals[f"gunicorn {server.name}"] = used(master) + sum(used(child) for child in master.children(recursive=True))
    for process in psutil.process_iter(["name"]):
        name = process.info["name"] or ""
        if name.startswith("postgres") or name.startswith("redis-server"):
            key = "postgresql" if name.startswith("postgres") else "redis"
            totals[key] = totals.get(key, 0.0) + used(process)
    return totals


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "mean": None}
    ordered = sorted(values)

    def at(share):
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "mean": statistics.fmean(ordered)}


def analyse(record: dict, args) -> dict:
    """Latency of the whole run, and of the steady state the target is about: every
    editor logged in and working (from the last login's answer to the end), logins apart."""
    requests = record["requests"]
    for request in requests:
        request["start"] = request["end"] - request["ms"] / 1000
    logged_in = max((r["end"] for r in requests if r["name"] in LOGIN), default=0)
    steady = [r for r in requests if r["name"] not in LOGIN and r["start"] >= logged_in]
    steady_seconds = max((r["end"] for r in steady), default=logged_in) - logged_in
    by_name = defaultdict(list)
    for request in steady:
        by_name[request["name"]].append(request["ms"])
    errors = [r for r in requests if not r["ok"]]
    unconfirmed = [w for w in record["writes"] if w["kind"] == "unconfirmed"]
    mix = percentiles([r["ms"] for r in steady])
    return {
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "requests": len(requests),
        "throughput": len(requests) / args.time,
        "all": percentiles([r["ms"] for r in requests]),
        "logins": percentiles([r["ms"] for r in requests if r["name"] == "login"]),
        "ramp_up_seconds": logged_in - min((r["start"] for r in requests), default=logged_in),
        "steady": {
            **mix,
            "seconds": steady_seconds,
            "throughput": len(steady) / steady_seconds if steady_seconds else 0,
        },
        "per_request": {name: percentiles(values) for name, values in sorted(by_name.items())},
        "per_server": {
            host: percentiles([r["ms"] for r in steady if r["host"] == host])
            for host in sorted({r["host"] for r in steady})
        },
        "errors": len(errors) + len(unconfirmed),
        "error_samples": Counter(f"{r['name']}: {r['error']}" for r in errors).most_common(10)
        + [(f"status change accepted but not shown: {w}", 1) for w in unconfirmed[:5]],
        "accepted": Counter(write["kind"] for write in record["writes"]),
        "p95_target_ms": TARGET_P95_MS,
        "p95_pass": mix["p95"] is not None and mix["p95"] <= TARGET_P95_MS,
    }


def find_lost_writes(writes: list[dict]) -> list[dict]:
    """Every write the server accepted, looked for in the database: what is missing."""
    from django.contrib.auth import get_user_model

    from claims.models import Annotation, Claim, ClaimEvent

    lost = []
    notes = [w for w in writes if w["kind"] == "note"]
    stored = {
        note.pk: note for note in Annotation.objects.filter(pk__in=[w["id"] for w in notes]).select_related("author")
    }
    audited = set(
        Annotation.history.filter(id__in=[w["id"] for w in notes], history_type="+").values_list("id", flat=True)
    )
    for write in notes:
        note = stored.get(write["id"])
        if note is None or note.body != write["body"] or note.claim_id != write["claim"]:
            lost.append({**write, "why": "the note is not in the database as written"})
        elif note.author is None or note.author.get_username() != write["user"]:
            lost.append({**write, "why": "the note is stored under another author"})
        elif write["id"] not in audited:
            lost.append({**write, "why": "the note has no audit row"})

    changes = [w for w in writes if w["kind"] == "status"]
    claim_ids = {w["claim"] for w in changes}
    users = dict(get_user_model().objects.values_list("pk", "username"))
    events = {
        (event.claim_id, event.new_value, event.version, users.get(event.actor_id))
        for event in ClaimEvent.objects.filter(claim_id__in=claim_ids, field="status")
    }
    audit = set(
        (row["id"], row["status"], row["version"], users.get(row["history_user_id"]))
        for row in Claim.history.filter(id__in=claim_ids).values("id", "status", "version", "history_user_id")
    )
    for write in changes:
        key = (write["claim"], write["target"], write["version"], write["user"])
        if key not in events:
            lost.append({**write, "why": "no timeline entry (ClaimEvent) for this change"})
        elif key not in audit:
            lost.append({**write, "why": "no audit row (simple-history) for this change"})
    versions = Counter((w["claim"], w["version"]) for w in changes)
    for (claim, version), times in versions.items():
        if times > 1:
            lost.append(
                {
                    "kind": "status",
                    "claim": claim,
                    "version": version,
                    "why": f"{times} accepted changes made the same version",
                }
            )
    return lost


def server_log_errors(log: Path) -> list[str]:
    """The errors a server logged: each distinct exception, with how often it occurred."""
    if not log.exists():
        return []
    lines = log.read_text(errors="replace").splitlines()
    exceptions = Counter(line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Warning)\b.*: ", line))
    failures = sum(line.startswith("Internal Server Error") for line in lines)
    found = [f"{log.name}: {times}× {line}" for line, times in exceptions.most_common()]
    if failures and not found:
        found.append(f"{log.name}: {failures}× Internal Server Error")
    return found


def print_report(report: dict) -> None:
    steady, everything, options = report["steady"], report["all"], report["options"]
    print(
        f"\n== Load: {options['users']} editors, think time {options['wait']} s, {options['time']} s, "
        f"on {', '.join(report['servers'])} ({options['workers']} workers each)"
    )
    print(f"   whole run: {report['requests']} requests, {report['throughput']:.1f}/s; {fmt(everything)}")
    print(
        f"   logging in (PBKDF2, once per editor, {report['ramp_up_seconds']:.0f} s ramp-up): {fmt(report['logins'])}"
    )
    print(
        f"   steady state, every editor working ({steady['seconds']:.0f} s): {steady['n']} requests, "
        f"{steady['throughput']:.1f}/s; {fmt(steady)}"
    )
    print(f"\n{'steady state, by request':<32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, figures in report["per_request"].items():
        print(f"{name:<32} {figures['n']:>6} {figures['p50']:>8.0f} {figures['p95']:>8.0f} {figures['p99']:>8.0f}")
    if len(report["per_server"]) > 1:
        for host, figures in report["per_server"].items():
            print(f"  on {host}: {figures['n']} requests; {fmt(figures)}")
    cpu = report["cpu_seconds"]
    spent = ", ".join(f"{name} {seconds:.0f}" for name, seconds in cpu.items())
    print(f"  load average before the run: {report['load_average']}")
    print(f"  CPU seconds during the run ({os.cpu_count()} cores × {options['time']} s available): {spent}")
    accepted = report["accepted"]
    print(
        f"\nAccepted writes: {accepted.get('note', 0)} notes, {accepted.get('status', 0)} status changes; "
        f"{accepted.get('conflict', 0)} status changes refused with 409 (someone else changed the claim first)"
    )
    for sample, times in report["error_samples"]:
        print(f"  error ×{times}: {sample}")
    for line in report["server_errors"][:10]:
        print(f"  server log: {line}")
    for write in report["lost_writes"][:20]:
        print(f"  LOST: {write}")

    def verdict(ok):
        return "pass" if ok else "MISS"

    print("\nTargets:")
    for check in report["consistency"]:
        print(f"  {verdict(check['ok'])}  {check['check']}")
    print(f"  {verdict(report['errors'] == 0)}  zero errors ({report['errors']})")
    print(f"  {verdict(not report['lost_writes'])}  zero lost writes ({len(report['lost_writes'])})")
    p95 = steady["p95"]
    print(f"  {verdict(report['p95_pass'])}  p95 ≤ {TARGET_P95_MS} ms in the steady state ({p95 or 0:.0f} ms)")


def fmt(figures: dict) -> str:
    if not figures["n"]:
        return "no requests"
    return f"p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms"


if __name__ == "__main__":
    sys.exit(main())
