from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from api.core.fields import QuerySerializer, StrictBooleanField, StrictCharField, StrictEmailField
from api.counsellors.models import CounsellorProfile, ExcludedCounsellor, Invitation, Modality, Region


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

    def to_representation(self, counsellor: CounsellorProfile) -> dict[str, Any]:
        # Built directly: availability pages show 25 of these, and DRF's generic walk over nested
        # fields cost more than the database did. The declared fields above still make the spec,
        # and the tests pin this shape.
        return summary_of(counsellor)


def summary_of(counsellor: CounsellorProfile) -> dict[str, Any]:
    return {
        "id": str(counsellor.pk),
        "display_name": counsellor.display_name,
        "languages": [language.code for language in counsellor.languages.all()],
        "regions": [{"id": str(r.pk), "code": r.code, "name": r.name} for r in counsellor.regions.all()],
        "modalities": counsellor.modalities,
        "time_zone": counsellor.time_zone,
    }


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

    def to_representation(self, counsellor: CounsellorProfile) -> dict[str, Any]:
        # The full profile is read one at a time: DRF's generic representation is fine here.
        return dict(serializers.ModelSerializer.to_representation(self, counsellor))


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


class CounsellorUpdateInputSerializer(serializers.Serializer[Any]):
    display_name = StrictCharField(min_length=1, max_length=80, required=False)
    bio = StrictCharField(max_length=600, allow_blank=True, required=False)
    in_person_location = StrictCharField(max_length=200, allow_blank=True, required=False)
    active = StrictBooleanField(required=False, help_text="Inactive counsellors appear nowhere.")
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2}$"),
        max_length=10,
        required=False,
        help_text="ISO 639-1 codes.",
    )
    region_ids = serializers.ListField(child=serializers.UUIDField(), max_length=50, required=False)
    modalities = ModalitiesField(max_length=3, required=False)


class InvitationCreateInputSerializer(serializers.Serializer[Any]):
    email = StrictEmailField(max_length=254)
    display_name = StrictCharField(min_length=1, max_length=80)
    organisation_id = serializers.UUIDField(
        required=False, help_text="Staff only; a coordinator always invites to their own organisation."
    )


class InvitationOutputSerializer(serializers.ModelSerializer[Invitation]):
    organisation_id = serializers.UUIDField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "email", "display_name", "organisation_id", "status", "created_at", "expires_at"]
        read_only_fields = fields

    def get_status(self, invitation: Invitation) -> str:
        if invitation.accepted_at is not None:
            return "accepted"
        return "pending" if invitation.expires_at > timezone.now() else "expired"


class InvitationCreatedOutputSerializer(InvitationOutputSerializer):
    token = serializers.CharField(help_text="Shown this once: pass it to the invitee, who accepts with it.")

    class Meta(InvitationOutputSerializer.Meta):
        fields = [*InvitationOutputSerializer.Meta.fields, "token"]
        read_only_fields = fields


class InvitationAcceptInputSerializer(serializers.Serializer[Any]):
    token = StrictCharField(max_length=100)
    password = StrictCharField(write_only=True, max_length=256, trim_whitespace=False)
    alias = StrictCharField(min_length=1, max_length=40)


class InvitationAcceptedOutputSerializer(serializers.Serializer[Any]):
    counsellor_id = serializers.UUIDField()
    detail = serializers.CharField()
