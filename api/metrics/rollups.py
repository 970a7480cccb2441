"""Rebuilding an organisation's metric facts from bookings, follow-ups and research scores.

A rebuild replaces all of an organisation's facts in one transaction, so a request reads either
the old set or the new one, never half of each. Subjects are numbered afresh each time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from api.bookings.models import Booking, BookingStatus
from api.counsellors.models import CounsellorProfile, Region
from api.followups.models import BASELINE, Followup, FollowupStatus, ResearchScore, Scoring
from api.metrics.models import BookingFact, FollowupFact, Rollup, WellbeingFact
from api.organisations.models import Organisation

BATCH = 1000
# WHO-5 bands (scores move in steps of 4): up to 28 suggests depression, up to 50 poor wellbeing.
BANDS = (("0-28", 0, 28), ("32-48", 29, 50), ("52-100", 51, 100))


BOOKING_FIELDS = (
    "doctor_id",
    "counsellor_id",
    "start",
    "created_at",
    "modality",
    "status",
    "category",
    "cancelled_late",
)


def band_of(score: int) -> str:
    return next(name for name, low, high in BANDS if low <= score <= high)


def _month(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date().replace(day=1)


class _Subjects(dict[Any, int]):
    """Numbers people 1, 2, 3, ... in the order first met: a pseudonym for one rebuild only."""

    def __init__(self) -> None:
        super().__init__()
        self._numbers = count(1)

    def __missing__(self, key: Any) -> int:
        self[key] = next(self._numbers)
        return self[key]


def _outcome(booking: Booking) -> str:
    if booking.status == BookingStatus.CANCELLED:
        return "cancelled_late" if booking.cancelled_late else "cancelled"
    return "no_show" if booking.status == BookingStatus.NO_SHOW else ""


def _booking_facts(organisation: Organisation, zone: ZoneInfo) -> Iterator[BookingFact]:
    # A counsellor in several regions counts in the first by code, so that regions partition the
    # bookings and a region's figures add up to the total.
    counsellors = CounsellorProfile.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("code"))
    )
    bookings = (
        Booking.objects.filter(counsellor__organisation=organisation)
        .prefetch_related(Prefetch("counsellor", queryset=counsellors))
        .only(*BOOKING_FIELDS)
        .order_by("start", "id")
    )
    subjects = _Subjects()
    seen: dict[int, int] = {}
    for booking in bookings.iterator(chunk_size=BATCH):
        subject = subjects[booking.doctor_id]
        seen[subject] = seen.get(subject, 0) + 1
        regions = list(booking.counsellor.regions.all())
        yield BookingFact(
            organisation=organisation,
            month=_month(booking.start, zone),
            subject=subject,
            region=regions[0].code if regions else "",
            modality=booking.modality,
            status=booking.status,
            category=booking.category,
            outcome=_outcome(booking),
            waiting_days=max(0, (booking.start - booking.created_at).days),
            ordinal=seen[subject],
        )


def _followup_facts(organisation: Organisation, zone: ZoneInfo) -> Iterator[FollowupFact]:
    followups = Followup.objects.filter(
        organisation=organisation, status__in=[FollowupStatus.ANSWERED, FollowupStatus.EXPIRED]
    ).only("doctor_id", "due_at", "offset_days", "status")
    subjects = _Subjects()
    for followup in followups.order_by("due_at", "id").iterator(chunk_size=BATCH):
        yield FollowupFact(
            organisation=organisation,
            month=_month(followup.due_at, zone),
            subject=subjects[followup.doctor_id],
            offset_days=followup.offset_days,
            answered=followup.status == FollowupStatus.ANSWERED,
        )


def _wellbeing_facts(organisation: Organisation) -> Iterator[WellbeingFact]:
    scores = ResearchScore.objects.filter(
        organisation=organisation, questionnaire__scoring=Scoring.WHO5
    ).order_by("research_id", "month", "offset_days", "id")
    subjects = _Subjects()
    baseline: dict[Any, int] = {}
    for score in scores.iterator(chunk_size=BATCH):
        # Research scores keep only the month: a baseline counts for scores from its month on.
        if score.offset_days == BASELINE:
            baseline[score.research_id] = score.score
            change = None
        else:
            before = baseline.get(score.research_id)
            change = None if before is None else score.score - before
        yield WellbeingFact(
            organisation=organisation,
            month=score.month,
            subject=subjects[score.research_id],
            offset_days=score.offset_days,
            score=score.score,
            band=band_of(score.score),
            change=change,
        )


def _insert(model: Any, facts: Iterator[Any]) -> None:
    batch: list[Any] = []
    for fact in facts:
        batch.append(fact)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def rollup_refresh(*, organisation: Organisation, now: datetime | None = None) -> None:
    """Rebuilds the organisation's facts; the figures are then as of `now`."""
    zone = ZoneInfo(organisation.time_zone)
    with transaction.atomic():
        for model in (BookingFact, FollowupFact, WellbeingFact):
            model.objects.filter(organisation=organisation).delete()
        _insert(BookingFact, _booking_facts(organisation, zone))
        _insert(FollowupFact, _followup_facts(organisation, zone))
        _insert(WellbeingFact, _wellbeing_facts(organisation))
        Rollup.objects.update_or_create(organisation=organisation, defaults={"as_of": now or timezone.now()})


def rollups_refresh_all(*, now: datetime | None = None) -> int:
    """Rebuilds every organisation's facts, one transaction each; returns how many."""
    organisations = list(Organisation.objects.all())
    for organisation in organisations:
        rollup_refresh(organisation=organisation, now=now)
    return len(organisations)
