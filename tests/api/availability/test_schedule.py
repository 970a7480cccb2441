from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.availability.models import Slot
from api.availability.services import slots_sync, slots_sync_all
from api.organisations.models import Organisation
from tests.helpers import assert_problem


def schedule(rules=None, **fields):
    body = {"time_zone": "Europe/Oslo", "min_notice_minutes": 0, "horizon_days": 14, "daily_cap": None}
    body["rules"] = rules if rules is not None else [rule(0, "09:00", "12:00")]
    return body | fields


def rule(weekday, start, end, minutes=60, buffer=0, modalities=("phone",)):
    return {
        "weekday": weekday,
        "start": start,
        "end": end,
        "slot_minutes": minutes,
        "buffer_minutes": buffer,
        "modalities": list(modalities),
    }


def url(counsellor) -> str:
    return f"/v1/counsellors/{counsellor.id}/schedule"


@pytest.fixture
def counsellor(make_counsellor):
    return make_counsellor()


@pytest.fixture
def counsellor_api(counsellor, client_for):
    return client_for(counsellor.user)


@pytest.mark.django_db
def test_a_counsellor_sets_their_schedule_and_slots_appear_in_their_zone(counsellor, counsellor_api):
    response = counsellor_api.put(
        url(counsellor), schedule([rule(d, "16:00", "18:00") for d in range(7)]), format="json"
    )

    assert response.status_code == 200
    assert response.json()["rules"][0] == rule(0, "16:00", "18:00")
    slots = list(Slot.objects.filter(counsellor=counsellor).order_by("start"))
    assert 26 <= len(slots) <= 30  # two a day for 14 days, less what has already begun today
    oslo = ZoneInfo("Europe/Oslo")
    assert {s.start.astimezone(oslo).strftime("%H:%M") for s in slots} == {"16:00", "17:00"}


@pytest.mark.django_db
def test_get_returns_the_schedule_with_an_etag_in_one_query_after_authentication(
    counsellor, counsellor_api, django_assert_num_queries
):
    counsellor_api.put(url(counsellor), schedule(), format="json")

    # 1 authentication; 2 the counsellor (scoped to the caller); 3 the rules.
    with django_assert_num_queries(3):
        response = counsellor_api.get(url(counsellor))

    assert response.json()["horizon_days"] == 14
    assert response["ETag"]


@pytest.mark.django_db
def test_a_stale_if_match_changes_nothing(counsellor, counsellor_api):
    etag = counsellor_api.get(url(counsellor))["ETag"]
    counsellor_api.put(url(counsellor), schedule(), format="json", HTTP_IF_MATCH=etag)

    response = counsellor_api.put(url(counsellor), schedule([]), format="json", HTTP_IF_MATCH=etag)

    assert_problem(response, 412, "precondition_failed")
    assert counsellor.rules.count() == 1


@pytest.mark.django_db
def test_a_coordinator_of_the_same_organisation_manages_the_schedule(counsellor, make_user, client_for):
    coordinator = make_user(Role.COORDINATOR, organisation=counsellor.organisation)

    assert client_for(coordinator).put(url(counsellor), schedule(), format="json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["doctor", "other_counsellor", "foreign_coordinator"])
def test_anyone_else_gets_404_for_the_schedule_and_its_time_off(
    counsellor, make_user, make_counsellor, client_for, who
):
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere", country="SE")
    user = {
        "doctor": lambda: make_user(Role.DOCTOR),
        "other_counsellor": lambda: make_counsellor().user,
        "foreign_coordinator": lambda: make_user(Role.COORDINATOR, organisation=elsewhere),
    }[who]()
    client = client_for(user)

    assert_problem(client.get(url(counsellor)), 404, "not_found")
    assert_problem(client.put(url(counsellor), schedule(), format="json"), 404, "not_found")
    assert_problem(client.get(f"/v1/counsellors/{counsellor.id}/time-off"), 404, "not_found")
    start = timezone.now() + timedelta(days=1)
    body = {"start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat()}
    assert_problem(
        client.post(f"/v1/counsellors/{counsellor.id}/time-off", body, format="json"), 404, "not_found"
    )


@pytest.mark.django_db
def test_overlapping_rules_are_400_naming_both(counsellor, counsellor_api):
    rules = [rule(2, "09:00", "12:00"), rule(3, "09:00", "12:00"), rule(2, "11:00", "13:00")]

    problem = assert_problem(
        counsellor_api.put(url(counsellor), schedule(rules), format="json"), 400, "validation_error"
    )

    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("rules.2", "overlapping_rules")]
    assert "0 and 2" in problem["errors"][0]["message"]


@pytest.mark.django_db
def test_a_rule_may_offer_only_modalities_the_profile_offers(counsellor, counsellor_api):
    rules = [rule(0, "09:00", "12:00"), rule(1, "09:00", "12:00", modalities=("phone", "video"))]

    response = counsellor_api.put(url(counsellor), schedule(rules), format="json")

    problem = assert_problem(response, 400, "validation_error")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("rules.1.modalities", "modality_not_offered")
    ]
    assert "video" in problem["errors"][0]["message"]
    assert not counsellor.rules.exists()
    assert not Slot.objects.filter(counsellor=counsellor).exists()


