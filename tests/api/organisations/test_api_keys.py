"""An organisation's settings and API keys: coordinators of it and staff only; keys shown once."""

from __future__ import annotations

import pytest

from api.accounts.models import Role
from api.organisations.keys import key_hash
from api.organisations.models import ApiKey, Organisation
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_api(make_user, organisation, client_for):
    return client_for(make_user(Role.COORDINATOR, organisation=organisation))


def keys_url(organisation):
    return f"/v1/organisations/{organisation.pk}/api-keys"


PUBLISHABLE = {"kind": "publishable", "name": "Our site", "allowed_origins": ["https://www.Example.org"]}


def test_a_publishable_key_is_shown_once_and_stored_hashed(coordinator_api, organisation):
    response = coordinator_api.post(keys_url(organisation), PUBLISHABLE, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"].startswith("pk_")
    assert body["prefix"] == body["key"][:12]
    assert body["allowed_origins"] == ["https://www.example.org"]
    stored = ApiKey.objects.get()
    assert stored.key_hash == key_hash(body["key"])
    assert body["key"] not in str(ApiKey.objects.values().get())
    listed = coordinator_api.get(keys_url(organisation)).json()["results"]
    assert [k["id"] for k in listed] == [body["id"]]
    assert "key" not in listed[0]


def test_a_secret_key_carries_scopes_and_no_origins(coordinator_api, organisation):
    body = {"kind": "secret", "name": "Research script", "scopes": ["metrics:read"]}

    response = coordinator_api.post(keys_url(organisation), body, format="json")

    assert response.json()["key"].startswith("sk_")
    assert response.json()["scopes"] == ["metrics:read"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "publishable", "name": "x"}, "allowed_origins"),
        (PUBLISHABLE | {"allowed_origins": ["https://example.org/page"]}, "allowed_origins.0"),
        (PUBLISHABLE | {"allowed_origins": ["ftp://example.org"]}, "allowed_origins.0"),
        (PUBLISHABLE | {"allowed_origins": ["https://user:pw@example.org"]}, "allowed_origins.0"),
        (PUBLISHABLE | {"scopes": ["metrics:read"]}, "scopes"),
        ({"kind": "secret", "name": "x"}, "scopes"),
        ({"kind": "secret", "name": "x", "scopes": ["everything"]}, "scopes.0"),
        (
            {"kind": "secret", "name": "x", "scopes": ["metrics:read"], "allowed_origins": ["https://a.org"]},
            "allowed_origins",
        ),
        ({"kind": "master", "name": "x"}, "kind"),
        (PUBLISHABLE | {"name": ""}, "name"),
    ],
)
def test_bad_keys_are_400_naming_the_field(coordinator_api, organisation, body, field):
    problem = assert_problem(
        coordinator_api.post(keys_url(organisation), body, format="json"), 400, "validation_error"
    )

    assert field in [error["field"] for error in problem["errors"]]
    assert not ApiKey.objects.exists()


def test_revoking_a_key(coordinator_api, organisation):
    key_id = coordinator_api.post(keys_url(organisation), PUBLISHABLE, format="json").json()["id"]

    assert coordinator_api.delete(f"{keys_url(organisation)}/{key_id}").status_code == 204
    assert coordinator_api.delete(f"{keys_url(organisation)}/{key_id}").status_code == 204

    assert ApiKey.objects.get().revoked_at is not None


def test_only_the_organisations_coordinators_and_staff_manage_it(
    organisation, coordinator_api, make_user, make_counsellor, client_for
):
    key_id = coordinator_api.post(keys_url(organisation), PUBLISHABLE, format="json").json()["id"]
    other = Organisation.objects.create(name="Other", slug="other", country="SE")
    strangers = [
        client_for(make_user(Role.DOCTOR)),
        client_for(make_counsellor().user),
        client_for(make_user(Role.COORDINATOR, organisation=other)),
    ]
    for client in strangers:
        assert_problem(client.get(f"/v1/organisations/{organisation.pk}"), 404, "not_found")
        assert_problem(
            client.patch(f"/v1/organisations/{organisation.pk}", {}, format="json"), 404, "not_found"
        )
        assert_problem(client.get(keys_url(organisation)), 404, "not_found")
        assert_problem(client.post(keys_url(organisation), PUBLISHABLE, format="json"), 404, "not_found")
        assert_problem(client.delete(f"{keys_url(organisation)}/{key_id}"), 404, "not_found")
    staff = client_for(make_user(Role.STAFF))
    assert staff.get(keys_url(organisation)).status_code == 200
    assert ApiKey.objects.get().revoked_at is None


def test_a_coordinator_changes_the_widget_setting(coordinator_api, organisation):
    response = coordinator_api.patch(
        f"/v1/organisations/{organisation.pk}", {"widget_shows_counsellor_names": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["widget_shows_counsellor_names"] is True
    organisation.refresh_from_db()
    assert organisation.widget_shows_counsellor_names is True
    assert organisation.booking_cap == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"booking_cap": 0}, "booking_cap"),
        ({"widget_shows_counsellor_names": "yes"}, "widget_shows_counsellor_names"),
    ],
)
def test_bad_settings_are_400(coordinator_api, organisation, body, field):
    problem = assert_problem(
        coordinator_api.patch(f"/v1/organisations/{organisation.pk}", body, format="json"),
        400,
        "validation_error",
    )
    assert problem["errors"][0]["field"] == field


def test_reads_cost_two_queries(coordinator_api, organisation, django_assert_num_queries):
    for _ in range(3):
        coordinator_api.post(keys_url(organisation), PUBLISHABLE, format="json")

    # The session and user; the organisation.
    with django_assert_num_queries(2):
        coordinator_api.get(f"/v1/organisations/{organisation.pk}")
    # The session and user; the organisation; the page of keys.
    with django_assert_num_queries(3):
        assert len(coordinator_api.get(keys_url(organisation)).json()["results"]) == 3
