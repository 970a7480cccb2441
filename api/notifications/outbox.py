"""Notices to send, kept as rows: claimed with a compare-and-swap, sent once, retried after a lease.

A model that inherits `OutboxItem` holds one row per notice to send (a reminder of a booking, a new
message). `outbox_send_due` sends the rows that are due: each is claimed with one conditional
UPDATE (`pending` to `sending`) before it is sent and marked `sent` after, so that two runs of the
task, concurrent or not, never both send a row. A row whose worker died after claiming it is
claimed again once OUTBOX_LEASE has passed; the notice keeps the row's id as its key, so that a
delivery which did leave before the crash can be recognised downstream.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from api.notifications.backends import Notice, notify

logger = logging.getLogger("api.notifications.outbox")

BATCH = 500


class OutboxStatus(models.TextChoices):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    WITHDRAWN = "withdrawn"


class OutboxItem(models.Model):
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


Item = TypeVar("Item", bound=OutboxItem)


def _claimable(now: datetime) -> Q:
    stale = now - settings.OUTBOX_LEASE
    return Q(status=OutboxStatus.PENDING, due_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=stale
    )


def outbox_send_due(
    model: type[Item],
    *,
    notice_for: Callable[[Any, datetime], Notice | None],
    now: datetime | None = None,
) -> int:
    """Sends the due rows of `model` once each; returns how many this run sent.

    `notice_for(pk, now)` builds a claimed row's notice, or returns None when the row has nothing
    left to say (its booking was cancelled, say): the row is then withdrawn.
    """
    now = now or timezone.now()
    sent = 0
    for pk in model._default_manager.filter(_claimable(now)).values_list("pk", flat=True)[:BATCH]:
        rows = model._default_manager.filter(_claimable(now), pk=pk)
        if rows.update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1):
            sent += _send(model, pk, notice_for(pk, now))
    return sent


def _send(model: type[OutboxItem], pk: Any, notice: Notice | None) -> int:
    rows = model._default_manager.filter(pk=pk, status=OutboxStatus.SENDING)
    if notice is None:
        rows.update(status=OutboxStatus.WITHDRAWN)
        return 0
    try:
        notify(notice)
    except Exception as exc:  # any backend's failure leaves the row to its lease
        # The exception's message is left out: a mail server's error can quote the address.
        logger.warning(
            "%s %s not delivered (%s); retried after the lease", model.__name__, pk, type(exc).__name__
        )
        return 0
    rows.update(status=OutboxStatus.SENT, sent_at=timezone.now())
    return 1
