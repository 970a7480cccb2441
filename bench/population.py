"""Synthetic counsellors with weekly schedules, and the open slots their schedules give, in bulk.

The slots are made by the same expansion `slots_sync` uses, over the same window, so the rows are
the ones sync would write; `slots_sync_agrees` checks that on a sample.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from api.accounts.models import Role, User
from api.availability.expansion import RuleSpec, expand_rules
from api.availability.models import ScheduleRule, Slot
from api.availability.services import slots_sync
from api.counsellors.models import CounsellorLanguage, CounsellorProfile, ExcludedCounsellor, Region
from api.organisations.models import Organisation

ZONE = "Europe/Oslo"
HORIZON = timedelta(days=90)
MIN_NOTICE = timedelta(hours=12)
REGION_COUNT = 6
REGION_NAMESPACE = uuid.UUID("6b6f6c6c-6567-4162-656e-636872656769")
SLOT_MINUTES = 45
BUFFER_MINUTES = 15
SLOTS_PER_DAY = 8
# Counsellors are loaded and their slots written this many at a time, to bound memory at x4.
CHUNK = 100
BIO = "Overlege i allmennmedisin; har selv kjent på utbrenthet og snakker gjerne om det. " * 3


@dataclass(frozen=True)
class Population:
    organisation: Organisation
    regions: list[Region]


@dataclass(frozen=True)
class Plan:
    """One counsellor's random choices, drawn before any row is made."""

    number: int
    video: bool
    in_person: bool
    languages: tuple[str, ...]
    region_indexes: tuple[int, ...]
    weekdays: tuple[int, ...]
    first_hour: int


def population_create() -> Population:
    organisation = Organisation.objects.create(name="Bench Association", slug="bench", country="NO")
    regions = Region.objects.bulk_create(
        # Ids derived from the code, so that the same query string serves every data size.
        Region(
            id=uuid.uuid5(REGION_NAMESPACE, str(n)),
            organisation=organisation,
            code=f"region-{n}",
            name=f"Region {n}",
        )
        for n in range(REGION_COUNT)
    )
    return Population(organisation=organisation, regions=regions)


def _plan(number: int, rng: random.Random) -> Plan:
    return Plan(
        number=number,
        video=rng.random() < 0.6,
        in_person=rng.random() < 0.2,
        languages=("en", "nb") if rng.random() < 0.35 else ("nb",),
        region_indexes=tuple(rng.sample(range(REGION_COUNT), k=rng.choice((1, 2)))),
        weekdays=tuple(sorted(rng.sample(range(5), k=rng.choice((2, 3))))),
        first_hour=rng.choice((8, 9, 10, 12)),
    )


def _rule_specs(plan: Plan) -> list[RuleSpec]:
    end_hour = plan.first_hour + SLOTS_PER_DAY * (SLOT_MINUTES + BUFFER_MINUTES) // 60
    return [
        RuleSpec(
            weekday=weekday,
            start=time(plan.first_hour),
            end=time(end_hour),
            slot_minutes=SLOT_MINUTES,
            buffer_minutes=BUFFER_MINUTES,
            phone=True,
            video=plan.video,
            in_person=plan.in_person,
        )
        for weekday in plan.weekdays
    ]


def _slots(profile: CounsellorProfile, plan: Plan, now: datetime) -> Iterator[Slot]:
    """What slots_sync would make for a counsellor with no time off and no bookings."""
    zone = ZoneInfo(ZONE)
    horizon_end = now + HORIZON
    specs = expand_rules(
        _rule_specs(plan),
        zone=zone,
        first=now.astimezone(zone).date(),
        last=horizon_end.astimezone(zone).date(),
    )
    for spec in specs:
        if now <= spec.start <= horizon_end:
            yield Slot(
                counsellor=profile,
                start=spec.start,
                end=spec.end,
                phone=spec.phone,
                video=spec.video,
                in_person=spec.in_person,
            )


def _profiles(population: Population, plans: list[Plan]) -> list[CounsellorProfile]:
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"counsellor{plan.number}@bench.invalid",
            alias=f"Counsellor {plan.number}",
            role=Role.COUNSELLOR,
            organisation=population.organisation,
            password=password,
        )
        for plan in plans
    )
    return CounsellorProfile.objects.bulk_create(
        CounsellorProfile(
            user=user,
            organisation=population.organisation,
            display_name=f"Counsellor {plan.number:05d}",
            bio=BIO,
            time_zone=ZONE,
            min_notice=MIN_NOTICE,
            horizon=HORIZON,
            phone=True,
            video=plan.video,
            in_person=plan.in_person,
        )
        for user, plan in zip(users, plans, strict=True)
    )


def _chunk_add(population: Population, plans: list[Plan], now: datetime) -> int:
    profiles = _profiles(population, plans)
    pairs = list(zip(profiles, plans, strict=True))
    CounsellorLanguage.objects.bulk_create(
        CounsellorLanguage(counsellor=profile, code=code)
        for profile, plan in pairs
        for code in plan.languages
    )
    CounsellorProfile.regions.through.objects.bulk_create(
        CounsellorProfile.regions.through(counsellorprofile=profile, region=population.regions[index])
        for profile, plan in pairs
        for index in plan.region_indexes
    )
    ScheduleRule.objects.bulk_create(
        ScheduleRule(counsellor=profile, **asdict(spec))
        for profile, plan in pairs
        for spec in _rule_specs(plan)
    )
    slots = [slot for profile, plan in pairs for slot in _slots(profile, plan, now)]
    Slot.objects.bulk_create(slots, batch_size=5000)
    return len(slots)


def counsellors_add(population: Population, *, first: int, count: int, now: datetime, seed: int) -> int:
    """Adds counsellors numbered first .. first + count - 1 with schedules and slots; returns the slots."""
    rng = random.Random(seed * 1_000_003 + first)  # noqa: S311 (reproducible data, not secrets)
    plans = [_plan(number, rng) for number in range(first, first + count)]
    made = 0
    with transaction.atomic():
        for at in range(0, len(plans), CHUNK):
            made += _chunk_add(population, plans[at : at + CHUNK], now)
    return made


def doctor_create(population: Population, *, excluded: int) -> User:
    """A doctor who has excluded a few counsellors (colleagues), as real doctors do."""
    doctor = User.objects.create(
        email="doctor@bench.invalid", alias="Doctor", role=Role.DOCTOR, password=make_password(None)
    )
    known = CounsellorProfile.objects.filter(organisation=population.organisation).order_by("display_name")
    known = known[:excluded]
    ExcludedCounsellor.objects.bulk_create(
        ExcludedCounsellor(doctor=doctor, counsellor=counsellor) for counsellor in known
    )
    return doctor


def slots_sync_agrees(*, sample: int, now: datetime) -> bool:
    """Whether slots_sync finds nothing to change for a sample of counsellors: the bulk rows are its rows."""
    for counsellor in CounsellorProfile.objects.order_by("id")[:sample]:
        result = slots_sync(counsellor=counsellor, now=now)
        if result.created or result.deleted:
            return False
    return True
