"""Weekly rules in a counsellor's time zone, expanded to absolute slots.

Local wall-clock times hold across daylight-saving changes: a slot starting in the hour that is
skipped does not exist that day, and in the hour that is repeated only its first occurrence is
offered, so no slot is duplicated. A slot's length is real elapsed time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class RuleSpec:
    weekday: int
    start: time
    end: time
    slot_minutes: int
    buffer_minutes: int
    phone: bool
    video: bool
    in_person: bool


@dataclass(frozen=True, order=True)
class SlotSpec:
    start: datetime
    end: datetime
    phone: bool
    video: bool
    in_person: bool


def _exists(local: datetime, zone: ZoneInfo) -> datetime | None:
    """The aware time for a naive local one (its first occurrence), or None if the clock skips it."""
    aware = local.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return aware if back == local else None


def expand_rules(rules: Iterable[RuleSpec], *, zone: ZoneInfo, first: date, last: date) -> list[SlotSpec]:
    """Every slot the rules give on the local dates `first` to `last`, inclusive, sorted."""
    by_weekday: dict[int, list[RuleSpec]] = {}
    for rule in rules:
        by_weekday.setdefault(rule.weekday, []).append(rule)
    slots: list[SlotSpec] = []
    day = first
    while day <= last:
        for rule in by_weekday.get(day.weekday(), []):
            slots.extend(_expand_day(rule, day, zone))
        day += timedelta(days=1)
    return sorted(slots)


def _expand_day(rule: RuleSpec, day: date, zone: ZoneInfo) -> Iterable[SlotSpec]:
    length = timedelta(minutes=rule.slot_minutes)
    step = length + timedelta(minutes=rule.buffer_minutes)
    local = datetime.combine(day, rule.start)
    end = datetime.combine(day, rule.end)
    free_from: datetime | None = None
    while local + length <= end:
        aware = _exists(local, zone)
        start = aware.astimezone(UTC) if aware is not None else None
        # Steps are wall-clock time but lengths real time: across the spring change a slot could
        # start before the previous one (and its buffer) is over. Such a slot is left out.
        if start is not None and (free_from is None or start >= free_from):
            yield SlotSpec(start, start + length, rule.phone, rule.video, rule.in_person)
            free_from = start + step
        local += step


def subtract_ranges(slots: Iterable[SlotSpec], ranges: list[tuple[datetime, datetime]]) -> list[SlotSpec]:
    """The slots that overlap none of the ranges (time off, booked conversations)."""
    return [s for s in slots if not any(s.start < end and start < s.end for start, end in ranges)]
