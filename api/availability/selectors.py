"""Reads on availability: open slots across counsellors, as cheap at any table size."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Value, Window
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import RowNumber

from api.accounts.models import User
from api.availability.models import Slot
from api.counsellors.models import CounsellorLanguage, CounsellorProfile
from api.counsellors.selectors import excluded_by


def _at(now: datetime, field: str) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(Value(now) + F(field), output_field=DateTimeField())


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
    so the cost follows the page asked for, not the number of slots stored.
    """
    queryset = Slot.objects.filter(
        status=Slot.Status.OPEN,
        start__gte=start,
        start__lt=end,
        counsellor__active=True,
    ).filter(start__gte=_at(now, "counsellor__min_notice"), start__lte=_at(now, "counsellor__horizon"))
    queryset = queryset.exclude(excluded_by(viewer, counsellor_field="counsellor_id"))
    if counsellor is not None:
        queryset = queryset.filter(counsellor_id=counsellor)
    if modality is not None:
        queryset = queryset.filter(**{modality: True})
    if language is not None:
        queryset = queryset.filter(
            Exists(CounsellorLanguage.objects.filter(counsellor_id=OuterRef("counsellor_id"), code=language))
        )
    if region is not None:
        regions = CounsellorProfile.regions.through.objects.filter(
            counsellorprofile_id=OuterRef("counsellor_id"), region_id=region
        )
        queryset = queryset.filter(Exists(regions))
    if first_per_counsellor:
        # The first matching slot of each counsellor, chosen before pagination filters apply.
        firsts = queryset.annotate(
            rank=Window(RowNumber(), partition_by=[F("counsellor_id")], order_by=[F("start"), F("id")])
        ).filter(rank=1)
        queryset = Slot.objects.filter(id__in=firsts.values("id"))
    return queryset.select_related("counsellor")
