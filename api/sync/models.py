"""The change log that offline clients pull, and the mutations they push.

Every write a user may see is logged as a `Change` row per user who may see it, in the same
transaction as the write, under a global version. The version comes from one counter row that the
writing transaction holds locked until it commits, so versions become visible in the order they
were given: a client that has seen version n has seen every change up to n that is its.
"""

from __future__ import annotations

import uuid

from django.db import models

from api.accounts.models import User


class ChangeKind(models.TextChoices):
    BOOKING = "booking"
    THREAD = "thread"
    MESSAGE = "message"
    FOLLOWUP = "followup"
    MUTATION = "mutation"


class ChangeOp(models.TextChoices):
    UPSERT = "upsert"
    DELETE = "delete"


class SyncVersion(models.Model):
    """The one row holding the last version given out."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"sync version {self.value}"


class Change(models.Model):
    """That an object changed (or was deleted) for a user, at a version; its content is read at pull."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    version = models.BigIntegerField()
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    object_id = models.UUIDField()
    op = models.CharField(max_length=8, choices=ChangeOp.choices, default=ChangeOp.UPSERT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "version"], name="change_user_version"),
            models.Index(fields=["created_at"], name="change_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.op} @{self.version}"


class MutationStatus(models.TextChoices):
    APPLIED = "applied"
    REJECTED = "rejected"


class SyncClient(models.Model):
    """One installation of an app for one user: the last mutation sequence it had applied."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField()
    last_sequence = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="sync_client_unique")]

    def __str__(self) -> str:
        return f"sync client {self.client_id} at {self.last_sequence}"


class SyncMutation(models.Model):
    """A pushed mutation's outcome, kept so a repeat push answers it again instead of applying it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(SyncClient, on_delete=models.CASCADE, related_name="mutations")
    sequence = models.BigIntegerField()
    type = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=MutationStatus.choices)
    result = models.JSONField(null=True, blank=True)  # {"id": the object made or changed}
    problem = models.JSONField(null=True, blank=True)  # the problem document of a refusal
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "sequence"], name="sync_mutation_unique"),
        ]

    def __str__(self) -> str:
        return f"mutation {self.sequence} {self.type} {self.status}"
