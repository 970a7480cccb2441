from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.utils import timezone

from api.availability.models import Slot
from api.availability.serializers import SlotOutputSerializer
from api.counsellors.models import ExcludedCounsellor, Region
from tests.helpers import assert_problem

URL = "/v1/availability"


def add_slot(counsellor, hours_from_now: float, *, minutes: int = 60, **flags) -> Slot:
    start = (timezone.now() + timedelta(hours=hours_from_now)).replace(microsecond=0)
    flags = {"phone": True} | flags
    return Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=minutes), **flags
    )


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [slot["id"] for slot in response.json()["results"]]


@pytest.fixture
def region(organisation):
    return Region.objects.create(organisation=organisation, code="vestland", name="Vestland")


@pytest.mark.django_db
def test_open_slots_across_counsellors_in_start_order_with_a_counsellor_summary(
    doctor_api, make_counsellor, region
):
    first = make_counsellor(display_name="Ingrid", languages=("nb", "en"), regions=(region,), video=True)
    second = make_counsellor(display_name="Ola")
    late, early = add_slot(first, 30, video=True), add_slot(second, 5)

    response = doctor_api.get(URL)

    body = response.json()["results"]
    assert [s["id"] for s in body] == [str(early.id), str(late.id)]
    assert body[1]["counsellor"] == {
        "id": str(first.id),
        "display_name": "Ingrid",
        "languages": ["en", "nb"],
        "regions": [{"id": str(region.id), "code": "vestland", "name": "Vestland"}],
        "modalities": ["phone", "video"],
        "time_zone": "Europe/Oslo",
    }
    assert body[1]["modalities"] == ["phone", "video"]
    assert body[1]["time_zone"] == "Europe/Oslo"
    assert body[1]["start"].endswith("Z")


@pytest.mark.django_db
def test_the_page_shows_each_slot_as_its_declared_serializer_does(
    doctor_api, make_counsellor, region, organisation
):
    other = Region.objects.create(organisation=organisation, code="agder", name="Agder")
    counsellor = make_counsellor(languages=("nb", "en"), regions=(region, other), video=True, in_person=True)
    start = timezone.now().replace(microsecond=123456) + timedelta(hours=5)
    slots = [
        Slot.objects.create(
            counsellor=counsellor, start=start, end=start + timedelta(minutes=45), video=True
        ),
        add_slot(counsellor, 8, in_person=True),
        add_slot(make_counsellor(time_zone="America/New_York"), 9),
    ]

    body = doctor_api.get(URL).json()["results"]

    declared = [SlotOutputSerializer(Slot.objects.get(pk=slot.pk)).data for slot in slots]
    assert body == declared
    assert body[0]["start"].endswith(".123456Z")
    assert [r["name"] for r in body[0]["counsellor"]["regions"]] == ["Agder", "Vestland"]


@pytest.mark.django_db
def test_the_range_is_start_inclusive_end_exclusive(doctor_api, make_counsellor):
    counsellor = make_counsellor()
    inside, edge = add_slot(counsellor, 10), add_slot(counsellor, 20)
    start = inside.start.isoformat()
    end = edge.start.isoformat()

    assert ids(doctor_api.get(URL + "?" + urlencode({"start": start, "end": end}))) == [str(inside.id)]


@pytest.mark.django_db
def test_filters_by_region_language_modality_and_counsellor(doctor_api, make_counsellor, region):
    bergen = make_counsellor(languages=("nb", "en"), regions=(region,), video=True)
    other = make_counsellor(languages=("nb",))
    video_slot, phone_slot = add_slot(bergen, 5, video=True, phone=False), add_slot(bergen, 6)
    other_slot = add_slot(other, 7)

    assert ids(doctor_api.get(f"{URL}?region={region.id}")) == [str(video_slot.id), str(phone_slot.id)]
    assert ids(doctor_api.get(f"{URL}?language=en")) == [str(video_slot.id), str(phone_slot.id)]
    assert ids(doctor_api.get(f"{URL}?modality=video")) == [str(video_slot.id)]
    assert ids(doctor_api.get(f"{URL}?modality=phone&language=nb")) == [
        str(phone_slot.id),
        str(other_slot.id),
    ]
    assert ids(doctor_api.get(f"{URL}?counsellor={other.id}")) == [str(other_slot.id)]


