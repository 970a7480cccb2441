from __future__ import annotations

import pytest

from api.accounts.models import Role
from tests.helpers import assert_problem


@pytest.mark.django_db
def test_me_shows_the_account_in_one_query(doctor_api, doctor, django_assert_num_queries):
    # 1: the session with its user and organisation (authentication); nothing more.
    with django_assert_num_queries(1):
        response = doctor_api.get("/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(doctor.id),
        "email": doctor.email,
        "alias": doctor.alias,
        "role": "doctor",
        "language": "nb",
        "organisation": None,
        "date_joined": doctor.date_joined.isoformat().replace("+00:00", "Z"),
        "updated_at": doctor.updated_at.isoformat().replace("+00:00", "Z"),
    }
    assert response["ETag"].startswith('"')


@pytest.mark.django_db
def test_me_of_an_organisation_member_names_the_organisation_without_more_queries(
    make_user, organisation, client_for, django_assert_num_queries
):
    counsellor = make_user(Role.COUNSELLOR, organisation=organisation)
    client = client_for(counsellor)

    with django_assert_num_queries(1):
        body = client.get("/v1/me").json()

    assert body["organisation"] == {"id": str(organisation.id), "name": organisation.name, "slug": "test"}


@pytest.mark.django_db
def test_patch_me_changes_alias_and_language_and_the_etag(doctor_api, doctor):
    before = doctor_api.get("/v1/me")["ETag"]

    response = doctor_api.patch("/v1/me", {"alias": "K.", "language": "en"}, HTTP_IF_MATCH=before)

    assert response.status_code == 200
    assert (response.json()["alias"], response.json()["language"]) == ("K.", "en")
    assert response["ETag"] != before
    doctor.refresh_from_db()
    assert (doctor.alias, doctor.language) == ("K.", "en")


@pytest.mark.django_db
def test_patch_me_with_a_stale_etag_changes_nothing(doctor_api, doctor):
    stale = doctor_api.get("/v1/me")["ETag"]
    doctor_api.patch("/v1/me", {"alias": "First"})

    assert_problem(
        doctor_api.patch("/v1/me", {"alias": "Second"}, HTTP_IF_MATCH=stale), 412, "precondition_failed"
    )
    doctor.refresh_from_db()
    assert doctor.alias == "First"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [({"alias": ""}, "alias"), ({"alias": "x" * 41}, "alias"), ({"language": "sv"}, "language")],
)
def test_patch_me_rejects_bad_input(doctor_api, body, field):
    problem = assert_problem(doctor_api.patch("/v1/me", body), 400, "validation_error")

    assert [e["field"] for e in problem["errors"]] == [field]


@pytest.mark.django_db
def test_patch_me_cannot_change_role_email_or_organisation(doctor_api, doctor, organisation):
    doctor_api.patch(
        "/v1/me", {"role": "staff", "email": "x@example.org", "organisation": str(organisation.id)}
    )

    doctor.refresh_from_db()
    assert (doctor.role, doctor.organisation_id) == (Role.DOCTOR, None)
    assert doctor.email != "x@example.org"


@pytest.mark.django_db
def test_me_needs_a_token(api):
    assert_problem(api.get("/v1/me"), 401, "not_authenticated")
    assert_problem(api.patch("/v1/me", {"alias": "A"}), 401, "not_authenticated")
