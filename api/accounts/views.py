"""Thin views: parse the input, call one service or selector, shape the output."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts import serializers as s
from api.accounts.models import User
from api.accounts.selectors import user_sessions
from api.accounts.services import user_login, user_password_change, user_register, user_update
from api.accounts.sessions import TokenPair, session_end, session_refresh, sessions_end_all
from api.core.errors import ErrorCode
from api.core.etag import etag_for, if_match_check
from api.core.throttling import AnonRateThrottle, AuthRateThrottle

TOKEN_PAIR_EXAMPLE = OpenApiExample(
    "Tokens",
    value={
        "access": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl",
        "refresh": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl",
        "token_type": "Bearer",
        "access_expires_at": "2026-11-22T10:05:00Z",
        "refresh_expires_at": "2026-11-22T22:00:00Z",
        "session_id": "0b6a2c1e-7d3f-4e59-9a1b-5c8d2e4f6a70",
    },
    response_only=True,
)
ME_EXAMPLE = OpenApiExample(
    "A doctor",
    value={
        "id": "6f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f",
        "email": "doctor@example.org",
        "alias": "Kari",
        "role": "doctor",
        "language": "nb",
        "organisation": None,
        "date_joined": "2026-11-01T09:30:00Z",
        "updated_at": "2026-11-01T09:30:00Z",
    },
    response_only=True,
)


def _tokens(pair: TokenPair, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(s.TokenPairOutputSerializer(pair).data, status=code)


class _Anonymous(APIView):
    """Sign-in endpoints: no credentials needed, throttled per client address."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle, AnonRateThrottle]


