from __future__ import annotations

from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import Token

from api.accounts.models import User
from api.accounts.sessions import session_for_access
from api.core.errors import ErrorCode, Problem


class SessionTokenAuthentication(JWTAuthentication):
    """Bearer access tokens, valid only while their session lives (one query: session and user)."""

    www_authenticate_realm = "kollega"

    def authenticate(self, request: Request) -> tuple[User, Token] | None:  # type: ignore[override]
        header = self.get_header(request)
        if header is None:
            return None
        raw = self.get_raw_token(header)
        if raw is None:
            return None
        token = self.get_validated_token(raw)
        session = session_for_access(token=token)
        if session is None:
            raise Problem(ErrorCode.SESSION_ENDED)
        return session.user, token


def request_user(request: Request) -> User:
    """The signed-in user of a request that passed IsAuthenticated, typed as ours."""
    user: User = request.user  # type: ignore[assignment]
    return user
