from __future__ import annotations

import pytest
from django.test import Client

from api.accounts.models import Role
from api.organisations.models import Organisation


@pytest.fixture
def other_organisation(db):
    return Organisation.objects.create(name="Other Association", slug="other", country="SE")


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_see_every_organisation_and_user(make_user, organisation, other_organisation):
    staff = make_user(Role.STAFF, is_superuser=True)
    make_user(Role.DOCTOR, alias="Doctor Visible To Staff")
    client = admin_client(staff)

    organisations = client.get("/admin/organisations/organisation/").content.decode()
    users = client.get("/admin/accounts/user/").content.decode()

    assert "Test Association" in organisations
    assert "Other Association" in organisations
    assert "Doctor Visible To Staff" in users


@pytest.mark.django_db
def test_a_coordinator_sees_only_their_organisation_and_never_a_doctor(
    make_user, organisation, other_organisation
):
    coordinator = make_user(Role.COORDINATOR, organisation=organisation)
    make_user(Role.COUNSELLOR, organisation=organisation, alias="Own Counsellor")
    make_user(Role.COUNSELLOR, organisation=other_organisation, alias="Foreign Counsellor")
    make_user(Role.DOCTOR, alias="Some Doctor")
    client = admin_client(coordinator)

    organisations = client.get("/admin/organisations/organisation/").content.decode()
    users = client.get("/admin/accounts/user/").content.decode()

    assert "Test Association" in organisations
    assert "Other Association" not in organisations
    assert "Own Counsellor" in users
    assert "Foreign Counsellor" not in users
    assert "Some Doctor" not in users


@pytest.mark.django_db
def test_a_coordinator_cannot_open_another_organisation(make_user, organisation, other_organisation):
    client = admin_client(make_user(Role.COORDINATOR, organisation=organisation))

    response = client.get(f"/admin/organisations/organisation/{other_organisation.id}/change/")

    assert response.status_code in (302, 404)
    assert "Other Association" not in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_can_edit_their_organisation_settings(make_user, organisation):
    client = admin_client(make_user(Role.COORDINATOR, organisation=organisation))

    page = client.get(f"/admin/organisations/organisation/{organisation.id}/change/")

    assert page.status_code == 200
    assert "suppression_threshold" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DOCTOR, Role.COUNSELLOR])
def test_doctors_and_counsellors_cannot_use_the_admin(make_user, organisation, role):
    user = make_user(role, organisation=organisation if role == Role.COUNSELLOR else None)

    response = admin_client(user).get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
