"""The retention purge run several times at once, with real threads against PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from api.messaging.models import Message, Thread
from api.messaging.services import messages_purge_expired
from api.sync.models import Change, ChangeKind, ChangeOp
from tests.helpers import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MESSAGES = 300
RUNS = 4


def test_purges_at_once_delete_each_message_once_with_one_tombstone_per_participant(doctor, make_counsellor):
    now = timezone.now()
    thread = Thread.objects.create(doctor=doctor, counsellor=make_counsellor(), last_activity_at=now)
    Message.objects.bulk_create(
        Message(
            thread=thread,
            sender=doctor,
            client_message_id=uuid.uuid4(),
            created_at=now - timedelta(days=91),
            expires_at=now - timedelta(seconds=1),
        )
        for _ in range(MESSAGES)
    )

    purged = run_concurrently(RUNS, lambda _run: messages_purge_expired(batch=25))

    assert sum(purged) == MESSAGES
    assert not Message.objects.exists()
    tombstones = Change.objects.filter(kind=ChangeKind.MESSAGE, op=ChangeOp.DELETE)
    assert tombstones.count() == 2 * MESSAGES
    assert tombstones.values("object_id", "user_id").distinct().count() == 2 * MESSAGES
    assert tombstones.values("version").distinct().count() == MESSAGES
