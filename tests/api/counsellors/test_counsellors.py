from __future__ import annotations

import pytest

from api.accounts.models import Role
from api.counsellors.models import ExcludedCounsellor, Region
from tests.helpers import assert_problem


@pytest.fixture
def region(organisation):
    return Region.objects.create(organisation=organisation, code="oslo", name="Oslo")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [c["display_name"] for c in response.json()["results"]]


@pytest.mark.django_db
def test_counsellors_are_listed_by_name_and_filtered(doctor_api, make_counsellor, region):
    make_counsellor(display_name="Ola", languages=("nb",))
    make_counsellor(display_name="Anne", languages=("nb", "en"), regions=(region,), video=True)
    make_counsellor(display_name="Hidden", active=False)

    assert names(doctor_api.get("/v1/counsellors")) == ["Anne", "Ola"]
    assert names(doctor_api.get("/v1/counsellors?language=en")) == ["Anne"]
    assert names(doctor_api.get(f"/v1/counsellors?region={region.id}")) == ["Anne"]
    assert names(doctor_api.get("/v1/counsellors?modality=video")) == ["Anne"]
    assert names(doctor_api.get("/v1/counsellors?modality=in_person")) == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 25])
def test_the_list_costs_the_same_queries_whatever_the_number(
    doctor_api, make_counsellor, region, count, django_assert_num_queries
):
    for _ in range(count):
        make_counsellor(languages=("nb", "en"), regions=(region,))

    # 1 authentication; 2 the page; 3 languages; 4 regions.
    with django_assert_num_queries(4):
        response = doctor_api.get("/v1/counsellors?limit=100")

    assert len(response.json()["results"]) == count


@pytest.mark.django_db
def test_a_counsellor_in_detail(doctor_api, make_counsellor, django_assert_num_queries):
    counsellor = make_counsellor(display_name="Anne", bio="GP for twenty years.")

    with django_assert_num_queries(4):
        body = doctor_api.get(f"/v1/counsellors/{counsellor.id}").json()

    assert body["bio"] == "GP for twenty years."
    assert body["organisation_id"] == str(counsellor.organisation_id)
    assert "email" not in body


@pytest.mark.django_db
def test_an_inactive_counsellor_is_404_to_doctors_but_visible_to_its_coordinator(
    doctor_api, make_counsellor, make_user, client_for
):
    counsellor = make_counsellor(active=False)
    coordinator = make_user(Role.COORDINATOR, organisation=counsellor.organisation)

    assert_problem(doctor_api.get(f"/v1/counsellors/{counsellor.id}"), 404, "not_found")
    assert client_for(coordinator).get(f"/v1/counsellors/{counsellor.id}").status_code == 200
    assert client_for(counsellor.user).get(f"/v1/counsellors/{counsellor.id}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["region=oslo", "language=nor", "modality=fax"])
def test_bad_filters_are_400(doctor_api, query):
    assert_problem(doctor_api.get(f"/v1/counsellors?{query}"), 400, "validation_error")


@pytest.mark.django_db
def test_counsellors_need_a_token(api, make_counsellor):
    assert_problem(api.get("/v1/counsellors"), 401, "not_authenticated")
    assert_problem(api.get(f"/v1/counsellors/{make_counsellor().id}"), 401, "not_authenticated")


@pytest.mark.django_db
def test_regions_are_listed_and_filtered_by_organisation(doctor_api, region, django_assert_num_queries):
    with django_assert_num_queries(2):
        everything = doctor_api.get("/v1/regions").json()

    assert everything == [
        {"id": str(region.id), "code": "oslo", "name": "Oslo", "organisation_id": str(region.organisation_id)}
    ]
    assert doctor_api.get("/v1/regions?organisation=00000000-0000-4000-8000-000000000000").json() == []
    assert_problem(doctor_api.get("/v1/regions?organisation=x"), 400, "validation_error")


@pytest.mark.django_db
def test_a_doctor_excludes_a_counsellor_who_then_disappears_for_them_only(
    doctor, doctor_api, make_counsellor, make_user, client_for
):
    known = make_counsellor(display_name="Colleague")
    make_counsellor(display_name="Stranger")

    put = doctor_api.put(f"/v1/me/excluded-counsellors/{known.id}")
    again = doctor_api.put(f"/v1/me/excluded-counsellors/{known.id}")

    assert put.status_code == again.status_code == 200
    assert put.json()["counsellor_id"] == str(known.id)
    assert ExcludedCounsellor.objects.count() == 1
    assert names(doctor_api.get("/v1/counsellors")) == ["Stranger"]
    assert_problem(doctor_api.get(f"/v1/counsellors/{known.id}"), 404, "not_found")
    listed = doctor_api.get("/v1/me/excluded-counsellors").json()["results"]
    assert [row["display_name"] for row in listed] == ["Colleague"]
    assert names(client_for(make_user()).get("/v1/counsellors")) == ["Colleague", "Stranger"]
    # Nothing tells the counsellor.
    assert "excluded" not in client_for(known.user).get("/v1/me").content.decode()


@pytest.mark.django_db
def test_removing_an_exclusion_shows_the_counsellor_again(doctor_api, make_counsellor):
    known = make_counsellor(display_name="Colleague")
    doctor_api.put(f"/v1/me/excluded-counsellors/{known.id}")

    assert doctor_api.delete(f"/v1/me/excluded-counsellors/{known.id}").status_code == 204
    assert names(doctor_api.get("/v1/counsellors")) == ["Colleague"]
    assert_problem(doctor_api.delete(f"/v1/me/excluded-counsellors/{known.id}"), 404, "not_found")


@pytest.mark.django_db
def test_exclusions_are_private_to_each_doctor(
    doctor_api, make_counsellor, make_user, client_for, django_assert_num_queries
):
    known = make_counsellor()
    doctor_api.put(f"/v1/me/excluded-counsellors/{known.id}")
    other = client_for(make_user())

    with django_assert_num_queries(2):
        assert other.get("/v1/me/excluded-counsellors").json()["results"] == []
    assert_problem(other.delete(f"/v1/me/excluded-counsellors/{known.id}"), 404, "not_found")


@pytest.mark.django_db
def test_excluding_an_unknown_counsellor_is_404(doctor_api):
    assert_problem(
        doctor_api.put("/v1/me/excluded-counsellors/00000000-0000-4000-8000-000000000000"), 404, "not_found"
    )
    assert_problem(doctor_api.put("/v1/me/excluded-counsellors/not-a-uuid"), 404, "not_found")
