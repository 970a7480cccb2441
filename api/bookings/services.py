"""Writes on bookings: book, cancel, reschedule, and record how a conversation went.

A slot is claimed with one conditional UPDATE (`open` to `booked`), which holds on every database:
of any number of concurrent requests for one slot, exactly one changes the row. On PostgreSQL an
exclusion constraint also forbids overlapping active bookings of one counsellor; its violation is
answered like a lost claim. Every write runs in one transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.accounts.models import User
from api.availability.models import Slot
from api.availability.services import slots_sync
from api.bookings.models import Booking, BookingStatus, CancelledBy
from api.bookings.reminders import reminders_schedule, reminders_withdraw
from api.bookings.rules import SlotTakenError, bookable_slot, daily_cap_check, slot_unavailable
from api.core.errors import ErrorCode, Problem
from api.counsellors.models import Modality
from api.followups.scheduling import baseline_move, baseline_offer, baseline_withdraw, followups_schedule
from api.messaging.services import thread_open
from api.sync.log import change_record
from api.sync.models import ChangeKind


def booking_create(
    *,
    doctor: User,
    slot_id: uuid.UUID,
    modality: Modality,
    category: str = "",
    note: str = "",
    contact_phone: str = "",
    now: datetime | None = None,
) -> Booking:
    """Books `slot_id` for `doctor`, or raises a Problem saying why not.

    409 `slot_unavailable` (with alternatives) when the slot was taken; 422 for the booking rules:
    minimum notice, horizon, the organisation's cap on a doctor's upcoming bookings, and booking
    oneself; 400 for a slot the doctor cannot see or a modality the slot does not offer.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # One doctor's bookings are counted and added one at a time: the cap cannot be raced.
            User.objects.select_for_update().filter(pk=doctor.pk).exists()
            slot = bookable_slot(
                viewer=doctor, slot_id=slot_id, modality=modality, contact_phone=contact_phone, now=now
            )
            _cap_check(doctor=doctor, organisation_id=slot.counsellor.organisation_id, now=now)
            booking = Booking(
                slot=slot,
                counsellor=slot.counsellor,
                doctor=doctor,
                start=slot.start,
                end=slot.end,
                modality=modality,
                category=category,
                note=note,
                contact_phone=contact_phone,
            )
            _claim(slot=slot, now=now)
            _insert(booking)
            reminders_schedule(booking=booking, now=now)
            # Doctor and counsellor can write to each other before the conversation.
            thread_open(doctor=doctor, counsellor=slot.counsellor, now=now)
            for followup in baseline_offer(booking=booking, now=now):
                change_record(kind=ChangeKind.FOLLOWUP, object_id=followup.pk, user_ids=[doctor.pk])
            _log(booking)
    except SlotTakenError as taken:
        raise slot_unavailable(viewer=doctor, slot=taken.slot, now=now) from None
    return booking


def _log(booking: Booking, *others: uuid.UUID) -> None:
    """Logs the booking's change for offline sync, to its doctor, its counsellor and `others`."""
    users = [booking.doctor_id, booking.counsellor.user_id, *others]
    change_record(kind=ChangeKind.BOOKING, object_id=booking.pk, user_ids=users)


def _cap_check(*, doctor: User, organisation_id: uuid.UUID, now: datetime) -> None:
    from api.organisations.models import Organisation  # noqa: PLC0415 (a cheap read of one setting)

    cap = Organisation.objects.values_list("booking_cap", flat=True).get(pk=organisation_id)
    upcoming = Booking.objects.filter(
        doctor=doctor,
        status=BookingStatus.CONFIRMED,
        start__gt=now,
        counsellor__organisation_id=organisation_id,
    ).count()
    if upcoming >= cap:
        raise Problem(
            ErrorCode.BOOKING_CAP_REACHED,
            f"You have {upcoming} upcoming conversations; this organisation allows {cap} at a time.",
        )


def _claim(*, slot: Slot, now: datetime) -> None:
    """Takes the slot with one conditional write, after the counsellor's daily cap allows it."""
    daily_cap_check(slot=slot)
    if not Slot.objects.filter(pk=slot.pk, status=Slot.Status.OPEN).update(status=Slot.Status.BOOKED):
        raise SlotTakenError(slot)


def _insert(booking: Booking) -> None:
    try:
        # A savepoint, so that a violated constraint leaves the outer transaction usable.
        with transaction.atomic():
            booking.save(force_insert=True)
    except IntegrityError:
        # The one-booking-per-slot index, or on PostgreSQL the exclusion constraint on the
        # counsellor's time: the slot is taken after all.
        assert booking.slot is not None  # noqa: S101 (set by the caller)
        raise SlotTakenError(booking.slot) from None


