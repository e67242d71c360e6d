"""Who the claims are about and who works on them: the users, the claimants and the tags."""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from .. import roles
from ..audit import Origin
from ..models import Claimant, ClaimantKind, Tag
from .marks import DATASET_DOMAIN, DATASET_MARK
from .planning import zipf_weights
from .texts import Speaker, capitalised
from .vocabulary import (
    CAUSES,
    CITIES,
    COMPANY_SECTORS,
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    COUNTRIES,
    FIRST_NAMES,
    LAST_NAMES,
    ORGANISATION_PATTERNS,
    PORTFOLIOS,
    ROLES,
    TOPICS,
    UNIONS,
)

# One password for every generated user; the command refuses to run outside DEBUG without --force.
DATASET_PASSWORD = "claimdesk-dataset"


@dataclasses.dataclass(frozen=True)
class Person:
    id: int
    username: str


class Cast:
    """Part of DatasetGenerator (a mixin on its rng, ids and rows): the users, claimants and tags, and picking
    among them, a few carrying most of the load."""

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