@pytest.mark.django_db
@pytest.mark.parametrize("first_per_counsellor", [False, True])
def test_a_counsellor_with_several_languages_and_regions_shows_each_slot_once(
    doctor_api, make_counsellor, region, organisation, first_per_counsellor
):
    other = Region.objects.create(organisation=organisation, code="agder", name="Agder")
    counsellor = make_counsellor(languages=("nb", "en", "se"), regions=(region, other))
    slot = add_slot(counsellor, 5)
    query = urlencode(
        {"language": "en", "region": other.id, "first_per_counsellor": str(first_per_counsellor).lower()}
    )

    assert ids(doctor_api.get(f"{URL}?{query}")) == [str(slot.id)]


@pytest.mark.django_db
def test_first_per_counsellor_gives_each_counsellors_next_free_time(doctor_api, make_counsellor):
    one, two = make_counsellor(), make_counsellor()
    one_first, _ = add_slot(one, 3), add_slot(one, 4)
    two_first, _ = add_slot(two, 5), add_slot(two, 6)

    first_page = doctor_api.get(f"{URL}?first_per_counsellor=true&limit=1")
    second_page = doctor_api.get(first_page.json()["next"])

    assert ids(first_page) == [str(one_first.id)]
    assert ids(second_page) == [str(two_first.id)]
    assert second_page.json()["next"] is None


@pytest.mark.django_db
def test_minimum_notice_and_horizon_hide_slots(doctor_api, make_counsellor):
    counsellor = make_counsellor(min_notice=timedelta(hours=24), horizon=timedelta(days=10))
    too_soon, fine, too_far = (
        add_slot(counsellor, 23),
        add_slot(counsellor, 25),
        add_slot(counsellor, 24 * 11),
    )
    start, end = timezone.now().isoformat(), (timezone.now() + timedelta(days=30)).isoformat()

    result = ids(doctor_api.get(URL + "?" + urlencode({"start": start, "end": end})))

    assert result == [str(fine.id)]
    assert str(too_soon.id) not in result
    assert str(too_far.id) not in result


@pytest.mark.django_db
def test_booked_slots_and_inactive_counsellors_do_not_appear(doctor_api, make_counsellor):
    active, inactive = make_counsellor(), make_counsellor(active=False)
    booked = add_slot(active, 5)
    Slot.objects.filter(pk=booked.pk).update(status=Slot.Status.BOOKED)
    add_slot(inactive, 6)

    assert ids(doctor_api.get(URL)) == []


@pytest.mark.django_db
def test_an_excluded_counsellor_never_appears_to_that_doctor_only(
    doctor, doctor_api, make_counsellor, make_user, client_for
):
    known, stranger = make_counsellor(), make_counsellor()
    known_slot, stranger_slot = add_slot(known, 5), add_slot(stranger, 6)
    ExcludedCounsellor.objects.create(doctor=doctor, counsellor=known)

    assert ids(doctor_api.get(URL)) == [str(stranger_slot.id)]
    assert ids(doctor_api.get(f"{URL}?counsellor={known.id}")) == []
    assert ids(client_for(make_user()).get(URL)) == [str(known_slot.id), str(stranger_slot.id)]


