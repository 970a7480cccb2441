"""The mutations an offline client may push, each applied through the API's own services.

Each handler validates its arguments with the same input serializer as the endpoint it stands for,
finds the object through the same selector (another user's object is a 404) and calls the same
service, so a pushed mutation can do exactly what the online request could, and no more.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from api.accounts.models import Role, User
from api.bookings.selectors import BookingView, booking_detail, view_of
from api.bookings.serializers import BookingCancelInputSerializer, BookingCreateInputSerializer
from api.bookings.services import booking_cancel, booking_create
from api.core.errors import ErrorCode, Problem
from api.followups.selectors import followup_detail
from api.followups.serializers import FollowupResponseInputSerializer
from api.followups.services import followup_answer
from api.messaging.selectors import thread_of
from api.messaging.serializers import MessageSendInputSerializer
from api.messaging.services import message_send

BOOKERS = {Role.DOCTOR, Role.COUNSELLOR}


def _valid(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    return data


class _TargetSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()


def _target(args: dict[str, Any], name: str) -> uuid.UUID:
    value: uuid.UUID = _valid(_TargetSerializer(data={"id": args.get(name)}, context={}))["id"]
    return value


def _book(user: User, args: dict[str, Any]) -> uuid.UUID:
    if user.role not in BOOKERS:
        raise Problem(ErrorCode.PERMISSION_DENIED, "Only doctors and counsellors book conversations.")
    data = BookingCreateInputSerializer(data=args)
    _valid(data)
    return booking_create(doctor=user, **data.to_service()).pk


def _cancel_booking(user: User, args: dict[str, Any]) -> uuid.UUID:
    booking = booking_detail(viewer=user, booking_id=_target(args, "booking"))
    if view_of(user, booking) not in {BookingView.DOCTOR, BookingView.COUNSELLOR}:
        raise Problem(ErrorCode.PERMISSION_DENIED, "Only the doctor or the counsellor can cancel.")
    reason = _valid(BookingCancelInputSerializer(data={"reason": args.get("reason", "")})).get("reason", "")
    return booking_cancel(booking=booking, by=user, reason=reason).pk


def _send_message(user: User, args: dict[str, Any]) -> uuid.UUID:
    thread = thread_of(user=user, thread_id=_target(args, "thread"))
    data = _valid(MessageSendInputSerializer(data={k: v for k, v in args.items() if k != "thread"}))
    message, _created = message_send(thread=thread, sender=user, **data)
    return message.pk


def _submit_followup(user: User, args: dict[str, Any]) -> uuid.UUID:
    followup = followup_detail(viewer=user, followup_id=_target(args, "followup"))
    data = _valid(FollowupResponseInputSerializer(data={"answers": args.get("answers")}))
    return followup_answer(followup=followup, answers=data["answers"]).followup.pk


MUTATIONS: dict[str, Callable[[User, dict[str, Any]], uuid.UUID]] = {
    "book": _book,
    "cancel_booking": _cancel_booking,
    "send_message": _send_message,
    "submit_followup": _submit_followup,
}
