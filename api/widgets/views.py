"""GET /v1/public/availability for associations' web pages, and the component that shows it."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.errors import ErrorCode, Problem
from api.organisations.keys import api_key_authenticate
from api.organisations.models import ApiKey, ApiKeyKind
from api.widgets import serializers as s
from api.widgets.script import widget_integrity, widget_script
from api.widgets.selectors import PublicQuery, public_availability
from api.widgets.throttling import PublicAddressRateThrottle, PublicKeyRateThrottle

MAX_AGE = 60
SCRIPT_MAX_AGE = 365 * 24 * 3600

EXAMPLE = {
    "organisation": "Legeforeningens kollegastøtte",
    "time_zone": "Europe/Oslo",
    "from": "2026-11-25",
    "days": 2,
    "next_free": "2026-11-25T17:00:00Z",
    "groups": [
        {
            "region": {"code": "vestland", "name": "Vestland"},
            "modality": "phone",
            "next_free": "2026-11-25T17:00:00Z",
            "open_slots": 5,
            "per_day": [{"date": "2026-11-25", "open_slots": 2}, {"date": "2026-11-26", "open_slots": 3}],
        }
    ],
}


def _cors(response: HttpResponse, origin: str | None) -> HttpResponse:
    if origin is not None:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After, X-Request-Id"
    response["Vary"] = "Origin"
    return response


def _allowed_origin(request: Request, api_key: ApiKey) -> str | None:
    """The page's origin if the key allows it; None without one; a 403 for any other."""
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if origin.lower() not in api_key.allowed_origins:
        raise Problem(ErrorCode.ORIGIN_NOT_ALLOWED)
    return origin


class PublicAvailabilityView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicKeyRateThrottle, PublicAddressRateThrottle]
    problem_codes = (ErrorCode.API_KEY_INVALID, ErrorCode.ORIGIN_NOT_ALLOWED)

    @extend_schema(
        tags=["public"],
        operation_id="public_availability",
        summary="Live availability for a web page",
        description=(
            "With an organisation's publishable key (`pk_...`): per region and modality, the next free "
            "time and the open slots per day over the next `days` days (in the organisation's time "
            "zone); counsellors' names only if the organisation opted in. Nothing about doctors or "
            "bookings. From a browser, only the key's allowed origins get an answer, with CORS headers "
            "for that origin; any other origin gets `403 origin_not_allowed`. Cached for 60 seconds; "
            "`If-None-Match` with the `ETag` answers 304. Throttled per key and per address. An "
            "unknown or revoked key is `401 api_key_invalid`."
        ),
        parameters=[s.PublicAvailabilityQuerySerializer],
        responses={
            200: s.PublicAvailabilityOutputSerializer,
            304: OpenApiResponse(description="Not modified: the `ETag` sent in `If-None-Match` is current."),
        },
        examples=[OpenApiExample("Availability", value=EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        query = s.PublicAvailabilityQuerySerializer.of(request.query_params)
        api_key = api_key_authenticate(key=query.pop("key"), kind=ApiKeyKind.PUBLISHABLE)
        origin = _allowed_origin(request, api_key)
        body = public_availability(
            organisation=api_key.organisation, query=PublicQuery(**query), now=timezone.now()
        )
        etag = '"' + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32] + '"'
        if etag in (tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")):
            response = Response(status=304)
        else:
            response = Response(body)
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return _cors(response, origin)  # type: ignore[return-value]


@require_GET
def widget_script_view(request: HttpRequest) -> HttpResponse:
    """The component's script: versioned in its path, so it is cached for a year and never changes."""
    response = HttpResponse(widget_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={SCRIPT_MAX_AGE}, immutable"
    # Any page may load it; `crossorigin` with the published integrity hash pins its content.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["ETag"] = f'"{widget_integrity()}"'
    return response
