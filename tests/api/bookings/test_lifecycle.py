"""Cancel, reschedule, complete and no-show: every transition and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.availability.models import Slot
from api.bookings.models import Booking, Reminder
from api.notifications.outbox import OutboxStatus
from tests.api.bookings.conftest import URL
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def action(client, booking_id, name, body=None):
    return client.post(f"{URL}/{booking_id}/{name}", body or {}, format="json")


def started(booking_id, hours_ago: float = 1) -> None:
    start = timezone.now() - timedelta(hours=hours_ago)
    Booking.objects.filter(pk=booking_id).update(start=start, end=start + timedelta(minutes=45))


def test_the_doctor_cancels_with_a_reason_and_the_slot_is_bookable_again_at_once(
    doctor_api, ruled_slot, make_user, client_for, book
):
    booking_id = book(ruled_slot).json()["id"]

    response = action(doctor_api, booking_id, "cancel", {"reason": "Work came up."})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancellation"]["by"] == "doctor"
    assert body["cancellation"]["reason"] == "Work came up."
    assert body["cancellation"]["late"] is False
    assert body["sequence"] == 1
    ruled_slot.refresh_from_db()
    assert ruled_slot.status == Slot.Status.OPEN
    assert book(ruled_slot, client=client_for(make_user(Role.DOCTOR))).status_code == 201


def test_a_released_slot_that_the_schedule_no_longer_gives_is_withdrawn(doctor_api, booking_id, slot):
    action(doctor_api, booking_id, "cancel")

    assert not Slot.objects.filter(pk=slot.pk).exists()


def test_the_counsellor_cancels_too(counsellor_api, booking_id):
    response = action(counsellor_api, booking_id, "cancel", {"reason": "Ill."})

    assert response.json()["cancellation"]["by"] == "counsellor"


def test_a_cancellation_inside_the_cutoff_is_allowed_and_marked_late(
    doctor_api, book, add_slot, counsellor, organisation
):
    organisation.cancellation_cutoff_hours = 24
    organisation.save()
    booking_id = book(add_slot(counsellor, 5)).json()["id"]

    response = action(doctor_api, booking_id, "cancel")

    assert response.status_code == 200
    assert response.json()["cancellation"]["late"] is True


def test_a_started_or_cancelled_booking_cannot_be_cancelled(doctor_api, booking_id):
    action(doctor_api, booking_id, "cancel")
    body = assert_problem(action(doctor_api, booking_id, "cancel"), 409, "invalid_state")
    assert "cancelled" in body["detail"]


def test_a_started_booking_cannot_be_cancelled(doctor_api, booking_id):
    started(booking_id)

    assert_problem(action(doctor_api, booking_id, "cancel"), 409, "invalid_state")


def test_a_coordinator_sees_but_cannot_cancel(coordinator_api, booking_id):
    assert_problem(action(coordinator_api, booking_id, "cancel"), 403, "permission_denied")


def test_a_reason_too_long_is_400(doctor_api, booking_id):
    body = assert_problem(
        action(doctor_api, booking_id, "cancel", {"reason": "x" * 301}), 400, "validation_error"
    )
    assert body["errors"][0]["field"] == "reason"


def test_reschedule_moves_the_booking_keeping_its_id_and_frees_the_old_slot(
    doctor_api, book, ruled_slot, add_slot, counsellor
):
    slot = ruled_slot
    booking_id = book(slot, contact_phone="+47 912 34 567").json()["id"]
    new_slot = add_slot(counsellor, 72)

    response = action(doctor_api, booking_id, "reschedule", {"slot": str(new_slot.pk)})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == booking_id
    assert body["start"] == new_slot.start.isoformat().replace("+00:00", "Z")
    assert body["sequence"] == 1
    assert body["rescheduled_at"]
    assert body["contact_phone"] == "+47 912 34 567"
    slot.refresh_from_db()
    new_slot.refresh_from_db()
    assert (slot.status, new_slot.status) == (Slot.Status.OPEN, Slot.Status.BOOKED)


def test_reschedule_to_a_taken_slot_is_409_and_leaves_the_booking_untouched(
    doctor_api, booking_id, slot, add_slot, counsellor, make_user, client_for, book
):
    taken = add_slot(counsellor, 72)
    book(taken, client=client_for(make_user(Role.DOCTOR)))
    before = Booking.objects.get(pk=booking_id)

    response = action(doctor_api, booking_id, "reschedule", {"slot": str(taken.pk)})

    assert_problem(response, 409, "slot_unavailable")
    after = Booking.objects.get(pk=booking_id)
    assert (after.slot_id, after.start, after.sequence) == (before.slot_id, before.start, before.sequence)
    slot.refresh_from_db()
    assert slot.status == Slot.Status.BOOKED
    assert Reminder.objects.filter(booking=after, status=OutboxStatus.PENDING).count() == 4


def test_reschedule_to_another_counsellor_with_a_new_modality_drops_the_phone_number(
    doctor_api, booking_id, add_slot, make_counsellor
):
    other = add_slot(make_counsellor(video=True), 80, phone=False)

    response = action(doctor_api, booking_id, "reschedule", {"slot": str(other.pk), "modality": "video"})

    body = response.json()
    assert (body["modality"], body["contact_phone"], body["counsellor"]["id"]) == (
        "video",
        "",
        str(other.counsellor_id),
    )


def test_reschedule_to_a_slot_without_the_bookings_modality_names_the_slot(
    doctor_api, booking_id, add_slot, counsellor
):
    video_only = add_slot(counsellor, 80, phone=False)

    body = assert_problem(
        action(doctor_api, booking_id, "reschedule", {"slot": str(video_only.pk)}), 400, "validation_error"
    )

    assert body["errors"][0] == {
        "field": "slot",
        "code": "modality_not_offered",
        "message": "This slot offers video.",
    }


def test_only_the_doctor_reschedules(counsellor_api, coordinator_api, booking_id, add_slot, counsellor):
    new_slot = add_slot(counsellor, 72)
    for client in (counsellor_api, coordinator_api):
        response = action(client, booking_id, "reschedule", {"slot": str(new_slot.pk)})
        assert_problem(response, 403, "permission_denied")


def test_a_cancelled_or_started_booking_cannot_be_rescheduled(doctor_api, booking_id, add_slot, counsellor):
    new_slot = add_slot(counsellor, 72)
    started(booking_id)
    assert_problem(
        action(doctor_api, booking_id, "reschedule", {"slot": str(new_slot.pk)}), 409, "invalid_state"
    )


def test_reschedule_checks_the_rules_of_the_new_slot(doctor_api, booking_id, add_slot, counsellor):
    counsellor.min_notice = timedelta(hours=12)
    counsellor.save()

    soon = add_slot(counsellor, 2)

    assert_problem(
        action(doctor_api, booking_id, "reschedule", {"slot": str(soon.pk)}), 422, "booking_too_soon"
    )


@pytest.mark.parametrize(("name", "status"), [("complete", "completed"), ("no-show", "no_show")])
def test_the_counsellor_records_the_outcome_once_the_start_has_passed(
    counsellor_api, booking_id, name, status
):
    assert_problem(action(counsellor_api, booking_id, name), 409, "invalid_state")
    started(booking_id)

    response = action(counsellor_api, booking_id, name)

    assert response.status_code == 200
    assert response.json()["status"] == status
    assert_problem(action(counsellor_api, booking_id, name), 409, "invalid_state")
    assert_problem(action(counsellor_api, booking_id, "cancel"), 409, "invalid_state")


@pytest.mark.parametrize("name", ["complete", "no-show"])
def test_only_the_counsellor_records_the_outcome(doctor_api, coordinator_api, booking_id, name):
    started(booking_id)
    for client in (doctor_api, coordinator_api):
        assert_problem(action(client, booking_id, name), 403, "permission_denied")


def test_a_cancelled_booking_cannot_be_completed(doctor_api, counsellor_api, booking_id):
    action(doctor_api, booking_id, "cancel")
    started(booking_id)

    assert_problem(action(counsellor_api, booking_id, "complete"), 409, "invalid_state")


@pytest.mark.parametrize("name", ["cancel", "reschedule", "complete", "no-show"])
def test_another_users_booking_is_404_for_every_action(
    booking_id, make_user, client_for, name, make_counsellor
):
    for stranger in (make_user(Role.DOCTOR), make_counsellor().user):
        assert_problem(action(client_for(stranger), booking_id, name), 404, "not_found")
