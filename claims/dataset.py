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

from __future__ import annotations

import bisect
import dataclasses
import itertools
import random
import string
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import anchoring, roles
from .audit import Origin
from .models import (
    Annotation,
    Claim,
    Claimant,
    ClaimantKind,
    ClaimEvent,
    ClaimKind,
    ClaimVisit,
    Correction,
    EventField,
    Evidence,
    Rating,
    Source,
    SourceKind,
    SourceState,
    Stance,
    StatusStyle,
    Tag,
)
from .workflow import Status

DATASET_URL = "https://dataset.claimdesk.invalid/"
DATASET_DOMAIN = "dataset.claimdesk.invalid"
DATASET_MARK = "generated dataset"
# One password for every generated user; the command refuses to run outside DEBUG without --force.
DATASET_PASSWORD = "claimdesk-dataset"

SPAN = timedelta(days=3 * 365)
STATUS_SHARES = {  # in the order an older claim is likelier to have reached
    Status.PUBLISHED: 0.30,
    Status.RESEARCHING: 0.30,
    Status.IN_REVIEW: 0.10,
    Status.NEW: 0.25,
    Status.NOT_CHECKWORTHY: 0.05,
}
VERDICT_SHARES = {  # fact-checkers mostly check what turns out false
    "false": 0.28,
    "mostly-false": 0.22,
    "misleading": 0.12,
    "half-true": 0.15,
    "mostly-true": 0.10,
    "true": 0.07,
    "unverifiable": 0.06,
}
ASSIGNED_SHARE = {  # most unassigned claims are new ones nobody has picked up
    Status.NEW: 0.35,
    Status.RESEARCHING: 0.97,
    Status.IN_REVIEW: 1.0,
    Status.PUBLISHED: 0.98,
    Status.NOT_CHECKWORTHY: 0.5,
}
TAGS_PER_CLAIM = [0.25, 0.35, 0.22, 0.12, 0.06]  # share of claims with 0, 1, 2, 3, 4 tags
IMPORTED_SHARE = 0.08  # claims that arrived by import: assignee and tags recorded with the claim
ORPHANED_SHARE = 0.005
PADDING_SHARE = 0.12  # of the history budget, kept for long timelines (loops, corrections, reassignments)
MAX_EXTRAS_PER_CLAIM = 40

# Timeline row costs (ClaimEvent + HistoricalClaim) of what a claim's history may hold beyond its status
# path. A later change is one event and one new version (one audit row); what arrives with an imported
# claim is one event in its first version.
EXTRA_COSTS = {
    "verdict_revision": 2,
    "reassign": 2,
    "reviewer_change": 2,
    "evidence_loop": 4,  # in review, back to research for more evidence, in review again
    "reinstate": 4,  # not check-worthy, reinstated, set aside again
    "under_correction": 6,  # sent, published, a correction opened: researching again
    "correction": 9,  # a correction opened, a new verdict, sent, published (two events)
}
# How often one claim goes through each (beyond these, a long timeline is reassignments and verdict changes).
EXTRA_LIMITS = {"reviewer_change": 3, "evidence_loop": 4, "reinstate": 2, "under_correction": 1, "correction": 3}


