"""GET /v1/public/availability: coarse, keyed, per-origin, cacheable and throttled."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from api.accounts.models import Role
from api.availability.models import Slot
from api.counsellors.models import Region
from api.organisations.keys import api_key_create, api_key_revoke
from api.organisations.models import ApiKeyKind
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db
URL = "/v1/public/availability"
SITE = "https://www.example.org"


@pytest.fixture
def key(organisation, make_user):
    coordinator = make_user(Role.COORDINATOR, organisation=organisation)
    return api_key_create(
        organisation=organisation,
        kind=ApiKeyKind.PUBLISHABLE,
        name="site",
        created_by=coordinator,
        allowed_origins=[SITE],
    ).key


@pytest.fixture
def regions(organisation):
    return (
        Region.objects.create(organisation=organisation, code="vestland", name="Vestland"),
        Region.objects.create(organisation=organisation, code="oslo", name="Oslo"),
    )


def slot(counsellor, hours: float, **flags) -> Slot:
    start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return Slot.objects.create(
        counsellor=counsellor, start=start, end=start + timedelta(minutes=45), **({"phone": True} | flags)
    )


def get(api, key, origin=SITE, **query):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return api.get(f"{URL}?{urlencode({'key': key} | query)}", **headers)


def iso(moment) -> str:
    return str(moment.isoformat()).replace("+00:00", "Z")


def test_next_free_time_and_open_slots_per_day_per_region_and_modality(api, key, make_counsellor, regions):
    vestland, oslo = regions
    ingrid = make_counsellor(display_name="Ingrid", regions=(vestland,), video=True)
    ola = make_counsellor(display_name="Ola", regions=(oslo,))
    first = slot(ingrid, 5, video=True)
    slot(ingrid, 30)
    oslo_first = slot(ola, 3)

    response = get(api, key, days=3)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next_free"] == iso(oslo_first.start)
    assert body["days"] == 3
    groups = {(g["region"]["code"], g["modality"]): g for g in body["groups"]}
    assert set(groups) == {("oslo", "phone"), ("vestland", "phone"), ("vestland", "video")}
    assert groups[("vestland", "phone")]["next_free"] == iso(first.start)
    assert groups[("vestland", "phone")]["open_slots"] == 2
    assert groups[("vestland", "video")]["open_slots"] == 1
    assert len(groups[("oslo", "phone")]["per_day"]) == 3
    assert sum(day["open_slots"] for day in groups[("vestland", "phone")]["per_day"]) == 2


def test_no_counsellor_names_unless_the_organisation_opts_in(
    api, key, make_counsellor, regions, organisation
):
    counsellor = make_counsellor(display_name="Ingrid Secret-Name", regions=regions[:1])
    first = slot(counsellor, 5)

    coarse = get(api, key)
    assert "Ingrid" not in coarse.content.decode()
    assert "counsellors" not in coarse.json()

    organisation.widget_shows_counsellor_names = True
    organisation.save()
    named = get(api, key).json()
    assert named["counsellors"] == [{"display_name": "Ingrid Secret-Name", "next_free": iso(first.start)}]


def test_nothing_about_doctors_or_bookings(api, key, make_counsellor, regions, doctor, client_for):
    counsellor = make_counsellor(regions=regions[:1])
    booked, free = slot(counsellor, 5), slot(counsellor, 6)
    client_for(doctor).post("/v1/bookings", {"slot": str(booked.pk), "modality": "phone"}, format="json")

    response = get(api, key)

    text = response.content.decode()
    assert response.json()["next_free"] == iso(free.start)
    for private in (doctor.alias, doctor.email, str(booked.pk), str(free.pk), str(counsellor.pk)):
        assert private not in text


def test_filters_by_region_language_and_modality(api, key, make_counsellor, regions):
    vestland, oslo = regions
    english = make_counsellor(languages=("en", "nb"), regions=(vestland, oslo), video=True)
    norwegian = make_counsellor(languages=("nb",), regions=(oslo,))
    slot(english, 5, video=True, phone=False)
    slot(norwegian, 6)

    def groups(**query):
        return sorted((g["region"]["code"], g["modality"]) for g in get(api, key, **query).json()["groups"])

    assert groups(region="vestland") == [("vestland", "video")]
    assert groups(language="en") == [("oslo", "video"), ("vestland", "video")]
    assert groups(modality="phone") == [("oslo", "phone")]
    assert groups(region="nowhere") == []


def test_an_allowed_origin_gets_cors_headers_for_itself(api, key):
    response = get(api, key)

    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Origin" in response["Vary"]


def test_another_origin_gets_a_403_without_data_or_cors_headers(api, key, make_counsellor, regions):
    slot(make_counsellor(regions=regions[:1]), 5)

    response = get(api, key, origin="https://evil.example.net")

    body = assert_problem(response, 403, "origin_not_allowed")
    assert "Access-Control-Allow-Origin" not in response
    assert "groups" not in body


def test_without_an_origin_the_figures_come_without_cors_headers(api, key):
    response = get(api, key, origin=None)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_an_etag_and_a_minute_of_caching_and_304_when_it_matches(api, key, make_counsellor, regions):
    counsellor = make_counsellor(regions=regions[:1])
    slot(counsellor, 5)
    first = get(api, key)
    assert first["Cache-Control"] == "public, max-age=60"

    again = api.get(f"{URL}?key={key}", HTTP_ORIGIN=SITE, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == SITE
    slot(counsellor, 7)
    changed = api.get(f"{URL}?key={key}", HTTP_ORIGIN=SITE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("bad", ["pk_unknown", "", "sk_whatever"])
def test_an_unknown_key_is_401(api, bad):
    assert_problem(
        api.get(f"{URL}?key={bad}"), 401 if bad else 400, "api_key_invalid" if bad else "validation_error"
    )


def test_a_revoked_key_is_401(api, key, organisation):
    api_key_revoke(api_key=organisation.api_keys.get())

    assert_problem(get(api, key), 401, "api_key_invalid")


def test_a_secret_key_is_refused_here(api, organisation, make_user):
    secret = api_key_create(
        organisation=organisation,
        kind=ApiKeyKind.SECRET,
        name="research",
        created_by=make_user(Role.COORDINATOR, organisation=organisation),
        scopes=["metrics:read"],
    ).key

    assert_problem(get(api, secret), 401, "api_key_invalid")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"days": "0"}, "days"),
        ({"days": "32"}, "days"),
        ({"modality": "fax"}, "modality"),
        ({"language": "eng"}, "language"),
    ],
)
def test_bad_queries_are_400(api, key, query, field):
    problem = assert_problem(get(api, key, **query), 400, "validation_error")

    assert problem["errors"][0]["field"] == field


def test_throttled_per_key_across_addresses(api, key, settings, monkeypatch):
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES",
        {"public_key": "3/min", "public_address": "100/min"},
    )
    for number in range(3):
        assert api.get(f"{URL}?key={key}", REMOTE_ADDR=f"203.0.113.{number}").status_code == 200

    response = api.get(f"{URL}?key={key}", REMOTE_ADDR="203.0.113.9")

    assert_problem(response, 429, "rate_limited")
    assert response["Retry-After"]


def test_throttled_per_address_across_keys(api, key, monkeypatch):
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES",
        {"public_key": "100/min", "public_address": "2/min"},
    )
    for _ in range(2):
        assert api.get(f"{URL}?key={key}").status_code == 200

    assert_problem(api.get(f"{URL}?key=pk_other"), 429, "rate_limited")


@pytest.mark.parametrize(("counsellors", "days"), [(1, 3), (6, 14)])
def test_the_query_count_does_not_grow_with_counsellors_or_days(
    api, key, make_counsellor, regions, counsellors, days, django_assert_num_queries
):
    for number in range(counsellors):
        counsellor = make_counsellor(regions=regions)
        for hours in range(3):
            slot(counsellor, 5 + number + 24 * hours)

    # The key with its organisation; the grouped figures.
    with django_assert_num_queries(2):
        assert get(api, key, days=days).status_code == 200


def test_the_widget_script_is_served_for_a_year_with_its_integrity_published(api):
    from api.widgets.script import widget_integrity  # noqa: PLC0415

    response = api.get("/widget/v1.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"customElements.define" in response.content
    docs = (__import__("pathlib").Path(__file__).resolve().parents[3] / "docs" / "widget.md").read_text()
    assert widget_integrity() in docs
