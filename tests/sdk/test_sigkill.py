"""A sync killed with SIGKILL at its worst moments, then run again, loses and doubles nothing.

The SDK runs in a child process against the live server. It is killed right after the server
answered the push (every mutation applied there, none settled locally) and right after a pull
page arrived (not yet written), then the same store is synced again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

import kollega
from api.availability.models import Slot
from api.bookings.models import Booking, BookingStatus
from api.messaging.models import Message
from api.sync.models import SyncMutation
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shipped_instruments")]
ROOT = Path(__file__).resolve().parents[2]


def _run_until_killed(base_url: str, store: Path, tokens: kollega.Tokens, point: str, tmp_path: Path) -> None:
    marker = tmp_path / f"answered-{point.replace('/', '-')}"
    env = os.environ | {
        "KOLLEGA_TEST_TOKENS": json.dumps(
            {
                "access": tokens.access,
                "refresh": tokens.refresh,
                "token_type": "Bearer",
                "access_expires_at": tokens.access_expires_at.isoformat(),
                "refresh_expires_at": tokens.refresh_expires_at.isoformat(),
                "session_id": tokens.session_id,
            }
        )
    }
    child = subprocess.Popen(  # noqa: S603 (our interpreter, our module)
        [sys.executable, "-m", "tests.sdk.killable_sync", base_url, str(store), str(marker), point],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert child.poll() is None, "the child ended before the point it should be killed at"
            assert time.monotonic() < deadline, "the child never reached its kill point"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL


@pytest.fixture
def slots(make_counsellor):
    counsellor = make_counsellor(display_name="Ingrid")
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return [
        Slot.objects.create(
            counsellor=counsellor,
            start=start + timedelta(hours=h),
            end=start + timedelta(hours=h, minutes=45),
            phone=True,
        )
        for h in range(3)
    ], counsellor


def test_sigkill_after_the_push_and_during_the_pull_loses_and_doubles_nothing(
    live_server, doctor, slots, tmp_path
):
    (first, second, _third), counsellor = slots
    store = tmp_path / "kollega.sqlite3"
    with kollega.Client(live_server.url, email=doctor.email, password=PASSWORD, store=store) as app:
        tokens = app.login(doctor.email, PASSWORD)
        booked = app.bookings.book(slot=str(first.pk), modality="phone")
        app.messaging.register_device()
        with kollega.Client(live_server.url, email=counsellor.user.email, password=PASSWORD) as ingrid:
            ingrid.messaging.register_device()
        (thread,) = list(app.messaging.threads())
        app.offline.book(slot=str(second.pk), modality="phone")
        app.offline.cancel_booking(booked.id)
        app.offline.send_message(thread.id, "Sendt én gang")
        current = app.tokens
    assert current is not None
    tokens = current

    # Killed once the server has applied all three, before the answer is written down.
    _run_until_killed(live_server.url, store, tokens, "/v1/sync/push", tmp_path)
    assert SyncMutation.objects.count() == 3
    # Killed again with the push answered from the record, as the first pull page arrives.
    _run_until_killed(live_server.url, store, tokens, "/v1/sync/pull", tmp_path)

    with kollega.Client(live_server.url, tokens=tokens, store=store) as again:
        again.offline.sync()
        assert [a.state for a in again.offline.actions()] == ["applied"] * 3
        statuses = {b.id: b.status for b in again.offline.bookings()}

    assert SyncMutation.objects.count() == 3
    assert Message.objects.count() == 1
    assert Booking.objects.filter(doctor=doctor).count() == 2
    assert Booking.objects.get(pk=booked.id).status == BookingStatus.CANCELLED
    assert statuses[booked.id] == "cancelled"
    assert sorted(statuses.values()) == ["cancelled", "confirmed"]