@dataclasses.dataclass(frozen=True)
class Sizes:
    claims: int = 100_000
    sources: int = 20_000
    annotations: int = 500_000
    history: int = 1_000_000
    editors: int = 40
    reviewers: int = 10
    claimants: int | None = None  # one per 20 claims (5,000 by default)
    tags: int | None = None  # one per 500 claims, 10 to 200

    def scaled(self, factor: float) -> Sizes:
        return dataclasses.replace(
            self,
            claims=round(self.claims * factor),
            sources=round(self.sources * factor),
            annotations=round(self.annotations * factor),
            history=round(self.history * factor),
        )

    @property
    def claimant_count(self) -> int:
        return self.claimants if self.claimants is not None else max(10, self.claims // 20)

    @property
    def tag_count(self) -> int:
        return self.tags if self.tags is not None else min(200, max(10, self.claims // 500))


# --- Words -----------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Amara Ana Andrei Anita Aroha Ayesha Bea Bruno Carla Carlos Chen Chidi Clara Dario Daniel Dina Elena Emeka "
    "Emma Farah Felix Fatima Gabriel Grace Hana Hugo Ibrahim Ines Ioana Isaac Jana Javier Jin Joao Jonas Julia "
    "Kai Kamala Karin Kofi Lars Leila Lena Liam Lucia Luis Maia Malik Marek Maria Marta Mateo Mei Mira Musa "
    "Nadia Naledi Nia Nikos Noor Olga Omar Oscar Paolo Petra Priya Rafael Rania Rosa Ruth Sami Sara Sean Sofia "
    "Sunil Tamar Teresa Thabo Tomas Uma Valeria Vera Viktor Wanjiru Yara Yusuf Zainab Zoltan Zora"
).split()
LAST_NAMES = (
    "Abara Adeyemi Almeida Andersen Arslan Bakker Banda Barros Becker Bianchi Costa Cruz Dahl Dimitrov Diallo "
    "Dubois Duarte Eriksen Esposito Ferreira Fischer Fontaine Garcia Gomez Haddad Hansen Hoffmann Horvat Ibsen "
    "Ivanova Jansen Kamau Kariuki Kaya Keller Kim Kowalski Kruger Laine Larsen Lopez Mahlangu Marin Martins "
    "Mendes Meyer Molina Moreau Mukherjee Mwangi Nagy Nakamura Navarro Nielsen Novak Nowak Obi Odhiambo Okafor "
    "Olsen Ortiz Owusu Park Pereira Petrov Popescu Quist Rahman Ramos Reyes Ricci Rossi Sahin Santos Schmidt "
    "Silva Sokolov Suarez Tanaka Torres Tran Varga Vasquez Vogel Wagner Weber Yilmaz Zhang Zulu"
).split()
ROLES = [
    "Minister of Finance",
    "Minister of Health",
    "Minister of Education",
    "Prime Minister",
    "President",
    "opposition leader",
    "Member of Parliament",
    "senator",
    "mayor",
    "central bank governor",
    "party spokesperson",
    "union leader",
    "chief executive",
    "campaign director",
    "economist",
    "health commissioner",
    "police chief",
    "governor",
]
COUNTRIES = (
    "Kenya|Ghana|Nigeria|Brazil|Mexico|Chile|India|Indonesia|the Philippines|Vietnam|Poland|Romania|Spain|"
    "Portugal|Italy|Germany|France|Ireland|Canada|Australia|New Zealand|South Africa|Egypt|Morocco|Turkey|Greece|"
    "Sweden|Norway|Finland|Japan|South Korea|Argentina|Colombia|Peru|Ukraine|Hungary|Austria|Belgium"
).split("|")
CITIES = (
    "Nairobi|Accra|Lagos|Recife|Monterrey|Valparaíso|Pune|Surabaya|Cebu|Da Nang|Kraków|Cluj|Valencia|Porto|Turin|"
    "Leipzig|Lyon|Cork|Winnipeg|Adelaide|Durban|Alexandria|Izmir|Thessaloniki|Gothenburg|Bergen|Tampere|Osaka"
).split("|")
PORTFOLIOS = "Finance|Health|Education|Energy|Transport|Agriculture|Justice|Labour|Environment|Defence".split("|")
COMPANY_WORDS = (
    "Northgate Bluewater Silverline Redwood Harbour Summit Meridian Crescent Pioneer Atlas Beacon Cobalt Evergreen "
    "Granite Horizon Ironbridge Keystone Lakeside Orchard Riverside Sterling Westfield"
).split()
COMPANY_SUFFIXES = "Group|Holdings|International|Partners|Limited|Trust".split("|")
COMPANY_SECTORS = "Energy|Telecom|Mining|Logistics|Foods|Pharma|Insurance|Motors|Bank|Media|Holdings|Airlines".split(
    "|"
)
ORGANISATION_PATTERNS = [
    "the Ministry of {portfolio} of {country}",
    "{company} {sector}",
    "{company} {sector} {suffix}",
    "the {country} Council for {cause}",
    "the National {cause} Institute of {country}",
    "the {country} {union}",
]
CAUSES = "Fair Trade|Public Health|Clean Air|Rural Development|Fiscal Responsibility|Open Government|Road Safety".split(
    "|"
)
UNIONS = "Teachers' Union|Farmers' Association|Chamber of Commerce|Medical Association|Taxpayers' Alliance".split("|")
METRICS = (
    "unemployment|inflation|the budget deficit|public debt|exports|foreign direct investment|violent crime|"
    "child poverty|hospital waiting times|school enrolment|carbon emissions|house prices|rents|tax revenue|"
    "military spending|tourist arrivals|youth unemployment|electricity prices|fuel prices|the murder rate"
).split("|")
SECTORS = (
    "health care|education|public transport|housing|agriculture|renewable energy|defence|policing|tourism|"
    "manufacturing|mining|the rail network|broadband|water supply|pensions"
).split("|")
GROUPS = "children|pensioners|rural households|young people|working women|farmers|single parents|students".split("|")
REGIONS = "Africa|Europe|Latin America|Asia|the region|the European Union|the Commonwealth".split("|")
DISEASES = "measles|malaria|tuberculosis|dengue|cholera|mpox|hepatitis".split("|")
FACILITIES = "hospital|school|coal plant|police station|rural clinic|post office|library".split("|")
BANNED_THINGS = "single-use plastics|smoking in bars|fracking|child marriage|cryptocurrency mining|glyphosate".split(
    "|"
)
AGENCIES = (
    "national statistics office|health ministry|central bank|electoral commission|audit office|"
    "energy regulator|labour ministry|World Bank|IMF"
).split("|")
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
OUTLETS = [
    "The Daily Ledger",
    "Northern Herald",
    "Capital Times",
    "Radio Metro",
    "Coastline News",
    "The Civic Post",
    "Morning Dispatch",
    "Valley Gazette",
    "National Broadcaster",
    "Wire Service International",
    "The Evening Standard-Bearer",
    "City Pulse",
    "The Observer Review",
    "Frontline Weekly",
    "Public Radio Network",
    "The Tribune",
    "Harbour Chronicle",
    "Market Watchers",
    "Parliament Live",
    "The Sunday Record",
]
SOURCE_KINDS = {
    SourceKind.NEWS_ARTICLE: 0.68,
    SourceKind.PRESS_RELEASE: 0.08,
    SourceKind.INTERVIEW: 0.06,
    SourceKind.TRANSCRIPT: 0.06,
    SourceKind.REPORT: 0.05,
    SourceKind.OFFICIAL_STATISTICS: 0.03,
    SourceKind.SOCIAL_MEDIA: 0.04,
}
TOPICS = (
    "economy inflation jobs budget taxes health vaccines hospitals education schools housing energy climate "
    "emissions crime policing migration elections parliament corruption transport agriculture trade tourism "
    "pensions poverty wages debt defence water media technology covid-19 floods drought mining gender"
).split()

# A claim's own words (lower-case start unless a name), what the editor writes as its summary, and its kind.
CORES = [
    ("{metric} {rose} {pct} percent in {year}", "{metric} {rose} {pct}% in {year}", ClaimKind.STATISTIC),
    (
        "{metric} in {country} {rose} by {pct} percent between {year_old} and {year}",
        "{metric} in {country} {rose} {pct}% from {year_old} to {year}",
        ClaimKind.STATISTIC,
    ),
    (
        "the government has spent {money} on {sector} since {year}",
        "{money} spent on {sector} since {year}",
        ClaimKind.STATISTIC,
    ),
    ("{number} new jobs were created in {sector} last year", "{number} new jobs in {sector}", ClaimKind.STATISTIC),
    (
        "{country} now produces {pct} percent of its electricity from renewable sources",
        "{country} gets {pct}% of its electricity from renewables",
        ClaimKind.STATISTIC,
    ),
    (
        "{metric} in {country} is the highest in {region}",
        "{metric} in {country} highest in {region}",
        ClaimKind.STATISTIC,
    ),
    (
        "the new law will cut {metric} by half before {future_year}",
        "New law halves {metric} by {future_year}",
        ClaimKind.PREDICTION,
    ),
    (
        "the government will build {number} new homes by {future_year}",
        "{number} new homes by {future_year}",
        ClaimKind.PROMISE,
    ),
    (
        "{city} received {money} in public funding in {year}, more than any other city",
        "{city} got the most public funding in {year} ({money})",
        ClaimKind.STATISTIC,
    ),
    ("{pct} percent of {group} live below the poverty line", "{pct}% of {group} in poverty", ClaimKind.STATISTIC),
    (
        "{metric} more than doubled between {year_old} and {year}",
        "{metric} more than doubled from {year_old} to {year}",
        ClaimKind.STATISTIC,
    ),
    ("the programme has cost taxpayers {money} so far", "Programme cost {money}", ClaimKind.STATISTIC),
    (
        "{country} was the first country in {region} to ban {thing}",
        "{country} first in {region} to ban {thing}",
        ClaimKind.HISTORY,
    ),
    (
        "the treaty was signed in {year_old} by {number_small} countries",
        "Treaty signed in {year_old} by {number_small} countries",
        ClaimKind.HISTORY,
    ),
    (
        "the minimum wage is worth {pct} percent less than it was in {year_old}",
        "Minimum wage worth {pct}% less than in {year_old}",
        ClaimKind.STATISTIC,
    ),
    (
        "more than {number} people were displaced by the floods in {month} {year}",
        "{number} displaced by floods in {month} {year}",
        ClaimKind.EVENT,
    ),
    (
        "the {agency} recorded {number} cases of {disease} in {year}",
        "{number} {disease} cases in {year}",
        ClaimKind.STATISTIC,
    ),
    (
        "{metric} will fall below {pct} percent by {future_year}",
        "{metric} below {pct}% by {future_year}",
        ClaimKind.PREDICTION,
    ),
    (
        "the average household pays {money_small} a month more for energy than in {year}",
        "Households pay {money_small} more a month for energy than in {year}",
        ClaimKind.STATISTIC,
    ),
    ("not a single {facility} has closed since {year}", "No {facility} closed since {year}", ClaimKind.HISTORY),
    ("{pct} percent of {group} support the reform", "{pct}% of {group} back the reform", ClaimKind.STATISTIC),
    (
        "the opposition voted against the budget {number_small} times",
        "Opposition voted against the budget {number_small} times",
        ClaimKind.QUOTATION,
    ),
    ("{country} imports {pct} percent of its food", "{country} imports {pct}% of its food", ClaimKind.STATISTIC),
    ("the police hired {number} new officers last year", "{number} new police officers", ClaimKind.STATISTIC),
    (
        "{money} has been lost to fraud in {sector} since {year}",
        "{money} lost to fraud in {sector} since {year}",
        ClaimKind.STATISTIC,
    ),
    (
        "{country} has the fastest-growing economy in {region}",
        "{country} fastest-growing economy in {region}",
        ClaimKind.STATISTIC,
    ),
    ("the party has never raised taxes on {group}", "Party never raised taxes on {group}", ClaimKind.QUOTATION),
]
# Around a claim's words: (before, after, capitalise the words), for a person, an organisation, or nobody.
PERSON_FRAMES = [
    ("", ", {name} said.", True),
    ("", ", said {name}, {role}.", True),
    ("“", ",” {surname} told reporters.", True),
    ("{name} said ", ".", False),
    ("According to {name}, ", ".", False),
    ("In a speech on {weekday}, {name} claimed that ", ".", False),
    ("{surname} said on {weekday} that ", ".", False),
    ("“", ",” {name} said in an interview.", True),
]
ORGANISATION_FRAMES = [
    ("", ", {name} said in a statement.", True),
    ("According to {name}, ", ".", False),
    ("{Name} said ", ".", False),
    ("In its annual report, {name} said ", ".", False),
]
UNATTRIBUTED_FRAMES = [("", ".", True)]
FILLERS = [
    "The figures were published on {weekday}.",
    "Officials did not respond to a request for comment.",
    "The report covers the period from {year_old} to {year}.",
    "{city} has a population of about {number}.",
    "Analysts had expected a smaller change.",
    "The debate is expected to continue next week.",
    "The ministry’s figures — published in {month} — were revised twice.",
    "Critics called the plan unrealistic.",
    "The bill passed its second reading by {number_small} votes.",
    "Turnout in the last election was {pct} percent.",
    "The {agency} will release updated data in {month}.",
    "Opposition parties have called for an independent inquiry.",
    "The programme was launched in {year} with support from partners in {region}.",
    "Some economists dispute the methodology…",
    "“We will keep listening to people,” a spokesperson said.",
    "Protests took place in {city} on {weekday}.",
    "Prices at the pump averaged {money_small} last month.",
    "The committee meets again in {month}.",
    "It was not immediately clear how the figure had been calculated.",
    "The central bank left interest rates unchanged at {pct} percent.",
]
TITLES = [
    "{Metric} {rose} to {pct}% in {year}, {agency} says",
    "{Country} promises {number} new homes by {future_year}",
    "Inside {country}’s {sector} debate",
    "Minister defends {sector} spending",
    "What the figures say about {metric}",
    "{City} council votes on {sector} plan",
    "Opposition questions {metric} figures",
    "Interview: the {role} on {sector}",
    "{Agency} publishes {year} report",
]
RATIONALES = {
    "false": "Official data contradict the claim: the {agency} puts the figure at {pct} percent for {year}.",
    "mostly-false": "Close to an older estimate, but the {agency}'s latest release shows the opposite trend "
    "since {year}.",
    "misleading": "The figure is accurate but compares with {year_old}, an unusually bad year, which exaggerates "
    "the change.",
    "half-true": "Right about the direction, wrong about the size: the {agency} reports {pct} percent.",
    "mostly-true": "Matches the {agency}'s data for {year}; it leaves out a revision published in {month}.",
    "true": "Confirmed by the {agency}'s published tables for {year}.",
    "unverifiable": "No public data covers this; the {agency} declined to release the underlying figures.",
}
NOTES = [
    "Called the {agency} press office; waiting for a reply.",
    "The {year} release has the figure at {pct} percent; checking which series they used.",
    "Possible duplicate of an older claim about {metric}.",
    "Asked the speaker's office for their source.",
    "The numbers in the article differ from the speech transcript.",
    "Found the original table; the claim rounds {pct} up.",
    "Needs a second source before review.",
    "Spoke to an economist at the university: the comparison with {year_old} is unusual.",
    "The {agency} revised the series in {month}; use the revised figures.",
    "Translation checked against the original interview.",
    "Archive copy of the press release saved.",
    "Same claim made in {city} last {month}.",
]
EXCERPTS = [
    "Table 4: {metric}, {year_old}–{year} (percent).",
    "The {agency} estimates the figure at {pct} percent for {year}.",
    "Provisional figures, subject to revision in {month}.",
    "In {year}, {number} people were counted in the survey.",
    "Spending on {sector} totalled {money} over the period.",
]
EVIDENCE_SITES = ["data.example.org", "stats.example.net", "archive.example.com", "open.example.gov"]
MORE_EVIDENCE_NOTES = [
    "The verdict rests on one source; find the {agency}'s own figures.",
    "Check the {year} revision before we publish.",
    "Rationale does not address the comparison with {year_old}.",
    "Need the original document, not a news report about it.",
]
CORRECTION_REASONS = [
    "The {agency} revised its {year} figures after publication.",
    "A reader pointed out that we compared different series.",
    "The speaker's office sent the underlying data, which changes the picture.",
    "Our rationale quoted the wrong year ({year_old}).",
]

SLOTS: dict[str, Callable[[random.Random], str]] = {
    "metric": lambda r: r.choice(METRICS),
    "rose": lambda r: r.choice(["rose", "fell", "grew", "dropped", "increased", "decreased"]),
    "pct": lambda r: f"{r.uniform(0.5, 45):.1f}",
    "money": lambda r: r.choice(["${} million", "€{} billion", "£{} million", "{} billion pesos"]).format(
        r.randint(2, 950)
    ),
    "money_small": lambda r: f"€{r.randint(5, 180)}",
    "number": lambda r: f"{r.randint(1_200, 950_000):,}",
    "number_small": lambda r: str(r.randint(3, 48)),
    "year": lambda r: str(r.randint(1998, 2024)),
    "year_old": lambda r: str(r.randint(1950, 2005)),
    "future_year": lambda r: str(r.randint(2026, 2040)),
    "country": lambda r: r.choice(COUNTRIES),
    "city": lambda r: r.choice(CITIES),
    "sector": lambda r: r.choice(SECTORS),
    "group": lambda r: r.choice(GROUPS),
    "region": lambda r: r.choice(REGIONS),
    "disease": lambda r: r.choice(DISEASES),
    "facility": lambda r: r.choice(FACILITIES),
    "thing": lambda r: r.choice(BANNED_THINGS),
    "agency": lambda r: r.choice(AGENCIES),
    "month": lambda r: r.choice(MONTHS),
    "weekday": lambda r: r.choice(WEEKDAYS),
    "role": lambda r: r.choice(ROLES).lower(),
}


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Template:
    """A format string whose slots are filled with random words, numbers, years and sums."""

    def __init__(self, text: str):
        self.text = text
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
        self.slots = list(dict.fromkeys(names))

    def fill(self, rng: random.Random, values: dict | None = None) -> str:
        values = dict(values or {})
        for name in self.slots:
            if name not in values:
                base = name.lower()
                value = SLOTS[base](rng)
                values[name] = capitalised(value) if name[0].isupper() else value
        return self.text.format(**values)

    def values(self, rng: random.Random) -> dict:
        return {name: SLOTS[name](rng) for name in self.slots}


def templates(texts) -> list[Template]:
    return [Template(text) for text in texts]


CORE_TEMPLATES = [(Template(core), Template(summary), kind) for core, summary, kind in CORES]
FILLER_TEMPLATES = templates(FILLERS)
TITLE_TEMPLATES = templates(TITLES)
NOTE_TEMPLATES = templates(NOTES)
EXCERPT_TEMPLATES = templates(EXCERPTS)
MORE_EVIDENCE_TEMPLATES = templates(MORE_EVIDENCE_NOTES)
CORRECTION_TEMPLATES = templates(CORRECTION_REASONS)
RATIONALE_TEMPLATES = {key: Template(text) for key, text in RATIONALES.items()}


def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights of a Zipf-like popularity over n items (rank 1 most popular)."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, n + 1)))


def shares(total: int, weights: dict) -> dict:
    """`total` split by the weights, rounded so the parts add up exactly (largest remainders)."""
    norm = sum(weights.values())
    exact = {key: total * weight / norm for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(weights, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


# --- The article texts --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Speaker:
    """A claimant as the text names them."""

    id: int
    name: str  # as the text writes it ("the Ministry of Health of Kenya")
    surname: str
    role: str
    kind: str


@dataclasses.dataclass
class Placement:
    """Where a claim stands in its source's text, and what the editor wrote about it."""

    quote: str
    start: int
    end: int
    prefix: str
    suffix: str
    summary: str
    kind: str
    claimant_id: int | None


class ArticleWriter:
    """Article texts made of sentence templates, with claims' sentences at known offsets."""

    def __init__(self, rng: random.Random, pick_speaker: Callable[[], Speaker | None]):
        self.rng = rng
        self.pick_speaker = pick_speaker

    def statement(self) -> tuple[str, int, int, str, str, int | None]:
        """A claim's sentence: (sentence, start and end of the claim's own words in it, summary, kind, claimant)."""
        rng = self.rng
        core, summary, kind = rng.choice(CORE_TEMPLATES)
        values = core.values(rng)
        words = core.text.format(**values)
        speaker = self.pick_speaker()
        if speaker is None:
            frames, names = UNATTRIBUTED_FRAMES, {}
        else:
            frames = PERSON_FRAMES if speaker.kind == ClaimantKind.PERSON else ORGANISATION_FRAMES
            names = {
                "name": speaker.name,
                "Name": capitalised(speaker.name),
                "surname": speaker.surname,
                "role": speaker.role,
                "weekday": rng.choice(WEEKDAYS),
            }
        before, after, capitalise = rng.choice(frames)
        before, after = before.format(**names), after.format(**names)
        if capitalise or not before:
            words = capitalised(words)
        sentence = before + words + after
        said = capitalised(summary.fill(rng, {key: value for key, value in values.items() if key in summary.slots}))
        if speaker is not None:
            said = f"{said}, says {speaker.surname}"
        return sentence, len(before), len(before) + len(words), said[:300], kind, speaker and speaker.id

    def article(self, claim_count: int, orphan_slot: int | None) -> tuple[str, str | None, list[Placement]]:
        """An article with `claim_count` claims: (text, the text before a correction removed the orphan's
        paragraph or None, each claim's placement). Some claims quote part of another's sentence, or run on
        into the next sentence, so their quotes overlap."""
        rng = self.rng
        overlaps = {}
        if claim_count >= 3 and rng.random() < 0.3:
            for slot in rng.sample(range(1, claim_count), k=min(claim_count - 1, rng.randint(1, 2))):
                if slot != orphan_slot:
                    overlaps[slot] = rng.choice(["inside", "run-on"])
        primary = [slot for slot in range(claim_count) if slot not in overlaps and slot != orphan_slot]
        statements = {slot: self.statement() for slot in primary}
        sentences: list[tuple[str, int | None]] = [(statement[0], slot) for slot, statement in statements.items()]
        sentences += [(filler.fill(rng), None) for filler in rng.sample(FILLER_TEMPLATES, k=rng.randint(4, 14))]
        # The first sentence is usually a claim: the lede.
        head = [sentences.pop(0)] if primary and rng.random() < 0.7 else []
        rng.shuffle(sentences)
        sentences = head + sentences
        parts, spans, position = [], {}, 0
        while sentences:
            paragraph = [sentences.pop(0) for _ in range(min(len(sentences), rng.randint(1, 4)))]
            if parts:
                parts.append("\n\n")
                position += 2
            for number, (sentence, slot) in enumerate(paragraph):
                if number:
                    parts.append(" ")
                    position += 1
                next_end = None
                if number + 1 < len(paragraph):
                    next_end = position + len(sentence) + 1 + len(paragraph[number + 1][0])
                if slot is not None:
                    spans[slot] = (position, position + len(sentence), next_end)
                parts.append(sentence)
                position += len(sentence)
        text = "".join(parts)
        placements: dict[int, Placement] = {}
        for slot, (start, end, _) in spans.items():
            sentence, words_start, words_end, summary, kind, claimant = statements[slot]
            placements[slot] = self.place(text, start, end, summary, kind, claimant)
        hosts = list(statements)
        for slot, shape in overlaps.items():
            host = rng.choice(hosts)
            start, end, next_end = spans[host]
            sentence, words_start, words_end, summary, kind, claimant = statements[host]
            if shape == "run-on" and next_end is not None:
                placements[slot] = self.place(text, start, next_end, f"{summary}, in context"[:300], kind, claimant)
            else:
                placements[slot] = self.place(text, start + words_start, start + words_end, summary, kind, claimant)
        old_text = None
        if orphan_slot is not None:
            sentence, words_start, words_end, summary, kind, claimant = self.statement()
            old_text = f"{text}\n\n{sentence}"
            start = len(text) + 2
            placements[orphan_slot] = self.place(old_text, start, start + len(sentence), summary, kind, claimant)
        return text, old_text, [placements[slot] for slot in range(claim_count)]

    @staticmethod
    def place(text, start, end, summary, kind, claimant) -> Placement:
        prefix, suffix = anchoring.context_around(text, start, end)
        return Placement(text[start:end], start, end, prefix, suffix, summary, kind, claimant)


# --- Planning: what each claim went through, within the history budget ---------------------------------------


@dataclasses.dataclass(slots=True)
class ClaimPlan:
    """What a claim went through, decided before any row is written so the history adds up exactly."""

    status: str
    imported: bool = False
    assigned: bool = False
    assignment_recorded: bool = False
    reviewer: bool = False
    reviewer_recorded: bool = False
    verdict: bool = False
    tags: int = 0
    tags_recorded: int = 0
    researched_first: bool = False  # set aside only after some research
    orphan: bool = False
    extras: list[str] = dataclasses.field(default_factory=list)

    def base_cost(self) -> int:
        """Timeline and audit rows of its creation and its path to its status, which every claim has."""
        rows = 2  # created: its first audit row and the event "new"
        rows += {
            Status.NEW: 0,
            Status.NOT_CHECKWORTHY: 2 + (2 if self.researched_first else 0),
            Status.RESEARCHING: 2 + (2 if self.verdict else 0),
            Status.IN_REVIEW: 6,  # research, verdict, review
            Status.PUBLISHED: 8,  # research, verdict, review, publication
        }[self.status]
        return rows + (2 if self.orphan else 0)

    def change_cost(self) -> int:
        """An assignment or a tag: an event of its first version when imported, else an event and a version."""
        return 1 if self.imported else 2

    def extras_allowed(self) -> list[str]:
        allowed = []
        if self.verdict:
            allowed.append("verdict_revision")
        if self.assignment_recorded:
            allowed.append("reassign")
        if self.reviewer_recorded:
            allowed.append("reviewer_change")
        if self.status in (Status.IN_REVIEW, Status.PUBLISHED):
            allowed.append("evidence_loop")
        if self.status == Status.PUBLISHED:
            allowed.append("correction")
        if self.status == Status.NOT_CHECKWORTHY:
            allowed.append("reinstate")
        if self.status == Status.RESEARCHING and self.verdict:
            allowed.append("under_correction")
        return [extra for extra in allowed if self.extras.count(extra) < EXTRA_LIMITS.get(extra, MAX_EXTRAS_PER_CLAIM)]


def plan_claims(
    rng: random.Random, count: int, history: int, *, max_tags: int, orphan_candidates: set[int]
) -> list[ClaimPlan]:
    """Statuses, people, tags and timeline shapes of `count` claims, oldest first, whose timeline and
    audit rows add up to exactly `history`. Orphans are chosen among `orphan_candidates` (one claim per
    source, since one correction of a source's text orphans at most one claim here)."""
    if count == 0:
        if history:
            raise CommandError("History rows need claims to belong to.")
        return []
    # Older claims are likelier to be finished: statuses go to claims by age, with plenty of noise.
    counts = shares(count, STATUS_SHARES)
    set_aside = rng.sample(range(count), counts.pop(Status.NOT_CHECKWORTHY))
    statuses = dict.fromkeys(set_aside, Status.NOT_CHECKWORTHY)
    skipped = set(set_aside)
    by_age = sorted((i for i in range(count) if i not in skipped), key=lambda i: i / count + rng.gauss(0, 0.25))
    position = 0
    for status, number in counts.items():
        statuses.update(dict.fromkeys(by_age[position : position + number], status))
        position += number
    orphan_count = min(len(orphan_candidates), max(round(ORPHANED_SHARE * count), 1 if count >= 100 else 0))
    orphans = set(rng.sample(sorted(orphan_candidates), orphan_count))
    tag_weights = TAGS_PER_CLAIM[: max_tags + 1]

    plans = []
    for index in range(count):
        status = statuses[index]
        plan = ClaimPlan(status=status)
        plan.imported = rng.random() < IMPORTED_SHARE
        plan.assigned = rng.random() < ASSIGNED_SHARE[status]
        plan.verdict = status in (Status.IN_REVIEW, Status.PUBLISHED) or (
            status == Status.RESEARCHING and rng.random() < 0.4
        )
        plan.reviewer = rng.random() < {Status.IN_REVIEW: 0.65, Status.PUBLISHED: 0.8}.get(status, 0)
        plan.tags = rng.choices(range(len(tag_weights)), weights=tag_weights)[0]
        plan.researched_first = status == Status.NOT_CHECKWORTHY and rng.random() < 0.3
        plan.orphan = index in orphans
        plans.append(plan)

    budget = history - sum(plan.base_cost() for plan in plans)
    if budget < 0:
        raise CommandError(
            f"{history:,} history rows are too few for {count:,} claims: their status timelines alone need "
            f"{history - budget:,}. Ask for more history rows or fewer claims."
        )
    # Keep a share for long timelines; the rest shows, as far as it goes, who works on each claim, who
    # reviews it and its tags. What is not recorded is still on the claim, as if set before the timeline began.
    padding = min(round(budget * 0.3), round(history * PADDING_SHARE))
    budget -= padding
    for plan in rng.sample(plans, count):
        if plan.assigned and plan.change_cost() <= budget:
            plan.assignment_recorded = True
            budget -= plan.change_cost()
    for plan in rng.sample(plans, count):
        if plan.reviewer and budget >= 2:
            plan.reviewer_recorded = True
            budget -= 2
    for plan in rng.sample(plans, count):
        while plan.tags_recorded < plan.tags and plan.change_cost() <= budget:
            plan.tags_recorded += 1
            budget -= plan.change_cost()
    _pad(rng, plans, budget + padding, max_tags)
    return plans


def _pad(rng: random.Random, plans: list[ClaimPlan], budget: int, max_tags: int) -> None:
    """Spend the rest of the history budget on longer timelines, a few claims taking most (a heavy tail)."""
    cumulative = list(itertools.accumulate(rng.paretovariate(1.2) for _ in plans))
    misses = 0
    while budget >= 2 and misses < 200:
        plan = plans[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        allowed = [extra for extra in plan.extras_allowed() if EXTRA_COSTS[extra] <= budget]
        if not allowed or len(plan.extras) >= MAX_EXTRAS_PER_CLAIM:
            misses += 1
            continue
        extra = rng.choice(allowed)
        plan.extras.append(extra)
        budget -= EXTRA_COSTS[extra]
        misses = 0
    if budget % 2:  # every extra but a correction costs an even number of rows
        imported = [plan for plan in plans if plan.imported and plan.tags < max_tags]
        published = [plan for plan in plans if "correction" in plan.extras_allowed()]
        corrected = [plan for plan in plans if "correction" in plan.extras]
        if imported:  # one more tag, recorded with the imported claim
            plan = rng.choice(imported)
            plan.tags += 1
            plan.tags_recorded += 1
            budget -= 1
        elif published and budget >= EXTRA_COSTS["correction"]:
            rng.choice(published).extras.append("correction")
            budget -= EXTRA_COSTS["correction"]
        elif corrected:
            rng.choice(corrected).extras.remove("correction")
            budget += EXTRA_COSTS["correction"]
    revisable = [plan for plan in plans if plan.verdict] or [plan for plan in plans if plan.assignment_recorded]
    if budget % 2 or (budget and not revisable):
        raise CommandError(f"Could not fit the last {budget} history rows into these claims' timelines.")
    while budget:
        plan = rng.choice(revisable)
        plan.extras.append("verdict_revision" if plan.verdict else "reassign")
        budget -= 2


# --- Writing rows ---------------------------------------------------------------------------------------------


class RowWriter:
    """Inserts rows given as tuples: COPY on PostgreSQL, executemany on SQLite. Measured on this machine,
    4 (PostgreSQL) to 8 (SQLite) times faster than bulk_create, which prepares every value of every model
    instance in Python; the database still checks every constraint."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict = {}  # rows written per model
        self.seconds: dict = {}  # time spent writing them

    def timestamp(self, seconds: float):
        moment = datetime.fromtimestamp(seconds, UTC)
        # SQLite keeps datetimes as Django writes them: ISO text in UTC, without the offset.
        return moment if self.postgres else moment.replace(tzinfo=None).isoformat(" ")

    def day(self, value: date):
        return value if self.postgres else value.isoformat()

    def insert(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.monotonic()
        quote = connection.ops.quote_name
        table, names = quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                for start in range(0, len(rows), self.batch_size):
                    cursor.executemany(sql, rows[start : start + self.batch_size])
        self.counts[model] = self.counts.get(model, 0) + len(rows)
        self.seconds[model] = self.seconds.get(model, 0.0) + time.monotonic() - started


def check_columns(model, columns: list[str]) -> None:
    """Refuse to write a table whose model gained a required column the generator does not fill."""
    known = {field.column: field for field in model._meta.concrete_fields}
    unknown = [column for column in columns if column not in known]
    missing = [
        column
        for column, field in known.items()
        if column not in columns and not field.null and not field.has_db_default()
    ]
    if unknown or missing:
        raise CommandError(
            f"The dataset generator does not match {model._meta.label}: unknown columns {unknown}, required "
            f"columns it does not fill {missing}. Update claims/dataset.py."
        )


HistoricalClaimTags = apps.get_model("claims", "HistoricalClaim_tags")
ClaimTag = Claim.tags.through
CLAIM_FIXED = "id summary quote source_id quote_start quote_end quote_prefix quote_suffix claimant_id kind created_at"
CLAIM_STATE = (
    "status verdict_id rationale verdict_by_id assignee_id reviewer_id published_verdict_id published_rationale "
    "published_at published_by_id corrected_at orphaned_at version changed_by_id updated_at"
).split()
HISTORY_COLUMNS = ["history_id", "history_date", "history_change_reason", "history_type", "history_user_id"]
# Each table's columns, parents first; the rows the generator builds follow this order.
COLUMNS = {
    model: columns.split()
    for model, columns in {
        Source: "id title outlet url kind published_on text state fetch_error fetched_at added_by_id version "
        "created_at updated_at",
        Claimant: "id name kind role",
        Tag: "id name",
        Claim: f"{CLAIM_FIXED} {' '.join(CLAIM_STATE)}",
        ClaimTag: "id claim_id tag_id",
        ClaimEvent: "id claim_id field old_value new_value old_label new_label note actor_id origin at version",
        Evidence: "id claim_id source_id url stance excerpt added_by_id created_at",
        Annotation: "id claim_id author_id body created_at updated_at version",
        Correction: "id claim_id reason opened_by_id opened_at old_verdict_id old_rationale new_verdict_id "
        "new_rationale published_by_id published_at",
        ClaimVisit: "id user_id claim_id seen_at",
    }.items()
}
# Each audited model's historical model (`Model.history` builds a new manager on every access: slow in a loop).
AUDIT_OF = {model: model.history.model for model in [Source, Claimant, Tag, Claim, Evidence, Annotation, Correction]}
COLUMNS.update({audit: ["history_origin", *COLUMNS[model], *HISTORY_COLUMNS] for model, audit in AUDIT_OF.items()})
COLUMNS[HistoricalClaimTags] = ["m2m_history_id", "id", "claim_id", "tag_id", "history_id"]
HistoricalClaim = AUDIT_OF[Claim]


# --- The generator ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Person:
    id: int
    username: str


@dataclasses.dataclass
class OpenCorrection:
    id: int
    reason: str
    opener: Person
    opened_at: float
    old_verdict: Rating | None
    old_rationale: str


@dataclasses.dataclass
class Progress:
    """When a claim's work reached its milestones, for the evidence's dates; its open correction."""

    research: float | None = None
    review: float | None = None
    published: float | None = None
    correction: OpenCorrection | None = None


class Timeline:
    """One claim's life, version by version: its audit rows, their tag snapshots and its timeline events."""

    def __init__(self, generator: DatasetGenerator, claim_id: int, fixed: tuple, created: float):
        self.generator = generator
        self.claim_id = claim_id
        self.fixed = fixed
        self.at = created
        self.state = dict.fromkeys(CLAIM_STATE)
        self.state.update(status=Status.NEW, rationale="", published_rationale="", version=0)
        self.tags: list[tuple[int, int]] = []  # (ClaimTag id, tag id) as of the current version

    def change(self, actor: Person, origin: str, events: list[tuple], *, first: bool = False) -> None:
        """A new version made by `actor`: its audit row, then its events (field, old, new, labels, note)."""
        g, state = self.generator, self.state
        state["version"] += 1
        state["changed_by_id"] = actor.id
        state["updated_at"] = stamp = g.writer.timestamp(self.at)
        history_id = g.next_id(HistoricalClaim)
        g.rows[HistoricalClaim].append(
            (
                origin,
                *self.fixed,
                *map(state.get, CLAIM_STATE),
                history_id,
                stamp,
                None,
                "+" if first else "~",
                actor.id,
            )
        )
        tag_rows = g.rows[HistoricalClaimTags]
        for through_id, tag_id in self.tags:
            tag_rows.append((g.next_id(HistoricalClaimTags), through_id, self.claim_id, tag_id, history_id))
        for field, old, new, old_label, new_label, note in events:
            g.rows[ClaimEvent].append(
                (g.next_id(ClaimEvent), self.claim_id, field, old, new, old_label, new_label, note, actor.id, origin)
                + (stamp, state["version"])
            )

    def row(self) -> tuple:
        return (*self.fixed, *map(self.state.get, CLAIM_STATE))


def scatter(chain: list, items: list, *, low: int = 0, early: bool = False, rng: random.Random) -> None:
    """Insert `items` into `chain` in their order, at random places from `low` on (nearer the start if `early`)."""
    places = sorted(low + int((rng.random() ** 2 if early else rng.random()) * (len(chain) - low + 1)) for _ in items)
    for shift, (place, item) in enumerate(zip(places, items, strict=True)):
        chain.insert(place + shift, item)


class DatasetGenerator:
    """Builds the dataset in chunks of about `batch_size` claims, each written in one transaction."""

    def __init__(self, sizes: Sizes, *, seed: int = 1, batch_size: int = 5_000, log: Callable[[str], None] = print):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.log = log
        self.writer = RowWriter(batch_size)
        self.rows: dict = {model: [] for model in COLUMNS}
        self.ids: dict = {}
        self.started = time.monotonic()
        self.now = timezone.now().timestamp()
        self.start = self.now - SPAN.total_seconds()

    def next_id(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f} s"

    def run(self) -> dict:
        """Generate everything; return the rows written per model (`self.writer.seconds` has the time taken)."""
        sizes = self.sizes
        if not (sizes.claims or sizes.sources):
            self.log("Nothing to generate.")
            return {}
        if sizes.claims and not sizes.sources:
            raise CommandError("Claims need sources to quote.")
        if sizes.claims > 15 * sizes.sources:
            raise CommandError(f"At most 15 claims per source: {sizes.sources:,} sources hold {15 * sizes.sources:,}.")
        if sizes.annotations and not sizes.claims:
            raise CommandError("Annotations need claims to annotate.")
        for model, columns in COLUMNS.items():
            check_columns(model, columns)
        self.ratings = {rating.key: rating for rating in Rating.objects.all()}
        missing = sorted(set(VERDICT_SHARES) - set(self.ratings))
        if missing:
            raise CommandError(f"The rating scale lacks {missing}: run the migrations first.")
        self.ratings_by_id = {rating.pk: rating for rating in self.ratings.values()}
        self.labels = StatusStyle.objects.labels()
        per_source = self.claims_per_source(sizes.claims, sizes.sources)
        # One orphan candidate per source: its last claim.
        last_claims = set(itertools.accumulate(count for count in per_source if count))
        plans = plan_claims(
            self.rng,
            sizes.claims,
            sizes.history,
            max_tags=min(len(TAGS_PER_CLAIM) - 1, sizes.tag_count),
            orphan_candidates={index - 1 for index in last_claims},
        )
        self.log(f"Planned {len(plans):,} claims over {len(per_source):,} sources ({self.elapsed()}).")
        try:
            with transaction.atomic():
                # Ids continue from the highest in each table; the sequences are moved past them at the end.
                self.ids = {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model in COLUMNS}
                self.create_users()
                self.create_claimants()
                self.create_tags()
                self.flush()
            self.create_sources(plans, per_source)
        finally:
            self.reset_sequences()
        self.analyze()
        return dict(self.writer.counts)

    def flush(self) -> None:
        """Write the rows gathered so far."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Losing the last chunks in a crash is harmless here (run again); waiting for the disk is not.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for model, rows in self.rows.items():
            self.writer.insert(model, COLUMNS[model], rows)
            rows.clear()

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(COLUMNS)):
                cursor.execute(statement)

    def analyze(self) -> None:
        """Fresh statistics, so the query planner knows the tables' new sizes."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # every table, the search indexes' included
        self.log(f"Analyzed the tables in {time.monotonic() - started:.1f} s.")

    # --- People, claimants, tags

    def create_users(self) -> None:
        User = get_user_model()
        wanted = [(f"editor{n:03}", roles.EDITOR) for n in range(1, self.sizes.editors + 1)]
        wanted += [(f"reviewer{n:03}", roles.REVIEWER) for n in range(1, self.sizes.reviewers + 1)]
        if not (self.sizes.editors and self.sizes.reviewers):
            raise CommandError("The dataset needs at least one editor and one reviewer.")
        usernames = [username for username, _ in wanted]
        existing = {user.username: user for user in User.objects.filter(username__in=usernames)}
        strangers = sorted(name for name, user in existing.items() if not user.email.endswith(f"@{DATASET_DOMAIN}"))
        if strangers:
            raise CommandError(f"Users {strangers} exist and were not made by this command; leaving them alone.")
        password = make_password(DATASET_PASSWORD)  # hashed once: every generated user shares it
        User.objects.bulk_create(
            User(
                username=username,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                email=f"{username}@{DATASET_DOMAIN}",
                password=password,
                is_staff=role == roles.REVIEWER,  # reviewers have the admin, as the demo reviewer does
                date_joined=datetime.fromtimestamp(self.start - 30 * 86400, UTC),
            )
            for username, role in wanted
            if username not in existing
        )
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        groups = dict(Group.objects.filter(name__in=[roles.EDITOR, roles.REVIEWER]).values_list("name", "pk"))
        membership = User.groups.through
        membership.objects.bulk_create(
            [membership(user_id=users[name], group_id=groups[role]) for name, role in wanted], ignore_conflicts=True
        )
        self.editors = [Person(users[name], name) for name, role in wanted if role == roles.EDITOR]
        self.reviewers = [Person(users[name], name) for name, role in wanted if role == roles.REVIEWER]
        self.people = {person.id: person for person in self.editors + self.reviewers}
        # A few people carry much of the load.
        self.editor_weights = zipf_weights(len(self.editors), 0.6)
        self.reviewer_weights = zipf_weights(len(self.reviewers), 0.7)
        self.log(f"Users: {len(wanted) - len(existing)} created, {len(existing)} already there ({self.elapsed()}).")

    def editor(self) -> Person:
        return self.rng.choices(self.editors, cum_weights=self.editor_weights)[0]

    def reviewer(self) -> Person:
        return self.rng.choices(self.reviewers, cum_weights=self.reviewer_weights)[0]

    def sequence(self, pick: Callable[[], Person], last: Person, count: int) -> list[Person]:
        """`count` people who held a role in turn, ending with `last`, no one twice in a row."""
        people = [last]
        for _ in range(count * 20):
            if len(people) == count:
                break
            person = pick()
            if person != people[0]:
                people.insert(0, person)
        return people if len(people) == count else [last] * count

    def audit(self, model, row: tuple, *, at: float, user: Person | None = None, kind="+", reason=None, origin=None):
        """The audit row django-simple-history would have written for this save of `row`."""
        history = AUDIT_OF[model]
        self.rows[history].append(
            (
                origin or Origin.DESK,
                *row,
                self.next_id(history),
                self.writer.timestamp(at),
                reason,
                kind,
                user and user.id,
            )
        )

    def create_claimants(self) -> None:
        rng, count = self.rng, self.sizes.claimant_count
        taken = {name.lower() for name in Claimant.objects.values_list("name", flat=True)}
        people = round(count * 0.75)
        self.speakers: list[Speaker] = []
        for attempt in range(count * 50):
            if len(self.speakers) == count:
                break
            if len(self.speakers) < people:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                if attempt > count * 3:  # the plain names are used up: add a middle initial
                    first = f"{first} {rng.choice(string.ascii_uppercase)}."
                text_name, surname, role, kind = f"{first} {last}", last, rng.choice(ROLES), ClaimantKind.PERSON
                name = text_name
            else:
                text_name = rng.choice(ORGANISATION_PATTERNS).format(
                    portfolio=rng.choice(PORTFOLIOS),
                    country=rng.choice(COUNTRIES),
                    company=rng.choice(COMPANY_WORDS),
                    sector=rng.choice(COMPANY_SECTORS),
                    cause=rng.choice(CAUSES),
                    union=rng.choice(UNIONS),
                    suffix=rng.choice(COMPANY_SUFFIXES),
                )
                if attempt > count * 3:  # the plain names are used up: say where
                    text_name = f"{text_name} ({rng.choice(CITIES)})"
                name = capitalised(text_name.removeprefix("the "))
                surname, role, kind = text_name, "", ClaimantKind.ORGANISATION
            if name.lower() in taken:
                continue
            taken.add(name.lower())
            row = (self.next_id(Claimant), name, kind, role)
            self.rows[Claimant].append(row)
            self.audit(Claimant, row, at=self.start, reason=DATASET_MARK, origin=Origin.SYSTEM)
            self.speakers.append(Speaker(row[0], text_name, surname, role, kind))
        if len(self.speakers) < count:
            raise CommandError(f"Ran out of distinct claimant names after {len(self.speakers):,}.")
        rng.shuffle(self.speakers)  # popularity does not follow the order of creation
        self.speaker_weights = zipf_weights(len(self.speakers), 1.0)
        self.log(f"Claimants: {count:,} ({self.elapsed()}).")

    def speaker(self) -> Speaker | None:
        if not self.speakers or self.rng.random() < 0.06:
            return None  # the article's own voice
        return self.rng.choices(self.speakers, cum_weights=self.speaker_weights)[0]

    def create_tags(self) -> None:
        existing = dict(Tag.objects.values_list("name", "id"))
        names = list(TOPICS) + [country.removeprefix("the ").lower().replace(" ", "-") for country in COUNTRIES]
        names += [f"{topic}-{year}" for year in range(2019, 2027) for topic in TOPICS]
        names += [f"{topic}-{n}" for n in range(1, self.sizes.tag_count // len(TOPICS) + 2) for topic in TOPICS]
        chosen = list(dict.fromkeys(names))[: self.sizes.tag_count]
        self.rng.shuffle(chosen)
        self.tags: list[tuple[int, str]] = []
        for name in chosen:
            if name in existing:  # the desk's own tag: used, never marked as generated
                self.tags.append((existing[name], name))
                continue
            row = (self.next_id(Tag), name)
            self.rows[Tag].append(row)
            self.audit(Tag, row, at=self.start, reason=DATASET_MARK, origin=Origin.SYSTEM)
            self.tags.append(row)
        self.tag_names = dict(self.tags)
        self.tag_weights = zipf_weights(len(self.tags), 1.0)
        self.log(f"Tags: {len(self.tags)} ({self.elapsed()}).")

    # --- Sources and claims

    def claims_per_source(self, claims: int, sources: int) -> list[int]:
        """1 to 15 claims per source (most have a few, some many), adding up to `claims`; sources beyond
        what the claims need have none (evidence cites them)."""
        rng = self.rng
        holding = min(claims, sources)
        counts = [1] * holding
        cumulative = list(itertools.accumulate(rng.lognormvariate(0, 0.8) for _ in range(holding)))
        remaining = claims - holding
        while remaining:
            index = min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), holding - 1)
            if counts[index] < 15:
                counts[index] += 1
                remaining -= 1
        counts += [0] * (sources - holding)
        rng.shuffle(counts)
        return counts

    def create_sources(self, plans: list[ClaimPlan], per_source: list[int]) -> None:
        sizes, rng = self.sizes, self.rng
        notes = [0] * len(plans)
        if plans:
            weight = {
                Status.NEW: 1,
                Status.RESEARCHING: 2,
                Status.IN_REVIEW: 3,
                Status.PUBLISHED: 3.5,
                Status.NOT_CHECKWORTHY: 0.5,
            }
            # A heavy tail, capped: the busiest claims gather around a hundred notes.
            cumulative = list(
                itertools.accumulate(weight[plan.status] * min(rng.paretovariate(2.5), 20) for plan in plans)
            )
            for index in rng.choices(range(len(plans)), cum_weights=cumulative, k=sizes.annotations):
                notes[index] += 1
        writer = ArticleWriter(rng, self.speaker)
        self.first_source_id = self.ids[Source] + 1
        # Sources arrive evenly over the span, ids in date order, the last a couple of days ago.
        step = (SPAN.total_seconds() - 2 * 86400) / max(1, sizes.sources)
        claimed, pending = 0, 0
        for number, count in enumerate(per_source):
            created = self.start + step * (number + rng.random())
            self.source(writer, created, plans[claimed : claimed + count], notes[claimed : claimed + count])
            claimed += count
            pending += count
            if pending >= self.batch_size or number == len(per_source) - 1:
                with transaction.atomic():
                    self.flush()
                pending = 0
                counts = self.writer.counts
                self.log(
                    f"Claims {claimed:,}/{sizes.claims:,}, sources {number + 1:,}/{sizes.sources:,}, history "
                    f"{counts.get(ClaimEvent, 0) + counts.get(HistoricalClaim, 0):,}/{sizes.history:,}, "
                    f"annotations {counts.get(Annotation, 0):,}/{sizes.annotations:,} ({self.elapsed()})."
                )

    def source(self, writer: ArticleWriter, created: float, plans: list[ClaimPlan], notes: list[int]) -> None:
        rng = self.rng
        orphan_slot = next((slot for slot, plan in enumerate(plans) if plan.orphan), None)
        text, old_text, placements = writer.article(len(plans), orphan_slot)
        source_id = self.next_id(Source)
        added_by = self.editor()
        published_on = datetime.fromtimestamp(created - rng.randint(0, 3) * 86400, UTC).date()
        fixed = (
            source_id,
            rng.choice(TITLE_TEMPLATES).fill(rng)[:300],
            rng.choice(OUTLETS),
            f"{DATASET_URL}articles/{source_id}",
            rng.choices(list(SOURCE_KINDS), weights=list(SOURCE_KINDS.values()))[0],
            self.writer.day(published_on),
        )
        fetched_at = self.writer.timestamp(created + 20) if rng.random() < 0.4 else None
        state = (SourceState.READY, "", fetched_at, added_by.id)
        stamp = self.writer.timestamp(created)
        corrector = self.editor() if orphan_slot is not None else None
        corrected_at = None
        claim_at = created
        for slot, (plan, placement) in enumerate(zip(plans, placements, strict=True)):
            claim_at = min(claim_at + rng.expovariate(1 / 7200), self.now - 3600)
            last_change = self.claim(plan, placement, source_id, claim_at, notes[slot], corrector)
            if slot == orphan_slot:
                corrected_at = last_change
        if old_text is None:
            row = (*fixed, text, *state, 1, stamp, stamp)
            self.audit(Source, row, at=created, user=added_by)
        else:  # corrected later: a paragraph removed, and the claim quoting it orphaned
            self.audit(Source, (*fixed, old_text, *state, 1, stamp, stamp), at=created, user=added_by)
            row = (*fixed, text, *state, 2, stamp, self.writer.timestamp(corrected_at))
            self.audit(Source, row, at=corrected_at, user=corrector, kind="~")
        self.rows[Source].append(row)

    def claim(self, plan: ClaimPlan, placement: Placement, source_id: int, created: float, notes: int, corrector):
        """Write one claim with its timeline, audit, tags, evidence, notes and visits; return when it last changed."""
        rng = self.rng
        claim_id = self.next_id(Claim)
        fixed = (
            claim_id,
            placement.summary,
            placement.quote,
            source_id,
            placement.start,
            placement.end,
            placement.prefix,
            placement.suffix,
            placement.claimant_id,
            placement.kind,
            self.writer.timestamp(created),
        )
        life = Timeline(self, claim_id, fixed, created)
        assignee = self.editor() if plan.assigned else None
        reviewer = self.reviewer() if plan.reviewer else None
        tags: list[tuple[int, int]] = []
        while len(tags) < plan.tags:
            tag_id = rng.choices(self.tags, cum_weights=self.tag_weights)[0][0]
            if all(tag_id != tag for _, tag in tags):
                tags.append((self.next_id(ClaimTag), tag_id))
        self.rows[ClaimTag].extend((through_id, claim_id, tag_id) for through_id, tag_id in tags)
        steps, arrival_assignee = self.steps(plan, assignee, reviewer, tags)

        # Its first version: as captured on the desk, or imported with its assignee and tags. Tags and
        # people that the timeline does not record were there from the start.
        creator = assignee if assignee and rng.random() < 0.6 else self.editor()
        later_tags = [value for kind, value in steps if kind == "tag"]
        life.tags = [tag for tag in tags if tag not in later_tags]
        events = [(EventField.STATUS, "", Status.NEW, "", self.labels[Status.NEW], "")]
        if arrival_assignee is not None:
            life.state["assignee_id"] = arrival_assignee.id
            name = arrival_assignee.username
            events.append((EventField.ASSIGNEE, "", name, "", name, ""))
        elif assignee is not None and not plan.assignment_recorded:
            life.state["assignee_id"] = assignee.id
        if plan.imported:
            names = self.tag_names
            events += [(EventField.TAGS, "", names[tag], "", names[tag], "") for _, tag in tags[: plan.tags_recorded]]
        life.change(creator, Origin.IMPORT if plan.imported else Origin.DESK, events, first=True)

        verdicts = self.verdict_sequence(sum(kind == "verdict" for kind, _ in steps))
        progress = Progress()
        for (kind, value), at in zip(steps, self.times(created, len(steps)), strict=True):
            life.at = at
            origin = Origin.ADMIN if rng.random() < 0.08 else Origin.DESK
            getattr(self, f"step_{kind}")(
                life, value, origin, plan=plan, reviewer=reviewer, verdicts=verdicts, progress=progress
            )
        if progress.correction is not None:
            self.correction(life.claim_id, progress.correction)
        if plan.orphan:
            life.at = min(life.at + rng.expovariate(1 / 86400), self.now - 60)
            life.state["orphaned_at"] = self.writer.timestamp(life.at)
            span = f"{placement.start}–{placement.end}"
            note = "The source's text was corrected and the quote is no longer in it."
            life.change(
                corrector,
                Origin.DESK,
                [(EventField.ANCHOR, span, "", f"characters {span}", "not found (orphaned)", note)],
            )
        self.rows[Claim].append(life.row())
        self.evidence(plan, life, progress, source_id, assignee, created)
        self.notes(claim_id, notes, created, life.at, assignee, reviewer)
        self.visits(claim_id, created, assignee, reviewer)
        return life.at

    def steps(self, plan: ClaimPlan, assignee, reviewer, tags) -> tuple[list[tuple[str, object]], Person | None]:
        """The changes after the claim's creation, in order, and who it was assigned to on arrival if imported."""
        rng, extras = self.rng, plan.extras
        chain: list[tuple[str, object]] = []
        if plan.status == Status.NOT_CHECKWORTHY:
            if plan.researched_first:
                chain.append(("status", Status.RESEARCHING))
            for _ in range(extras.count("reinstate")):
                chain += [("status", Status.NOT_CHECKWORTHY), ("status", Status.NEW)]
            chain.append(("status", Status.NOT_CHECKWORTHY))
        elif plan.status != Status.NEW:
            chain.append(("status", Status.RESEARCHING))
            chain += [("verdict", None)] * (plan.verdict + extras.count("verdict_revision"))
            published = plan.status == Status.PUBLISHED or "under_correction" in extras
            if plan.status == Status.IN_REVIEW or published:
                for _ in range(extras.count("evidence_loop")):
                    chain += [("status", Status.IN_REVIEW), ("status", "more-evidence")]
                chain.append(("status", Status.IN_REVIEW))
                if plan.reviewer_recorded:
                    people = self.sequence(self.reviewer, reviewer, 1 + extras.count("reviewer_change"))
                    chain += [("reviewer", person) for person in people]
                if published:
                    chain.append(("publish", None))
                    for _ in range(extras.count("correction")):
                        chain += [("reopen", None), ("verdict", None), ("status", Status.IN_REVIEW), ("publish", None)]
                    if "under_correction" in extras:
                        chain.append(("reopen", None))
        arrival_assignee = None
        if plan.assignment_recorded:
            people = self.sequence(self.editor, assignee, 1 + extras.count("reassign"))
            if plan.imported:
                arrival_assignee = people.pop(0)
            else:
                chain.insert(0, ("assign", people.pop(0)))
            scatter(chain, [("assign", person) for person in people], low=0 if plan.imported else 1, rng=rng)
        if not plan.imported:
            scatter(chain, [("tag", tag) for tag in tags[: plan.tags_recorded]], early=True, rng=rng)
        return chain, arrival_assignee

    def verdict_sequence(self, count: int) -> list[Rating]:
        """The ratings a claim's verdict went through, its current one last, never the same twice in a row."""
        keys, weights = list(VERDICT_SHARES), list(VERDICT_SHARES.values())
        sequence: list[str] = []
        while len(sequence) < count:
            key = self.rng.choices(keys, weights=weights)[0]
            if not sequence or key != sequence[-1]:
                sequence.append(key)
        return [self.ratings[key] for key in sequence]

    def times(self, created: float, count: int) -> list[float]:
        """When each change happened: minutes to days apart, the last before now."""
        rng = self.rng
        gaps = [rng.expovariate(1 / 86400) * rng.choice([0.05, 0.3, 1, 2, 5]) for _ in range(count)]
        room, total = self.now - 600 - created, sum(gaps)
        if total > room:
            gaps = [gap * room / total for gap in gaps]
        return list(itertools.accumulate(gaps, initial=created))[1:]

    def worker(self, life: Timeline) -> Person:
        assignee = life.state["assignee_id"]
        return self.people[assignee] if assignee else self.editor()

    def step_assign(self, life: Timeline, person: Person, origin: str, **_) -> None:
        old = self.people.get(life.state["assignee_id"])
        life.state["assignee_id"] = person.id
        actor = person if self.rng.random() < 0.5 else self.editor()  # took it, or was given it
        names = (old.username if old else "", person.username)
        life.change(actor, origin, [(EventField.ASSIGNEE, *names, *names, "")])

    def step_tag(self, life: Timeline, tag: tuple[int, int], origin: str, **_) -> None:
        life.tags.append(tag)
        name = self.tag_names[tag[1]]
        life.change(self.worker(life), origin, [(EventField.TAGS, "", name, "", name, "")])

    def step_reviewer(self, life: Timeline, person: Person, origin: str, **_) -> None:
        old = self.people.get(life.state["reviewer_id"])
        life.state["reviewer_id"] = person.id
        actor = person if self.rng.random() < 0.6 else self.worker(life)
        names = (old.username if old else "", person.username)
        life.change(actor, origin, [(EventField.REVIEWER, *names, *names, "")])

    def step_verdict(self, life: Timeline, _, origin: str, *, verdicts: list[Rating], **__) -> None:
        state = life.state
        rating = verdicts.pop(0)
        old = self.ratings_by_id.get(state["verdict_id"])
        actor = self.worker(life) if self.rng.random() < 0.85 else self.editor()
        rationale = RATIONALE_TEMPLATES[rating.key].fill(self.rng)
        state.update(verdict_id=rating.pk, rationale=rationale, verdict_by_id=actor.id)
        event = (old.key if old else "", rating.key, old.label if old else "", rating.label, rationale)
        life.change(actor, origin, [(EventField.VERDICT, *event)])

    def step_status(self, life: Timeline, target: str, origin: str, *, plan, reviewer, progress, **_) -> None:
        state, note = life.state, ""
        if target == "more-evidence":  # a reviewer sends it back
            target = Status.RESEARCHING
            actor = self.people.get(state["reviewer_id"]) or self.reviewer()
            note = self.rng.choice(MORE_EVIDENCE_TEMPLATES).fill(self.rng)
        elif target == Status.IN_REVIEW:  # whoever proposed the verdict sends it
            actor = self.people.get(state["verdict_by_id"]) or self.worker(life)
            progress.review = progress.review or life.at
            if plan.reviewer and not plan.reviewer_recorded:
                state["reviewer_id"] = reviewer.id
        else:
            actor = self.worker(life)
        if target == Status.RESEARCHING:
            progress.research = progress.research or life.at
        old = state["status"]
        state["status"] = target
        life.change(actor, origin, [(EventField.STATUS, old, target, self.labels[old], self.labels[target], note)])

    def step_publish(self, life: Timeline, _, origin: str, *, progress: Progress, **__) -> None:
        state = life.state
        # The two-person rule: never whoever proposed the verdict.
        publisher = self.people.get(state["reviewer_id"])
        while publisher is None or publisher.id == state["verdict_by_id"]:
            publisher = self.reviewer()
        stamp = self.writer.timestamp(life.at)
        old = state["status"]
        state.update(
            status=Status.PUBLISHED,
            published_verdict_id=state["verdict_id"],
            published_rationale=state["rationale"],
            published_at=stamp,
            published_by_id=publisher.id,
        )
        progress.published = progress.published or life.at
        labels = self.labels
        events = [(EventField.STATUS, old, Status.PUBLISHED, labels[old], labels[Status.PUBLISHED], "")]
        opened = progress.correction
        if opened is not None:
            state["corrected_at"] = stamp
            new = self.ratings_by_id[state["verdict_id"]]
            was = opened.old_verdict
            events.append(
                (EventField.CORRECTION, was.key if was else "", new.key, was.label if was else "", new.label)
                + (opened.reason,)
            )
            self.correction(
                life.claim_id, opened, new_verdict=new, rationale=state["rationale"], by=publisher, at=life.at
            )
            progress.correction = None
        life.change(publisher, origin, events)

    def step_reopen(self, life: Timeline, _, origin: str, *, progress: Progress, **__) -> None:
        state = life.state
        actor = self.worker(life)
        reason = self.rng.choice(CORRECTION_TEMPLATES).fill(self.rng)
        progress.correction = OpenCorrection(
            self.next_id(Correction),
            reason,
            actor,
            life.at,
            self.ratings_by_id.get(state["published_verdict_id"]),
            state["published_rationale"],
        )
        state["status"] = Status.RESEARCHING
        labels = (self.labels[Status.PUBLISHED], self.labels[Status.RESEARCHING])
        life.change(actor, origin, [(EventField.STATUS, Status.PUBLISHED, Status.RESEARCHING, *labels, reason)])

    def correction(self, claim_id: int, opened: OpenCorrection, *, new_verdict=None, rationale="", by=None, at=None):
        """A correction's row and its audit: opened, and completed when `by` published the new verdict."""
        row = (
            opened.id,
            claim_id,
            opened.reason,
            opened.opener.id,
            self.writer.timestamp(opened.opened_at),
            opened.old_verdict and opened.old_verdict.pk,
            opened.old_rationale,
            None,
            "",
            None,
            None,
        )
        self.audit(Correction, row, at=opened.opened_at, user=opened.opener)
        if by is not None:
            row = (*row[:7], new_verdict.pk, rationale, by.id, self.writer.timestamp(at))
            self.audit(Correction, row, at=at, user=by, kind="~")
        self.rows[Correction].append(row)

    def evidence(self, plan, life: Timeline, progress: Progress, source_id, assignee, created) -> None:
        rng = self.rng
        if progress.published is not None:
            count = 1 + min(int(rng.expovariate(1)), 5)  # publishing needs at least one piece
        elif plan.status == Status.IN_REVIEW:
            count = rng.choices([0, 1, 2, 3], weights=[3, 4, 2, 1])[0]
        elif plan.status == Status.RESEARCHING:
            count = rng.choices([0, 1, 2], weights=[7, 2, 1])[0]
        else:
            return
        since = progress.research or created
        until = progress.published or progress.review or life.at
        verdict = self.ratings_by_id.get(life.state["verdict_id"])
        refuting = verdict is not None and verdict.value is not None and verdict.value <= 2
        for _ in range(count):
            at = since + rng.random() * max(0.0, until - since)
            cited = None
            if rng.random() < 0.25 and self.ids[Source] > self.first_source_id:
                cited = rng.randint(self.first_source_id, self.ids[Source] - 1)
            url = "" if cited else f"https://{rng.choice(EVIDENCE_SITES)}/{rng.randint(1000, 99999)}"
            stance = rng.choices(list(Stance), weights=[2, 5, 3] if refuting else [4, 3, 3])[0]
            added_by = assignee if assignee and rng.random() < 0.7 else self.editor()
            row = (
                self.next_id(Evidence),
                life.claim_id,
                cited,
                url,
                stance,
                rng.choice(EXCERPT_TEMPLATES).fill(rng),
                added_by.id,
                self.writer.timestamp(at),
            )
            self.rows[Evidence].append(row)
            self.audit(Evidence, row, at=at, user=added_by)

    def notes(self, claim_id, count, created, last, assignee, reviewer) -> None:
        rng = self.rng
        until = min(self.now - 60, max(last, created + 3600) + 14 * 86400)
        for _ in range(count):
            at = created + rng.random() * (until - created)
            pick = rng.random()
            author = assignee if assignee and pick < 0.5 else reviewer if reviewer and pick < 0.7 else self.editor()
            body = " ".join(template.fill(rng) for template in rng.sample(NOTE_TEMPLATES, rng.randint(1, 3)))
            note_id, stamp = self.next_id(Annotation), self.writer.timestamp(at)
            row = (note_id, claim_id, author.id, body, stamp, stamp, 1)
            self.audit(Annotation, row, at=at, user=author)
            if rng.random() < 0.08:  # edited later by its author
                edited = at + rng.random() * (self.now - 60 - at) * 0.1
                body = f"{body} Update: {rng.choice(NOTE_TEMPLATES).fill(rng)}"
                row = (note_id, claim_id, author.id, body, stamp, self.writer.timestamp(edited), 2)
                self.audit(Annotation, row, at=edited, user=author, kind="~")
            self.rows[Annotation].append(row)

    def visits(self, claim_id, created, assignee, reviewer) -> None:
        """When the people on a claim last opened it, so "changed since I last looked" has something to show."""
        rng = self.rng
        for person, chance in [(assignee, 0.7), (reviewer, 0.6)]:
            if person is not None and rng.random() < chance:
                seen = self.writer.timestamp(created + rng.random() * (self.now - 60 - created))
                self.rows[ClaimVisit].append((self.next_id(ClaimVisit), person.id, claim_id, seen))


# --- Finding and removing what was generated ------------------------------------------------------------------


def generated_claims():
    return Claim.objects.filter(source__url__startswith=DATASET_URL)


def generated_users():
    return get_user_model().objects.filter(email__endswith=f"@{DATASET_DOMAIN}")


def delete_generated() -> dict[str, int]:
    """Delete what this module generated, and only that: the claims on generated sources with their
    timelines, audit rows, tags, notes, evidence, corrections and visits; the sources (unless a claim
    of the desk's own cites one as evidence); generated claimants and tags no other claim uses; the
    generated users. Returns the rows deleted per table."""
    deleted: dict[str, int] = {}

    def remove(queryset) -> None:
        # A raw delete: the ORM's would load every row and write a "deleted" audit row for each.
        count = queryset._raw_delete(queryset.db)
        if count:
            table = queryset.model._meta.db_table
            deleted[table] = deleted.get(table, 0) + count

    with transaction.atomic():
        claims = generated_claims().values("pk")
        audit = HistoricalClaim.objects.filter(id__in=claims)
        remove(HistoricalClaimTags.objects.filter(history_id__in=audit.values("history_id")))
        remove(audit)
        for model in [Annotation, Evidence, Correction]:
            remove(AUDIT_OF[model].objects.filter(claim_id__in=claims))
        for model in [ClaimEvent, Annotation, Evidence, Correction, ClaimVisit, ClaimTag]:
            remove(model.objects.filter(claim__in=claims))
        remove(Claim.objects.filter(pk__in=claims))
        sources = Source.objects.filter(url__startswith=DATASET_URL, cited_as_evidence__isnull=True).values("pk")
        remove(AUDIT_OF[Source].objects.filter(id__in=sources))
        remove(Source.objects.filter(pk__in=sources))
        for model in [Claimant, Tag]:
            marked = AUDIT_OF[model].objects.filter(history_type="+", history_change_reason=DATASET_MARK)
            # Listed first: the subquery would find nothing once their audit rows are gone.
            unused = list(
                model.objects.filter(pk__in=marked.values("id"), claims__isnull=True).values_list("pk", flat=True)
            )
            remove(AUDIT_OF[model].objects.filter(id__in=unused))
            remove(model.objects.filter(pk__in=unused))
        _, users = generated_users().delete()
        deleted.update({model.lower(): count for model, count in users.items() if count})
    return deleted
