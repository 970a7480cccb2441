"""Coordinators invite counsellors; invitees accept with the token they were given."""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.models import Role, User
from api.core.errors import ErrorCode, Problem, field_problem
from api.core.throttling import AnonRateThrottle, AuthRateThrottle
from api.counsellors import serializers as s
from api.counsellors.invitations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitations_managed_by,
)
from api.organisations.models import Organisation

INVITATION_EXAMPLE = {
    "id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
    "email": "new.counsellor@example.org",
    "display_name": "Kari, psychiatrist in Tromsø",
    "organisation_id": "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d",
    "status": "pending",
    "created_at": "2026-11-22T10:00:00Z",
    "expires_at": "2026-12-06T10:00:00Z",
}


def _manager(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in (Role.COORDINATOR, Role.STAFF):
        raise Problem(ErrorCode.PERMISSION_DENIED, "Only coordinators invite counsellors.")
    return user


def _organisation_for(user: User, requested: uuid.UUID | None) -> Organisation:
    if user.role == Role.COORDINATOR:
        assert user.organisation is not None  # a database constraint guarantees it  # noqa: S101
        return user.organisation
    if requested is None:
        raise field_problem("organisation_id", "required", "Staff name the organisation.")
    return get_object_or_404(Organisation, pk=requested)


class InvitationListView(generics.ListAPIView[Any]):
    serializer_class = s.InvitationOutputSerializer
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    def get_queryset(self) -> Any:
        return invitations_managed_by(_manager(self.request))

    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellor_invitations_list",
        summary="Invitations of your organisation",
        examples=[OpenApiExample("Invitation", value=INVITATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellor_invitations_create",
        summary="Invite a counsellor",
        description=(
            "Coordinators invite to their own organisation. The `token` is in this response only: pass "
            "it to the invitee, who accepts within 14 days with POST /v1/counsellor-invitations/accept."
        ),
        request=s.InvitationCreateInputSerializer,
        responses={201: s.InvitationCreatedOutputSerializer},
        examples=[
            OpenApiExample(
                "Invite",
                value={"email": "new.counsellor@example.org", "display_name": "Kari, psychiatrist in Tromsø"},
                request_only=True,
            ),
            OpenApiExample(
                "Invited",
                value={**INVITATION_EXAMPLE, "token": "inv_3q2-7wQ9xYzAbCdEfGhIjKlMnOpQrStUvWxYz012345"},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        user = _manager(request)
        data = s.InvitationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issued = invitation_create(
            organisation=_organisation_for(user, data.validated_data.get("organisation_id")),
            email=data.validated_data["email"],
            display_name=data.validated_data["display_name"],
            invited_by=user,
        )
        body = {**s.InvitationOutputSerializer(issued.invitation).data, "token": issued.token}
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationDetailView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED, ErrorCode.INVITATION_INVALID)

    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellor_invitations_delete",
        summary="Withdraw an invitation",
        responses={204: OpenApiResponse(description="Withdrawn; its token no longer works.")},
    )
    def delete(self, request: Request, invitation_id: uuid.UUID) -> Response:
        invitation = get_object_or_404(invitations_managed_by(_manager(request)), pk=invitation_id)
        invitation_revoke(invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle, AnonRateThrottle]
    problem_codes = (ErrorCode.INVITATION_INVALID, ErrorCode.ACCOUNT_EXISTS)

    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellor_invitations_accept",
        summary="Accept an invitation",
        description=(
            "Creates the counsellor account with the invited e-mail; sign in next with POST /v1/auth/token."
        ),
        request=s.InvitationAcceptInputSerializer,
        responses={201: s.InvitationAcceptedOutputSerializer},
        examples=[
            OpenApiExample(
                "Accept",
                value={"token": "inv_3q2-7wQ9xYz...", "password": "a long passphrase", "alias": "Kari"},
                request_only=True,
            ),
            OpenApiExample(
                "Accepted",
                value={
                    "counsellor_id": "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
                    "detail": "Sign in with POST /v1/auth/token.",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = s.InvitationAcceptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = invitation_accept(**data.validated_data)
        body = {"counsellor_id": profile.pk, "detail": "Sign in with POST /v1/auth/token."}
        return Response(s.InvitationAcceptedOutputSerializer(body).data, status=status.HTTP_201_CREATED)
