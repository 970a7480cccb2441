"""Where notifications go: the console (the default), e-mail, and push providers.

Notifications are content-free by design: they say that something is due, never what a
conversation is about or with whom. Each carries a stable `key`, so that a delivery retried after
a crash can be recognised downstream: e-mail uses it as the Message-ID, push providers as the
collapse key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger("api.notifications")


@dataclass(frozen=True)
class Notice:
    key: str
    recipient_id: str
    email: str
    subject: str
    body: str


class NotificationBackend(Protocol):
    def send(self, notice: Notice) -> None: ...


class ConsoleBackend:
    """Writes one log line per notice: for development and the embedded default."""

    def send(self, notice: Notice) -> None:
        # The subject and body are content-free; the e-mail address is never logged.
        logger.info("notice %s to user %s: %s", notice.key, notice.recipient_id, notice.body)


class EmailBackend:
    """Sends each notice as a plain e-mail through Django's configured mail backend."""

    def send(self, notice: Notice) -> None:
        message = EmailMessage(
            subject=notice.subject,
            body=notice.body,
            to=[notice.email],
            headers={"Message-ID": f"<{notice.key}@kollega.notifications>"},
        )
        message.send(fail_silently=False)


class PushProvider(Protocol):
    """What a push provider (APNs, FCM, ...) implements to deliver to one device token."""

    def push(self, *, token: str, title: str, body: str, collapse_key: str) -> None: ...


BACKENDS = {
    "console": "api.notifications.backends.ConsoleBackend",
    "email": "api.notifications.backends.EmailBackend",
}


def configured_backends() -> list[NotificationBackend]:
    """The backends named in NOTIFICATION_BACKENDS, in order."""
    return [import_string(BACKENDS.get(name, name))() for name in settings.NOTIFICATION_BACKENDS]


def notify(notice: Notice) -> None:
    """Delivers the notice through every configured backend; a failure raises, to be retried."""
    for backend in configured_backends():
        backend.send(notice)