@pytest.mark.django_db
def test_every_rule_offering_a_modality_not_offered_is_named(make_counsellor, client_for):
    counsellor = make_counsellor(phone=False, video=True)
    rules = [
        rule(0, "09:00", "12:00", modalities=("phone",)),
        rule(1, "09:00", "12:00", modalities=("video",)),
        rule(2, "09:00", "12:00", modalities=("video", "in_person")),
    ]

    response = client_for(counsellor.user).put(url(counsellor), schedule(rules), format="json")

    problem = assert_problem(response, 400, "validation_error")
    assert [e["field"] for e in problem["errors"]] == ["rules.0.modalities", "rules.2.modalities"]
    assert {e["code"] for e in problem["errors"]} == {"modality_not_offered"}


@pytest.mark.django_db
def test_a_rule_offering_the_profiles_modalities_is_accepted(make_counsellor, client_for):
    counsellor = make_counsellor(video=True, in_person=True)
    rules = [rule(0, "09:00", "12:00", modalities=("phone", "video", "in_person"))]

    response = client_for(counsellor.user).put(url(counsellor), schedule(rules), format="json")

    assert response.status_code == 200
    assert response.json()["rules"][0]["modalities"] == ["phone", "video", "in_person"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (schedule(time_zone="Mars/Olympus_Mons"), "time_zone"),
        (schedule([rule(7, "09:00", "10:00")]), "rules.0.weekday"),
        (schedule([rule(1, "12:00", "09:00")]), "rules.0.end"),
        (schedule([rule(1, "09:00", "10:00", minutes=5)]), "rules.0.slot_minutes"),
        (schedule([rule(1, "09:00", "10:00", modalities=())]), "rules.0.modalities"),
        (schedule([rule(1, "09:00", "10:00", modalities=("fax",))]), "rules.0.modalities.0"),
        (schedule(horizon_days=0), "horizon_days"),
        (schedule([rule(1, "09:00", "10:00")] * 51), "rules"),
    ],
)
def test_bad_schedules_are_400_naming_the_field(counsellor, counsellor_api, body, field):
    problem = assert_problem(
        counsellor_api.put(url(counsellor), body, format="json"), 400, "validation_error"
    )

    assert field in [e["field"] for e in problem["errors"]]


@pytest.mark.django_db
def test_changing_rules_rewrites_open_slots_and_never_touches_booked_ones(counsellor, counsellor_api):
    counsellor_api.put(
        url(counsellor), schedule([rule(d, "09:00", "11:00") for d in range(7)]), format="json"
    )
    booked = Slot.objects.filter(counsellor=counsellor).order_by("start").last()
    assert booked is not None
    Slot.objects.filter(pk=booked.pk).update(status=Slot.Status.BOOKED)

    counsellor_api.put(
        url(counsellor), schedule([rule(d, "09:30", "11:30") for d in range(7)]), format="json"
    )

    booked.refresh_from_db()
    assert booked.status == Slot.Status.BOOKED
    open_slots = Slot.objects.filter(counsellor=counsellor, status=Slot.Status.OPEN)
    oslo = ZoneInfo("Europe/Oslo")
    assert {s.start.astimezone(oslo).strftime("%H:%M") for s in open_slots} == {"09:30", "10:30"}
    assert not open_slots.filter(start__lt=booked.end, end__gt=booked.start).exists()


@pytest.mark.django_db
def test_removing_every_rule_removes_open_slots_only(counsellor, counsellor_api):
    counsellor_api.put(
        url(counsellor), schedule([rule(d, "09:00", "11:00") for d in range(7)]), format="json"
    )
    first = Slot.objects.filter(counsellor=counsellor).first()
    assert first is not None
    Slot.objects.filter(pk=first.pk).update(status=Slot.Status.BOOKED)

    counsellor_api.put(url(counsellor), schedule([]), format="json")

    assert list(Slot.objects.filter(counsellor=counsellor).values_list("status", flat=True)) == ["booked"]


