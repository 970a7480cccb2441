"""Sessions and their tokens: sign-in, rotation, ending.

A session is one sign-in (`AuthSession`). Access tokens live 5 minutes; refresh tokens rotate on
every use; a session ends at SESSION_MAX_AGE whatever its refreshes. Access tokens name their
session (`sid`), so ending a session ends its access tokens at once, not 5 minutes later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, Token

from api.accounts.models import AuthSession, User
from api.accounts.session_row import session_with_user
from api.core.errors import ErrorCode, Problem


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    session_id: uuid.UUID


def _new_jti() -> str:
    return uuid.uuid4().hex


def _lifetime(maximum: timedelta, session: AuthSession, now: datetime) -> timedelta:
    return min(maximum, session.expires_at - now)


def _issue(session: AuthSession, *, now: datetime) -> TokenPair:
    refresh = RefreshToken()
    refresh[jwt_settings.USER_ID_CLAIM] = str(session.user_id)
    refresh["sid"] = str(session.id)
    refresh[jwt_settings.JTI_CLAIM] = session.refresh_jti
    refresh.set_exp(from_time=now, lifetime=_lifetime(settings.SESSION_MAX_AGE, session, now))
    access = AccessToken()
    access[jwt_settings.USER_ID_CLAIM] = str(session.user_id)
    access["sid"] = str(session.id)
    access.set_exp(from_time=now, lifetime=_lifetime(jwt_settings.ACCESS_TOKEN_LIFETIME, session, now))
    return TokenPair(
        access=str(access),
        refresh=str(refresh),
        access_expires_at=datetime.fromtimestamp(access["exp"], tz=UTC),
        refresh_expires_at=datetime.fromtimestamp(refresh["exp"], tz=UTC),
        session_id=session.id,
    )


def session_start(*, user: User) -> TokenPair:
    """Starts a session for a user whose credentials were checked, and issues its first tokens."""
    now = timezone.now()
    session = AuthSession.objects.create(
        user=user, created_at=now, expires_at=now + settings.SESSION_MAX_AGE, refresh_jti=_new_jti()
    )
    return _issue(session, now=now)


def _decode_refresh(raw: str) -> Token:
    try:
        return RefreshToken(raw)  # type: ignore[arg-type]
    except TokenError:
        raise Problem(ErrorCode.TOKEN_INVALID) from None


def session_refresh(*, refresh_token: str) -> TokenPair:
    """Rotates a refresh token: exactly one of any number of concurrent uses wins.

    The rotation is one conditional UPDATE on the session row (the token's id must still be the
    current one). A loser that presents the token just rotated, within the grace period, is told
    so and the session lives; any other use of an old token is a replay, and ends the session.
    """
    token = _decode_refresh(refresh_token)
    session_id, jti = token.get("sid"), token.get(jwt_settings.JTI_CLAIM)
    if not session_id or not jti:
        raise Problem(ErrorCode.TOKEN_INVALID)
    now = timezone.now()
    new_jti = _new_jti()
    rotated = AuthSession.objects.filter(
        id=session_id, refresh_jti=jti, ended_at__isnull=True, expires_at__gt=now
    ).update(refresh_jti=new_jti, previous_jti=jti, rotated_at=now)
    session = AuthSession.objects.filter(id=session_id).first()
    if session is None or session.ended_at is not None or session.expires_at <= now:
        raise Problem(ErrorCode.SESSION_ENDED)
    if rotated == 1:
        return _issue(session, now=now)
    # Measured from now, after the winner's write is visible: a grace of 0 means none at all.
    grace = timedelta(seconds=settings.REFRESH_REUSE_GRACE_SECONDS)
    rotated_at = session.rotated_at
    if jti == session.previous_jti and rotated_at and timezone.now() - rotated_at < grace:
        raise Problem(ErrorCode.TOKEN_ALREADY_ROTATED)
    session_end(session=session, reason=AuthSession.EndReason.TOKEN_REUSED)
    raise Problem(ErrorCode.TOKEN_REUSED)


def session_for_access(*, token: Token) -> AuthSession | None:
    """The live session an access token belongs to, with its user (one query), or None."""
    session_id = token.get("sid")
    if not session_id:
        return None
    try:
        session_uuid = uuid.UUID(str(session_id))
    except ValueError:
        return None
    # This runs on every authenticated request: read the row by primary key with a statement made
    # once (session_row), and judge here whether the session is live.
    session = session_with_user(session_uuid)
    if session is None:
        return None
    live = session.ended_at is None and session.expires_at > timezone.now() and session.user.is_active
    return session if live else None


def session_end(*, session: AuthSession, reason: str = AuthSession.EndReason.LOGOUT) -> None:
    AuthSession.objects.filter(id=session.id, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )


def sessions_end_all(*, user: User, reason: str = AuthSession.EndReason.LOGOUT_EVERYWHERE) -> int:
    """Ends every live session of a user (logout everywhere, password change); returns how many."""
    return AuthSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )


def sessions_live(*, user: User) -> QuerySet[AuthSession]:
    return AuthSession.objects.filter(user=user, ended_at__isnull=True, expires_at__gt=timezone.now())


def sessions_purge() -> int:
    """Deletes sessions that ended or expired more than a day ago; returns how many."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = AuthSession.objects.filter(expires_at__lt=cutoff).delete()
    ended, _ = AuthSession.objects.filter(ended_at__lt=cutoff).delete()
    return deleted + ended
