from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.core.fields import QuerySerializer
from api.counsellors.models import Modality

MAX_DAYS = 31
DEFAULT_DAYS = 14


class PublicAvailabilityQuerySerializer(QuerySerializer):
    key = serializers.CharField(max_length=100, help_text="The organisation's publishable key, `pk_...`.")
    region = serializers.SlugField(
        max_length=64, required=False, help_text="A region's code, such as vestland."
    )
    language = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="An ISO 639-1 code, such as en."
    )
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=DEFAULT_DAYS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"region": None, "language": None, "modality": None} | attrs


class PublicRegionOutputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicDayOutputSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    open_slots = serializers.IntegerField()


class PublicGroupOutputSerializer(serializers.Serializer[Any]):
    region = PublicRegionOutputSerializer(allow_null=True, help_text="Null for counsellors in no region.")
    modality = serializers.ChoiceField(choices=Modality.choices)
    next_free = serializers.DateTimeField()
    open_slots = serializers.IntegerField(help_text="Open slots over the whole range.")
    per_day = PublicDayOutputSerializer(many=True, help_text="Every day of the range, in order.")


class PublicCounsellorOutputSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField()
    next_free = serializers.DateTimeField()


class PublicAvailabilityOutputSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField(help_text="The organisation's name.")
    time_zone = serializers.CharField(help_text="Days are counted in this zone.")
    # `from` is a Python keyword; the field is declared under its JSON name below.
    days = serializers.IntegerField()
    next_free = serializers.DateTimeField(allow_null=True)
    groups = PublicGroupOutputSerializer(many=True)
    counsellors = PublicCounsellorOutputSerializer(
        many=True, required=False, help_text="Only when the organisation shows counsellors' names."
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(help_text="The first day of the range.")
        return fields
