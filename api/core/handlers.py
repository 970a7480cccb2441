"""Turns every error, from DRF, simplejwt or Django itself, into one problem+json response."""

from __future__ import annotations

import logging
import math
import traceback
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions as drf
from rest_framework.views import set_rollback
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from api.core.errors import PROBLEM_CONTENT_TYPE, ErrorCode, FieldError, Problem, problem_body
from api.core.logging import request_id_var

logger = logging.getLogger("api.errors")

BEARER_CHALLENGE = 'Bearer realm="kollega"'

_DRF_CODES: list[tuple[type[drf.APIException], ErrorCode]] = [
    (drf.ParseError, ErrorCode.MALFORMED_REQUEST),
    (drf.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (drf.AuthenticationFailed, ErrorCode.AUTHENTICATION_FAILED),
    (drf.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (drf.NotFound, ErrorCode.NOT_FOUND),
    (drf.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (drf.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (drf.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (drf.Throttled, ErrorCode.RATE_LIMITED),
]
_STATUS_CODES = {code.http_status: code for code in reversed(ErrorCode)}


def problem_response(
    code: ErrorCode,
    *,
    detail: str | None = None,
    status: int | None = None,
    errors: list[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = problem_body(
        code, detail=detail, status=status, errors=errors, extra=extra, request_id=request_id_var.get()
    )
    response = JsonResponse(
        body,
        status=body["status"],
        content_type=PROBLEM_CONTENT_TYPE,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if body["status"] == 401 and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


def flatten_errors(detail: Any, prefix: str | None = None) -> list[FieldError]:
    """DRF's nested error detail as a flat list, fields named by dotted paths (`items.0.name`)."""
    if isinstance(detail, Mapping):
        flat: list[FieldError] = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                field = prefix
            else:
                field = f"{prefix}.{key}" if prefix else str(key)
            flat.extend(flatten_errors(value, field))
        return flat
    if isinstance(detail, list):
        flat = []
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list):
                flat.extend(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
            else:
                flat.extend(flatten_errors(item, prefix))
        return flat
    return [FieldError(field=prefix, code=str(getattr(detail, "code", "invalid")), message=str(detail))]


def _log_unhandled(exc: BaseException) -> None:
    # The exception's message is left out on purpose: database errors quote the values they
    # failed on, and those may be personal data. The type and the stack locate the fault.
    stack = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("unhandled %s.%s\n%s", type(exc).__module__, type(exc).__qualname__, stack)


def response_for_exception(exc: BaseException) -> HttpResponse:  # noqa: PLR0911 (a branch per family)
    """The problem response for any exception; the one mapping used by every layer."""
    if isinstance(exc, Problem):
        return problem_response(
            exc.problem_code,
            detail=str(exc.detail),
            errors=exc.errors,
            extra=exc.extra,
            headers=exc.headers,
        )
    if isinstance(exc, drf.ValidationError):
        return problem_response(ErrorCode.VALIDATION_ERROR, errors=flatten_errors(exc.detail))
    if isinstance(exc, DjangoValidationError):
        # A model-level check that no serializer caught: still the caller's input, never a 500.
        return problem_response(
            ErrorCode.VALIDATION_ERROR,
            errors=[
                FieldError(field=None, code=e.code or "invalid", message=" ".join(e.messages))
                for e in exc.error_list
            ],
        )
    if isinstance(exc, InvalidToken | TokenError):
        return problem_response(ErrorCode.TOKEN_INVALID)
    if isinstance(exc, Http404):
        return problem_response(ErrorCode.NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return problem_response(ErrorCode.PERMISSION_DENIED)
    if isinstance(exc, RequestDataTooBig):
        return problem_response(ErrorCode.PAYLOAD_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        return problem_response(ErrorCode.BAD_REQUEST)
    if isinstance(exc, drf.APIException):
        return _drf_problem(exc)
    _log_unhandled(exc)
    return problem_response(ErrorCode.INTERNAL_ERROR)


def _drf_problem(exc: drf.APIException) -> HttpResponse:
    code = next((c for cls, c in _DRF_CODES if isinstance(exc, cls)), None)
    if code is None:
        code = _STATUS_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    detail = None
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
        detail = f"Too many requests; retry in {headers['Retry-After']} seconds."
    if isinstance(exc, drf.MethodNotAllowed):
        detail = str(exc.detail)
    if isinstance(exc, drf.UnsupportedMediaType):
        detail = "Send the body as application/json."
    if isinstance(exc, drf.ParseError):
        detail = str(exc.detail)
    # DRF turns a failed authentication into 403 when the view names no challenge; keep its status.
    return problem_response(code, detail=detail, status=exc.status_code, headers=headers)


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> HttpResponse:
    """DRF's EXCEPTION_HANDLER: every exception a view raises becomes a problem response."""
    set_rollback()
    return response_for_exception(exc)


# Django's own error views, for errors raised outside DRF views (an unknown URL, a bad Host).
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return problem_response(ErrorCode.PAYLOAD_TOO_LARGE)
    return problem_response(ErrorCode.BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(ErrorCode.PERMISSION_DENIED)


@csrf_exempt
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(ErrorCode.NOT_FOUND)


def server_error(request: HttpRequest) -> HttpResponse:
    return problem_response(ErrorCode.INTERNAL_ERROR)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return problem_response(ErrorCode.PERMISSION_DENIED, detail="CSRF verification failed.")
