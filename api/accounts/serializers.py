"""Input and output serializers, one pair per operation; names are unique across the project."""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

from api.accounts.models import AuthSession, Language, Role, User
from api.accounts.sessions import TokenPair
from api.core.fields import StrictBooleanField, StrictCharField, StrictEmailField

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _no_control_characters(value: str) -> None:
    if _CONTROL.search(value):
        raise serializers.ValidationError("Control characters are not allowed.", code="invalid")


class AliasField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            min_length=1,
            max_length=40,
            validators=[_no_control_characters],
            help_text="The name a counsellor sees; it need not be your real name.",
            **kwargs,
        )


class PasswordField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "At least 10 characters, not a common password.")
        super().__init__(write_only=True, max_length=256, trim_whitespace=False, **kwargs)


class RegisterInputSerializer(serializers.Serializer[Any]):
    email = StrictEmailField(max_length=254)
    password = PasswordField()
    alias = AliasField()
    language = serializers.ChoiceField(choices=Language.choices, default=Language.NB)


class RegisterOutputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["accepted"])
    detail = serializers.CharField()


class TokenCreateInputSerializer(serializers.Serializer[Any]):
    email = StrictEmailField(max_length=254)
    password = StrictCharField(write_only=True, max_length=256, trim_whitespace=False)


class TokenRefreshInputSerializer(serializers.Serializer[Any]):
    refresh = StrictCharField(max_length=2048)


class TokenPairOutputSerializer(serializers.Serializer[TokenPair]):
    access = serializers.CharField(help_text="Bearer token for the Authorization header; lives 5 minutes.")
    refresh = serializers.CharField(help_text="Single use: each refresh returns a new one.")
    token_type = serializers.SerializerMethodField()
    access_expires_at = serializers.DateTimeField()
    refresh_expires_at = serializers.DateTimeField(help_text="The session's absolute end, at the latest.")
    session_id = serializers.UUIDField()

    def get_token_type(self, pair: TokenPair) -> str:
        return "Bearer"


class LogoutInputSerializer(serializers.Serializer[Any]):
    everywhere = StrictBooleanField(default=False, help_text="End every session of this account.")


class OrganisationSummaryOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()


class MeOutputSerializer(serializers.ModelSerializer[User]):
    organisation = OrganisationSummaryOutputSerializer(allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    language = serializers.ChoiceField(choices=Language.choices)

    class Meta:
        model = User
        fields = ["id", "email", "alias", "role", "language", "organisation", "date_joined", "updated_at"]
        read_only_fields = fields


class MeUpdateInputSerializer(serializers.Serializer[Any]):
    alias = AliasField(required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class PasswordChangeInputSerializer(serializers.Serializer[Any]):
    current_password = StrictCharField(write_only=True, max_length=256, trim_whitespace=False)
    new_password = PasswordField()


class SessionOutputSerializer(serializers.ModelSerializer[AuthSession]):
    current = serializers.SerializerMethodField(help_text="Whether this is the session of the request.")

    class Meta:
        model = AuthSession
        fields = ["id", "created_at", "expires_at", "rotated_at", "current"]
        read_only_fields = fields

    def get_current(self, session: AuthSession) -> bool:
        return str(session.id) == str(self.context.get("current_session_id"))