class RegisterView(_Anonymous):
    @extend_schema(
        tags=["auth"],
        operation_id="auth_register",
        summary="Register as a doctor",
        description=(
            "Creates a doctor account from an e-mail, a password and an alias. The answer is the same "
            "whether or not the e-mail already had an account, since having one is confidential: "
            "sign in next with `POST /v1/auth/token`."
        ),
        request=s.RegisterInputSerializer,
        responses={202: s.RegisterOutputSerializer},
        examples=[
            OpenApiExample(
                "Register",
                value={"email": "doctor@example.org", "password": "a long passphrase", "alias": "Kari"},
                request_only=True,
            ),
            OpenApiExample(
                "Accepted",
                value={"status": "accepted", "detail": "Sign in with POST /v1/auth/token."},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = s.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_register(**data.validated_data)
        body = {"status": "accepted", "detail": "Sign in with POST /v1/auth/token."}
        return Response(s.RegisterOutputSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class TokenCreateView(_Anonymous):
    problem_codes = (ErrorCode.INVALID_CREDENTIALS, ErrorCode.LOGIN_LOCKED)

    @extend_schema(
        tags=["auth"],
        operation_id="auth_token_create",
        summary="Sign in",
        description=(
            "Starts a session and returns an access token (5 minutes) and a single-use refresh token. "
            "Five failed attempts lock the account's sign-in for 15 minutes (429 `login_locked`)."
        ),
        request=s.TokenCreateInputSerializer,
        responses={200: s.TokenPairOutputSerializer},
        examples=[
            OpenApiExample(
                "Sign in",
                value={"email": "doctor@example.org", "password": "a long passphrase"},
                request_only=True,
            ),
            TOKEN_PAIR_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        data = s.TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _tokens(user_login(**data.validated_data))


class TokenRefreshView(_Anonymous):
    problem_codes = (
        ErrorCode.TOKEN_INVALID,
        ErrorCode.SESSION_ENDED,
        ErrorCode.TOKEN_REUSED,
        ErrorCode.TOKEN_ALREADY_ROTATED,
    )

    @extend_schema(
        tags=["auth"],
        operation_id="auth_token_refresh",
        summary="Rotate the refresh token",
        description=(
            "Returns new tokens for a refresh token, which is then spent. Of concurrent uses of one "
            "token exactly one succeeds; the others, within 10 seconds, get 409 "
            "`token_already_rotated`. Any later use of a spent token ends the whole session "
            "(401 `token_reused`). Retry a lost response with the same `Idempotency-Key`."
        ),
        request=s.TokenRefreshInputSerializer,
        responses={200: s.TokenPairOutputSerializer},
        examples=[
            OpenApiExample("Refresh", value={"refresh": "eyJhbGciOiJIUzI1NiJ9..."}, request_only=True),
            TOKEN_PAIR_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        data = s.TokenRefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _tokens(session_refresh(refresh_token=data.validated_data["refresh"]))


class LogoutView(APIView):
    @extend_schema(
        tags=["auth"],
        operation_id="auth_logout",
        summary="Sign out",
        description="Ends this session, or with `everywhere` every session of the account, at once.",
        request=s.LogoutInputSerializer,
        responses={204: OpenApiResponse(description="Signed out.")},
        examples=[OpenApiExample("Everywhere", value={"everywhere": True}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        data = s.LogoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: User = request.user  # type: ignore[assignment]
        if data.validated_data["everywhere"]:
            sessions_end_all(user=user)
        else:
            session_end(session=get_object_or_404(user.auth_sessions, id=request.auth["sid"]))  # type: ignore[index]
        return Response(status=status.HTTP_204_NO_CONTENT)


def _me_response(user: User, *, code: int = status.HTTP_200_OK) -> Response:
    response = Response(s.MeOutputSerializer(user).data, status=code)
    response["ETag"] = etag_for(user.id, user.updated_at.isoformat())
    return response


class MeView(APIView):
    problem_codes = (ErrorCode.PRECONDITION_FAILED,)

    @extend_schema(
        tags=["me"],
        operation_id="me_retrieve",
        summary="Your account",
        responses={200: s.MeOutputSerializer},
        examples=[ME_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        return _me_response(request.user)  # type: ignore[arg-type]

    @extend_schema(
        tags=["me"],
        operation_id="me_update",
        summary="Change your alias or language",
        description="Send `If-Match` with the ETag you read to avoid overwriting a change (412 if stale).",
        request=s.MeUpdateInputSerializer,
        responses={200: s.MeOutputSerializer},
        examples=[OpenApiExample("New alias", value={"alias": "K."}, request_only=True), ME_EXAMPLE],
    )
    def patch(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        if_match_check(request, current=etag_for(user.id, user.updated_at.isoformat()))
        data = s.MeUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _me_response(user_update(user=user, **data.validated_data))


class PasswordChangeView(APIView):
    problem_codes = (ErrorCode.LOGIN_LOCKED,)

    @extend_schema(
        tags=["me"],
        operation_id="me_password_change",
        summary="Change your password",
        description="Ends every session of the account, then starts a new one and returns its tokens.",
        request=s.PasswordChangeInputSerializer,
        responses={200: s.TokenPairOutputSerializer},
        examples=[
            OpenApiExample(
                "Change",
                value={"current_password": "a long passphrase", "new_password": "another long passphrase"},
                request_only=True,
            ),
            TOKEN_PAIR_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _tokens(user_password_change(user=request.user, **data.validated_data))  # type: ignore[arg-type]


SESSION_EXAMPLE = OpenApiExample(
    "A session",
    value={
        "id": "0b6a2c1e-7d3f-4e59-9a1b-5c8d2e4f6a70",
        "created_at": "2026-11-22T10:00:00Z",
        "expires_at": "2026-11-22T22:00:00Z",
        "rotated_at": "2026-11-22T10:05:00Z",
        "current": True,
    },
    response_only=True,
)


class SessionListView(generics.ListAPIView[Any]):
    serializer_class = s.SessionOutputSerializer

    def get_queryset(self) -> Any:
        return user_sessions(user=self.request.user)  # type: ignore[arg-type]

    def get_serializer_context(self) -> dict[str, Any]:
        token: Any = self.request.auth
        return {**super().get_serializer_context(), "current_session_id": token["sid"] if token else None}

    @extend_schema(
        tags=["me"],
        operation_id="me_sessions_list",
        summary="Your signed-in sessions",
        examples=[SESSION_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SessionDetailView(APIView):
    @extend_schema(
        tags=["me"],
        operation_id="me_sessions_end",
        summary="End one of your sessions",
        responses={204: OpenApiResponse(description="The session has ended.")},
    )
    def delete(self, request: Request, session_id: str) -> Response:
        session = get_object_or_404(user_sessions(user=request.user), id=session_id)  # type: ignore[arg-type]
        session_end(session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)
