"""Bookings: a doctor's reserved conversation with a counsellor, and its reminders."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q

from api.accounts.models import User
from api.availability.models import Slot
from api.counsellors.models import CounsellorProfile, Modality
from api.notifications.outbox import OutboxItem


class HelpSeeking(models.TextChoices):
    """Why a doctor seeks support (DOMAIN.md); optional, chosen by the doctor."""

    ADVICE = "advice"
    NOT_COPING = "not_coping"
    WAY_BACK_OR_OUT = "way_back_or_out"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class CancelledBy(models.TextChoices):
    DOCTOR = "doctor"
    COUNSELLOR = "counsellor"


# Every status but cancelled holds the counsellor's time.
ACTIVE = ~Q(status=BookingStatus.CANCELLED)


class Booking(models.Model):
    """A conversation a doctor reserved.

    `counsellor`, `start` and `end` are copied from the slot, so that the database can forbid
    overlapping active bookings of one counsellor (an exclusion constraint on PostgreSQL, added by
    migration 0002) and so that the booking keeps its times when open slots are rewritten. A
    rescheduled booking keeps its id and moves to the new slot; `sequence` counts its changes, as
    calendar entries do.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slot = models.ForeignKey(Slot, null=True, on_delete=models.SET_NULL, related_name="bookings")
    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.PROTECT, related_name="bookings")
    doctor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    modality = models.CharField(max_length=16, choices=Modality.choices)
    category = models.CharField(max_length=16, choices=HelpSeeking.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED)
    cancelled_by = models.CharField(max_length=16, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_late = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    rescheduled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            # The claim on a slot, on every database: one active booking per slot.
            models.UniqueConstraint(fields=["slot"], condition=ACTIVE, name="booking_one_active_per_slot"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["doctor", "start", "id"], name="booking_doctor_start"),
            models.Index(fields=["counsellor", "start", "id"], name="booking_counsellor_start"),
        ]

    def __str__(self) -> str:
        return f"booking {self.start:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"


class Reminder(OutboxItem):
    """A content-free reminder of a booking, due at a set time, to one of its two parties.

    Sent through the notification outbox, once (see api/notifications/outbox.py).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "recipient", "kind"],
                condition=Q(status__in=["pending", "sending"]),
                name="reminder_one_pending_per_kind",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"], name="reminder_due", condition=Q(status__in=["pending", "sending"])
            ),
        ]

    def __str__(self) -> str:
        return f"reminder {self.kind}"