@pytest.mark.django_db
def test_time_off_hides_open_slots_and_removing_it_brings_them_back(counsellor, counsellor_api):
    counsellor_api.put(
        url(counsellor), schedule([rule(d, "09:00", "17:00") for d in range(7)]), format="json"
    )
    before = Slot.objects.filter(counsellor=counsellor).count()
    start = timezone.now() + timedelta(days=2)
    body = {"start": start.isoformat(), "end": (start + timedelta(days=3)).isoformat()}

    created = counsellor_api.post(f"/v1/counsellors/{counsellor.id}/time-off", body, format="json")

    assert created.status_code == 201
    assert not Slot.objects.filter(
        counsellor=counsellor, start__lt=start + timedelta(days=3), end__gt=start
    ).exists()
    listed = counsellor_api.get(f"/v1/counsellors/{counsellor.id}/time-off").json()["results"]
    assert [t["id"] for t in listed] == [created.json()["id"]]
    removed = counsellor_api.delete(f"/v1/counsellors/{counsellor.id}/time-off/{created.json()['id']}")
    assert removed.status_code == 204
    assert Slot.objects.filter(counsellor=counsellor).count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"start": "2026-12-10T00:00:00Z", "end": "2026-12-01T00:00:00Z"},
        {"start": "2026-12-01T00:00:00Z", "end": "2028-12-01T00:00:00Z"},
        {"start": "soon"},
    ],
)
def test_bad_time_off_is_400(counsellor, counsellor_api, body):
    assert_problem(
        counsellor_api.post(f"/v1/counsellors/{counsellor.id}/time-off", body, format="json"),
        400,
        "validation_error",
    )


@pytest.mark.django_db
def test_another_counsellors_time_off_is_404(counsellor, counsellor_api, make_counsellor, client_for):
    other = make_counsellor()
    start = timezone.now() + timedelta(days=1)
    created = client_for(other.user).post(
        f"/v1/counsellors/{other.id}/time-off",
        {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()},
        format="json",
    )

    response = counsellor_api.delete(f"/v1/counsellors/{counsellor.id}/time-off/{created.json()['id']}")

    assert_problem(response, 404, "not_found")


@pytest.mark.django_db
def test_sync_across_the_oslo_spring_change_keeps_local_hours(counsellor):
    counsellor.rules.create(weekday=6, start="10:00", end="11:00", slot_minutes=60, phone=True)
    counsellor.horizon = timedelta(days=14)
    counsellor.save()

    slots_sync(counsellor=counsellor, now=datetime(2026, 3, 20, tzinfo=UTC))

    starts = list(
        Slot.objects.filter(counsellor=counsellor).order_by("start").values_list("start", flat=True)
    )
    assert starts == [datetime(2026, 3, 22, 9, tzinfo=UTC), datetime(2026, 3, 29, 8, tzinfo=UTC)]


@pytest.mark.django_db
def test_sync_twice_changes_nothing_the_second_time(counsellor):
    counsellor.rules.create(
        weekday=2, start="09:00", end="12:00", slot_minutes=45, buffer_minutes=15, phone=True
    )

    first = slots_sync(counsellor=counsellor)
    second = slots_sync(counsellor=counsellor)

    assert first.created > 0
    assert (second.created, second.deleted) == (0, 0)


@pytest.mark.django_db
def test_the_horizon_rolls_forward_as_days_pass(counsellor):
    counsellor.rules.create(weekday=2, start="09:00", end="10:00", slot_minutes=60, phone=True)
    counsellor.horizon = timedelta(days=7)
    counsellor.save()
    now = datetime(2026, 6, 1, tzinfo=UTC)  # a Monday
    slots_sync(counsellor=counsellor, now=now)

    result = slots_sync(counsellor=counsellor, now=now + timedelta(days=7))

    assert (result.created, result.deleted) == (1, 0)  # next week's Wednesday in; the past is left
    assert slots_sync_all(now=now + timedelta(days=7)) == 0
    assert Slot.objects.filter(counsellor=counsellor).count() == 1  # last week's, ended, is purged


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_the_time_off_list_costs_the_same_queries_whatever_its_length(
    counsellor, counsellor_api, count, django_assert_num_queries
):
    start = timezone.now() + timedelta(days=1)
    for index in range(count):
        counsellor.time_off.create(
            start=start + timedelta(days=index), end=start + timedelta(days=index, hours=2)
        )

    # 1 authentication; 2 the counsellor (scoped to the caller); 3 the page.
    with django_assert_num_queries(3):
        response = counsellor_api.get(f"/v1/counsellors/{counsellor.id}/time-off?limit=100")

    assert len(response.json()["results"]) == count
