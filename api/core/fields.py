"""Serializer fields that take JSON types as the spec declares them, without DRF's coercions.

DRF would take `0` for `false` and `5` for `"5"`; the spec says boolean and string, and clients
generated from it must be able to rely on that.
"""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers


class _StrictString:
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_type")  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictCharField(_StrictString, serializers.CharField):
    default_error_messages = {"invalid_type": "Must be a string."}


class StrictEmailField(_StrictString, serializers.EmailField):
    default_error_messages = {"invalid_type": "Must be a string."}


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


_HOLDING_FIELDS = (serializers.ListField, serializers.DictField, serializers.BaseSerializer)


class QuerySerializer(serializers.Serializer[Any]):
    """Validates query parameters as given: `?start=` is an empty value to refuse, not an absent one.

    DRF reads a QueryDict as a submitted HTML form, where an empty field counts as missing; a plain
    dict (the last value of each parameter) gets the same checks as a JSON body.
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # DRF deep-copies every declared field for every serializer it makes, which for the query
        # of a list request cost more than validating it. A shallow copy is as independent for
        # plain fields: binding sets the copy's own name and parent, and validation only reads
        # what it shares (validators, messages, choices). Fields holding fields are deep-copied.
        return {
            name: copy.deepcopy(field) if isinstance(field, _HOLDING_FIELDS) else copy.copy(field)
            for name, field in self._declared_fields.items()
        }

    @classmethod
    def of(cls, query_params: Any) -> Any:
        query = cls(data={name: query_params[name] for name in query_params})
        query.is_valid(raise_exception=True)
        return query.validated_data


class StrictRegexField(_StrictString, serializers.RegexField):
    default_error_messages = {"invalid_type": "Must be a string."}
