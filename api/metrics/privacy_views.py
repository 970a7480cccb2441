"""A coordinator's view of a secret key's differential-privacy mode and budget."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.authentication import request_user
from api.metrics import serializers as s
from api.metrics.examples import PRIVACY_EXAMPLE
from api.metrics.privacy import key_privacy_of, key_privacy_update
from api.organisations.models import ApiKey, ApiKeyKind
from api.organisations.selectors import api_keys_of, organisation_managed_by


def _secret_key(request: Request, organisation_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    organisation = organisation_managed_by(user=request_user(request), organisation_id=organisation_id)
    # Publishable keys read no metrics, so they have no privacy settings: 404 like an unknown key.
    return get_object_or_404(api_keys_of(organisation=organisation).filter(kind=ApiKeyKind.SECRET), pk=key_id)


class KeyPrivacyView(APIView):
    @extend_schema(
        tags=["organisations"],
        operation_id="api_keys_privacy_retrieve",
        summary="A secret key's differential-privacy mode and budget",
        description="For the organisation's coordinators and staff. A key nobody configured has it off.",
        responses={200: s.KeyPrivacyOutputSerializer},
        examples=[OpenApiExample("Privacy", value=PRIVACY_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, organisation_id: uuid.UUID, key_id: uuid.UUID) -> Response:
        privacy = key_privacy_of(api_key=_secret_key(request, organisation_id, key_id))
        return Response(s.KeyPrivacyOutputSerializer(privacy).data)

    @extend_schema(
        tags=["organisations"],
        operation_id="api_keys_privacy_update",
        summary="Set a secret key's differential-privacy mode and budget",
        description=(
            "With `differential_privacy` on, the key's count metrics carry calibrated noise and each "
            "query spends `epsilon_per_query` of `budget`; a query the budget cannot pay answers "
            "`403 privacy_budget_exhausted`. What was spent stays spent: raising `budget` allows more."
        ),
        request=s.KeyPrivacyUpdateInputSerializer,
        responses={200: s.KeyPrivacyOutputSerializer},
        examples=[
            OpenApiExample(
                "Opt in",
                value={"differential_privacy": True, "epsilon_per_query": 0.5, "budget": 5.0},
                request_only=True,
            ),
            OpenApiExample("Privacy", value=PRIVACY_EXAMPLE, response_only=True),
        ],
    )
    def put(self, request: Request, organisation_id: uuid.UUID, key_id: uuid.UUID) -> Response:
        api_key = _secret_key(request, organisation_id, key_id)
        data = s.KeyPrivacyUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        privacy = key_privacy_update(api_key=api_key, **data.validated_data)
        return Response(s.KeyPrivacyOutputSerializer(privacy).data)
