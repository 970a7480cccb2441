"""Writes on accounts: registration, sign-in, profile and password changes."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from api.accounts.lockout import login_failure_record, login_failures_clear, login_lockout_check
from api.accounts.models import AuthSession, Role, User, normalize_email
from api.accounts.sessions import TokenPair, session_start, sessions_end_all
from api.core.errors import ErrorCode, FieldError, Problem


def _password_problem(field: str, error: DjangoValidationError) -> Problem:
    return Problem(
        ErrorCode.VALIDATION_ERROR,
        errors=[
            FieldError(field=field, code=item.code or "invalid", message=" ".join(item.messages))
            for item in error.error_list
        ],
    )


def password_strength_check(password: str, *, user: User, field: str) -> None:
    """Raises a 400 naming `field` when Django's password validators refuse the password."""
    try:
        validate_password(password, user=user)
    except DjangoValidationError as error:
        raise _password_problem(field, error) from None


def user_register(*, email: str, password: str, alias: str, language: str) -> User | None:
    """Registers a doctor; returns None when the e-mail already has an account.

    The caller answers both cases alike: whether an address has an account on a peer-support
    service is itself confidential. The password is hashed either way, so timing tells nothing.
    """
    email = normalize_email(email)
    candidate = User(email=email, alias=alias, language=language, role=Role.DOCTOR)
    password_strength_check(password, user=candidate, field="password")
    candidate.set_password(password)
    if User.objects.filter(email=email).exists():
        return None
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        return None  # registered concurrently under the same e-mail
    return candidate


def user_login(*, email: str, password: str) -> TokenPair:
    """Checks credentials and starts a session; five failures lock the account for 15 minutes."""
    email = normalize_email(email)
    login_lockout_check(email=email)
    user = User.objects.filter(email=email).first()
    if user is None:
        User().set_password(password)  # the same work as a real check, so timing tells nothing
        valid = False
    else:
        valid = user.check_password(password) and user.is_active
    if user is None or not valid:
        login_failure_record(email=email)
        raise Problem(ErrorCode.INVALID_CREDENTIALS)
    login_failures_clear(email=email)
    return session_start(user=user)


def user_update(*, user: User, alias: str | None = None, language: str | None = None) -> User:
    fields = []
    if alias is not None:
        user.alias = alias
        fields.append("alias")
    if language is not None:
        user.language = language
        fields.append("language")
    if fields:
        user.save(update_fields=[*fields, "updated_at"])
    return user


def user_password_change(*, user: User, current_password: str, new_password: str) -> TokenPair:
    """Changes the password, ends every session of the user, and starts a new one for the caller.

    Wrong current passwords count toward the sign-in lockout: a stolen access token must not
    become a way to guess the password.
    """
    login_lockout_check(email=user.email)
    if not user.check_password(current_password):
        login_failure_record(email=user.email)
        raise Problem(
            ErrorCode.VALIDATION_ERROR,
            errors=[FieldError(field="current_password", code="incorrect", message="The password is wrong.")],
        )
    password_strength_check(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])
        sessions_end_all(user=user, reason=AuthSession.EndReason.PASSWORD_CHANGED)
        return session_start(user=user)
