""" "You have a new message": one content-free notice per message per recipient, sent once.

Rows in the notification outbox (api/notifications/outbox.py), sent by the task
`messaging.send_message_notices`, which a sent message enqueues once its transaction commits and
beat runs every minute to pick up anything missed.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from api.messaging.models import MessageNotice
from api.notifications.backends import Notice
from api.notifications.outbox import outbox_send_due

_TEXT = {
    "en": ("Kollega", "You have a new message."),
    "nb": ("Kollega", "Du har en ny melding."),
}


def message_notices_send_due(*, now: datetime | None = None) -> int:
    return outbox_send_due(MessageNotice, notice_for=_notice_for, now=now)


def _notice_for(notice_id: uuid.UUID, now: datetime) -> Notice | None:
    row = MessageNotice.objects.select_related("recipient").filter(pk=notice_id).first()
    if row is None:
        return None
    subject, body = _TEXT.get(row.recipient.language, _TEXT["en"])
    return Notice(
        key=str(row.pk),
        recipient_id=str(row.recipient_id),
        email=row.recipient.email,
        subject=subject,
        body=body,
    )
