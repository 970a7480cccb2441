from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from api.counsellors.models import CounsellorProfile, ModalityFlags


class ScheduleRule(ModalityFlags):
    """Weekly hours in the counsellor's own time zone: on `weekday`, from `start` to `end` local time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.CASCADE, related_name="rules")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])  # 0 is Monday
    start = models.TimeField()
    end = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(120)])

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="rule_ends_after_start")]

    def __str__(self) -> str:
        return f"rule {self.weekday} {self.start}-{self.end}"


class TimeOff(models.Model):
    """An absolute range in which the counsellor takes no conversations."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="time_off_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"time off {self.start:%Y-%m-%d}"


class Slot(ModalityFlags):
    """An interval of a counsellor's time, materialised from the rules so that lookups stay cheap.

    Open slots are rewritten whenever rules or time off change; booked ones never are.
    """

    class Status(models.TextChoices):
        OPEN = "open"
        BOOKED = "booked"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["counsellor", "start"], name="slot_counsellor_start_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_ends_after_start"),
        ]
        indexes = [
            # The availability read: open slots in a window, in start order.
            models.Index(fields=["start", "id"], name="slot_open_start", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"slot {self.start:%Y-%m-%d %H:%M}"
