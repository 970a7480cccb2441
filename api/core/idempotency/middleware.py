"""Applies `Idempotency-Key` to every POST under /v1/, whatever the view."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

from api.core.errors import ErrorCode, Problem
from api.core.handlers import response_for_exception
from api.core.idempotency.services import (
    idempotency_claim,
    idempotency_complete,
    idempotency_release,
    idempotency_replay,
    request_fingerprint,
)
from api.core.permissions import path_needs_credentials

_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def caller_scope(request: HttpRequest) -> str | None:
    """Whose key this is: the signed-in user, or `anon` for calls without credentials.

    Only the access token's signature and expiry are checked here; DRF authenticates the request
    fully later. A request with a bad token gets no idempotency, since it is refused anyway.
    """
    header = request.headers.get("Authorization")
    if not header:
        return "anon"
    parts = header.split()
    if len(parts) != 2 or parts[0] not in jwt_settings.AUTH_HEADER_TYPES:
        return None
    try:
        token = AccessToken(parts[1])  # type: ignore[arg-type]
    except TokenError:
        return None
    subject = token.get(jwt_settings.USER_ID_CLAIM)
    return f"user:{subject}" if subject else None


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: PLR0911 (one exit per outcome)
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None or not request.path.startswith("/v1/"):
            return self.get_response(request)
        if not _KEY.match(key):
            # Credentials are checked before the rest of the input, as in every other request.
            if "Authorization" not in request.headers and path_needs_credentials(request.path_info):
                return response_for_exception(Problem(ErrorCode.NOT_AUTHENTICATED))
            return response_for_exception(
                Problem(ErrorCode.INVALID_IDEMPOTENCY_KEY, "Use 1 to 255 printable ASCII characters.")
            )
        scope = caller_scope(request)
        if scope is None:
            return self.get_response(request)
        fingerprint = request_fingerprint(
            method="POST", path=request.path, query=request.META.get("QUERY_STRING", ""), body=request.body
        )
        try:
            claim = idempotency_claim(scope=scope, key=key, fingerprint=fingerprint)
        except Problem as problem:
            return response_for_exception(problem)
        if claim.replay:
            return idempotency_replay(claim=claim)
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency_release(claim=claim)
            raise
        idempotency_complete(claim=claim, response=response)
        return response
