"""Correctness checks of the booking bench, in SQL: nothing doubled, nothing lost.

They are counts the bench reports beside its timings, not timings and not assertions: a booking
bench whose bookings are wrong would measure the wrong thing, so it says so loudly.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

# Both tables have the same columns; the names come from this list only, never from input.
TABLES = ("bookings_booking", "bench_booking")


def _count(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def active_on_slot(*, table: str, slot: str) -> int:
    assert table in TABLES
    return _count(f"SELECT count(*) FROM {table} WHERE slot_id = %s AND status <> 'cancelled'", [slot])  # noqa: S608


def table_checks(table: str) -> dict[str, int]:
    """Active bookings, slots held by more than one, and overlapping pairs of one counsellor."""
    assert table in TABLES
    active = f"(SELECT * FROM {table} WHERE status <> 'cancelled')"  # noqa: S608 (a name from TABLES)
    return {
        "active_bookings": _count(f"SELECT count(*) FROM {active} b"),  # noqa: S608
        "slots_booked_twice": _count(
            f"SELECT count(*) FROM (SELECT slot_id FROM {active} b GROUP BY slot_id HAVING count(*) > 1) d"  # noqa: S608
        ),
        "overlapping_pairs": _count(
            f"""SELECT count(*) FROM {active} a JOIN {active} b
                ON a.counsellor_id = b.counsellor_id AND a.id < b.id
                AND tstzrange(a.start, a."end", '[)') && tstzrange(b.start, b."end", '[)')"""  # noqa: S608
        ),
    }


def slot_checks() -> dict[str, int]:
    """Whether the API's slots agree with its bookings: each booking's slot taken, and no other."""
    return {
        "bookings_on_open_slots": _count(
            """SELECT count(*) FROM bookings_booking b JOIN availability_slot s ON s.id = b.slot_id
               WHERE b.status <> 'cancelled' AND s.status <> 'booked'"""
        ),
        "booked_slots_without_booking": _count(
            """SELECT count(*) FROM availability_slot s WHERE s.status = 'booked' AND NOT EXISTS (
                   SELECT 1 FROM bookings_booking b WHERE b.slot_id = s.id AND b.status <> 'cancelled')"""
        ),
    }
