"""Writes on schedules: rules, time off, and the open slots materialised from them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from api.availability.expansion import RuleSpec, SlotSpec, expand_rules, subtract_ranges
from api.availability.models import ScheduleRule, Slot, TimeOff
from api.core.errors import ErrorCode, FieldError, Problem
from api.counsellors.models import CounsellorProfile, Modality


@dataclass(frozen=True)
class SyncResult:
    created: int
    deleted: int


def _spec(rule: ScheduleRule) -> RuleSpec:
    return RuleSpec(
        weekday=rule.weekday,
        start=rule.start,
        end=rule.end,
        slot_minutes=rule.slot_minutes,
        buffer_minutes=rule.buffer_minutes,
        phone=rule.phone,
        video=rule.video,
        in_person=rule.in_person,
    )


def slots_sync(*, counsellor: CounsellorProfile, now: datetime | None = None) -> SyncResult:
    """Makes the counsellor's future open slots match their rules, time off and horizon.

    Only the difference is written. Booked slots are never touched, and no open slot is made
    that overlaps one. Safe to run any number of times, concurrently too: the counsellor's row is
    locked for the duration.
    """
    now = now or timezone.now()
    with transaction.atomic():
        counsellor = CounsellorProfile.objects.select_for_update().get(pk=counsellor.pk)
        zone = ZoneInfo(counsellor.time_zone)
        today = now.astimezone(zone).date()
        horizon_end = now + counsellor.horizon
        rules = [_spec(rule) for rule in counsellor.rules.all()]
        desired = [
            slot
            for slot in expand_rules(rules, zone=zone, first=today, last=horizon_end.astimezone(zone).date())
            if now <= slot.start and slot.start <= horizon_end
        ]
        future = Slot.objects.filter(counsellor=counsellor, end__gt=now)
        booked = list(future.filter(status=Slot.Status.BOOKED).values_list("start", "end"))
        blocked = booked + list(
            TimeOff.objects.filter(counsellor=counsellor, end__gt=now).values_list("start", "end")
        )
        full = _full_days(booked, zone=zone, cap=counsellor.daily_cap)
        wanted = {
            slot.start: slot
            for slot in subtract_ranges(desired, blocked)
            if slot.start.astimezone(zone).date() not in full
        }
        existing = {
            row["start"]: row
            for row in future.filter(status=Slot.Status.OPEN).values("id", "start", "end", *_FLAGS)
        }
        stale = {start for start, row in existing.items() if _as_spec(row) != wanted.get(start)}
        deleted, _ = Slot.objects.filter(id__in=[existing[start]["id"] for start in stale]).delete()
        kept = existing.keys() - stale
        new = [
            Slot(
                counsellor=counsellor,
                start=s.start,
                end=s.end,
                phone=s.phone,
                video=s.video,
                in_person=s.in_person,
            )
            for start, s in wanted.items()
            if start not in kept
        ]
        Slot.objects.bulk_create(new, batch_size=1000)
    return SyncResult(created=len(new), deleted=deleted)


_FLAGS = ("phone", "video", "in_person")


def _full_days(booked: list[tuple[datetime, datetime]], *, zone: ZoneInfo, cap: int | None) -> set[date]:
    """The counsellor's local dates that already hold `daily_cap` booked conversations."""
    if cap is None:
        return set()
    per_day = Counter(start.astimezone(zone).date() for start, _end in booked)
    return {day for day, count in per_day.items() if count >= cap}


def _as_spec(row: dict[str, Any]) -> SlotSpec:
    return SlotSpec(row["start"], row["end"], row["phone"], row["video"], row["in_person"])


