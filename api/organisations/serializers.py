from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rest_framework import serializers

from api.core.fields import StrictBooleanField, StrictCharField
from api.organisations.keys import SCOPES
from api.organisations.models import ApiKey, ApiKeyKind, Organisation

MAX_ORIGINS = 20


class OrganisationOutputSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
            "country",
            "time_zone",
            "booking_cap",
            "cancellation_cutoff_hours",
            "message_retention_days",
            "suppression_threshold",
            "widget_shows_counsellor_names",
            "updated_at",
        ]
        read_only_fields = fields


class OrganisationUpdateInputSerializer(serializers.Serializer[Any]):
    booking_cap = serializers.IntegerField(min_value=1, max_value=50, required=False)
    cancellation_cutoff_hours = serializers.IntegerField(min_value=0, max_value=24 * 14, required=False)
    message_retention_days = serializers.IntegerField(min_value=1, max_value=3650, required=False)
    widget_shows_counsellor_names = StrictBooleanField(
        required=False, help_text="Show counsellors' display names in the public availability widget."
    )


def _origin_check(value: str) -> None:
    _origin(value)


def _origin(value: str) -> str:
    parts = urlsplit(value)
    bare = (
        parts.scheme in {"https", "http"}
        and parts.netloc
        and not (parts.path or parts.query or parts.fragment)
    )
    if not bare or parts.username or parts.password:
        raise serializers.ValidationError(
            "An origin: scheme, host and optional port, such as https://www.legeforeningen.no.",
            code="invalid_origin",
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


class ApiKeyCreateInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ApiKeyKind.choices)
    name = StrictCharField(max_length=100, help_text="What the key is for, to tell keys apart.")
    allowed_origins = serializers.ListField(
        child=StrictCharField(max_length=200, validators=[_origin_check]),
        max_length=MAX_ORIGINS,
        required=False,
        help_text="Publishable keys: the web page origins that may use the key.",
    )
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=[(scope, scope) for scope in SCOPES]),
        required=False,
        help_text="Secret keys: what the key may do.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        origins = [_origin(origin) for origin in attrs.get("allowed_origins", [])]
        scopes = attrs.get("scopes", [])
        if attrs["kind"] == ApiKeyKind.PUBLISHABLE:
            if not origins:
                raise serializers.ValidationError(
                    {"allowed_origins": "A publishable key needs at least one origin."}, code="required"
                )
            if scopes:
                raise serializers.ValidationError(
                    {"scopes": "Publishable keys have no scopes."}, code="invalid"
                )
        elif origins:
            raise serializers.ValidationError(
                {"allowed_origins": "Secret keys are for servers, not web pages."}, code="invalid"
            )
        elif not scopes:
            raise serializers.ValidationError({"scopes": "A secret key needs a scope."}, code="required")
        return attrs | {
            "allowed_origins": list(dict.fromkeys(origins)),
            "scopes": list(dict.fromkeys(scopes)),
        }


class ApiKeyOutputSerializer(serializers.ModelSerializer[ApiKey]):
    class Meta:
        model = ApiKey
        fields = [
            "id",
            "kind",
            "name",
            "prefix",
            "allowed_origins",
            "scopes",
            "created_at",
            "revoked_at",
            "last_used_at",
        ]
        read_only_fields = fields


class ApiKeyCreatedOutputSerializer(ApiKeyOutputSerializer):
    key = serializers.CharField(help_text="The key itself. Shown this once: keep it now.")

    class Meta(ApiKeyOutputSerializer.Meta):
        fields = [*ApiKeyOutputSerializer.Meta.fields, "key"]
        read_only_fields = fields
