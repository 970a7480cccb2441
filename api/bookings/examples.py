"""Examples for the bookings part of the spec."""

from drf_spectacular.utils import OpenApiExample

from api.counsellors.views import COUNSELLOR_EXAMPLE

_BASE = {
    "id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
    "status": "confirmed",
    "start": "2026-12-01T15:00:00Z",
    "end": "2026-12-01T15:45:00Z",
    "time_zone": "Europe/Oslo",
    "modality": "phone",
    "counsellor": COUNSELLOR_EXAMPLE,
    "sequence": 0,
    "created_at": "2026-11-25T09:12:00Z",
    "updated_at": "2026-11-25T09:12:00Z",
}
_PARTY = {
    "category": "advice",
    "note": "A complaint from a patient's family; I would like to talk it through.",
    "contact_phone": "+47 912 34 567",
    "cancellation": None,
    "rescheduled_at": None,
}

CREATE_EXAMPLE = OpenApiExample(
    "Book by phone",
    value={
        "slot": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
        "modality": "phone",
        "category": "advice",
        "note": _PARTY["note"],
        "contact_phone": _PARTY["contact_phone"],
    },
    request_only=True,
)
BOOKING_EXAMPLE = OpenApiExample("As the doctor", value=_BASE | _PARTY, response_only=True)
COUNSELLOR_VIEW_EXAMPLE = OpenApiExample(
    "As the counsellor", value=_BASE | _PARTY | {"doctor_alias": "Kari"}, response_only=True
)
ORGANISATION_VIEW_EXAMPLE = OpenApiExample("As a coordinator", value=_BASE, response_only=True)
CANCEL_EXAMPLE = OpenApiExample("Cancel", value={"reason": "Something came up at work."}, request_only=True)
CANCELLED_EXAMPLE = OpenApiExample(
    "Cancelled",
    value=_BASE
    | _PARTY
    | {
        "status": "cancelled",
        "sequence": 1,
        "cancellation": {
            "by": "doctor",
            "reason": "Something came up at work.",
            "late": False,
            "at": "2026-11-26T08:00:00Z",
        },
    },
    response_only=True,
)
RESCHEDULE_EXAMPLE = OpenApiExample(
    "Move", value={"slot": "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0"}, request_only=True
)
CALENDAR_EXAMPLE = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kollega//Bookings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "SUMMARY:Kollega conversation",
        "DTSTART;TZID=Europe/Oslo:20261201T160000",
        "DTEND;TZID=Europe/Oslo:20261201T164500",
        "DTSTAMP:20261125T091200Z",
        "UID:0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e@kollega",
        "SEQUENCE:0",
        "CLASS:PRIVATE",
        "DESCRIPTION:A conversation booked through Kollega.",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Oslo",
        "...",
        "END:VTIMEZONE",
        "END:VCALENDAR",
        "",
    ]
)
