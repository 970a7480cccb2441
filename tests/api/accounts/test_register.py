from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher

from api.accounts.models import Role, User
from tests.conftest import PASSWORD
from tests.helpers import assert_problem

URL = "/v1/auth/register"


@pytest.mark.django_db
def test_register_creates_a_doctor_who_can_sign_in(api):
    response = api.post(URL, {"email": "Kari@Example.org", "password": PASSWORD, "alias": "Kari"})

    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "detail": "Sign in with POST /v1/auth/token."}
    user = User.objects.get()
    assert (user.email, user.alias, user.role, user.language) == (
        "kari@example.org",
        "Kari",
        Role.DOCTOR,
        "nb",
    )
    signed_in = api.post("/v1/auth/token", {"email": "KARI@example.org", "password": PASSWORD})
    assert signed_in.status_code == 200


@pytest.mark.django_db
def test_register_answers_alike_for_a_taken_email_and_keeps_the_first_account(api, doctor):
    response = api.post(URL, {"email": doctor.email, "password": "another long passphrase", "alias": "X"})

    assert response.status_code == 202
    assert response.json()["status"] == "accepted"
    assert User.objects.count() == 1
    doctor.refresh_from_db()
    assert doctor.check_password(PASSWORD)


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_by_default(api, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    api.post(URL, {"email": "a@example.org", "password": PASSWORD, "alias": "A"})

    assert identify_hasher(User.objects.get().password).algorithm == "argon2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"password": PASSWORD, "alias": "A"}, "email", "required"),
        ({"email": "not-an-email", "password": PASSWORD, "alias": "A"}, "email", "invalid"),
        ({"email": "a@example.org", "password": "short", "alias": "A"}, "password", "password_too_short"),
        (
            {"email": "a@example.org", "password": "password1234", "alias": "A"},
            "password",
            "password_too_common",
        ),
        ({"email": "a@example.org", "password": PASSWORD, "alias": ""}, "alias", "blank"),
        ({"email": "a@example.org", "password": PASSWORD, "alias": "x" * 41}, "alias", "max_length"),
        ({"email": "a@example.org", "password": PASSWORD, "alias": "bell\x07"}, "alias", "invalid"),
        (
            {"email": "a@example.org", "password": PASSWORD, "alias": "A", "language": "de"},
            "language",
            "invalid_choice",
        ),
    ],
)
def test_register_rejects_bad_input_field_by_field(api, body, field, code):
    response = api.post(URL, body)

    problem = assert_problem(response, 400, "validation_error")
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in problem["errors"]
    ]
    assert User.objects.count() == 0
