from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError("Unknown IANA time zone.", code="invalid_time_zone") from None


def validate_followup_offsets(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("A non-empty list of days.", code="invalid")
    if any(not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 730 for day in value):
        raise ValidationError("Each offset is a whole number of days from 1 to 730.", code="invalid")
    if len(set(value)) != len(value):
        raise ValidationError("Offsets must differ.", code="invalid")
