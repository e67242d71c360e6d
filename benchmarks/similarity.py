#!/usr/bin/env python
"""How long `claims.similarity.similar_claims` takes per call on the database DATABASE_URL
names (the benchmark dataset: 100,000 claims), in-process, one call at a time.

Three kinds of calls, each timed --repeat times over its texts after one untimed round:

- typing: what an editor has typed so far, word by word, of a few new claims;
- claim page: an existing claim's summary and quote, the claim itself excluded;
- cold: the claim-page texts again with the per-text cache emptied before every call,
  so every candidate is read afresh (a process that has just started).

Reading the vocabulary (the words' claim counts, once per process every few minutes) is
timed on its own. Prints median and 95th percentile in milliseconds and how many
similar claims the calls found. Only reads the database.

    PYTHONPATH=. DJANGO_SETTINGS_MODULE=config.settings DEBUG=1 SECRET_KEY=x \\
        DATABASE_URL=sqlite:////tmp/claimdesk.sqlite3 python benchmarks/similarity.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from claims import similarity  # noqa: E402
from claims.models import Claim  # noqa: E402

TARGET_MEDIAN_MS = 50

NEW_CLAIMS = [
    "Russia has not had any foreign direct investment in the Philippines since 1999",
    "$43 million in remittances from Russia last year",
    "Inflation rose 3.4 percent in 2019, the highest in a decade",
    "The government spent $450 million on public transport since 2015",
    "Kenya gets 30% of its electricity from renewable sources",
    "Youth unemployment in Spain fell by 2.1 percent between 1999 and 2020",
    "More than 25,000 people were displaced by the floods in Cebu in March",
    "The opposition voted against the budget 14 times",
    "The health ministry recorded 12,400 cases of measles in 2023",
    "Not a single rural clinic has closed since 2010",
    "Ghana imports 40 percent of its food",
    "The minimum wage is worth 12% less than it was in 1990",
]


def typed(text: str) -> list[str]:
    """The text as it grows while typed, a word at a time from the third word on."""
    words = text.split()
    return [" ".join(words[:count]) for count in range(3, len(words) + 1)]


def measure(calls, repeat: int) -> tuple[list[float], int]:
    for call in calls:  # warm-up
        call()
    times, found = [], 0
    for _ in range(repeat):
        for call in calls:
            started = time.perf_counter()
            found += len(call())
            times.append((time.perf_counter() - started) * 1000)
    return times, found


def cold(call):
    def run():
        similarity._read_terms.cache_clear()
        return call()

    return run


def report(name: str, times: list[float], found: int) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    median = statistics.median(times)
    verdict = "pass" if median <= TARGET_MEDIAN_MS else "MISS"
    print(f"{name:<12} {len(times):>6} {median:>10.1f} {p95:>9.1f} {found / len(times):>8.2f}  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="Rounds over the texts of each kind (default 3).")
    parser.add_argument("--claims", type=int, default=40, help="Existing claims for the claim-page calls.")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    count = Claim.objects.count()
    print(f"{connection.vendor}, {count:,} claims, similar_claims(limit=5), threshold {similarity.THRESHOLD}")
    cache.clear()
    started = time.perf_counter()
    similarity.similar_claims(NEW_CLAIMS[0])
    print(f"first call, reading the vocabulary: {(time.perf_counter() - started) * 1000:.0f} ms\n")

    ids = sorted(Claim.objects.values_list("pk", flat=True))
    sample = Claim.objects.filter(pk__in=random.Random(options.seed).sample(ids, min(options.claims, len(ids))))
    pages = [
        lambda claim=claim: similarity.similar_claims(f"{claim.summary}\n{claim.quote}", exclude=claim.pk)
        for claim in sample.only("pk", "summary", "quote")
    ]
    typing = [lambda text=text: similarity.similar_claims(text) for claim in NEW_CLAIMS for text in typed(claim)]

    print(f"{'calls':<12} {'n':>6} {'median ms':>10} {'p95 ms':>9} {'found':>8}  median ≤ {TARGET_MEDIAN_MS} ms")
    report("typing", *measure(typing, options.repeat))
    report("claim page", *measure(pages, options.repeat))
    report("cold", *measure([cold(call) for call in pages], options.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
