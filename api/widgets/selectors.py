"""Public availability: coarse figures of an organisation's open slots, for its web pages.

Only what a visitor of the page may know: per region and modality, the next free time and the
number of open slots per day; counsellors' names only if the organisation opted in. Never anything
about doctors or bookings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Min, Q, QuerySet, Value
from django.db.models.functions import TruncDate

from api.availability.models import Slot
from api.counsellors.models import CounsellorLanguage, Modality
from api.organisations.models import Organisation

NAMES_SHOWN = 20


@dataclass(frozen=True)
class PublicQuery:
    region: str | None
    language: str | None
    modality: str | None
    days: int


def _open_slots(*, organisation: Organisation, query: PublicQuery, now: datetime) -> QuerySet[Slot]:
    def at(field: str) -> ExpressionWrapper[Any]:
        return ExpressionWrapper(Value(now) + F(field), output_field=DateTimeField())

    slots = Slot.objects.filter(
        status=Slot.Status.OPEN,
        counsellor__organisation=organisation,
        counsellor__active=True,
        start__lt=now + timedelta(days=query.days),
    ).filter(start__gte=at("counsellor__min_notice"), start__lte=at("counsellor__horizon"))
    if query.region is not None:
        slots = slots.filter(counsellor__regions__code=query.region)
    if query.language is not None:
        slots = slots.filter(
            counsellor__in=CounsellorLanguage.objects.filter(code=query.language).values("counsellor_id")
        )
    if query.modality is not None:
        slots = slots.filter(**{query.modality: True})
    return slots


def public_availability(*, organisation: Organisation, query: PublicQuery, now: datetime) -> dict[str, Any]:
    """The figures, in two queries (three with names): grouped in the database, shaped here."""
    zone = ZoneInfo(organisation.time_zone)
    slots = _open_slots(organisation=organisation, query=query, now=now)
    modalities = [m for m in Modality if query.modality in (None, m.value)]
    aggregates: dict[str, Any] = {}
    for modality in modalities:
        flag = Q(**{modality.value: True})
        aggregates[f"{modality.value}_count"] = Count("id", filter=flag, distinct=True)
        aggregates[f"{modality.value}_first"] = Min("start", filter=flag)
    rows = (
        slots.annotate(day=TruncDate("start", tzinfo=zone))
        .values("counsellor__regions__code", "counsellor__regions__name", "day")
        .annotate(**aggregates)
        .order_by()
    )
    first_day = now.astimezone(zone).date()
    body: dict[str, Any] = {
        "organisation": organisation.name,
        "time_zone": organisation.time_zone,
        "from": first_day.isoformat(),
        "days": query.days,
        "groups": _groups(rows, modalities=modalities, first_day=first_day, days=query.days),
    }
    firsts = [group["next_free"] for group in body["groups"] if group["next_free"]]
    body["next_free"] = min(firsts) if firsts else None
    if organisation.widget_shows_counsellor_names:
        body["counsellors"] = _named(slots)
    return body


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _groups(rows: Any, *, modalities: list[Modality], first_day: date, days: int) -> list[dict[str, Any]]:
    counts: dict[tuple[Any, Any, str], dict[date, int]] = defaultdict(dict)
    firsts: dict[tuple[Any, Any, str], datetime] = {}
    for row in rows:
        region = (row["counsellor__regions__code"], row["counsellor__regions__name"])
        for modality in modalities:
            count = row[f"{modality.value}_count"]
            if not count:
                continue
            key = (*region, modality.value)
            counts[key][row["day"]] = count
            first = row[f"{modality.value}_first"]
            firsts[key] = min(first, firsts.get(key, first))
    calendar = [first_day + timedelta(days=offset) for offset in range(days)]
    ordered = sorted(
        counts, key=lambda key: (key[1] or "\uffff", [m.value for m in modalities].index(key[2]))
    )
    return [
        {
            "region": {"code": code, "name": name} if code is not None else None,
            "modality": modality,
            "next_free": _iso(firsts[(code, name, modality)]),
            "open_slots": sum(counts[(code, name, modality)].values()),
            "per_day": [
                {"date": day.isoformat(), "open_slots": counts[(code, name, modality)].get(day, 0)}
                for day in calendar
            ],
        }
        for code, name, modality in ordered
    ]


def _named(slots: QuerySet[Slot]) -> list[dict[str, Any]]:
    rows = (
        slots.values("counsellor_id", "counsellor__display_name")
        .annotate(next_free=Min("start"))
        .order_by("next_free", "counsellor__display_name")[:NAMES_SHOWN]
    )
    return [
        {"display_name": row["counsellor__display_name"], "next_free": _iso(row["next_free"])} for row in rows
    ]
