"""The exceptions the SDK raises: one hierarchy, mapped from the API's problem codes.

    KollegaError
    ├── NetworkError                 the request never got an answer (connection, timeout)
    ├── SyncCursorExpired            (410) the sync cursor is too old or not yours: resync
    └── APIError                     the server answered with a problem+json
        ├── InvalidRequest           400, 413, 415, 422 other than validation
        │   └── ValidationError      400 validation_error, with `errors` per field
        ├── AuthenticationError      401: sign in again (or the credentials are wrong)
        ├── PermissionDenied         403
        ├── NotFound                 404 (also another user's object)
        ├── ConflictError            409
        │   ├── SlotUnavailable      409 slot_unavailable, with `alternatives`
        │   └── DeviceListStale      409 device_list_stale, with `devices`
        ├── RateLimited              429, with `retry_after`
        └── ServerError              5xx

Every `APIError` carries `status`, `code`, `detail`, `request_id` and the whole `problem`. Branch
on the class or on `code`, never on the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kollega._models import Slot, ThreadDevice


class KollegaError(Exception):
    """The base of every exception this package raises."""


class NetworkError(KollegaError):
    """The server could not be reached, or did not answer in time (after the retries)."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of the request: `field` is a dotted path, or None for the whole."""

    field: str | None
    code: str
    message: str


class APIError(KollegaError):
    """The server answered with an error (an RFC 9457 problem document)."""

    def __init__(
        self,
        *,
        status: int,
        code: str,
        detail: str,
        request_id: str | None,
        problem: dict[str, Any],
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}" + (f" (request {request_id})" if request_id else ""))
        self.status = status
        self.code = code
        self.detail = detail
        self.request_id = request_id
        self.problem = problem
        self.retry_after = retry_after


class InvalidRequest(APIError):
    """The request was refused as it stands (400, 413, 415, 422): do not retry it unchanged."""


class ValidationError(InvalidRequest):
    """400 `validation_error`: `errors` lists each field's problem."""

    @property
    def errors(self) -> list[FieldError]:
        return [
            FieldError(field=e.get("field"), code=str(e.get("code", "")), message=str(e.get("message", "")))
            for e in self.problem.get("errors", [])
            if isinstance(e, dict)
        ]


class AuthenticationError(APIError):
    """401: the credentials are wrong or the session has ended; sign in again."""


class PermissionDenied(APIError):
    """403: you may not do this."""


class NotFound(APIError):
    """404: no such object among yours."""


class ConflictError(APIError):
    """409: the request conflicts with the current state (a booking's state, a device's keys...)."""


class SlotUnavailable(ConflictError):
    """409 `slot_unavailable`: the slot was taken; `alternatives` are open slots to book instead."""

    @property
    def alternatives(self) -> list[Slot]:
        from kollega._models import Slot  # noqa: PLC0415 (models import this module)

        return [Slot.from_json(item) for item in self.problem.get("alternatives", [])]


class DeviceListStale(ConflictError):
    """409 `device_list_stale`: the thread's devices changed; `devices` is the current list."""

    @property
    def devices(self) -> list[ThreadDevice]:
        from kollega._models import ThreadDevice  # noqa: PLC0415 (models import this module)

        return [ThreadDevice.from_json(item) for item in self.problem.get("devices", [])]


class RateLimited(APIError):
    """429: too many requests; `retry_after` says how many seconds to wait."""


class ServerError(APIError):
    """5xx: a fault in the server, or it is not ready. Quote `request_id` when reporting it."""


class SyncCursorExpired(APIError):
    """410: the sync cursor expired or belongs to someone else; pull again from the start."""


_BY_CODE: dict[str, type[APIError]] = {
    "validation_error": ValidationError,
    "slot_unavailable": SlotUnavailable,
    "device_list_stale": DeviceListStale,
}
_BY_STATUS: dict[int, type[APIError]] = {
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: ConflictError,
    410: SyncCursorExpired,
    429: RateLimited,
}


def error_class(*, status: int, code: str) -> type[APIError]:
    """The exception class for a problem of this status and code."""
    if code in _BY_CODE:
        return _BY_CODE[code]
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return InvalidRequest
    return APIError
