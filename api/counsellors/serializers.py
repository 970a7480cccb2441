from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.core.fields import QuerySerializer
from api.counsellors.models import CounsellorProfile, ExcludedCounsellor, Modality, Region


class ModalitiesField(serializers.ListField):
    """Modalities as a list of names, stored as one flag column each."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.ChoiceField(choices=Modality.choices), **kwargs)


class RegionOutputSerializer(serializers.ModelSerializer[Region]):
    organisation_id = serializers.UUIDField()

    class Meta:
        model = Region
        fields = ["id", "code", "name", "organisation_id"]
        read_only_fields = fields


class RegionSummaryOutputSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]
        read_only_fields = fields


class CounsellorSummaryOutputSerializer(serializers.ModelSerializer[CounsellorProfile]):
    languages = serializers.SerializerMethodField(help_text="ISO 639-1 codes.")
    regions = RegionSummaryOutputSerializer(many=True)
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))

    class Meta:
        model = CounsellorProfile
        fields = ["id", "display_name", "languages", "regions", "modalities", "time_zone"]
        read_only_fields = fields

    def get_languages(self, counsellor: CounsellorProfile) -> list[str]:
        return [language.code for language in counsellor.languages.all()]


class CounsellorOutputSerializer(CounsellorSummaryOutputSerializer):
    organisation_id = serializers.UUIDField()

    class Meta(CounsellorSummaryOutputSerializer.Meta):
        fields = [
            *CounsellorSummaryOutputSerializer.Meta.fields,
            "bio",
            "in_person_location",
            "organisation_id",
        ]
        read_only_fields = fields


class CounsellorListQuerySerializer(QuerySerializer):
    region = serializers.UUIDField(required=False, help_text="A region id from GET /v1/regions.")
    language = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="An ISO 639-1 code, such as nb."
    )
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)


class RegionListQuerySerializer(QuerySerializer):
    organisation = serializers.UUIDField(required=False)


class ExclusionOutputSerializer(serializers.ModelSerializer[ExcludedCounsellor]):
    counsellor_id = serializers.UUIDField()
    display_name = serializers.CharField(source="counsellor.display_name")

    class Meta:
        model = ExcludedCounsellor
        fields = ["counsellor_id", "display_name", "created_at"]
        read_only_fields = fields
