"""The OpenAPI contract: every operation documents the problem responses it can return.

`AutoSchema` adds, beside each operation's own responses, a problem+json response for every error
status the shared machinery can produce for it (validation, auth, 404 on an id, idempotency,
size, media type, throttling, 500). A view names its own domain errors in `problem_codes`, and each
gets an example under its status.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from api.core.errors import ErrorCode, problem_body
from api.core.permissions import view_allows_anonymous

IDEMPOTENCY_KEY_HEADER = OpenApiParameter(
    name="Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    pattern=r"^[!-~]{1,255}$",
    description=(
        "A unique key (a UUID is best, 1 to 255 printable ASCII characters) that makes a retried "
        "POST have one effect: a repeat within 24 hours answers the first response again, with "
        "`Idempotent-Replayed: true`. The same key with a different body answers 422; one still "
        "being processed answers 409."
    ),
)


class FieldErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(allow_null=True, help_text="Dotted path of the field, or null.")
    code = serializers.CharField(help_text="Machine code of this field's error.")
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details, the body of every error response."""

    type = serializers.CharField(help_text="A URI reference naming the problem type.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[c.value for c in ErrorCode], help_text="Stable machine code.")
    request_id = serializers.CharField(allow_null=True, help_text="Echoed in the X-Request-Id header.")
    # DRF takes declared fields off the class, so this does not hide Serializer.errors.
    errors = FieldErrorSerializer(  # type: ignore[assignment]
        many=True, required=False, help_text="Field errors, for validation_error."
    )


_WRITE_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY_HEADER)
        return parameters

    def _problem_codes(self) -> list[ErrorCode]:
        codes: list[ErrorCode] = []
        has_body = self.method in _WRITE_METHODS
        has_query = bool(
            self._get_filter_parameters()  # type: ignore[no-untyped-call]
            or self._get_pagination_parameters()  # type: ignore[no-untyped-call]
            or self._get_format_parameters()
            or any(self._is_query_parameter(p) for p in self.get_override_parameters())
        )
        if has_body:
            codes += [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_REQUEST]
        elif has_query:
            codes.append(ErrorCode.VALIDATION_ERROR)
        if has_body or has_query:
            # Any query string (and any body) may carry a NUL, which every endpoint refuses.
            codes.append(ErrorCode.NULL_CHARACTER)
        if self._is_list_view() and self._get_paginator() is not None:  # type: ignore[no-untyped-call]
            codes.append(ErrorCode.INVALID_CURSOR)
        if not view_allows_anonymous(self.view):
            codes.append(ErrorCode.NOT_AUTHENTICATED)
        if "{" in self.path:
            codes.append(ErrorCode.NOT_FOUND)
        if self.method == "POST":
            codes += [ErrorCode.IDEMPOTENCY_IN_FLIGHT, ErrorCode.IDEMPOTENCY_KEY_REUSED]
        if has_body:
            codes += [ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE]
        codes += list(getattr(self.view, "problem_codes", ()))
        if getattr(self.view, "throttle_classes", None):
            codes.append(ErrorCode.RATE_LIMITED)
        codes.append(ErrorCode.INTERNAL_ERROR)
        return list(dict.fromkeys(codes))

    @staticmethod
    def _is_query_parameter(parameter: Any) -> bool:
        if isinstance(parameter, OpenApiParameter):
            return bool(parameter.location == OpenApiParameter.QUERY)
        return isinstance(parameter, type) and issubclass(parameter, serializers.Serializer)

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        ref = self.resolve_serializer(ProblemSerializer, "response").ref
        by_status: dict[int, list[ErrorCode]] = {}
        for code in self._problem_codes():
            by_status.setdefault(code.http_status, []).append(code)
        for status, codes in sorted(by_status.items()):
            key = str(status)
            examples = {
                code.value: {
                    "summary": code.summary,
                    "value": problem_body(code, request_id="4f1c2e0a9b7d4c3e8a6f5b2d1c0e9f8a"),
                }
                for code in codes
            }
            if key in responses:
                continue
            responses[key] = {
                "description": codes[0].summary if len(codes) == 1 else " / ".join(c.summary for c in codes),
                "content": {"application/problem+json": {"schema": ref, "examples": examples}},
            }
        return responses


def postprocess_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Documents the problem type URIs once, in the schema's info."""
    info = result.setdefault("info", {})
    info.setdefault("x-problem-codes", sorted(c.value for c in ErrorCode))
    return result