@pytest.mark.django_db
def test_pages_follow_each_other_without_gaps_or_repeats(doctor_api, make_counsellor):
    counsellor = make_counsellor()
    made = [str(add_slot(counsellor, 2 + i).id) for i in range(7)]

    seen: list[str] = []
    url = f"{URL}?limit=3"
    while url:
        page = doctor_api.get(url)
        seen += ids(page)
        url = page.json()["next"]

    assert seen == made


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-12-10T00:00:00Z", "end": "2026-12-01T00:00:00Z"}, "end"),
        ({"start": "2026-12-01T00:00:00Z", "end": "2036-12-01T00:00:00Z"}, "end"),
        ({"start": "yesterday"}, "start"),
        ({"region": "not-a-uuid"}, "region"),
        ({"language": "norwegian"}, "language"),
        ({"modality": "carrier-pigeon"}, "modality"),
        ({"counsellor": "42"}, "counsellor"),
        ({"first_per_counsellor": "perhaps"}, "first_per_counsellor"),
    ],
)
def test_bad_queries_are_400_naming_the_parameter(doctor_api, query, field):
    problem = assert_problem(doctor_api.get(URL + "?" + urlencode(query)), 400, "validation_error")

    assert [e["field"] for e in problem["errors"]] == [field]


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["garbage", "cD0yMDI2", "bz0xJnA9bm90LWEtZGF0ZQ=="])
def test_a_malformed_cursor_is_400(doctor_api, make_counsellor, cursor):
    add_slot(make_counsellor(), 5)

    assert_problem(doctor_api.get(f"{URL}?cursor={cursor}"), 400, "invalid_cursor")


@pytest.mark.django_db
def test_availability_needs_a_token(api):
    assert_problem(api.get(URL), 401, "not_authenticated")


@pytest.mark.django_db
@pytest.mark.parametrize(("counsellors", "slots_each", "limit"), [(2, 2, 5), (12, 20, 100)])
def test_the_query_count_does_not_grow_with_counsellors_days_or_page_size(
    doctor_api, make_counsellor, region, counsellors, slots_each, limit, django_assert_num_queries
):
    for _ in range(counsellors):
        counsellor = make_counsellor(languages=("nb", "en"), regions=(region,))
        for index in range(slots_each):
            add_slot(counsellor, 2 + index * 7)

    end = (datetime.now(UTC) + timedelta(days=90)).isoformat()
    # 1 authentication; 2 the page of slots with their counsellors, on PostgreSQL with their
    # languages and regions as arrays; elsewhere 3 languages and 4 regions.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 4):
        response = doctor_api.get(URL + "?" + urlencode({"limit": limit, "end": end}))

    assert len(response.json()["results"]) == min(limit, counsellors * slots_each)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [2, 60])
def test_first_per_counsellor_costs_the_same_queries_whatever_the_range(
    doctor_api, make_counsellor, region, days, django_assert_num_queries
):
    for _ in range(3):
        counsellor = make_counsellor(languages=("nb", "en"), regions=(region,))
        for day in range(days):
            add_slot(counsellor, 2 + day * 24)
    end = (datetime.now(UTC) + timedelta(days=days + 1)).isoformat()

    # As the plain page: the first slots are found inside the page query.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 4):
        response = doctor_api.get(URL + "?" + urlencode({"first_per_counsellor": "true", "end": end}))

    assert len(response.json()["results"]) == 3


@pytest.mark.django_db
def test_first_per_counsellor_takes_the_first_slot_that_matches_every_filter(
    doctor, doctor_api, make_counsellor
):
    counsellor = make_counsellor(min_notice=timedelta(hours=4), video=True)
    add_slot(counsellor, 2, video=True)  # inside the minimum notice
    add_slot(counsellor, 5)  # phone only
    booked = add_slot(counsellor, 6, video=True)
    Slot.objects.filter(pk=booked.pk).update(status=Slot.Status.BOOKED)
    wanted = add_slot(counsellor, 7, video=True)
    add_slot(counsellor, 8, video=True)
    excluded = make_counsellor(video=True)
    add_slot(excluded, 3, video=True)
    ExcludedCounsellor.objects.create(doctor=doctor, counsellor=excluded)
    add_slot(make_counsellor(active=False, video=True), 3, video=True)

    assert ids(doctor_api.get(f"{URL}?first_per_counsellor=true&modality=video")) == [str(wanted.id)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"end": (datetime.now(UTC) + timedelta(days=400)).isoformat()},
        {"end": (datetime.now(UTC) - timedelta(days=1)).isoformat()},
    ],
)
def test_the_range_is_checked_when_only_end_is_given(doctor_api, query):
    problem = assert_problem(doctor_api.get(URL + "?" + urlencode(query)), 400, "validation_error")

    assert problem["errors"][0]["field"] == "end"
