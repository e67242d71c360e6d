#!/usr/bin/env python
"""`make bench`: the server time of the desk's pages and actions on a large dataset.

For each database (SQLite, PostgreSQL or both) it builds the benchmark dataset if it is
missing, then measures in-process, with Django's test client logged in as an editor or
a reviewer: the time spent inside the WSGI handler (middleware, view, templates, queries;
no network, no browser), DEBUG off. Each figure is the median and 95th percentile of N
repetitions after a warm-up, and its ratio to a trivial view measured in the same run.
Prints a table per database and writes the figures as JSON (`--compare OLD.json`
prints the change since an earlier run). See benchmarks/README.md.

    python benchmarks/bench.py --database both --scale 0.02
"""

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness  # noqa: E402
from benchmarks.pages import FREE_MOVES, Page, fragment_target, htmx_headers, query_of, status_move  # noqa: E402

DESK_TARGET = {"median": 50, "p95": 120}
# Targets at 100,000 claims on this 2-core machine; a figure without one is for reading only.
TARGETS = {
    "desk": DESK_TARGET,
    "desk_filtered": DESK_TARGET,
    "search": {"median": 60, "p95": 120},
    "deep_page": DESK_TARGET,
    "claim": DESK_TARGET,
    "status_change": DESK_TARGET,
    "reader": DESK_TARGET,
    "admin_changelist": {"median": 150},
    "admin_search": {"median": 150},
    "admin_autocomplete": DESK_TARGET,  # answered as one types
    "bulk_apply": {"median": 5000},
}
FRAGMENT_PREFIX = "desk_fragment_"  # the parts the desk page loads by itself: desk targets too


def target_for(name: str) -> dict | None:
    return DESK_TARGET if name.startswith(FRAGMENT_PREFIX) else TARGETS.get(name)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="dataset scale passed to generate_dataset (1 = 100,000 claims)"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed repetitions per figure (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests before each figure (default 3)")
    parser.add_argument("--bulk-size", type=int, help="claims in the bulk action (default 10,000 × scale)")
    parser.add_argument("--bulk-repeat", type=int, default=3, help="bulk actions timed (default 3: there and back)")
    parser.add_argument("--deep-page", type=int, help="how far into the desk the deep page is (default: half-way)")
    parser.add_argument("--search", help="words to search for (default: two words of a claim's summary)")
    parser.add_argument("--output", type=Path, help="JSON file to write (default .bench/results-<timestamp>.json)")
    parser.add_argument("--compare", type=Path, help="an earlier results file: print the change per figure")
    parser.add_argument("--skip-dataset", action="store_true", help="measure the database as it is, build nothing")
    parser.add_argument("--force-dataset", action="store_true", help="rebuild the dataset (generate_dataset --force)")
    parser.add_argument("--seed", type=int, default=1, help="picks the claims, sources and words measured")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--part", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bulk_size is None:
        args.bulk_size = max(1, round(10_000 * args.scale))
    if args.measure:
        results = Measurement(args).run()
        args.part.write_text(json.dumps(results, indent=2))
        return 0
    return orchestrate(args)


# The parent process: datasets, one measuring child per database, tables and files.


def orchestrate(args) -> int:
    kinds = harness.DATABASES if args.database == "both" else (args.database,)
    started = datetime.now()
    report = {
        "created": started.isoformat(timespec="seconds"),
        "machine": machine_info(),
        "options": {
            "scale": args.scale,
            "repeat": args.repeat,
            "warmup": args.warmup,
            "bulk_size": args.bulk_size,
            "bulk_repeat": args.bulk_repeat,
            "seed": args.seed,
        },
        "databases": {},
    }
    for kind in kinds:
        url = harness.database_url(kind, args.scale)
        if not args.skip_dataset:
            url = harness.ensure_dataset(kind, args.scale, force=args.force_dataset)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as part:
            part_path = Path(part.name)
        child = [sys.executable, __file__, "--measure", "--part", str(part_path), "--database", kind]
        child += forwarded_options(args)
        print(f"\nMeasuring on {kind} ({url}) …", flush=True)
        subprocess.run(child, env=harness.app_env(url), cwd=harness.ROOT, check=True)
        report["databases"][kind] = json.loads(part_path.read_text())
        part_path.unlink()
        print_table(kind, report["databases"][kind])
    output = args.output or harness.BENCH_DIR / f"results-{started:%Y%m%d-%H%M%S}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {output}")
    if args.compare:
        print_comparison(json.loads(args.compare.read_text()), report)
    return 0


