"""Rule expansion across daylight-saving changes, against the pinned time-zone database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from api.availability.expansion import RuleSpec, SlotSpec, expand_rules, subtract_ranges

OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")


def rule(weekday: int, start: str, end: str, minutes: int = 60, buffer: int = 0) -> RuleSpec:
    return RuleSpec(
        weekday=weekday,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        slot_minutes=minutes,
        buffer_minutes=buffer,
        phone=True,
        video=False,
        in_person=False,
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def starts(slots: list[SlotSpec]) -> list[datetime]:
    return [slot.start for slot in slots]


def test_local_hours_hold_across_the_spring_change_in_oslo():
    # Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST. A Sunday rule 10:00-12:00 local.
    before = expand_rules(
        [rule(6, "10:00", "12:00")], zone=OSLO, first=date(2026, 3, 22), last=date(2026, 3, 22)
    )
    on = expand_rules([rule(6, "10:00", "12:00")], zone=OSLO, first=date(2026, 3, 29), last=date(2026, 3, 29))

    assert starts(before) == [utc("2026-03-22T09:00"), utc("2026-03-22T10:00")]  # UTC+1
    assert starts(on) == [utc("2026-03-29T08:00"), utc("2026-03-29T09:00")]  # UTC+2


def test_a_slot_in_the_skipped_hour_does_not_exist_that_day():
    slots = expand_rules(
        [rule(6, "01:00", "04:00")], zone=OSLO, first=date(2026, 3, 29), last=date(2026, 3, 29)
    )

    # 01:00 CET and 03:00 CEST exist; 02:00 does not.
    assert starts(slots) == [utc("2026-03-29T00:00"), utc("2026-03-29T01:00")]
    assert slots[0].end == slots[1].start  # 01:00 CET plus one hour is 03:00 CEST


def test_a_rule_wholly_inside_the_skipped_hour_yields_nothing_that_day_only():
    spring = expand_rules(
        [rule(6, "02:00", "03:00", 30)], zone=OSLO, first=date(2026, 3, 29), last=date(2026, 3, 29)
    )
    next_week = expand_rules(
        [rule(6, "02:00", "03:00", 30)], zone=OSLO, first=date(2026, 4, 5), last=date(2026, 4, 5)
    )

    assert spring == []
    assert len(next_week) == 2


def test_the_repeated_hour_in_autumn_yields_no_duplicate():
    # Sunday 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:00-03:00 happens twice.
    slots = expand_rules(
        [rule(6, "01:00", "04:00")], zone=OSLO, first=date(2026, 10, 25), last=date(2026, 10, 25)
    )

    assert starts(slots) == [utc("2026-10-24T23:00"), utc("2026-10-25T00:00"), utc("2026-10-25T02:00")]
    assert len(set(starts(slots))) == len(slots)
    assert all(slot.end - slot.start == slots[0].end - slots[0].start for slot in slots)


def test_local_hours_hold_across_the_autumn_change_in_oslo():
    before = expand_rules(
        [rule(6, "10:00", "11:00")], zone=OSLO, first=date(2026, 10, 18), last=date(2026, 10, 18)
    )
    after = expand_rules(
        [rule(6, "10:00", "11:00")], zone=OSLO, first=date(2026, 10, 25), last=date(2026, 10, 25)
    )

    assert starts(before) == [utc("2026-10-18T08:00")]
    assert starts(after) == [utc("2026-10-25T09:00")]


def test_new_york_changes_on_its_own_dates():
    # New York springs forward on 2026-03-08 and falls back on 2026-11-01; Oslo's dates differ.
    monday = rule(0, "09:00", "10:00")
    march = expand_rules([monday], zone=NEW_YORK, first=date(2026, 3, 2), last=date(2026, 3, 30))
    november = expand_rules([monday], zone=NEW_YORK, first=date(2026, 10, 26), last=date(2026, 11, 2))

    assert starts(march) == [
        utc("2026-03-02T14:00"),  # EST, UTC-5
        utc("2026-03-09T13:00"),  # EDT, UTC-4: New York has changed, Oslo has not yet
        utc("2026-03-16T13:00"),
        utc("2026-03-23T13:00"),
        utc("2026-03-30T13:00"),
    ]
    assert starts(november) == [utc("2026-10-26T13:00"), utc("2026-11-02T14:00")]


def test_new_york_skipped_hour():
    sunday = rule(6, "01:30", "03:30", 30)

    slots = expand_rules([sunday], zone=NEW_YORK, first=date(2026, 3, 8), last=date(2026, 3, 8))

    # 01:30 EST exists, 02:00 and 02:30 do not, 03:00 EDT exists (and 03:30 would end too late).
    assert starts(slots) == [utc("2026-03-08T06:30"), utc("2026-03-08T07:00")]
    assert slots[0].end == slots[1].start


def test_slot_length_and_buffer_and_the_end_bound():
    slots = expand_rules(
        [rule(1, "09:00", "12:00", 50, 10)], zone=OSLO, first=date(2026, 6, 2), last=date(2026, 6, 2)
    )

    assert [s.start.astimezone(OSLO).strftime("%H:%M") for s in slots] == ["09:00", "10:00", "11:00"]
    assert all((s.end - s.start).total_seconds() == 50 * 60 for s in slots)
    short = expand_rules(
        [rule(1, "09:00", "10:30")], zone=OSLO, first=date(2026, 6, 2), last=date(2026, 6, 2)
    )
    assert len(short) == 1  # 10:00-11:00 would end after the rule does


def test_subtracting_time_off_removes_overlapping_slots_only():
    slots = expand_rules(
        [rule(1, "09:00", "13:00")], zone=OSLO, first=date(2026, 6, 2), last=date(2026, 6, 2)
    )

    # 08:30-09:00 UTC is 10:30-11:00 in Oslo's summer time: it touches the 10:00 slot only.
    left = subtract_ranges(slots, [(utc("2026-06-02T08:30"), utc("2026-06-02T09:00"))])

    assert [s.start.astimezone(OSLO).strftime("%H:%M") for s in left] == ["09:00", "11:00", "12:00"]


def test_a_buffered_rule_across_the_skipped_hour_never_overlaps_itself():
    # Wall-clock steps of 75 minutes from 00:30 land on 01:45 CET and then 03:00 CEST, which is
    # 01:00 UTC: before the 01:45 CET slot (00:45-01:45 UTC) and its buffer are over.
    slots = expand_rules(
        [rule(6, "00:30", "05:00", 60, 15)], zone=OSLO, first=date(2026, 3, 29), last=date(2026, 3, 29)
    )

    for earlier, later in pairwise(slots):
        assert later.start >= earlier.end + timedelta(minutes=15)
    assert utc("2026-03-29T01:00") not in starts(slots)
