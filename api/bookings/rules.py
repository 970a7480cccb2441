"""The rules a slot must pass to be booked, and the 409 that offers alternatives."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from api.accounts.models import User
from api.availability.models import Slot
from api.availability.serializers import SlotOutputSerializer
from api.bookings.selectors import slot_alternatives
from api.core.errors import ErrorCode, Problem, field_problem
from api.counsellors.models import CounsellorProfile, Modality
from api.counsellors.selectors import excluded_by


class SlotTakenError(Exception):
    """The slot was claimed by another booking first (or is no longer offered)."""

    def __init__(self, slot: Slot) -> None:
        super().__init__("slot taken")
        self.slot = slot


def bookable_slot(
    *,
    viewer: User,
    slot_id: uuid.UUID,
    modality: str,
    contact_phone: str,
    now: datetime,
    modality_field: str = "modality",
) -> Slot:
    """The slot, if `viewer` may book it now with this modality; else the Problem that says why.

    A slot the viewer cannot see (unknown, or of a counsellor they excluded) is a field error, as
    an unknown id in a body is; one that is no longer open is a 409 with alternatives.
    """
    slot = (
        Slot.objects.select_related("counsellor")
        .exclude(excluded_by(viewer, counsellor_field="counsellor_id"))
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise field_problem("slot", "not_found", "No such slot.")
    counsellor = slot.counsellor
    if counsellor.user_id == viewer.pk:
        raise Problem(ErrorCode.CANNOT_BOOK_SELF)
    if slot.status != Slot.Status.OPEN or not counsellor.active:
        raise SlotTakenError(slot)
    if modality not in slot.modalities:
        offered = ", ".join(slot.modalities)
        raise field_problem(modality_field, "modality_not_offered", f"This slot offers {offered}.")
    if contact_phone and modality != Modality.PHONE:
        raise field_problem("contact_phone", "phone_modality_only", "A contact phone goes with phone only.")
    if slot.start < now + counsellor.min_notice:
        raise Problem(ErrorCode.BOOKING_TOO_SOON)
    if slot.start > now + counsellor.horizon:
        raise Problem(ErrorCode.BOOKING_TOO_FAR)
    return slot


def local_day(counsellor: CounsellorProfile, moment: datetime) -> tuple[datetime, datetime]:
    """The counsellor's local calendar day around `moment`, as an absolute range."""
    zone = ZoneInfo(counsellor.time_zone)
    day = moment.astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def daily_cap_check(*, slot: Slot) -> None:
    """With a daily cap, the counsellor's row is locked and that day's conversations counted.

    Reaching the cap takes the day's other open slots off offer; a cancellation brings them back
    (slots_sync leaves full days empty).
    """
    cap = slot.counsellor.daily_cap
    if cap is None:
        return
    CounsellorProfile.objects.select_for_update().filter(pk=slot.counsellor_id).exists()
    day_start, day_end = local_day(slot.counsellor, slot.start)
    day = Slot.objects.filter(counsellor_id=slot.counsellor_id, start__gte=day_start, start__lt=day_end)
    booked = day.filter(status=Slot.Status.BOOKED).count()
    if booked >= cap:
        raise SlotTakenError(slot)
    if booked + 1 >= cap:
        day.filter(status=Slot.Status.OPEN).exclude(pk=slot.pk).delete()


def slot_unavailable(*, viewer: User, slot: Slot, now: datetime) -> Problem:
    alternatives = slot_alternatives(viewer=viewer, slot=slot, now=now)
    return Problem(
        ErrorCode.SLOT_UNAVAILABLE,
        "Someone booked this slot first."
        if alternatives
        else "Someone booked this slot first; no other slot like it is open now.",
        extra={"alternatives": [SlotOutputSerializer().to_representation(s) for s in alternatives]},
    )
