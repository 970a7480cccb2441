from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from api.availability.models import ScheduleRule, Slot, TimeOff
from api.core.fields import QuerySerializer, StrictCharField
from api.counsellors.models import Modality
from api.counsellors.serializers import CounsellorSummaryOutputSerializer, ModalitiesField, summary_of
from api.organisations.validators import validate_time_zone

MAX_RANGE = timedelta(days=92)
DEFAULT_RANGE = timedelta(days=14)
MAX_RULES = 50


def _time_zone(value: str) -> None:
    try:
        validate_time_zone(value)
    except DjangoValidationError:
        raise serializers.ValidationError("Unknown IANA time zone.", code="invalid_time_zone") from None


class AvailabilityQuerySerializer(QuerySerializer):
    start = serializers.DateTimeField(
        required=False, help_text="Default: now. ISO 8601; without an offset the time is UTC."
    )
    end = serializers.DateTimeField(
        required=False, help_text="Default: start + 14 days; at most start + 92 days."
    )
    region = serializers.UUIDField(required=False)
    language = serializers.RegexField(
        r"^[a-z]{2}$", required=False, help_text="An ISO 639-1 code, such as en."
    )
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)
    counsellor = serializers.UUIDField(required=False)
    first_per_counsellor = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only each counsellor's first open slot: a next-free-time view.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start") or timezone.now()
        end = attrs.get("end") or start + DEFAULT_RANGE
        attrs |= {"start": start, "end": end}
        if end <= start:
            raise serializers.ValidationError({"end": "end must be after start."}, code="invalid_range")
        if end - start > MAX_RANGE:
            raise serializers.ValidationError(
                {"end": "The range may span at most 92 days."}, code="range_too_long"
            )
        return attrs


class SlotOutputSerializer(serializers.ModelSerializer[Slot]):
    time_zone = serializers.CharField(source="counsellor.time_zone", help_text="The counsellor's time zone.")
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    counsellor = CounsellorSummaryOutputSerializer()

    class Meta:
        model = Slot
        fields = ["id", "start", "end", "time_zone", "modalities", "counsellor"]
        read_only_fields = fields

    def to_representation(self, slot: Slot) -> dict[str, Any]:
        # Built directly, as the counsellor summary is: the availability page is the hottest read.
        return {
            "id": str(slot.pk),
            "start": _TIMESTAMP.to_representation(slot.start),
            "end": _TIMESTAMP.to_representation(slot.end),
            "time_zone": slot.counsellor.time_zone,
            "modalities": slot.modalities,
            "counsellor": summary_of(slot.counsellor),
        }


_TIMESTAMP = serializers.DateTimeField()

_MODALITIES = tuple(m.value for m in Modality)


def _utc(moment: datetime) -> str:
    # As DRF's DateTimeField writes it with TIME_ZONE UTC; the API's times are always UTC.
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _modalities(row: Mapping[str, Any], prefix: str = "") -> list[str]:
    return [name for name in _MODALITIES if row[prefix + name]]


def slots_of_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What `SlotOutputSerializer` shows, from rows of `open_slot_rows` (the availability page).

    The page is built from plain rows rather than model instances: for 25 slots, making the
    instances cost more than the database's work. The declared serializer stays the contract (the
    spec, and the tests that pin this shape). A counsellor with several slots on the page is
    represented once and shared.
    """
    summaries: dict[Any, dict[str, Any]] = {}
    slots = []
    for row in rows:
        counsellor = summaries.get(row["counsellor_id"])
        if counsellor is None:
            counsellor = summaries[row["counsellor_id"]] = {
                "id": str(row["counsellor_id"]),
                "display_name": row["counsellor__display_name"],
                "languages": row["languages"],
                "regions": row["regions"],
                "modalities": _modalities(row, "counsellor__"),
                "time_zone": row["counsellor__time_zone"],
            }
        slots.append(
            {
                "id": str(row["id"]),
                "start": _utc(row["start"]),
                "end": _utc(row["end"]),
                "time_zone": row["counsellor__time_zone"],
                "modalities": _modalities(row),
                "counsellor": counsellor,
            }
        )
    return slots


class ScheduleRuleInputSerializer(serializers.Serializer[Any]):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 is Monday, 6 is Sunday.")
    start = serializers.TimeField(help_text="Local wall-clock time, HH:MM.")
    end = serializers.TimeField(help_text="Local wall-clock time, after start (rules do not cross midnight).")
    modalities = ModalitiesField(min_length=1, max_length=3)
    slot_minutes = serializers.IntegerField(min_value=15, max_value=240)
    buffer_minutes = serializers.IntegerField(min_value=0, max_value=120, default=0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "end must be after start."}, code="invalid_range")
        modalities = attrs.pop("modalities")
        if len(set(modalities)) != len(modalities):
            raise serializers.ValidationError({"modalities": "Name each modality once."}, code="duplicate")
        return attrs | {m.value: m.value in modalities for m in Modality}


class ScheduleRuleOutputSerializer(serializers.ModelSerializer[ScheduleRule]):
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")

    class Meta:
        model = ScheduleRule
        fields = ["weekday", "start", "end", "modalities", "slot_minutes", "buffer_minutes"]
        read_only_fields = fields


class ScheduleInputSerializer(serializers.Serializer[Any]):
    time_zone = StrictCharField(
        max_length=64, validators=[_time_zone], help_text="An IANA zone, such as Europe/Oslo."
    )
    min_notice_minutes = serializers.IntegerField(min_value=0, max_value=60 * 24 * 30)
    horizon_days = serializers.IntegerField(min_value=1, max_value=365)
    daily_cap = serializers.IntegerField(
        min_value=1, max_value=48, allow_null=True, required=False, default=None
    )
    # DRF passes max_length on to the list serializer; its stubs do not know that.
    rules = ScheduleRuleInputSerializer(many=True, max_length=MAX_RULES)  # type: ignore[call-arg]

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "time_zone": data["time_zone"],
            "min_notice": timedelta(minutes=data["min_notice_minutes"]),
            "horizon": timedelta(days=data["horizon_days"]),
            "daily_cap": data["daily_cap"],
            "rules": data["rules"],
        }


class ScheduleOutputSerializer(serializers.Serializer[Any]):
    counsellor_id = serializers.UUIDField(source="id")
    time_zone = serializers.CharField()
    min_notice_minutes = serializers.SerializerMethodField()
    horizon_days = serializers.SerializerMethodField()
    daily_cap = serializers.IntegerField(allow_null=True)
    rules = ScheduleRuleOutputSerializer(many=True, source="rules.all")
    updated_at = serializers.DateTimeField()

    def get_min_notice_minutes(self, counsellor: Any) -> int:
        return int(counsellor.min_notice.total_seconds() // 60)

    def get_horizon_days(self, counsellor: Any) -> int:
        return int(counsellor.horizon.days)


class TimeOffInputSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "end must be after start."}, code="invalid_range")
        if attrs["end"] - attrs["start"] > timedelta(days=366):
            raise serializers.ValidationError(
                {"end": "Time off may span at most 366 days."}, code="range_too_long"
            )
        return attrs


class TimeOffOutputSerializer(serializers.ModelSerializer[TimeOff]):
    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "created_at"]
        read_only_fields = fields
