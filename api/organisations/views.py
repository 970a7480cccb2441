"""An organisation's settings and API keys, for its coordinators and the service's staff."""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.authentication import request_user
from api.organisations import serializers as s
from api.organisations.keys import api_key_create, api_key_revoke
from api.organisations.models import Organisation
from api.organisations.selectors import api_keys_of, organisation_managed_by
from api.organisations.services import organisation_update

ORGANISATION_EXAMPLE = {
    "id": "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d",
    "name": "Legeforeningens kollegastøtte",
    "slug": "kollegastotte",
    "country": "NO",
    "time_zone": "Europe/Oslo",
    "booking_cap": 3,
    "cancellation_cutoff_hours": 24,
    "message_retention_days": 90,
    "suppression_threshold": 5,
    "widget_shows_counsellor_names": False,
    "updated_at": "2026-11-25T09:00:00Z",
}
KEY_EXAMPLE = {
    "id": "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f",
    "kind": "publishable",
    "name": "Availability on legeforeningen.no",
    "prefix": "pk_Zx81vQm3T",
    "allowed_origins": ["https://www.legeforeningen.no"],
    "scopes": [],
    "created_at": "2026-11-25T09:00:00Z",
    "revoked_at": None,
    "last_used_at": "2026-11-25T09:12:00Z",
}


def _managed(request: Request, organisation_id: uuid.UUID) -> Organisation:
    return organisation_managed_by(user=request_user(request), organisation_id=organisation_id)


class OrganisationDetailView(APIView):
    @extend_schema(
        tags=["organisations"],
        operation_id="organisations_retrieve",
        summary="An organisation's settings",
        description="For its coordinators and the service's staff; anyone else gets 404.",
        responses={200: s.OrganisationOutputSerializer},
        examples=[OpenApiExample("Organisation", value=ORGANISATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organisation_id: uuid.UUID) -> Response:
        return Response(s.OrganisationOutputSerializer(_managed(request, organisation_id)).data)

    @extend_schema(
        tags=["organisations"],
        operation_id="organisations_update",
        summary="Change an organisation's settings",
        description="Only the fields sent change.",
        request=s.OrganisationUpdateInputSerializer,
        responses={200: s.OrganisationOutputSerializer},
        examples=[
            OpenApiExample("Show names", value={"widget_shows_counsellor_names": True}, request_only=True),
            OpenApiExample("Organisation", value=ORGANISATION_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, organisation_id: uuid.UUID) -> Response:
        organisation = _managed(request, organisation_id)
        data = s.OrganisationUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = organisation_update(organisation=organisation, **data.validated_data)
        return Response(s.OrganisationOutputSerializer(organisation).data)


class ApiKeyListView(generics.ListAPIView[Any]):
    serializer_class = s.ApiKeyOutputSerializer

    def get_queryset(self) -> Any:
        return api_keys_of(organisation=_managed(self.request, self.kwargs["organisation_id"]))

    @extend_schema(
        tags=["organisations"],
        operation_id="api_keys_list",
        summary="An organisation's API keys",
        description="Revoked keys too, newest first. The keys themselves are never shown again.",
        examples=[OpenApiExample("Key", value=KEY_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["organisations"],
        operation_id="api_keys_create",
        summary="Make an API key",
        description=(
            "A publishable key (`pk_...`) for web pages, with the origins that may use it; or a secret "
            "key (`sk_...`) for servers, with its scopes. The answer holds the key itself, this once: "
            "only its hash is stored."
        ),
        request=s.ApiKeyCreateInputSerializer,
        responses={201: s.ApiKeyCreatedOutputSerializer},
        examples=[
            OpenApiExample(
                "Publishable",
                value={
                    "kind": "publishable",
                    "name": "Availability on legeforeningen.no",
                    "allowed_origins": ["https://www.legeforeningen.no"],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Made",
                value=KEY_EXAMPLE | {"key": "pk_Zx81vQm3TqW0bq0e6cU1l9x3S2y0a7Jd8kVv4pN5rM"},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request, organisation_id: uuid.UUID) -> Response:
        organisation = _managed(request, organisation_id)
        data = s.ApiKeyCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = api_key_create(
            organisation=organisation, created_by=request_user(request), **data.validated_data
        )
        body = s.ApiKeyOutputSerializer(made.api_key).data | {"key": made.key}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyDetailView(APIView):
    @extend_schema(
        tags=["organisations"],
        operation_id="api_keys_revoke",
        summary="Revoke an API key",
        description="It stops working at once. Revoking a revoked key changes nothing.",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request: Request, organisation_id: uuid.UUID, key_id: uuid.UUID) -> Response:
        organisation = _managed(request, organisation_id)
        api_key_revoke(api_key=get_object_or_404(api_keys_of(organisation=organisation), pk=key_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
