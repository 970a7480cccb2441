"""Scheduling from completion, the periodic task (due, notice once, expiry), opt-out, baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from api.availability.models import Slot
from api.bookings.models import BookingStatus
from api.bookings.services import booking_cancel, booking_finish, booking_reschedule
from api.followups.dispatch import followups_dispatch
from api.followups.models import Followup, FollowupNotice, FollowupStatus, ScheduleEntry
from api.followups.services import followup_preference_set
from api.notifications.outbox import OutboxStatus
from tests.api.followups.conftest import URL

pytestmark = pytest.mark.django_db


def test_completing_a_conversation_schedules_the_default_plan(completed, who5, feedback):
    followups = Followup.objects.filter(booking=completed)

    assert sorted((f.offset_days, f.version.questionnaire_id) for f in followups) == sorted(
        [(10, who5.pk), (10, feedback.pk), (365, who5.pk), (365, feedback.pk)]
    )
    assert {f.due_at for f in followups if f.offset_days == 10} == {completed.end + timedelta(days=10)}
    assert {f.expires_at - f.due_at for f in followups} == {timedelta(days=30)}
    assert {f.status for f in followups} == {FollowupStatus.SCHEDULED}
    assert len({f.occasion for f in followups}) == 2  # one per offset


def test_a_no_show_schedules_nothing(book, doctor):
    booking = book(doctor)
    booking_finish(booking=booking, outcome=BookingStatus.NO_SHOW, now=booking.start + timedelta(hours=1))

    assert not Followup.objects.filter(booking=booking).exists()


def test_nothing_is_visible_or_sent_before_it_is_due(completed, doctor_api):
    result = followups_dispatch(now=completed.end + timedelta(days=9, hours=23))

    assert (result.made_due, result.notices_sent) == (0, 0)
    assert doctor_api.get(URL).json()["results"] == []
    assert mail.outbox == []


def test_the_task_makes_due_and_notifies_once_per_occasion_however_often_it_runs(
    completed, doctor, doctor_api
):
    at = completed.end + timedelta(days=10, minutes=1)

    first = followups_dispatch(now=at)
    second = followups_dispatch(now=at)
    later = followups_dispatch(now=at + timedelta(minutes=10))

    assert (first.made_due, first.notices_sent) == (2, 1)
    assert (second.made_due, second.notices_sent, later.notices_sent) == (0, 0, 0)
    assert [m.to for m in mail.outbox] == [[doctor.email]]
    assert mail.outbox[0].body in {
        "Et kort spørreskjema venter på deg i Kollega.",
        "A short questionnaire is waiting for you in Kollega.",
    }  # content-free: no questionnaire, counsellor or date
    assert len(doctor_api.get(URL).json()["results"]) == 2


def test_a_notice_claimed_by_a_worker_that_died_is_sent_after_the_lease(completed, settings):
    at = completed.end + timedelta(days=10, minutes=1)
    followups_dispatch(now=at - timedelta(minutes=1))  # makes them due, notice sent at once...
    ten_days = Followup.objects.filter(offset_days=10).values("occasion")
    FollowupNotice.objects.filter(occasion__in=ten_days).update(status=OutboxStatus.SENDING, claimed_at=at)
    mail.outbox.clear()  # ...but say the worker died before marking it sent

    assert followups_dispatch(now=at + timedelta(minutes=1)).notices_sent == 0
    assert followups_dispatch(now=at + settings.OUTBOX_LEASE + timedelta(seconds=1)).notices_sent == 1
    assert len(mail.outbox) == 1


def test_an_unanswered_follow_up_expires_after_30_days(completed, doctor_api):
    followups_dispatch(now=completed.end + timedelta(days=10, minutes=1))
    result = followups_dispatch(now=completed.end + timedelta(days=40, minutes=2))

    assert result.expired == 2
    statuses = {f["status"] for f in doctor_api.get(URL).json()["results"]}
    assert statuses == {"expired"}


def test_opting_out_withdraws_the_unanswered_and_schedules_no_more(completed, complete, doctor, doctor_api):
    followups_dispatch(now=completed.end + timedelta(days=10, minutes=1))
    response = doctor_api.put("/v1/me/followup-preferences", {"opted_out": True}, format="json")

    assert response.json() == {"opted_out": True}
    assert set(Followup.objects.filter(doctor=doctor).values_list("status", flat=True)) == {
        FollowupStatus.WITHDRAWN
    }
    assert doctor_api.get(URL).json()["results"] == []
    assert not Followup.objects.filter(booking=complete(doctor)).exists()
    assert doctor_api.get("/v1/me/followup-preferences").json() == {"opted_out": True}


def test_opting_back_in_applies_to_later_conversations(complete, doctor):
    followup_preference_set(user=doctor, opted_out=True)
    followup_preference_set(user=doctor, opted_out=False)

    assert Followup.objects.filter(booking=complete(doctor)).count() == 4


def test_the_baseline_is_offered_as_the_doctor_books_and_withdrawn_on_cancel(
    book, doctor, doctor_api, organisation, who5
):
    ScheduleEntry.objects.create(organisation=organisation, offset_days=0, questionnaire=who5)
    booking = book(doctor, hours_from_now=48)

    baseline = doctor_api.get(URL).json()["results"]
    assert [(f["kind"], f["status"], f["questionnaire"]["slug"]) for f in baseline] == [
        ("baseline", "due", "who-5")
    ]
    assert Followup.objects.get(booking=booking).expires_at == booking.start  # a baseline comes before
    assert mail.outbox == []  # offered in the app, no notice

    booking_cancel(booking=booking, by=doctor)
    assert doctor_api.get(URL).json()["results"] == []


def test_a_rescheduled_bookings_baseline_stays_open_until_the_new_start(
    book, doctor, organisation, who5, counsellor
):
    ScheduleEntry.objects.create(organisation=organisation, offset_days=0, questionnaire=who5)
    booking = book(doctor, hours_from_now=48)
    later = Slot.objects.create(
        counsellor=counsellor,
        start=booking.start + timedelta(days=3),
        end=booking.start + timedelta(days=3, minutes=45),
        phone=True,
    )

    moved = booking_reschedule(booking=booking, doctor=doctor, slot_id=later.pk)

    assert Followup.objects.get(booking=booking).expires_at == moved.start


def test_an_organisation_plan_replaces_the_default(complete, doctor, organisation, feedback):
    organisation.followup_offsets_days = [30]
    organisation.save()
    ScheduleEntry.objects.create(organisation=organisation, offset_days=30, questionnaire=feedback)

    booking = complete(doctor)

    assert list(
        Followup.objects.filter(booking=booking).values_list("offset_days", "version__questionnaire")
    ) == [(30, feedback.pk)]
