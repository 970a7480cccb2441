"""Operations endpoints: liveness, readiness, versions, and the problem type documents."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

import tzdata
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.errors import ErrorCode, Problem
from api.core.handlers import problem_response
from api.core.readiness import readiness_checks
from api.core.serializers import HealthOutputSerializer, MetaOutputSerializer, ReadinessOutputSerializer


def _release() -> str:
    try:
        return version("kollega-api")
    except PackageNotFoundError:
        return "unknown"


class _JSONWhateverAccept(BaseContentNegotiation):
    """Load balancers and probes send all sorts of Accept headers; these views answer JSON."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


class _Public(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    content_negotiation_class = _JSONWhateverAccept


class HealthView(_Public):
    @extend_schema(
        tags=["meta"],
        operation_id="healthz",
        summary="Liveness",
        description="200 while the process runs; it checks nothing else.",
        responses={200: HealthOutputSerializer},
        examples=[OpenApiExample("Up", value={"status": "ok"}, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class ReadinessView(_Public):
    problem_codes = (ErrorCode.SERVICE_UNAVAILABLE,)

    @extend_schema(
        tags=["meta"],
        operation_id="readyz",
        summary="Readiness",
        description="200 when the database answers and the broker is reachable, else 503 with Retry-After.",
        responses={200: ReadinessOutputSerializer},
        examples=[
            OpenApiExample(
                "Ready",
                value={"status": "ready", "checks": {"database": "ok", "broker": "ok"}},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        checks = readiness_checks()
        shown = {name: "ok" if ok else "failing" for name, ok in checks.items()}
        if not all(checks.values()):
            failing = ", ".join(name for name, ok in checks.items() if not ok)
            raise Problem(
                ErrorCode.SERVICE_UNAVAILABLE,
                f"Not ready: {failing}.",
                extra={"checks": shown},
                headers={"Retry-After": "5"},
            )
        return Response({"status": "ready", "checks": shown})


class MetaView(_Public):
    @extend_schema(
        tags=["meta"],
        operation_id="meta_retrieve",
        summary="Versions",
        responses={200: MetaOutputSerializer},
        examples=[
            OpenApiExample(
                "Meta",
                value={
                    "api_version": "1.0.0",
                    "release": "0.1.0",
                    "tz_database_version": "2026a",
                    "server_time": "2026-11-22T10:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        body = {
            "api_version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "release": _release(),
            "tz_database_version": tzdata.IANA_VERSION,
            "server_time": timezone.now(),
        }
        return Response(MetaOutputSerializer(body).data)


@csrf_exempt
def problem_type(request: HttpRequest, code: str) -> HttpResponse:
    """The document a problem's `type` URI points at: what the code means."""
    known = next((candidate for candidate in ErrorCode if candidate.value == code), None)
    if known is None:
        return problem_response(ErrorCode.NOT_FOUND)
    return JsonResponse({"code": known.value, "status": known.http_status, "title": known.summary})
