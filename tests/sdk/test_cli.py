"""The `kollega` command against a live server: sign in, find, book, list; credentials kept 0600."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.availability.models import Slot
from api.bookings.models import Booking
from kollega._cli import main
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shipped_instruments")]


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def test_login_find_book_and_list(live_server, doctor, make_counsellor, tmp_path, monkeypatch):
    counsellor = make_counsellor(display_name="Ingrid")
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
    )
    credentials = tmp_path / "credentials.json"
    monkeypatch.setenv("KOLLEGA_PASSWORD", PASSWORD)
    common = ("--credentials", str(credentials))

    assert "Signed in" in run(*common, "login", "--base-url", live_server.url, "--email", doctor.email)
    assert credentials.stat().st_mode & 0o777 == 0o600
    assert PASSWORD not in credentials.read_text()

    (found,) = json.loads(run(*common, "availability", "--json"))
    assert found["id"] == str(slot.pk)
    assert "Ingrid" in run(*common, "availability")

    assert "Booked" in run(*common, "book", str(slot.pk), "--modality", "phone")
    booking = Booking.objects.get(doctor=doctor)
    listed = run(*common, "bookings")
    assert str(booking.pk) in listed
    assert "confirmed" in listed
    assert run(*common, "followups") == "(none)\n"

    assert "Signed out" in run(*common, "logout")
    assert not credentials.exists()


def test_a_taken_slot_shows_the_alternatives(
    live_server, doctor, make_user, make_counsellor, tmp_path, monkeypatch
):
    counsellor = make_counsellor(display_name="Ingrid")
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    taken, spare = (
        Slot.objects.create(
            counsellor=counsellor,
            start=start + timedelta(hours=h),
            end=start + timedelta(hours=h, minutes=45),
            phone=True,
        )
        for h in range(2)
    )
    Booking.objects.create(
        slot=taken,
        counsellor=counsellor,
        doctor=make_user(),
        start=taken.start,
        end=taken.end,
        modality="phone",
    )
    Slot.objects.filter(pk=taken.pk).update(status=Slot.Status.BOOKED)
    monkeypatch.setenv("KOLLEGA_PASSWORD", PASSWORD)
    common = ("--credentials", str(tmp_path / "credentials.json"))
    run(*common, "login", "--base-url", live_server.url, "--email", doctor.email)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        main([*common, "book", str(taken.pk), "--modality", "phone"], out=out)
    assert str(spare.pk) in out.getvalue()


def test_commands_need_a_login_first(tmp_path):
    with pytest.raises(SystemExit, match="kollega login"):
        main(["--credentials", str(tmp_path / "none.json"), "bookings"])
