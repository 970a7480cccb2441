"""Reads on bookings: who sees which, and the alternatives offered when a slot is taken."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from api.accounts.models import Role, User
from api.availability.models import Slot
from api.availability.selectors import open_slots
from api.bookings.models import Booking
from api.counsellors.models import CounsellorLanguage, CounsellorProfile
from api.counsellors.selectors import attach_counsellor_summaries

ALTERNATIVES = 3
ALTERNATIVES_RANGE = timedelta(days=92)


class BookingView:
    """What a viewer is to a booking, which decides the fields they see."""

    DOCTOR = "doctor"
    COUNSELLOR = "counsellor"
    ORGANISATION = "organisation"


def bookings_visible_to(user: User) -> QuerySet[Booking]:
    """A doctor's own bookings, a counsellor's bookings with them (and their own as a doctor), a
    coordinator's organisation's bookings, and every booking for staff."""
    queryset = Booking.objects.select_related("counsellor")
    if user.role == Role.STAFF:
        return queryset
    if user.role == Role.COORDINATOR and user.organisation_id is not None:
        return queryset.filter(counsellor__organisation_id=user.organisation_id)
    if user.role == Role.COUNSELLOR:
        return queryset.filter(counsellor__user=user) | queryset.filter(doctor=user)
    return queryset.filter(doctor=user)


def view_of(user: User, booking: Booking) -> str:
    if booking.doctor_id == user.pk:
        return BookingView.DOCTOR
    if booking.counsellor.user_id == user.pk:
        return BookingView.COUNSELLOR
    return BookingView.ORGANISATION


def booking_list(
    *, viewer: User, status: str | None = None, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Booking]:
    queryset = bookings_visible_to(viewer).select_related("doctor")
    if status is not None:
        queryset = queryset.filter(status=status)
    if start is not None:
        queryset = queryset.filter(start__gte=start)
    if end is not None:
        queryset = queryset.filter(start__lt=end)
    return queryset


def booking_visible(*, viewer: User, booking_id: uuid.UUID) -> Booking:
    """A booking the viewer may see, with its counsellor and doctor (one query); anyone else's is a 404."""
    found = bookings_visible_to(viewer).select_related("doctor").filter(pk=booking_id).first()
    if found is None:
        raise Http404
    return found


def booking_detail(*, viewer: User, booking_id: uuid.UUID) -> Booking:
    """As `booking_visible`, with the counsellor's summary (languages and regions) as well."""
    found = booking_visible(viewer=viewer, booking_id=booking_id)
    attach_counsellor_summaries([found])
    return found


def slot_alternatives(*, viewer: User, slot: Slot, now: datetime) -> list[Slot]:
    """Up to three open slots the viewer could book instead, soonest first: the same counsellor's,
    then those of counsellors who share a region and a language with them."""
    counsellor = slot.counsellor
    candidates = (
        open_slots(viewer=viewer, start=now, end=now + ALTERNATIVES_RANGE, now=now)
        .exclude(pk=slot.pk)
        .exclude(counsellor__user_id=viewer.pk)
    )
    found = list(candidates.filter(counsellor_id=counsellor.pk).order_by("start", "id")[:ALTERNATIVES])
    if len(found) < ALTERNATIVES:
        languages = CounsellorLanguage.objects.filter(counsellor_id=counsellor.pk).values("code")
        regions = CounsellorProfile.regions.through.objects.filter(counsellorprofile_id=counsellor.pk)
        alike = candidates.exclude(counsellor_id=counsellor.pk).filter(
            Exists(
                CounsellorLanguage.objects.filter(counsellor_id=OuterRef("counsellor_id"), code__in=languages)
            ),
            Exists(
                CounsellorProfile.regions.through.objects.filter(
                    counsellorprofile_id=OuterRef("counsellor_id"), region_id__in=regions.values("region_id")
                )
            ),
        )
        found += list(alike.order_by("start", "id")[: ALTERNATIVES - len(found)])
    attach_counsellor_summaries(found)
    return found
