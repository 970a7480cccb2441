"""The booking bench's data: counsellors with open slots, doctors signed in, slots to book.

The counsellors and their slots are the availability bench's (bench.population). The organisation
allows 50 upcoming bookings per doctor instead of 3, so that a few hundred doctors can make the
thousands of bookings of a run without meeting the cap.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from api.accounts.models import Role, User
from api.accounts.sessions import session_start
from api.availability.models import Slot
from api.organisations.models import Organisation
from bench import population
from bench.booking_views import baseline_table_create

BOOKING_CAP = 50
# Slots this close to the minimum notice or the horizon could turn unbookable during the run.
MARGIN = timedelta(hours=2)


@dataclass(frozen=True)
class Doctor:
    id: str
    token: str


@dataclass
class BookingPopulation:
    doctors: list[Doctor]
    counsellors: int
    slots: int
    # Open slots, shuffled; every phase of the bench takes the next ones, so none is asked twice.
    free: list[str]
    load_seconds: float

    def take(self, count: int) -> list[str]:
        if count > len(self.free):
            raise RuntimeError(f"the bench needs {count} more free slots; only {len(self.free)} are left")
        taken = self.free[:count]
        del self.free[:count]
        return taken


def _doctors(count: int) -> list[Doctor]:
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"doctor{n}@bench.invalid", alias=f"Doctor {n}", role=Role.DOCTOR, password=password)
        for n in range(count)
    )
    # One session each, as signed-in app users have; the bench's settings keep the tokens valid
    # for the whole run.
    return [Doctor(id=str(user.pk), token=session_start(user=user).access) for user in users]


def _free_slots(now: datetime, seed: int) -> list[str]:
    bookable = Slot.objects.filter(
        status=Slot.Status.OPEN,
        start__gte=now + population.MIN_NOTICE + MARGIN,
        start__lte=now + population.HORIZON - MARGIN,
    ).order_by("id")
    free = [str(slot_id) for slot_id in bookable.values_list("id", flat=True)]
    random.Random(seed).shuffle(free)  # noqa: S311 (a reproducible order, not a secret)
    return free


def booking_population_load(*, counsellors: int, doctors: int, seed: int) -> BookingPopulation:
    started = time.perf_counter()
    pop = population.population_create()
    Organisation.objects.filter(pk=pop.organisation.pk).update(booking_cap=BOOKING_CAP)
    now = timezone.now()
    slots = population.counsellors_add(pop, first=0, count=counsellors, now=now, seed=seed)
    signed_in = _doctors(doctors)
    baseline_table_create()
    with connection.cursor() as cursor:
        # As tables settle in production; without it the first writes would also set hint bits.
        cursor.execute("VACUUM (ANALYZE)")
    return BookingPopulation(
        doctors=signed_in,
        counsellors=counsellors,
        slots=slots,
        free=_free_slots(now, seed),
        load_seconds=round(time.perf_counter() - started, 1),
    )