def forwarded_options(args) -> list[str]:
    options = ["--scale", f"{args.scale:g}", "--repeat", str(args.repeat), "--warmup", str(args.warmup)]
    options += ["--bulk-size", str(args.bulk_size), "--bulk-repeat", str(args.bulk_repeat), "--seed", str(args.seed)]
    if args.deep_page:
        options += ["--deep-page", str(args.deep_page)]
    if args.search:
        options += ["--search", args.search]
    return options


def machine_info() -> dict:
    model = ""
    if Path("/proc/cpuinfo").exists():
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        model = found.group(1).strip() if found else ""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def print_table(kind: str, result: dict) -> None:
    info = result["database"]
    counts = ", ".join(f"{value:,} {name}" for name, value in info["counts"].items())
    print(f"\n== {kind}: {info['version']} · Django {result['django']} · {counts}")
    print(f"   trivial view: median {result['trivial_ms']:.2f} ms (the ×trivial column divides by it)")
    load = result["load_average"]
    print(f"   load average before {load['before']}, after {load['after']} (above ~0.5, other work shared the cores)")
    header = f"{'figure':<34} {'n':>3} {'median ms':>10} {'p95 ms':>9} {'×trivial':>9}  {'target':<22} result"
    print(header)
    print("-" * len(header))
    for figure in result["figures"]:
        median = "—" if figure["median_ms"] is None else f"{figure['median_ms']:.1f}"
        p95 = "—" if figure["p95_ms"] is None else f"{figure['p95_ms']:.1f}"
        ratio = "—" if figure["ratio"] is None else f"{figure['ratio']:.0f}×"
        target = describe_target(figure["target"])
        print(
            f"{figure['name']:<34} {figure['n']:>3} {median:>10} {p95:>9} {ratio:>9}  {target:<22} {figure['result']}"
        )
        if figure.get("note"):
            print(f"{'':<36}{figure['note']}")


def describe_target(target: dict | None) -> str:
    if not target:
        return ""
    parts = [f"median ≤ {target['median']:g}"] if "median" in target else []
    parts += [f"p95 ≤ {target['p95']:g}"] if "p95" in target else []
    return ", ".join(parts)


def print_comparison(old: dict, new: dict) -> None:
    print(f"\nChange since {old.get('created', 'the earlier run')} (median, p95; negative is faster):")
    scales = old.get("options", {}).get("scale"), new["options"]["scale"]
    if scales[0] != scales[1]:
        print(f"  Careful: the earlier run was at scale {scales[0]}, this one at {scales[1]}.")
    for kind, result in new["databases"].items():
        before = {figure["name"]: figure for figure in old.get("databases", {}).get(kind, {}).get("figures", [])}
        if not before:
            print(f"  {kind}: not in the earlier file")
            continue
        print(f"  {kind}:")
        for figure in result["figures"]:
            earlier = before.get(figure["name"])
            if earlier is None or earlier["median_ms"] is None or figure["median_ms"] is None:
                continue
            print(
                f"    {figure['name']:<34} {earlier['median_ms']:>9.1f} → {figure['median_ms']:>9.1f} ms "
                f"({change(earlier['median_ms'], figure['median_ms'])})   "
                f"p95 {earlier['p95_ms']:.1f} → {figure['p95_ms']:.1f} ({change(earlier['p95_ms'], figure['p95_ms'])})"
                f"   {earlier['result']} → {figure['result']}"
            )


def change(old: float, new: float) -> str:
    return f"{(new - old) / old * 100:+.0f} %" if old else "n/a"


# The child process: Django set up on one benchmark database, requests through the test client.


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Refused(Exception):
    """The server did not answer a benchmark request as the page would expect."""


