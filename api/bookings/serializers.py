from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.bookings.models import Booking, BookingStatus, CancelledBy, HelpSeeking
from api.bookings.selectors import BookingView
from api.core.fields import QuerySerializer, StrictCharField, StrictRegexField
from api.counsellors.models import Modality
from api.counsellors.serializers import CounsellorSummaryOutputSerializer, summary_of

PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{5,30}$"


class BookingCreateInputSerializer(serializers.Serializer[Any]):
    slot = serializers.UUIDField(help_text="An open slot's id, from GET /v1/availability.")
    modality = serializers.ChoiceField(choices=Modality.choices, help_text="One the slot offers.")
    category = serializers.ChoiceField(
        choices=HelpSeeking.choices,
        required=False,
        help_text="Optional: why you seek support. Only the counsellor and anonymised metrics see it.",
    )
    note = StrictCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Optional: a short note to the counsellor (at most 500 characters).",
    )
    contact_phone = StrictRegexField(
        PHONE_PATTERN,
        max_length=32,
        required=False,
        help_text="Optional, phone modality only: the number the counsellor should call.",
    )

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "slot_id": data["slot"],
            "modality": data["modality"],
            "category": data.get("category", ""),
            "note": data.get("note", ""),
            "contact_phone": data.get("contact_phone", ""),
        }


class BookingCancelInputSerializer(serializers.Serializer[Any]):
    reason = StrictCharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Optional; the other party sees it.",
    )


class BookingRescheduleInputSerializer(serializers.Serializer[Any]):
    slot = serializers.UUIDField(help_text="The open slot to move to.")
    modality = serializers.ChoiceField(
        choices=Modality.choices,
        required=False,
        help_text="Default: the booking's, if the new slot offers it.",
    )

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {"slot_id": data["slot"], "modality": data.get("modality")}


class BookingListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=BookingStatus.choices, required=False)
    start = serializers.DateTimeField(required=False, help_text="Only bookings starting at or after this.")
    end = serializers.DateTimeField(required=False, help_text="Only bookings starting before this.")


class CancellationOutputSerializer(serializers.Serializer[Any]):
    by = serializers.ChoiceField(choices=CancelledBy.choices)
    reason = serializers.CharField(allow_blank=True)
    late = serializers.BooleanField(help_text="Cancelled inside the organisation's cutoff.")
    at = serializers.DateTimeField()


_TIMESTAMP = serializers.DateTimeField()


class BookingOutputSerializer(serializers.Serializer[Booking]):
    """A booking as its viewer may see it.

    Every viewer sees the times, status, modality and counsellor. The doctor who booked also sees
    the category, note and contact phone they gave; the counsellor sees those and the doctor's
    alias (never the e-mail); coordinators and staff see status and times only. Fields a viewer may
    not see are absent from the JSON, not null.
    """

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    time_zone = serializers.CharField(help_text="The counsellor's time zone.")
    modality = serializers.ChoiceField(choices=Modality.choices)
    counsellor = CounsellorSummaryOutputSerializer()
    category = serializers.ChoiceField(
        choices=HelpSeeking.choices,
        required=False,
        allow_null=True,
        help_text="Doctor and counsellor only; null when the doctor chose none.",
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="Doctor and counsellor only.")
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, help_text="Doctor and counsellor only."
    )
    doctor_alias = serializers.CharField(required=False, help_text="The counsellor only.")
    cancellation = CancellationOutputSerializer(
        required=False, allow_null=True, help_text="Doctor and counsellor only; null unless cancelled."
    )
    rescheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    sequence = serializers.IntegerField(help_text="How many times the booking has changed.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, booking: Booking) -> dict[str, Any]:
        view = self.context["view_of"](booking)
        body: dict[str, Any] = {
            "id": str(booking.pk),
            "status": booking.status,
            "start": _TIMESTAMP.to_representation(booking.start),
            "end": _TIMESTAMP.to_representation(booking.end),
            "time_zone": booking.counsellor.time_zone,
            "modality": booking.modality,
            "counsellor": summary_of(booking.counsellor),
            "sequence": booking.sequence,
            "created_at": _TIMESTAMP.to_representation(booking.created_at),
            "updated_at": _TIMESTAMP.to_representation(booking.updated_at),
        }
        if view == BookingView.ORGANISATION:
            return body
        body |= {
            "category": booking.category or None,
            "note": booking.note,
            "contact_phone": booking.contact_phone,
            "cancellation": _cancellation(booking),
            "rescheduled_at": booking.rescheduled_at and _TIMESTAMP.to_representation(booking.rescheduled_at),
        }
        if view == BookingView.COUNSELLOR:
            body["doctor_alias"] = booking.doctor.alias
        return body


def _cancellation(booking: Booking) -> dict[str, Any] | None:
    if booking.status != BookingStatus.CANCELLED or booking.cancelled_at is None:
        return None
    return {
        "by": booking.cancelled_by,
        "reason": booking.cancel_reason,
        "late": booking.cancelled_late,
        "at": _TIMESTAMP.to_representation(booking.cancelled_at),
    }
