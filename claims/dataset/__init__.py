"""A large, realistic dataset for benchmarks: `python manage.py generate_dataset`.

Three years of a busy newsroom's work: sources with article texts, claims quoting
their sentences at exact offsets, claimants, tags, evidence, editors' notes, and
for every claim a timeline (ClaimEvent) and an audit trail (django-simple-history)
that lead to its status: a published claim was researched, given a verdict by
one person, sent to review and approved by another. Rows are written in bulk
with precomputed ids, so no model signal fires: the generator writes the audit
rows the desk would have written, one per version of each claim.

"History rows", the `history` size, are a claim's timeline and audit rows:
ClaimEvent plus HistoricalClaim. Each claim has one audit row per version (its
creation, then every change) and one timeline event per change, plus the events
its creation records (status; assignee and tags when imported) and one more when
a publication completes a correction: about half and half (506,019 events and
493,981 audit rows at the defaults). The audit's tag snapshots
(HistoricalClaim_tags) and the audit rows of sources, claimants, tags, notes,
evidence and corrections come with those records and are counted apart.

Everything generated is marked, so `delete_generated()` removes it and nothing
else: sources live under DATASET_URL (and a claim is generated when its source
is), users have addresses at DATASET_DOMAIN, and generated claimants and tags
carry DATASET_MARK as the reason of their first audit row.
"""

from .cast import DATASET_PASSWORD
from .generator import DatasetGenerator
from .marks import DATASET_DOMAIN, DATASET_MARK, DATASET_URL, delete_generated, generated_claims, generated_users
from .planning import Sizes
from .writing import HistoricalClaim

__all__ = [
    "DATASET_DOMAIN",
    "DATASET_MARK",
    "DATASET_PASSWORD",
    "DATASET_URL",
    "DatasetGenerator",
    "HistoricalClaim",
    "Sizes",
    "delete_generated",
    "generated_claims",
    "generated_users",
]
