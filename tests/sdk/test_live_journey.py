"""The SDK against a live server (the suite starts one): a doctor's and a counsellor's whole journey.

Find a slot, book it, write both ways end to end encrypted, hold the conversation, and answer the
follow-up it schedules. The only shortcuts go through the database, for time: the conversation's
start is moved into the past, and the follow-up made due.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

import kollega
from api.availability.models import Slot
from api.bookings.models import Booking
from api.followups.dispatch import followups_dispatch
from api.followups.models import Followup
from api.messaging.models import Envelope
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shipped_instruments")]

WHO5 = {"who5-1": 1, "who5-2": 2, "who5-3": 2, "who5-4": 1, "who5-5": 3}


@pytest.fixture
def counsellor(make_counsellor):
    profile = make_counsellor(display_name="Ingrid", video=True)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    for hour in range(3):
        Slot.objects.create(
            counsellor=profile,
            start=start + timedelta(hours=hour),
            end=start + timedelta(hours=hour, minutes=45),
            phone=True,
            video=True,
        )
    return profile


def test_a_full_journey_through_the_sdk(live_server, doctor, counsellor, tmp_path):
    saved_tokens: list[kollega.Tokens] = []
    with (
        kollega.Client(
            live_server.url, email=doctor.email, password=PASSWORD, on_tokens=saved_tokens.append
        ) as me,
        kollega.Client(live_server.url, email=counsellor.user.email, password=PASSWORD) as ingrid,
    ):
        assert me.me.get().alias == doctor.alias
        assert saved_tokens, "the tokens of the sign-in were handed to on_tokens"

        # Find a slot and book it.
        (found,) = [c for c in me.counsellors.list() if c.id == str(counsellor.pk)]
        slots = list(me.availability.list(counsellor=found.id, page_size=1))
        assert len(slots) == 3, "three pages of one, followed by the SDK"
        booking = me.bookings.book(slot=slots[0].id, modality="video", category="advice")
        assert booking.status == "confirmed"
        assert booking.counsellor.display_name == "Ingrid"
        assert [b.id for b in me.bookings.list()] == [booking.id]
        assert "BEGIN:VCALENDAR" in me.bookings.calendar(booking.id)

        # The same slot again: refused, with the other two offered.
        with pytest.raises(kollega.SlotUnavailable) as taken:
            me.bookings.book(slot=slots[0].id, modality="video")
        assert {s.id for s in taken.value.alternatives} <= {s.id for s in slots[1:]}
        assert taken.value.request_id

        # Messages both ways, sealed on the devices.
        me.messaging.register_device(platform="ios")
        ingrid.messaging.register_device(platform="web")
        (thread,) = list(me.messaging.threads())
        me.messaging.send(thread.id, "Takk for at du tar deg tid.")
        (counsellor_thread,) = list(ingrid.messaging.threads())
        assert counsellor_thread.doctor_alias == doctor.alias
        assert [m.text for m in ingrid.messaging.messages(thread.id)] == ["Takk for at du tar deg tid."]
        ingrid.messaging.send(thread.id, "Vi snakkes på torsdag.")
        # A device seals for every device but itself: the doctor's phone reads the answer.
        received = list(me.messaging.messages(thread.id))
        assert [(m.sender, m.text) for m in received] == [("counsellor", "Vi snakkes på torsdag.")]
        assert b"torsdag" not in b"".join(bytes(e.ciphertext) for e in Envelope.objects.all())

        # A second device of the doctor appears between the counsellor's read and send: the SDK
        # seals again for the list the server returns and sends once.
        second = kollega.Client(live_server.url, email=doctor.email, password=PASSWORD)
        stale_devices = ingrid.messaging.devices(thread.id)
        second.messaging.register_device(platform="android")
        original = ingrid.messaging.devices
        ingrid.messaging.devices = lambda thread_id: stale_devices  # type: ignore[method-assign]
        try:
            ingrid.messaging.send(thread.id, "Ring meg om noe haster.")
        finally:
            ingrid.messaging.devices = original  # type: ignore[method-assign]
        assert [m.text for m in second.messaging.messages(thread.id)] == ["Ring meg om noe haster."]
        second.close()

        # The conversation takes place: its start moved into the past.
        now = timezone.now()
        Booking.objects.filter(pk=booking.id).update(
            start=now - timedelta(hours=1), end=now - timedelta(minutes=15)
        )
        held = ingrid.bookings.complete(booking.id)
        assert held.status == "completed"

        # Ten days later, the WHO-5 is due.
        Followup.objects.filter(doctor=doctor, offset_days=10).update(due_at=now - timedelta(minutes=1))
        followups_dispatch()
        due = [f for f in me.followups.list(status="due") if f.questionnaire.slug == "who-5"]
        (who5,) = due
        detail = me.followups.get(who5.id)
        assert set(WHO5) <= {item["linkId"] for item in detail.items}
        with pytest.raises(kollega.ValidationError) as invalid:
            me.followups.answer(who5.id, {"who5-1": 9})
        assert {e.field for e in invalid.value.errors} >= {"answers.who5-1", "answers.who5-2"}
        answered = me.followups.answer(who5.id, WHO5)
        assert answered.score == kollega.Score(raw=9, score=36)
        assert answered.poor_wellbeing is True
        assert answered.help is not None
        with pytest.raises(kollega.ConflictError) as again:
            me.followups.answer(who5.id, WHO5)
        assert again.value.code == "followup_answered"

        # Signing out ends the session and forgets the device keys.
        device = me.messaging.keys.device_id
        me.logout()
        assert me.tokens is None
        assert me.messaging.keys.device_id != device


def test_device_keys_are_kept_in_a_private_file(live_server, doctor, tmp_path):
    path = tmp_path / "device.json"
    with kollega.Client(live_server.url, email=doctor.email, password=PASSWORD, device_file=path) as app:
        registered = app.messaging.register_device()
    assert path.stat().st_mode & 0o777 == 0o600
    with kollega.Client(live_server.url, email=doctor.email, password=PASSWORD, device_file=path) as again:
        assert again.messaging.keys.device_id == registered.id
        assert again.messaging.register_device().encryption_key == registered.encryption_key
