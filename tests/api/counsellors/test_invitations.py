from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts.models import Role, User
from api.counsellors.models import CounsellorProfile, Invitation
from api.organisations.models import Organisation
from tests.conftest import PASSWORD
from tests.helpers import assert_problem

URL = "/v1/counsellor-invitations"


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.COORDINATOR, organisation=organisation)


@pytest.fixture
def coordinator_api(coordinator, client_for):
    return client_for(coordinator)


def invite(client, email="new@example.org", **extra):
    return client.post(URL, {"email": email, "display_name": "Kari, GP", **extra}, format="json")


def accept(token, password=PASSWORD, alias="Kari"):
    return APIClient().post(
        f"{URL}/accept", {"token": token, "password": password, "alias": alias}, format="json"
    )


@pytest.mark.django_db
def test_a_coordinator_invites_and_the_invitee_becomes_a_counsellor_who_can_sign_in(
    coordinator_api, organisation
):
    created = invite(coordinator_api, email="New@Example.org")

    assert created.status_code == 201
    body = created.json()
    assert (body["email"], body["status"], body["organisation_id"]) == (
        "new@example.org",
        "pending",
        str(organisation.id),
    )
    token = body["token"]
    assert token not in Invitation.objects.get().token_hash

    accepted = accept(token)

    assert accepted.status_code == 201
    profile = CounsellorProfile.objects.get(pk=accepted.json()["counsellor_id"])
    assert (profile.display_name, profile.organisation, profile.user.role) == (
        "Kari, GP",
        organisation,
        Role.COUNSELLOR,
    )
    assert profile.user.email == "new@example.org"
    signed_in = APIClient().post(
        "/v1/auth/token", {"email": "new@example.org", "password": PASSWORD}, format="json"
    )
    assert signed_in.status_code == 200
    listed = coordinator_api.get(URL).json()["results"]
    assert [(row["status"], "token" in row) for row in listed] == [("accepted", False)]


@pytest.mark.django_db
def test_an_invitation_works_once(coordinator_api):
    token = invite(coordinator_api).json()["token"]
    accept(token)

    assert_problem(accept(token), 400, "invitation_invalid")
    assert CounsellorProfile.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_or_unknown_invitation_is_refused(coordinator_api):
    token = invite(coordinator_api).json()["token"]
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_problem(accept(token), 400, "invitation_invalid")
    assert_problem(accept("inv_not-a-real-token"), 400, "invitation_invalid")
    assert User.objects.filter(role=Role.COUNSELLOR).count() == 0


@pytest.mark.django_db
def test_an_invitation_to_an_email_with_an_account_is_409(coordinator_api, doctor):
    token = invite(coordinator_api, email=doctor.email).json()["token"]

    assert_problem(accept(token), 409, "account_exists")
    doctor.refresh_from_db()
    assert doctor.role == Role.DOCTOR


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_the_invitation_still_works(coordinator_api):
    token = invite(coordinator_api).json()["token"]

    problem = assert_problem(accept(token, password="short"), 400, "validation_error")

    assert problem["errors"][0]["field"] == "password"
    assert accept(token).status_code == 201


@pytest.mark.django_db
def test_a_withdrawn_invitation_no_longer_works(coordinator_api):
    created = invite(coordinator_api).json()

    assert coordinator_api.delete(f"{URL}/{created['id']}").status_code == 204
    assert_problem(accept(created["token"]), 400, "invitation_invalid")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COUNSELLOR])
def test_doctors_and_counsellors_cannot_invite(make_user, organisation, client_for, role):
    user = make_user(role, organisation=organisation if role == Role.COUNSELLOR else None)
    client = client_for(user)

    assert_problem(invite(client), 403, "permission_denied")
    assert_problem(client.get(URL), 403, "permission_denied")


@pytest.mark.django_db
def test_another_organisations_invitation_is_404_and_invisible(coordinator_api, make_user, client_for):
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere", country="SE")
    theirs = invite(client_for(make_user(Role.COORDINATOR, organisation=elsewhere))).json()

    assert_problem(coordinator_api.delete(f"{URL}/{theirs['id']}"), 404, "not_found")
    assert coordinator_api.get(URL).json()["results"] == []


@pytest.mark.django_db
def test_staff_name_the_organisation(make_user, client_for, organisation):
    staff = client_for(make_user(Role.STAFF))

    problem = assert_problem(invite(staff), 400, "validation_error")
    assert problem["errors"][0]["field"] == "organisation_id"
    assert invite(staff, organisation_id=str(organisation.id)).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{"email": "not-an-email", "display_name": "K"}, {"email": "a@example.org", "display_name": ""}, {}],
)
def test_bad_invitations_are_400(coordinator_api, body):
    assert_problem(coordinator_api.post(URL, body, format="json"), 400, "validation_error")


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_whatever_its_length(coordinator_api, django_assert_num_queries):
    for index in range(15):
        invite(coordinator_api, email=f"c{index}@example.org")

    # 1 authentication; 2 the page.
    with django_assert_num_queries(2):
        assert len(coordinator_api.get(URL).json()["results"]) == 15
