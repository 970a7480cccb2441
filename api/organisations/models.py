from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from api.organisations.validators import validate_followup_offsets, validate_time_zone


def default_followup_offsets() -> list[int]:
    return [10, 365]


class Organisation(models.Model):
    """A medical association or service that runs counsellors.

    The settings here are read by later parts: follow-up schedules, disclosure control in metrics,
    message retention, the cap on a doctor's bookings and the late-cancellation cutoff.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    country = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "An ISO 3166-1 alpha-2 code, such as NO.")],
    )
    time_zone = models.CharField(max_length=64, default="Europe/Oslo", validators=[validate_time_zone])
    followup_offsets_days = models.JSONField(
        default=default_followup_offsets, validators=[validate_followup_offsets]
    )
    # Metrics suppress every cell counting fewer doctors than this; never below 3.
    suppression_threshold = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(3), MaxValueValidator(100)]
    )
    message_retention_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    booking_cap = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MaxValueValidator(24 * 14)]
    )
    # The public availability widget shows counsellors' names only when the organisation opts in.
    widget_shows_counsellor_names = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suppression_threshold__gte=3), name="organisation_threshold_at_least_3"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApiKeyKind(models.TextChoices):
    PUBLISHABLE = "publishable"
    SECRET = "secret"  # noqa: S105 (a kind of key, not a secret)


class ApiKey(models.Model):
    """An organisation's key for machine clients, stored hashed; the key itself is shown once.

    Publishable keys (`pk_...`) go in web pages: they read public availability only, from the
    origins listed. Secret keys (`sk_...`) stay on servers and carry scopes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    kind = models.CharField(max_length=16, choices=ApiKeyKind.choices)
    name = models.CharField(max_length=100)
    # The first characters of the key, so that people can tell their keys apart.
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    allowed_origins = models.JSONField(default=list, blank=True)
    scopes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} key {self.prefix}"