def _overlap_problem(rules: list[dict[str, Any]]) -> Problem | None:
    errors: list[FieldError] = []
    for i, first in enumerate(rules):
        for j in range(i + 1, len(rules)):
            second = rules[j]
            same_day = first["weekday"] == second["weekday"]
            if same_day and first["start"] < second["end"] and second["start"] < first["end"]:
                message = f"Rules {i} and {j} overlap on weekday {first['weekday']}."
                errors.append(FieldError(field=f"rules.{j}", code="overlapping_rules", message=message))
    if not errors:
        return None
    return Problem(ErrorCode.VALIDATION_ERROR, "Rules of one counsellor may not overlap.", errors=errors)


def _modality_problem(rules: list[dict[str, Any]], *, counsellor: CounsellorProfile) -> Problem | None:
    # A slot offers its rule's modalities, and doctors filter and book on them: a rule may offer
    # only what the counsellor's profile says they offer.
    offered = set(counsellor.modalities)
    errors: list[FieldError] = []
    for i, rule in enumerate(rules):
        missing = [m.value for m in Modality if rule[m.value] and m.value not in offered]
        if missing:
            message = f"Rule {i} offers {', '.join(missing)}, which the counsellor's profile does not."
            errors.append(
                FieldError(field=f"rules.{i}.modalities", code="modality_not_offered", message=message)
            )
    if not errors:
        return None
    detail = "A rule offers a modality the counsellor's profile does not."
    return Problem(ErrorCode.VALIDATION_ERROR, detail, errors=errors)


def schedule_replace(
    *,
    counsellor: CounsellorProfile,
    time_zone: str,
    min_notice: timedelta,
    horizon: timedelta,
    daily_cap: int | None,
    rules: list[dict[str, Any]],
    precondition: Callable[[CounsellorProfile], None] | None = None,
) -> SyncResult:
    """Replaces the counsellor's whole weekly schedule, then brings the open slots in line.

    `precondition` runs on the counsellor's row once it is locked (an If-Match check), so two
    concurrent replacements of the same version cannot both succeed. Rules may not overlap, and
    may offer only the modalities the counsellor's profile offers.
    """
    problem = _overlap_problem(rules)
    if problem is not None:
        raise problem
    with transaction.atomic():
        counsellor = CounsellorProfile.objects.select_for_update().get(pk=counsellor.pk)
        if precondition is not None:
            precondition(counsellor)
        # Checked on the locked row after If-Match: against the profile as it is, and as the caller saw it.
        problem = _modality_problem(rules, counsellor=counsellor)
        if problem is not None:
            raise problem
        counsellor.time_zone = time_zone
        counsellor.min_notice = min_notice
        counsellor.horizon = horizon
        counsellor.daily_cap = daily_cap
        counsellor.save(update_fields=["time_zone", "min_notice", "horizon", "daily_cap", "updated_at"])
        counsellor.rules.all().delete()
        ScheduleRule.objects.bulk_create(ScheduleRule(counsellor=counsellor, **rule) for rule in rules)
        return slots_sync(counsellor=counsellor)


def time_off_add(*, counsellor: CounsellorProfile, start: datetime, end: datetime) -> TimeOff:
    """Adds time off; open slots inside it disappear at once, booked ones stay."""
    with transaction.atomic():
        time_off = TimeOff.objects.create(counsellor=counsellor, start=start, end=end)
        slots_sync(counsellor=counsellor)
    return time_off


def time_off_remove(*, time_off: TimeOff) -> None:
    with transaction.atomic():
        counsellor = time_off.counsellor
        time_off.delete()
        slots_sync(counsellor=counsellor)


def slots_purge_past(*, now: datetime | None = None) -> int:
    """Deletes open slots that ended over a day ago (booked ones stay, as their bookings' record)."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted, _ = Slot.objects.filter(status=Slot.Status.OPEN, end__lt=cutoff).delete()
    return deleted


def slots_sync_all(*, now: datetime | None = None) -> int:
    """Extends every active counsellor's slots to their horizon; returns how many were made."""
    slots_purge_past(now=now)
    created = 0
    for counsellor in CounsellorProfile.objects.filter(active=True).only("pk").iterator():
        created += slots_sync(counsellor=counsellor, now=now).created
    return created
