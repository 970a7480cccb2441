from __future__ import annotations

from celery import shared_task

from api.messaging.notices import message_notices_send_due
from api.messaging.services import messages_purge_expired


@shared_task(name="messaging.send_message_notices")
def send_message_notices() -> int:
    """Sends "you have a new message" notices that are due, each once however often this runs."""
    return message_notices_send_due()


@shared_task(name="messaging.purge_expired_messages")
def purge_expired_messages() -> int:
    """Deletes messages past their organisation's retention. Safe to run twice."""
    return messages_purge_expired()
