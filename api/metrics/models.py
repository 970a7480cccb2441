"""Metrics: rollups the periodic task rebuilds, and each secret key's privacy settings and ledger.

The rollups ("facts") are what metrics requests read instead of bookings and responses: one row
per booking, follow-up or research score, already cut to the month, the organisation's region and
the few attributes a metric groups by. A fact names no user: `subject` is a number drawn afresh at
each rebuild, only so that distinct doctors can be counted, and means nothing outside that rebuild.
"""

from __future__ import annotations

import uuid

from django.db import models

from api.organisations.models import ApiKey, Organisation


class Rollup(models.Model):
    """When an organisation's facts were last rebuilt: the figures are as of then."""

    organisation = models.OneToOneField(
        Organisation, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateTimeField()

    def __str__(self) -> str:
        return f"rollup as of {self.as_of:%Y-%m-%d %H:%M}"


class BookingFact(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month of the conversation, local time
    subject = models.PositiveIntegerField()
    region = models.CharField(max_length=64, blank=True)  # "" for a counsellor in no region
    modality = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    category = models.CharField(max_length=16)  # "" when the doctor gave none
    outcome = models.CharField(max_length=16, blank=True)  # cancelled / cancelled_late / no_show
    waiting_days = models.PositiveIntegerField()
    # The n-th booking of this subject, by start: differential privacy counts only the first few.
    ordinal = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"], name="booking_fact_month")]

    def __str__(self) -> str:
        return "booking fact"


class FollowupFact(models.Model):
    """A follow-up that closed: answered, or expired unanswered."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the month it fell due
    subject = models.PositiveIntegerField()
    offset_days = models.PositiveSmallIntegerField()
    answered = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"], name="followup_fact_month")]

    def __str__(self) -> str:
        return "follow-up fact"


class WellbeingFact(models.Model):
    """A WHO-5 score, with its change from the same research id's latest baseline before it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    subject = models.PositiveIntegerField()
    offset_days = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=8)
    change = models.SmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"], name="wellbeing_fact_month")]

    def __str__(self) -> str:
        return "wellbeing fact"


class KeyPrivacy(models.Model):
    """A secret key's differential-privacy mode: off unless a coordinator opts the key in."""

    api_key = models.OneToOneField(ApiKey, primary_key=True, on_delete=models.CASCADE, related_name="privacy")
    differential_privacy = models.BooleanField(default=False)
    epsilon_per_query = models.FloatField(default=0.5)
    budget = models.FloatField(default=5.0)
    spent = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "key privacy"


class PrivacySpend(models.Model):
    """The ledger: one row per query answered with noise, and the epsilon it cost."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=32)
    epsilon = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"spent {self.epsilon}"
