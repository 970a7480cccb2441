"""Reads on availability: open slots across counsellors, as cheap at any table size."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import BaseExpression, CombinedExpression

from api.accounts.models import User
from api.availability.models import Slot
from api.availability.slot_page import OpenSlotPage, open_slot_page
from api.counsellors.models import CounsellorProfile
from api.counsellors.selectors import excluded_by, summary_lists_attach

# What a slot and its counsellor's summary show, as columns of the page query.
ROW_FIELDS = (
    "id",
    "start",
    "end",
    "phone",
    "video",
    "in_person",
    "counsellor_id",
    "counsellor__display_name",
    "counsellor__time_zone",
    "counsellor__phone",
    "counsellor__video",
    "counsellor__in_person",
)


def _at(now: datetime, field: F) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(Value(now) + field, output_field=DateTimeField())


def _counsellor_conditions(
    *,
    viewer: User,
    field: str,
    region: uuid.UUID | None,
    language: str | None,
    counsellor: uuid.UUID | None,
) -> list[Q | BaseExpression]:
    """Who may appear: active, not excluded by the viewer, and matching the counsellor filters.

    `field` is how the rows filtered name the counsellor's id (`counsellor_id` on slots, `pk`
    on counsellors).
    """
    prefix = "" if field == "pk" else "counsellor__"
    conditions: list[Q | BaseExpression] = [
        Q(**{f"{prefix}active": True}),
        ~excluded_by(viewer, counsellor_field=field),
    ]
    if counsellor is not None:
        conditions.append(Q(**{field: counsellor}))
    # Joins, not EXISTS: a counsellor has one row per language code and per region (both unique),
    # so neither repeats a row; PostgreSQL plans the two alike, and joins are cheaper to build.
    if language is not None:
        conditions.append(Q(**{f"{prefix}languages__code": language}))
    if region is not None:
        conditions.append(Q(**{f"{prefix}regions": region}))
    return conditions


def _slot_conditions(
    *, start: datetime, end: datetime, now: datetime, modality: str | None, min_notice: F, horizon: F
) -> list[Q]:
    """Which slots a doctor may book; `min_notice` and `horizon` point at the counsellor's columns."""
    conditions = [
        Q(status=Slot.Status.OPEN, start__gte=start, start__lt=end),
        Q(start__gte=_at(now, min_notice)),
        Q(start__lte=_at(now, horizon)),
    ]
    if modality is not None:
        conditions.append(Q(**{modality: True}))
    return conditions


def open_slots(
    *,
    viewer: User,
    start: datetime,
    end: datetime,
    now: datetime,
    region: uuid.UUID | None = None,
    language: str | None = None,
    modality: str | None = None,
    counsellor: uuid.UUID | None = None,
    first_per_counsellor: bool = False,
) -> QuerySet[Slot]:
    """Open slots starting in [start, end), ordered by start, for the viewer to book.

    Slots inside the counsellor's minimum notice or past their horizon never appear, nor do
    inactive counsellors or those the viewer excluded. The filters are joins on indexed columns,
    so the cost follows the page asked for, not the number of slots stored. With
    `first_per_counsellor`, only each counsellor's first such slot: its cost follows the number
    of counsellors matching the filters.
    """
    eligible = partial(
        _counsellor_conditions, viewer=viewer, region=region, language=language, counsellor=counsellor
    )
    bookable = partial(_slot_conditions, start=start, end=end, now=now, modality=modality)
    if first_per_counsellor:
        queryset = _first_of_each_counsellor(eligible=eligible, bookable=bookable)
    else:
        # One filter() call: each call clones the query, and this runs on every availability read.
        queryset = Slot.objects.filter(
            *eligible(field="counsellor_id"),
            *bookable(min_notice=F("counsellor__min_notice"), horizon=F("counsellor__horizon")),
        )
    # For callers that read instances (a booking's alternatives); open_slot_rows drops it.
    return queryset.select_related("counsellor")


def _first_of_each_counsellor(
    *, eligible: Callable[..., list[Q | BaseExpression]], bookable: Callable[..., list[Q]]
) -> QuerySet[Slot]:
    """Each eligible counsellor's first bookable slot, chosen before pagination filters apply.

    One probe of the (counsellor, start) index per counsellor, so the cost follows the counsellors,
    not the slots in the range. Start alone orders a counsellor's slots: it is unique per counsellor.
    """
    first = Slot.objects.filter(
        *bookable(min_notice=OuterRef("min_notice"), horizon=OuterRef("horizon")),
        counsellor_id=OuterRef("pk"),
    ).order_by("start")
    firsts = (
        CounsellorProfile.objects.filter(*eligible(field="pk"))
        .order_by()
        .values(first=first.values("id")[:1])
    )
    return Slot.objects.filter(id__in=firsts)


def open_slot_rows(queryset: QuerySet[Slot]) -> QuerySet[Slot, dict[str, Any]]:
    """The slots as plain rows holding what a slot shows; `open_slot_rows_complete` adds the rest."""
    rows: QuerySet[Slot, dict[str, Any]] = queryset.values(*ROW_FIELDS)
    return rows


def open_slot_rows_complete(rows: Sequence[dict[str, Any]]) -> None:
    """Gives a page of `open_slot_rows` the counsellors' languages and regions, where it lacks them."""
    if rows and "languages" not in rows[0]:
        summary_lists_attach(rows)


def availability_page(
    *, viewer: User, start: datetime, end: datetime, now: datetime, **filters: Any
) -> QuerySet[Slot, dict[str, Any]] | OpenSlotPage:
    """The rows of `GET /v1/availability`, as cursor pagination reads them; `filters` as `open_slots`.

    On PostgreSQL one hand-written statement (`slot_page`) that reads the counsellors' languages
    and regions too. Elsewhere (the embedded SQLite default) the ORM, and a page's languages and
    regions in two more queries (`open_slot_rows_complete`).
    """
    if connection.vendor == "postgresql":
        return open_slot_page(viewer_id=viewer.pk, start=start, end=end, now=now, **filters)
    return open_slot_rows(open_slots(viewer=viewer, start=start, end=end, now=now, **filters))
