"""Request-wide middleware: request ids, guards against malformed input, response headers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from api.core.errors import ErrorCode
from api.core.handlers import problem_response, response_for_exception
from api.core.logging import request_id_var

Handler = Callable[[HttpRequest], HttpResponse]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


class RequestIdMiddleware:
    """Gives every request an id (the caller's X-Request-Id when well formed) and echoes it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request_id
        return response


class RequestGuardMiddleware:
    """Answers oversized bodies with 413 and NUL bytes in the URL with 400, before any view."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return problem_response(ErrorCode.BAD_REQUEST, detail="Content-Length is not a number.")
        if int(length) > settings.MAX_REQUEST_BYTES:
            return problem_response(
                ErrorCode.PAYLOAD_TOO_LARGE,
                detail=f"The body may be at most {settings.MAX_REQUEST_BYTES} bytes.",
            )
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(raw_query):
            return problem_response(ErrorCode.NULL_CHARACTER)
        return self.get_response(request)


class ApiResponseHeadersMiddleware:
    """Keeps API responses out of shared caches and adds the rate-limit headers a throttle noted."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Responses are personal unless a view says otherwise (public availability will).
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        rate = getattr(request, "rate_limit", None)
        if rate is not None:
            response["RateLimit-Limit"] = str(rate.limit)
            response["RateLimit-Remaining"] = str(rate.remaining)
            response["RateLimit-Reset"] = str(rate.reset)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        """Errors raised by non-DRF views (the admin, the docs) get the same envelope."""
        return response_for_exception(exception)