def _release(*, slot_id: uuid.UUID | None, counsellor_id: uuid.UUID) -> None:
    """Frees a booking's slot at once, then lets the schedule decide whether it is still offered."""
    if slot_id is not None:
        Slot.objects.filter(pk=slot_id, status=Slot.Status.BOOKED).update(status=Slot.Status.OPEN)
    from api.counsellors.models import CounsellorProfile  # noqa: PLC0415 (avoids a second fetch above)

    slots_sync(counsellor=CounsellorProfile(pk=counsellor_id))


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("counsellor__organisation").get(pk=booking.pk)


def _invalid_state(booking: Booking, action: str) -> Problem:
    return Problem(
        ErrorCode.INVALID_STATE, f"A {booking.status.replace('_', ' ')} booking cannot be {action}."
    )


def booking_cancel(*, booking: Booking, by: User, reason: str = "", now: datetime | None = None) -> Booking:
    """Cancels a confirmed booking that has not started; its slot is bookable again at once.

    Inside the organisation's cutoff the cancellation is still allowed, and marked late.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.CONFIRMED:
            raise _invalid_state(booking, "cancelled")
        if booking.start <= now:
            raise Problem(
                ErrorCode.INVALID_STATE, "The conversation has started; record it as held or missed."
            )
        cutoff = timedelta(hours=booking.counsellor.organisation.cancellation_cutoff_hours)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_by = CancelledBy.DOCTOR if by.pk == booking.doctor_id else CancelledBy.COUNSELLOR
        booking.cancel_reason = reason
        booking.cancelled_late = booking.start - now < cutoff
        booking.cancelled_at = now
        booking.sequence += 1
        booking.save()
        reminders_withdraw(booking=booking)
        baseline_withdraw(booking=booking)
        _release(slot_id=booking.slot_id, counsellor_id=booking.counsellor_id)
        _log(booking)
    return booking


def booking_reschedule(
    *,
    booking: Booking,
    doctor: User,
    slot_id: uuid.UUID,
    modality: Modality | None = None,
    now: datetime | None = None,
) -> Booking:
    """Moves a confirmed booking to another open slot, keeping its id.

    The new slot is claimed before the old one is released, in one transaction: if the new slot is
    taken (409 with alternatives), the booking stays exactly as it was.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            booking = _locked(booking)
            if booking.status != BookingStatus.CONFIRMED:
                raise _invalid_state(booking, "rescheduled")
            if booking.start <= now:
                raise Problem(ErrorCode.INVALID_STATE, "The conversation has started; it cannot be moved.")
            if booking.slot_id == slot_id:
                return booking
            slot = bookable_slot(
                viewer=doctor,
                slot_id=slot_id,
                modality=modality or booking.modality,
                contact_phone=booking.contact_phone if modality in (None, Modality.PHONE) else "",
                now=now,
                modality_field="modality" if modality else "slot",
            )
            old_slot_id, old_counsellor_id = booking.slot_id, booking.counsellor_id
            old_counsellor_user_id = booking.counsellor.user_id
            _claim(slot=slot, now=now)
            booking.slot = slot
            booking.counsellor = slot.counsellor
            booking.start, booking.end = slot.start, slot.end
            if modality is not None:
                booking.modality = modality
            if booking.modality != Modality.PHONE:
                booking.contact_phone = ""
            booking.rescheduled_at = now
            booking.sequence += 1
            _save_moved(booking)
            reminders_withdraw(booking=booking)
            reminders_schedule(booking=booking, now=now)
            baseline_move(booking=booking)
            _release(slot_id=old_slot_id, counsellor_id=old_counsellor_id)
            # The former counsellor's copy becomes a tombstone at their next pull.
            _log(booking, old_counsellor_user_id)
    except SlotTakenError as taken:
        raise slot_unavailable(viewer=doctor, slot=taken.slot, now=now) from None
    return booking


def _save_moved(booking: Booking) -> None:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        assert booking.slot is not None  # noqa: S101 (just set)
        raise SlotTakenError(booking.slot) from None


def booking_finish(*, booking: Booking, outcome: BookingStatus, now: datetime | None = None) -> Booking:
    """Records that a conversation took place (`completed`) or the doctor did not come (`no_show`).

    Only once its start has passed, and only from confirmed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        action = "marked held" if outcome == BookingStatus.COMPLETED else "marked missed"
        if booking.status != BookingStatus.CONFIRMED:
            raise _invalid_state(booking, action)
        if booking.start > now:
            raise Problem(ErrorCode.INVALID_STATE, "The conversation has not started yet.")
        booking.status = outcome
        booking.sequence += 1
        booking.save()
        reminders_withdraw(booking=booking)
        if outcome == BookingStatus.COMPLETED:
            followups_schedule(booking=booking)
        _log(booking)
    return booking