class Measurement:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.figures: list[dict] = []
        self.trivial_ms: float | None = None

    def run(self) -> dict:
        import django

        django.setup()
        from django.db import connection

        self.connection = connection
        load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
        if os.getloadavg()[0] > 0.5:
            print(f"  Note: the machine is busy (load average {load_before}): other work shares the cores.")
        self.pick_people()
        self.editor_client = self.client(self.editor)
        self.admin_client = self.client(self.reviewer)
        steps = [
            self.trivial,
            self.desk,
            self.desk_filtered,
            self.search,
            self.deep_page,
            self.claim,
            self.status_change,
            self.reader,
            self.admin_changelist,
            self.admin_filtered_search,
            self.admin_autocomplete,
            self.bulk_action,
        ]
        for step in steps:
            started = time.monotonic()
            try:
                step()
            except Refused as refusal:
                self.record(step.__name__, [], note=str(refusal), error=True)
            except Exception as error:  # the app changed under the harness: report it, measure the rest
                self.record(step.__name__, [], note=f"{type(error).__name__}: {error}", error=True)
            print(f"  {step.__name__}: {time.monotonic() - started:.1f} s", flush=True)
        for figure in self.figures:
            figure["ratio"] = figure["median_ms"] / self.trivial_ms if figure["median_ms"] and self.trivial_ms else None
        return {
            "load_average": {"before": load_before, "after": " ".join(f"{v:.2f}" for v in os.getloadavg())},
            "django": django.get_version(),
            "database": self.database_info(),
            "people": {"editor": self.editor.get_username(), "admin": self.reviewer.get_username()},
            "trivial_ms": self.trivial_ms,
            "figures": self.figures,
        }

    # Set-up.

    def pick_people(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count, Q

        User = get_user_model()
        # The editor with the most claims in research: their filtered desk is a real one.
        self.editor = (
            User.objects.filter(groups__name="editor", is_active=True)
            .annotate(working=Count("assigned_claims", filter=Q(assigned_claims__status="researching")))
            .order_by("-working", "username")
            .first()
        )
        self.reviewer = (
            User.objects.filter(groups__name="reviewer", is_staff=True, is_active=True).order_by("username").first()
            or User.objects.filter(is_superuser=True, is_active=True).order_by("username").first()
        )
        if self.editor is None or self.reviewer is None:
            raise SystemExit("The benchmark database has no editor or no reviewer: is the dataset built?")

    def client(self, user):
        from django.test import Client
        from django.test.client import ClientHandler

        class TimedHandler(ClientHandler):
            """The test client's WSGI handler, timed: server time, no network or client work."""

            elapsed = 0.0

            def __call__(self, environ):
                started = time.perf_counter()
                try:
                    return super().__call__(environ)
                finally:
                    self.elapsed = time.perf_counter() - started

        client = Client(enforce_csrf_checks=True)
        client.handler = TimedHandler(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    def database_info(self) -> dict:
        from django.contrib.auth import get_user_model

        from claims.models import Annotation, Claim, ClaimEvent, Source

        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                version = f"PostgreSQL {cursor.fetchone()[0]}"
            else:
                cursor.execute("SELECT sqlite_version()")
                version = f"SQLite {cursor.fetchone()[0]}"
        return {
            "vendor": self.connection.vendor,
            "version": version,
            "counts": {
                "claims": Claim.objects.count(),
                "sources": Source.objects.count(),
                "annotations": Annotation.objects.count(),
                "timeline rows": ClaimEvent.objects.count(),
                "claim audit rows": Claim.history.count(),
                "users": get_user_model().objects.count(),
            },
        }

    # Timing.

    def time(self, name, client, request, *, repeat=None, warmup=None, check=None, note="") -> list:
        """Run `request(i)` warm-up + repeat times; record the timed ones' server time.
        `check(response)` raises Refused when the answer is not what the page expects."""
        repeat = self.args.repeat if repeat is None else repeat
        warmup = self.args.warmup if warmup is None else warmup
        samples, responses = [], []
        for i in range(warmup + repeat):
            response = request(i)
            if check is not None:
                check(response)
            elif response.status_code != 200:
                raise Refused(f"{name}: status {response.status_code} for {response.request['PATH_INFO']}")
            if i >= warmup:
                samples.append(client.handler.elapsed * 1000)
                responses.append(response)
        self.record(name, samples, note=note)
        return responses

    def record(self, name, samples, *, note="", error=False):
        target = target_for(name)
        median = statistics.median(samples) if samples else None
        p95 = percentile(samples, 0.95) if samples else None
        if error or median is None:
            result = "ERROR"
        elif target is None:
            result = ""
        else:
            ok = median <= target["median"] and ("p95" not in target or p95 <= target["p95"])
            result = "pass" if ok else "MISS"
        self.figures.append(
            {
                "name": name,
                "n": len(samples),
                "median_ms": median,
                "p95_ms": p95,
                "min_ms": min(samples) if samples else None,
                "max_ms": max(samples) if samples else None,
                "mean_ms": statistics.fmean(samples) if samples else None,
                "target": target,
                "result": result,
                "note": note,
            }
        )

    # The figures.

    def trivial(self):
        from benchmarks.urls import TRIVIAL_PATH

        self.time("trivial", self.editor_client, lambda i: self.editor_client.get(TRIVIAL_PATH))
        self.trivial_ms = self.figures[-1]["median_ms"]

    def desk(self):
        client = self.editor_client
        responses = self.time("desk", client, lambda i: client.get("/"), note="GET / (whole page)")
        self.desk_page = Page(responses[-1].content)
        if not self.desk_page.claim_ids():
            raise Refused("the desk lists no claims")
        # What the page then asks htmx for by itself (the nav's queue count, "changed since").
        for element in self.desk_page.self_loading_fragments():
            target = fragment_target(element)
            url, headers = element.attrs["hx-get"], htmx_headers(target)
            self.time(
                f"{FRAGMENT_PREFIX}{target}",
                client,
                lambda i, url=url, headers=headers: client.get(url, headers=headers),
                note=f"GET {url} (htmx, HX-Target {target}: loaded by the desk page)",
            )

    def desk_query(self, **values) -> tuple[str, dict, str]:
        """The desk's filter form as htmx sends it, with these values: (url, headers, target)."""
        form = next((f for f in self.desk_page.parsed.forms if f.attrs.get("id") == "desk-filters"), None)
        if form is None:
            raise Refused("the desk has no filter form (id desk-filters)")
        fields = dict(form.fields)
        for name in values:
            if name not in fields:
                raise Refused(f"the desk's filter form has no field {name!r}")
        fields.update(values)
        from urllib.parse import urlencode

        target = (form.attrs.get("hx-target") or "#claim-results").lstrip("#")
        url = f"{form.attrs.get('hx-get') or form.attrs.get('action') or '/'}?{urlencode(fields)}"
        return url, htmx_headers(target), target

    def desk_filtered(self):
        url, headers, target = self.desk_query(status="researching", assignee="me")
        client = self.editor_client
        responses = self.time("desk_filtered", client, lambda i: client.get(url, headers=headers))
        rows = len(Page(responses[-1].content).claim_ids())
        self.figures[-1]["note"] = f"status=researching&assignee=me (htmx, HX-Target {target}); {rows} rows shown"

    def search(self):
        from claims.models import Claim

        words = self.args.search
        if not words:
            summaries = Claim.objects.order_by("pk").values_list("summary", flat=True)
            count = summaries.count()
            for _ in range(50):
                summary = summaries[self.rng.randrange(count)]
                candidates = sorted(set(re.findall(r"[A-Za-z]{5,}", summary)))
                if len(candidates) >= 2:
                    words = " ".join(self.rng.sample(candidates, 2)).lower()
                    break
        if not words:
            raise Refused("found no words to search for; pass --search")
        url, headers, target = self.desk_query(q=words)
        client = self.editor_client
        responses = self.time("search", client, lambda i: client.get(url, headers=headers))
        rows = len(Page(responses[-1].content).claim_ids())
        self.figures[-1]["note"] = f"q={words!r} (htmx, HX-Target {target}); {rows} rows shown"
        if rows == 0:
            self.figures[-1]["result"] = "ERROR"
            self.figures[-1]["note"] += ": the words are in a claim's summary, so the search should find it"

    def deep_page(self):
        """Far into the desk: page N by number, or, if the desk pages by cursor (keyset),
        the page reached by following "next" as often."""
        client = self.editor_client
        link = self.desk_page.next_link()
        if link is None:
            raise Refused("the desk page has no rel=next link")
        form = next((f for f in self.desk_page.parsed.forms if f.attrs.get("id") == "desk-filters"), None)
        filter_names = {name for name, _ in form.fields} if form else set()
        href = link.attrs.get("href") or link.attrs.get("hx-get")
        query = query_of(href)
        cursor_names = [name for name in query if name not in filter_names and name != "page"]
        shown = re.search(r"Page \d+ of ([\d,]+)", self.desk_page.html)
        from claims.models import Claim

        pages = int(shown.group(1).replace(",", "")) if shown else math.ceil(Claim.objects.count() / 25)
        depth = self.args.deep_page or max(2, pages // 2)
        target = fragment_target(link) or "claim-results"
        headers = htmx_headers(target)
        if "page" in query and not cursor_names:
            url = re.sub(r"([?&]page=)\d+", rf"\g<1>{depth}", href)
            how = f"page={depth} of {pages} by number"
        else:
            url, hops = href, 1
            while hops < depth - 1:
                response = client.get(url, headers=headers)
                following = Page(response.content).next_link()
                if response.status_code != 200 or following is None:
                    break
                url, hops = following.attrs.get("href") or following.attrs.get("hx-get"), hops + 1
            how = f"keyset ({', '.join(cursor_names) or 'cursor'}): page {hops + 1}, reached by following next"
        responses = self.time("deep_page", client, lambda i: client.get(url, headers=headers))
        rows = len(Page(responses[-1].content).claim_ids())
        self.figures[-1]["note"] = f"{how} (htmx, HX-Target {target}); {rows} rows shown"
        if rows == 0:
            self.figures[-1]["result"] = "ERROR"

    def sample(self, queryset, count: int) -> list[int]:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        if not pks:
            raise Refused(f"nothing to measure in {queryset.model.__name__}")
        return [pks[self.rng.randrange(len(pks))] for _ in range(count)]

    def claim(self):
        from claims.models import Claim

        pks = self.sample(Claim.objects.all(), self.args.warmup + self.args.repeat)
        client = self.editor_client
        self.time(
            "claim",
            client,
            lambda i: client.get(f"/claims/{pks[i]}/"),
            note="GET /claims/<id>/, a random claim each time",
        )

    def status_change(self):
        from claims.models import Claim

        n = self.args.warmup + self.args.repeat
        client = self.editor_client
        pks = self.sample(Claim.objects.filter(status__in=list(FREE_MOVES)), n * 3)
        planned = []
        for pk in dict.fromkeys(pks):
            page = Page(client.get(f"/claims/{pk}/").content)  # the page the editor acts from (untimed)
            move = status_move(page, pk)
            if move:
                planned.append((pk, page, *move))
            if len(planned) == n:
                break
        if len(planned) < n:
            raise Refused(f"found {len(planned)} claims with a free move, needed {n}")

        def post(i):
            pk, page, form, target = planned[i]
            data = {**dict(form.fields), "target": target}
            headers = {**htmx_headers(form.attrs.get("hx-target"), f"/claims/{pk}/"), "X-CSRFToken": page.csrf_token()}
            return client.post(form.action, data, headers=headers)

        def check(response):
            if response.status_code != 200:
                raise Refused(f"status change answered {response.status_code}")

        responses = self.time("status_change", client, post, check=check)
        changed = sum(
            planned[self.args.warmup + i][3] in Page(r.content).statuses_shown() for i, r in enumerate(responses)
        )
        self.figures[-1]["note"] = (
            f"htmx POST /claims/<id>/status/ with based_on, a different claim each time; {changed} confirmed"
        )

    def reader(self):
        from django.db.models import Count

        from claims.models import Source

        sources = Source.objects.annotate(n=Count("claims")).filter(n__gt=0)
        pks = self.sample(sources, self.args.warmup + self.args.repeat)
        client = self.editor_client
        self.time(
            "reader",
            client,
            lambda i: client.get(f"/sources/{pks[i]}/"),
            note="GET /sources/<id>/, a random source with claims each time",
        )

    def admin_changelist(self):
        client = self.admin_client
        responses = self.time(
            "admin_changelist",
            client,
            lambda i: client.get("/admin/claims/claim/"),
            note=f"as {self.reviewer.get_username()}",
        )
        self.changelist_page = Page(responses[-1].content)

    def search_words(self) -> list[str]:
        """Single words of five letters or more from random claims' summaries, one per timed request."""
        from claims.models import Claim

        summaries = Claim.objects.order_by("pk").values_list("summary", flat=True)
        count = summaries.count()
        words = []
        while count and len(words) < self.args.warmup + self.args.repeat:
            candidates = re.findall(r"[A-Za-z]{5,}", summaries[self.rng.randrange(count)])
            if candidates:
                words.append(self.rng.choice(candidates).lower())
        if not words:
            raise Refused("found no claims to take words from")
        return words

    def admin_filtered_search(self):
        """The changelist filtered by status and searched, as a reviewer narrows it down."""
        client = self.admin_client
        words = self.search_words()
        self.time(
            "admin_search",
            client,
            lambda i: client.get("/admin/claims/claim/", {"status__exact": "researching", "q": words[i % len(words)]}),
            note="GET /admin/claims/claim/?status__exact=researching&q=<a word of a claim's summary>",
        )

    def admin_autocomplete(self):
        """The claim box of the evidence form, typed into: the start of a word."""
        client = self.admin_client
        words = [word[:4] for word in self.search_words()]
        self.time(
            "admin_autocomplete",
            client,
            lambda i: client.get(
                "/admin/autocomplete/",
                {"term": words[i % len(words)], "app_label": "claims", "model_name": "evidence", "field_name": "claim"},
            ),
            note="GET /admin/autocomplete/ for Evidence.claim with the first 4 letters of a word",
        )

    def bulk_action(self):
        """The admin's "Set status…" on every claim a changelist filter selects, as a reviewer
        does it: the filtered changelist's POST with "select all N claims" (one ticked claim
        and select_across, not N ids), the confirmation page it answers, and that page's form
        sent back. The filter is the status × kind (or status × assignee) whose claims come
        nearest the bulk size, so the action moves about that many."""
        from claims.models import Claim, ClaimEvent

        client, size = self.admin_client, self.args.bulk_size
        token = self.changelist_page.csrf_token()
        confirm_samples, apply_samples, moves = [], [], []
        for _ in range(self.args.bulk_repeat):
            # Chosen afresh each time: the last round's claims have joined others in their new status.
            params, count = self.bulk_selection(size)
            status = params["status__exact"]
            target = FREE_MOVES[status]
            url = f"/admin/claims/claim/?{urlencode(params)}"
            lookups = {name.removesuffix("__exact"): value for name, value in params.items()}
            ids = list(Claim.objects.filter(**lookups).values_list("pk", flat=True).distinct())
            response = client.post(
                url,
                {
                    "action": "set_status",
                    "index": "0",
                    "select_across": "1",
                    "_selected_action": [ids[0]],
                    "csrfmiddlewaretoken": token,
                },
            )
            if response.status_code != 200:
                raise Refused(f"bulk action: the changelist's POST answered {response.status_code}")
            confirm_samples.append(client.handler.elapsed * 1000)
            # The confirmation page's form, sent back as the browser would, with the new status chosen.
            form = next((f for f in Page(response.content).parsed.forms if f.value("apply")), None)
            if form is None:
                raise Refused("bulk action: the confirmation page has no form to apply it")
            data: dict[str, list[str]] = {}
            for name, value_sent in form.fields:
                data.setdefault(name, []).append(value_sent)
            status_field = next(name for name in form.selects if name.endswith("status"))
            data[status_field] = [target]
            events_before, audit_before = ClaimEvent.objects.count(), Claim.history.count()
            response = client.post(url, data)
            if response.status_code != 302:
                raise Refused(f"bulk action: applying answered {response.status_code}, not a redirect")
            apply_samples.append(client.handler.elapsed * 1000)
            moved = Claim.objects.filter(pk__in=ids, status=target).count()
            events = ClaimEvent.objects.count() - events_before
            audit = Claim.history.count() - audit_before
            moves.append(
                f"{urlencode(params)}: {moved:,} moved to {target}, {events:,} timeline and {audit:,} audit rows"
            )
            if not moved == events == audit == count:
                raise Refused(f"bulk action on {count:,} claims: {moves[-1]}")
        note = "select all the claims a changelist filter selects (select_across), "
        self.record("bulk_confirm_page", confirm_samples, note=note + "the confirmation page")
        self.record("bulk_apply", apply_samples, note="; ".join(moves))

    def bulk_selection(self, size: int) -> tuple[dict[str, str], int]:
        """(changelist filter parameters, number of claims) of the admin filters, a status
        the bench can move freely and one or two more (kind, source kind, tag, assignee),
        that select a number of claims closest to `size`."""
        from django.db.models import Count

        from claims.models import Claim

        free = Claim.objects.filter(status__in=list(FREE_MOVES)).order_by()
        groupings = [
            ("kind",),
            ("source__kind",),
            ("tags__id",),
            ("assignee__id",),
            ("kind", "source__kind"),
            ("kind", "tags__id"),
        ]
        options = []
        for fields in groupings:
            for row in free.values("status", *fields).annotate(n=Count("id")):
                if all(row[field] is not None for field in fields):
                    params = {
                        "status__exact": row["status"],
                        **{f"{field}__exact": str(row[field]) for field in fields},
                    }
                    options.append((params, row["n"]))
        if not options:
            raise Refused("bulk action: no claims in a status the bench can move")
        return min(options, key=lambda option: abs(option[1] - size))


if __name__ == "__main__":
    sys.exit(main())
