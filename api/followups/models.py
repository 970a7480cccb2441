"""Follow-up questionnaires: definitions and their versions, schedules, follow-ups, research scores.

Two kinds of data are kept apart on purpose. A `Followup` belongs to its doctor: the answers, for
the doctor to see and export, deleted with the account. A `ResearchScore` holds the score only,
keyed by a random research id (see `ResearchLink`), with no user id and no foreign key to users,
so that aggregates cannot be joined to identity once the link is gone.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from api.accounts.models import User
from api.bookings.models import Booking
from api.notifications.outbox import OutboxItem
from api.organisations.models import Organisation


class Scoring(models.TextChoices):
    WHO5 = "who5"  # raw sum of five 0-5 items, times 4: 0-100
    SUM = "sum"  # the sum of the choice and integer answers
    NONE = "none"


class Questionnaire(models.Model):
    """A questionnaire as schedules name it; what it asks is in its versions.

    Shipped instruments (WHO-5, the service feedback) have no organisation and cannot be edited.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="questionnaires"
    )
    slug = models.SlugField(max_length=64)
    scoring = models.CharField(max_length=8, choices=Scoring.choices, default=Scoring.NONE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="questionnaire_slug_per_owner"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(organisation__isnull=True), name="questionnaire_shipped_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire's definition (see docs/followups.md for the item format).

    A version that has a response is never changed again: editing makes the next version, so every
    stored answer keeps the exact wording it was given to.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.JSONField()  # {"nb": ..., "en": ...}
    description = models.JSONField(default=dict)
    items = models.JSONField()
    allows_text = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} v{self.number}"


class ScheduleEntry(models.Model):
    """One questionnaire an organisation sends at an offset after a completed conversation.

    `offset_days` 0 is the baseline, offered right after booking. An organisation without entries
    sends the shipped default (WHO-5 and the service feedback at each of its offsets).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    offset_days = models.PositiveSmallIntegerField()
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "offset_days", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "offset_days", "questionnaire"], name="schedule_entry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.offset_days} days"


class FollowupSettings(models.Model):
    """An organisation's follow-up settings beyond its offsets: where a doctor can find help."""

    organisation = models.OneToOneField(
        Organisation, primary_key=True, on_delete=models.CASCADE, related_name="followup_settings"
    )
    # [{"title": {"nb", "en"}, "url": ..., "phone": ...}], shown to a doctor whose WHO-5 is low.
    help_resources = models.JSONField(default=list)

    def __str__(self) -> str:
        return "follow-up settings"


class FollowupStatus(models.TextChoices):
    SCHEDULED = "scheduled"  # not yet due; invisible to the doctor
    DUE = "due"
    ANSWERED = "answered"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # the doctor opted out, or the booking was cancelled (baseline)


BASELINE = 0


class Followup(models.Model):
    """One questionnaire for one doctor at one time after a conversation.

    The follow-ups made at one offset of one booking share an `occasion`, which gets one
    `FollowupNotice` (the baseline, offered in the app as the doctor books, gets none).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    doctor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="followups")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, null=True, on_delete=models.SET_NULL, related_name="followups")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="followups")
    offset_days = models.PositiveSmallIntegerField()
    occasion = models.UUIDField()
    status = models.CharField(max_length=16, choices=FollowupStatus.choices, default=FollowupStatus.SCHEDULED)
    due_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answers = models.JSONField(null=True, blank=True)  # {linkId: value}, the doctor's own
    raw_score = models.PositiveIntegerField(null=True, blank=True)
    score = models.PositiveIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "offset_days", "version"], name="followup_once_per_booking_offset"
            ),
        ]
        indexes = [
            models.Index(fields=["doctor", "due_at", "id"], name="followup_doctor_due"),
            models.Index(fields=["due_at"], name="followup_scheduled", condition=Q(status="scheduled")),
            models.Index(fields=["expires_at"], name="followup_open", condition=Q(status="due")),
            models.Index(fields=["occasion"], name="followup_occasion"),
        ]

    def __str__(self) -> str:
        return f"follow-up +{self.offset_days} days"


class FollowupNotice(OutboxItem):
    """ "A short questionnaire is waiting": one content-free notice per occasion, sent once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occasion = models.UUIDField(unique=True)
    doctor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"], name="followup_notice_due", condition=Q(status__in=["pending", "sending"])
            )
        ]

    def __str__(self) -> str:
        return f"follow-up notice {self.occasion}"


class FollowupPreference(models.Model):
    """A doctor's choice not to receive follow-ups (absent: they do)."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="+")
    opted_out = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "follow-up preference"


class ResearchLink(models.Model):
    """The only place a research id meets a user: deleted with the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    research_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="research_link_per_organisation"),
        ]

    def __str__(self) -> str:
        return "research link"


class ResearchScore(models.Model):
    """A score for research: keyed by research id, never by user; month, never the moment.

    No user id, no foreign key to users, no follow-up or booking id, and only the month answered,
    so a row cannot be matched to a person by time either (tests/api/followups/test_research.py
    inspects the table).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    research_id = models.UUIDField(db_index=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField()
    offset_days = models.PositiveSmallIntegerField()
    month = models.DateField()  # the first day of the month answered
    raw_score = models.PositiveIntegerField()
    score = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "offset_days"], name="research_score_by_offset")]

    def __str__(self) -> str:
        return "research score"
