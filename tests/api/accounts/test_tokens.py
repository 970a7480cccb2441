from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts.models import AuthSession
from tests.conftest import PASSWORD
from tests.helpers import assert_problem


def sign_in(api: APIClient, email: str, password: str = PASSWORD):
    return api.post("/v1/auth/token", {"email": email, "password": password})


def refresh(api: APIClient, token: str):
    return APIClient().post("/v1/auth/token/refresh", {"refresh": token})


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.mark.django_db
def test_sign_in_returns_tokens_that_open_me(api, doctor):
    response = sign_in(api, doctor.email)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    session = AuthSession.objects.get(id=body["session_id"])
    assert session.user == doctor
    access_life = datetime.fromisoformat(body["access_expires_at"]) - session.created_at
    assert timedelta(minutes=4) < access_life <= timedelta(minutes=5)
    me = bearer(body["access"]).get("/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == doctor.email


@pytest.mark.django_db
def test_wrong_password_and_unknown_email_answer_alike(api, doctor):
    wrong = sign_in(api, doctor.email, "not the password at all")
    unknown = sign_in(api, "nobody@example.org", "not the password at all")

    for response in (wrong, unknown):
        assert_problem(response, 401, "invalid_credentials")
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_inactive_user_cannot_sign_in_and_loses_open_sessions(api, doctor, tokens_for):
    pair = tokens_for(doctor)
    doctor.is_active = False
    doctor.save()

    assert_problem(sign_in(api, doctor.email), 401, "invalid_credentials")
    assert_problem(bearer(pair.access).get("/v1/me"), 401, "session_ended")


@pytest.mark.django_db
def test_refresh_rotates_and_the_new_pair_works(api, doctor, tokens_for):
    first = tokens_for(doctor)

    response = refresh(api, first.refresh)

    assert response.status_code == 200
    second = response.json()
    assert second["refresh"] != first.refresh
    assert second["session_id"] == str(first.session_id)
    assert bearer(second["access"]).get("/v1/me").status_code == 200
    assert refresh(api, second["refresh"]).status_code == 200


@pytest.mark.django_db
def test_repeating_a_rotated_token_within_the_grace_period_is_refused_but_the_session_lives(
    api, doctor, tokens_for
):
    first = tokens_for(doctor)
    second = refresh(api, first.refresh).json()

    assert_problem(refresh(api, first.refresh), 409, "token_already_rotated")
    assert refresh(api, second["refresh"]).status_code == 200


@pytest.mark.django_db
def test_replaying_a_rotated_token_ends_the_whole_session(api, doctor, tokens_for, settings):
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    first = tokens_for(doctor)
    second = refresh(api, first.refresh).json()
    AuthSession.objects.filter(id=first.session_id).update(rotated_at=timezone.now() - timedelta(seconds=1))

    assert_problem(refresh(api, first.refresh), 401, "token_reused")

    session = AuthSession.objects.get(id=first.session_id)
    assert session.end_reason == AuthSession.EndReason.TOKEN_REUSED
    assert_problem(refresh(api, second["refresh"]), 401, "session_ended")
    assert_problem(bearer(second["access"]).get("/v1/me"), 401, "session_ended")


@pytest.mark.django_db
def test_an_older_token_than_the_last_rotated_one_is_a_replay_at_once(api, doctor, tokens_for):
    first = tokens_for(doctor)
    second = refresh(api, first.refresh).json()
    refresh(api, second["refresh"])

    assert_problem(refresh(api, first.refresh), 401, "token_reused")


@pytest.mark.django_db
def test_the_session_ends_at_its_absolute_cap_whatever_its_refreshes(api, doctor, tokens_for):
    pair = tokens_for(doctor)
    AuthSession.objects.filter(id=pair.session_id).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_problem(refresh(api, pair.refresh), 401, "session_ended")
    assert_problem(bearer(pair.access).get("/v1/me"), 401, "session_ended")


@pytest.mark.django_db
def test_tokens_never_outlive_the_session_cap(api, doctor, tokens_for):
    pair = tokens_for(doctor)
    cap = timezone.now() + timedelta(minutes=2)
    AuthSession.objects.filter(id=pair.session_id).update(expires_at=cap)

    body = refresh(api, pair.refresh).json()

    assert datetime.fromisoformat(body["access_expires_at"]) <= cap
    assert datetime.fromisoformat(body["refresh_expires_at"]) <= cap


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    ["", "not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA"],
)
def test_malformed_refresh_tokens_are_rejected(api, token):
    response = refresh(api, token)

    if token == "":
        assert_problem(response, 400, "validation_error")
    else:
        assert_problem(response, 401, "token_invalid")


@pytest.mark.django_db
def test_an_access_token_is_not_a_refresh_token(api, doctor, tokens_for):
    pair = tokens_for(doctor)

    assert_problem(refresh(api, pair.access), 401, "token_invalid")
    assert_problem(bearer(pair.refresh).get("/v1/me"), 401, "token_invalid")


@pytest.mark.django_db
def test_logout_ends_this_session_only(doctor, tokens_for):
    this, other = tokens_for(doctor), tokens_for(doctor)

    response = bearer(this.access).post("/v1/auth/logout")

    assert response.status_code == 204
    assert_problem(bearer(this.access).get("/v1/me"), 401, "session_ended")
    assert_problem(refresh(APIClient(), this.refresh), 401, "session_ended")
    assert bearer(other.access).get("/v1/me").status_code == 200


@pytest.mark.django_db
def test_logout_everywhere_ends_every_session(doctor, tokens_for, make_user):
    sessions = [tokens_for(doctor) for _ in range(3)]
    someone_else = tokens_for(make_user())

    response = bearer(sessions[0].access).post("/v1/auth/logout", {"everywhere": True})

    assert response.status_code == 204
    for pair in sessions:
        assert_problem(bearer(pair.access).get("/v1/me"), 401, "session_ended")
    assert bearer(someone_else.access).get("/v1/me").status_code == 200


@pytest.mark.django_db
def test_logout_needs_a_token(api):
    assert_problem(api.post("/v1/auth/logout"), 401, "not_authenticated")


@pytest.mark.django_db
def test_password_change_ends_every_session_and_starts_a_new_one(doctor, tokens_for):
    old = [tokens_for(doctor) for _ in range(2)]
    new_password = "an entirely new passphrase"

    response = bearer(old[0].access).post(
        "/v1/me/password", {"current_password": PASSWORD, "new_password": new_password}
    )

    assert response.status_code == 200
    for pair in old:
        assert_problem(bearer(pair.access).get("/v1/me"), 401, "session_ended")
        assert_problem(refresh(APIClient(), pair.refresh), 401, "session_ended")
    assert bearer(response.json()["access"]).get("/v1/me").status_code == 200
    assert_problem(sign_in(APIClient(), doctor.email), 401, "invalid_credentials")
    assert sign_in(APIClient(), doctor.email, new_password).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (
            {"current_password": "wrong password here", "new_password": "an entirely new passphrase"},
            "current_password",
            "incorrect",
        ),
        ({"current_password": PASSWORD, "new_password": "short"}, "new_password", "password_too_short"),
        ({"current_password": PASSWORD}, "new_password", "required"),
    ],
)
def test_password_change_rejects_bad_input_and_keeps_the_sessions(doctor_api, body, field, code):
    response = doctor_api.post("/v1/me/password", body)

    problem = assert_problem(response, 400, "validation_error")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    assert doctor_api.get("/v1/me").status_code == 200
