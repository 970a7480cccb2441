from __future__ import annotations

import pytest

from api.accounts.models import Role
from api.counsellors.models import Region
from api.organisations.models import Organisation
from tests.helpers import assert_problem


@pytest.fixture
def counsellor(make_counsellor):
    return make_counsellor(display_name="Anne")


@pytest.fixture
def region(organisation):
    return Region.objects.create(organisation=organisation, code="oslo", name="Oslo")


@pytest.mark.django_db
def test_a_counsellor_edits_their_own_profile(counsellor, client_for, region):
    body = {
        "bio": "Evenings by phone.",
        "languages": ["en", "nb", "en"],
        "region_ids": [str(region.id)],
        "modalities": ["phone", "video"],
    }

    response = client_for(counsellor.user).patch(f"/v1/counsellors/{counsellor.id}", body, format="json")

    assert response.status_code == 200
    shown = response.json()
    assert (shown["bio"], shown["languages"], shown["modalities"]) == (
        "Evenings by phone.",
        ["en", "nb"],
        ["phone", "video"],
    )
    assert shown["regions"] == [{"id": str(region.id), "code": "oslo", "name": "Oslo"}]
    assert shown["display_name"] == "Anne"


@pytest.mark.django_db
def test_a_coordinator_of_the_organisation_can_deactivate_a_counsellor_who_then_disappears(
    counsellor, make_user, client_for, doctor_api
):
    coordinator = make_user(Role.COORDINATOR, organisation=counsellor.organisation)

    response = client_for(coordinator).patch(
        f"/v1/counsellors/{counsellor.id}", {"active": False}, format="json"
    )

    assert response.status_code == 200
    assert doctor_api.get("/v1/counsellors").json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["doctor", "other_counsellor", "foreign_coordinator"])
def test_anyone_else_gets_404(counsellor, make_user, make_counsellor, client_for, who):
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere", country="SE")
    user = {
        "doctor": lambda: make_user(Role.DOCTOR),
        "other_counsellor": lambda: make_counsellor().user,
        "foreign_coordinator": lambda: make_user(Role.COORDINATOR, organisation=elsewhere),
    }[who]()

    response = client_for(user).patch(f"/v1/counsellors/{counsellor.id}", {"bio": "hijacked"}, format="json")

    assert_problem(response, 404, "not_found")
    counsellor.refresh_from_db()
    assert counsellor.bio == ""


@pytest.mark.django_db
def test_regions_of_another_organisation_are_refused(counsellor, client_for):
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere", country="SE")
    foreign = Region.objects.create(organisation=elsewhere, code="skane", name="Skåne")

    response = client_for(counsellor.user).patch(
        f"/v1/counsellors/{counsellor.id}", {"region_ids": [str(foreign.id)]}, format="json"
    )

    problem = assert_problem(response, 400, "validation_error")
    assert problem["errors"][0] == {**problem["errors"][0], "field": "region_ids", "code": "unknown_region"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"languages": ["norsk"]}, "languages.0"),
        ({"modalities": ["telegraph"]}, "modalities.0"),
        ({"active": "yes"}, "active"),
        ({"bio": 42}, "bio"),
    ],
)
def test_bad_profile_input_is_400(counsellor, client_for, body, field):
    response = client_for(counsellor.user).patch(f"/v1/counsellors/{counsellor.id}", body, format="json")

    problem = assert_problem(response, 400, "validation_error")
    assert [e["field"] for e in problem["errors"]] == [field]


@pytest.mark.django_db
def test_a_modality_the_schedule_still_offers_cannot_be_dropped(counsellor, client_for):
    counsellor.video = True
    counsellor.save()
    counsellor.rules.create(weekday=1, start="17:00", end="19:00", slot_minutes=45, phone=True, video=True)
    client = client_for(counsellor.user)

    response = client.patch(f"/v1/counsellors/{counsellor.id}", {"modalities": ["phone"]}, format="json")

    body = assert_problem(response, 400, "validation_error")
    assert body["errors"][0]["field"] == "modalities"
    assert body["errors"][0]["code"] == "modality_in_use"
    counsellor.refresh_from_db()
    assert counsellor.video is True
    added = client.patch(
        f"/v1/counsellors/{counsellor.id}", {"modalities": ["phone", "video", "in_person"]}, format="json"
    )
    assert added.status_code == 200
