"""The one error envelope: RFC 9457 problem details with a stable machine `code`.

Every error the API returns is built by `problem_body` from an `ErrorCode`. Services raise
`Problem`; the exception handler and Django's error views turn everything else into one.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

from rest_framework.exceptions import APIException

PROBLEM_CONTENT_TYPE = "application/problem+json"
# `type` is a path on this server: GET it for the code's description (api.core.views.problem_type).
PROBLEM_TYPE_PREFIX = "/problems/"


class ErrorCode(enum.StrEnum):
    """Every machine code the API can return; `http_status` and `summary` below.

    Codes are part of the contract: add new ones, never rename or reuse one.
    """

    VALIDATION_ERROR = "validation_error"
    MALFORMED_REQUEST = "malformed_request"
    NULL_CHARACTER = "null_character"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    BAD_REQUEST = "bad_request"
    INVITATION_INVALID = "invitation_invalid"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_INVALID = "token_invalid"
    SESSION_ENDED = "session_ended"
    TOKEN_REUSED = "token_reused"
    API_KEY_INVALID = "api_key_invalid"
    PERMISSION_DENIED = "permission_denied"
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    PRIVACY_BUDGET_EXHAUSTED = "privacy_budget_exhausted"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    TOKEN_ALREADY_ROTATED = "token_already_rotated"
    IDEMPOTENCY_IN_FLIGHT = "idempotency_in_flight"
    ACCOUNT_EXISTS = "account_exists"
    SLOT_UNAVAILABLE = "slot_unavailable"
    INVALID_STATE = "invalid_state"
    DEVICE_LIST_STALE = "device_list_stale"
    NO_RECIPIENT_DEVICE = "no_recipient_device"
    DEVICE_KEYS_IMMUTABLE = "device_keys_immutable"
    DEVICE_REVOKED = "device_revoked"
    PRECONDITION_FAILED = "precondition_failed"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    BOOKING_TOO_SOON = "booking_too_soon"
    BOOKING_TOO_FAR = "booking_too_far"
    BOOKING_CAP_REACHED = "booking_cap_reached"
    CANNOT_BOOK_SELF = "cannot_book_self"
    FOLLOWUP_ANSWERED = "followup_answered"
    FOLLOWUP_CLOSED = "followup_closed"
    SYNC_CURSOR_EXPIRED = "sync_cursor_expired"
    RATE_LIMITED = "rate_limited"
    LOGIN_LOCKED = "login_locked"
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"

    @property
    def http_status(self) -> int:
        return _META[self][0]

    @property
    def summary(self) -> str:
        return _META[self][1]


_META: dict[ErrorCode, tuple[int, str]] = {
    ErrorCode.VALIDATION_ERROR: (400, "The request has invalid fields."),
    ErrorCode.MALFORMED_REQUEST: (400, "The request body could not be parsed."),
    ErrorCode.NULL_CHARACTER: (400, "The request contains a NUL character."),
    ErrorCode.INVALID_CURSOR: (400, "The pagination cursor is not valid."),
    ErrorCode.INVALID_IDEMPOTENCY_KEY: (400, "The Idempotency-Key header is not valid."),
    ErrorCode.BAD_REQUEST: (400, "The request could not be understood."),
    ErrorCode.INVITATION_INVALID: (400, "The invitation is unknown, used or expired."),
    ErrorCode.NOT_AUTHENTICATED: (401, "Authentication credentials were not provided."),
    ErrorCode.AUTHENTICATION_FAILED: (401, "The credentials are not valid."),
    ErrorCode.INVALID_CREDENTIALS: (401, "The e-mail or password is wrong."),
    ErrorCode.TOKEN_INVALID: (401, "The token is invalid or expired."),
    ErrorCode.SESSION_ENDED: (401, "The session has ended; sign in again."),
    ErrorCode.TOKEN_REUSED: (401, "A refresh token was used twice; the session has been ended."),
    ErrorCode.API_KEY_INVALID: (401, "The API key is unknown, revoked or of the wrong kind."),
    ErrorCode.PERMISSION_DENIED: (403, "You may not do this."),
    ErrorCode.ORIGIN_NOT_ALLOWED: (403, "This key may not be used from this web page's origin."),
    ErrorCode.PRIVACY_BUDGET_EXHAUSTED: (403, "This key's differential-privacy budget is spent."),
    ErrorCode.NOT_FOUND: (404, "Not found."),
    ErrorCode.METHOD_NOT_ALLOWED: (405, "The method is not allowed on this resource."),
    ErrorCode.NOT_ACCEPTABLE: (406, "No acceptable representation is available."),
    ErrorCode.TOKEN_ALREADY_ROTATED: (409, "This refresh token was just rotated by another request."),
    ErrorCode.IDEMPOTENCY_IN_FLIGHT: (409, "A request with this Idempotency-Key is still in progress."),
    ErrorCode.ACCOUNT_EXISTS: (409, "This e-mail already has an account."),
    ErrorCode.SLOT_UNAVAILABLE: (409, "The slot is no longer available."),
    ErrorCode.INVALID_STATE: (409, "The booking is not in a state that allows this."),
    ErrorCode.DEVICE_LIST_STALE: (409, "The envelopes do not match the thread's current devices."),
    ErrorCode.NO_RECIPIENT_DEVICE: (409, "The other participant has no device to receive messages yet."),
    ErrorCode.DEVICE_KEYS_IMMUTABLE: (409, "This device id is registered with other keys."),
    ErrorCode.DEVICE_REVOKED: (409, "This device has been revoked."),
    ErrorCode.PRECONDITION_FAILED: (412, "The resource has changed since you read it."),
    ErrorCode.PAYLOAD_TOO_LARGE: (413, "The request body is too large."),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: (415, "The request body's media type is not supported."),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: (422, "This Idempotency-Key was used with a different request."),
    ErrorCode.BOOKING_TOO_SOON: (422, "The slot starts inside the counsellor's minimum notice."),
    ErrorCode.BOOKING_TOO_FAR: (422, "The slot is beyond the counsellor's booking horizon."),
    ErrorCode.BOOKING_CAP_REACHED: (422, "You have as many upcoming bookings as this organisation allows."),
    ErrorCode.CANNOT_BOOK_SELF: (422, "A counsellor cannot book a conversation with themself."),
    ErrorCode.FOLLOWUP_ANSWERED: (409, "This follow-up has already been answered."),
    ErrorCode.FOLLOWUP_CLOSED: (409, "This follow-up is closed: it expired or was withdrawn."),
    ErrorCode.SYNC_CURSOR_EXPIRED: (410, "The sync cursor has expired or is not yours; pull from the start."),
    ErrorCode.RATE_LIMITED: (429, "Too many requests."),
    ErrorCode.LOGIN_LOCKED: (429, "Too many failed sign-ins for this account; try again later."),
    ErrorCode.INTERNAL_ERROR: (500, "An unexpected error occurred."),
    ErrorCode.SERVICE_UNAVAILABLE: (503, "The service is not ready."),
}

assert set(_META) == set(ErrorCode), "every ErrorCode needs a status and a summary"  # noqa: S101


class FieldError(TypedDict):
    field: str | None
    code: str
    message: str


class ProblemBody(TypedDict):
    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: NotRequired[str | None]
    errors: NotRequired[list[FieldError]]


def problem_body(
    code: ErrorCode,
    *,
    detail: str | None = None,
    status: int | None = None,
    errors: Sequence[FieldError] | None = None,
    request_id: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_PREFIX}{code.value}",
        "title": code.summary,
        "status": status or code.http_status,
        "detail": detail or code.summary,
        "code": code.value,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = list(errors)
    if extra:
        body.update(extra)
    return body


class Problem(APIException):
    """Raised by services and views for an error with a known code.

    `extra` holds members beyond the standard ones (for example a list of alternatives), and
    `headers` response headers such as Retry-After.
    """

    def __init__(
        self,
        code: ErrorCode,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.problem_code = code
        self.status_code = code.http_status
        self.errors = list(errors) if errors is not None else None
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})
        super().__init__(detail or code.summary, code.value)


def field_problem(field: str | None, code: str, message: str) -> Problem:
    """A validation problem about one field, for rules a serializer cannot see."""
    return Problem(
        ErrorCode.VALIDATION_ERROR,
        message,
        errors=[FieldError(field=field, code=code, message=message)],
    )
