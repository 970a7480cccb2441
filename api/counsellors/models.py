from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from api.accounts.models import User
from api.organisations.models import Organisation
from api.organisations.validators import validate_time_zone


class Modality(models.TextChoices):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in_person"


class Region(models.Model):
    """One of an organisation's own regions (for example a county)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="regions")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="region_code_unique")]

    def __str__(self) -> str:
        return self.name


class ModalityFlags(models.Model):
    """The three ways of talking, as columns so that filters use plain indexes on every database."""

    phone = models.BooleanField(default=False)
    video = models.BooleanField(default=False)
    in_person = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def modalities(self) -> list[str]:
        return [m.value for m in Modality if getattr(self, m.value)]


class CounsellorProfile(ModalityFlags):
    """A peer counsellor: what doctors see, and the settings their schedule is expanded with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="counsellor_profile")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="counsellors")
    display_name = models.CharField(max_length=80)
    bio = models.CharField(max_length=600, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="counsellors")
    in_person_location = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    time_zone = models.CharField(max_length=64, default="Europe/Oslo", validators=[validate_time_zone])
    # Durations, so that "start >= now + notice" is one SQL expression on every database.
    min_notice = models.DurationField(default=timedelta(hours=12))
    horizon = models.DurationField(default=timedelta(days=60))
    daily_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(48)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [models.Index(fields=["organisation", "active"], name="counsellor_org_active")]

    def __str__(self) -> str:
        return self.display_name


class CounsellorLanguage(models.Model):
    """A language a counsellor speaks (ISO 639-1), one row each so that filters can use an index."""

    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(max_length=2, validators=[RegexValidator(r"^[a-z]{2}$")])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["counsellor", "code"], name="counsellor_language_unique")
        ]
        indexes = [models.Index(fields=["code", "counsellor"], name="language_code_counsellor")]

    def __str__(self) -> str:
        return self.code


class ExcludedCounsellor(models.Model):
    """A counsellor a doctor knows (a colleague, a friend) and never wants to be shown.

    Nothing tells the counsellor; only the doctor reads these rows.
    """

    doctor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="excluded_counsellors")
    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["doctor", "counsellor"], name="exclusion_unique")]

    def __str__(self) -> str:
        return f"exclusion {self.pk}"


class Invitation(models.Model):
    """A coordinator's invitation to become a counsellor; its token is shown once and stored hashed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    display_name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation {self.id}"
