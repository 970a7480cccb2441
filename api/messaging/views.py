"""Secure messaging: devices and their keys, threads, and envelopes the server cannot open."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.authentication import request_user
from api.bookings.models import Booking
from api.core.errors import ErrorCode, Problem
from api.core.pagination import ActivityCursorPagination, ChronologicalCursorPagination
from api.counsellors.models import CounsellorProfile
from api.counsellors.selectors import attach_counsellor_summaries
from api.messaging import examples as ex
from api.messaging import serializers as s
from api.messaging.selectors import (
    device_entries,
    device_of,
    devices_of,
    messages_for_device,
    thread_of,
    threads_of,
)
from api.messaging.services import (
    device_register,
    device_revoke,
    message_send,
    thread_delete,
    thread_mark_read,
    thread_open,
)


class DeviceListView(generics.ListAPIView[Any]):
    serializer_class = s.DeviceOutputSerializer
    pagination_class = ChronologicalCursorPagination

    def get_queryset(self) -> Any:
        return devices_of(user=request_user(self.request))

    @extend_schema(
        tags=["messaging"],
        operation_id="devices_list",
        summary="Your devices",
        description="Your current (not revoked) devices, oldest first.",
        examples=[ex.DEVICE_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DeviceDetailView(APIView):
    problem_codes = (ErrorCode.DEVICE_KEYS_IMMUTABLE, ErrorCode.DEVICE_REVOKED)

    @extend_schema(
        tags=["messaging"],
        operation_id="devices_retrieve",
        summary="One of your devices",
        responses={200: s.DeviceOutputSerializer},
        examples=[ex.DEVICE_EXAMPLE],
    )
    def get(self, request: Request, device_id: uuid.UUID) -> Response:
        return Response(
            s.DeviceOutputSerializer(device_of(user=request_user(request), device_id=device_id)).data
        )

    @extend_schema(
        tags=["messaging"],
        operation_id="devices_put",
        summary="Register a device, or update its push token",
        description=(
            "The id is yours to choose (a UUID made on the device). Send the device's X25519 public key, "
            "its Ed25519 public key and the Ed25519 signature of the former by the latter, all standard "
            "base64; a bad signature is a 400. 201 when new, 200 when only `platform` or `push_token` "
            "changed. Keys never change: other keys under the same id answer `409 device_keys_immutable`, "
            "a revoked device `409 device_revoked`, another user's device id 404."
        ),
        request=s.DeviceRegisterInputSerializer,
        responses={200: s.DeviceOutputSerializer, 201: s.DeviceOutputSerializer},
        examples=[ex.DEVICE_REGISTER_EXAMPLE, ex.DEVICE_EXAMPLE],
    )
    def put(self, request: Request, device_id: uuid.UUID) -> Response:
        data = s.DeviceRegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, created = device_register(
            user=request_user(request), device_id=device_id, **data.to_service()
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.DeviceOutputSerializer(device).data, status=code)

    @extend_schema(
        tags=["messaging"],
        operation_id="devices_revoke",
        summary="Revoke a device",
        description="It receives no more messages, and the envelopes it had are deleted. A lost phone.",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request: Request, device_id: uuid.UUID) -> Response:
        device_revoke(device=device_of(user=request_user(request), device_id=device_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _thread_output(request: Request, thread: Any, *, code: int = status.HTTP_200_OK) -> Response:
    attach_counsellor_summaries([thread])
    return Response(
        s.ThreadOutputSerializer(thread, context={"viewer": request_user(request)}).data, status=code
    )


class ThreadListView(generics.ListAPIView[Any]):
    serializer_class = s.ThreadOutputSerializer
    pagination_class = ActivityCursorPagination
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    def get_queryset(self) -> Any:
        return threads_of(user=request_user(self.request))

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        attach_counsellor_summaries(page or [])
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {"viewer": request_user(self.request)}

    @extend_schema(
        tags=["messaging"],
        operation_id="threads_list",
        summary="Your threads",
        description="Most recently active first, each with how many messages you have not read.",
        examples=[ex.THREAD_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["messaging"],
        operation_id="threads_open",
        summary="Open a thread with a counsellor",
        description=(
            "For a doctor, towards a counsellor they have a booking with (booking opens the thread too). "
            "201 when new, 200 when it already existed. Anyone else gets 403."
        ),
        request=s.ThreadOpenInputSerializer,
        responses={200: s.ThreadOutputSerializer, 201: s.ThreadOutputSerializer},
        examples=[ex.THREAD_OPEN_EXAMPLE, ex.THREAD_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = s.ThreadOpenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        counsellor_id = data.validated_data["counsellor_id"]
        booked = Booking.objects.filter(doctor=request_user(request), counsellor_id=counsellor_id).exists()
        if not booked:
            raise Problem(
                ErrorCode.PERMISSION_DENIED, "You can write to a counsellor you have a booking with."
            )
        counsellor = CounsellorProfile.objects.get(pk=counsellor_id)
        thread, created = thread_open(doctor=request_user(request), counsellor=counsellor)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return _thread_output(request, thread_of(user=request_user(request), thread_id=thread.pk), code=code)


class ThreadDetailView(APIView):
    @extend_schema(
        tags=["messaging"],
        operation_id="threads_retrieve",
        summary="A thread",
        description="Its two participants only; anyone else gets 404.",
        responses={200: s.ThreadOutputSerializer},
        examples=[ex.THREAD_EXAMPLE],
    )
    def get(self, request: Request, thread_id: uuid.UUID) -> Response:
        return _thread_output(request, thread_of(user=request_user(request), thread_id=thread_id))

    @extend_schema(
        tags=["messaging"],
        operation_id="threads_delete",
        summary="Delete a thread for both",
        description="Deletes the thread and every message in it, for both participants. Nothing is kept.",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def delete(self, request: Request, thread_id: uuid.UUID) -> Response:
        thread_delete(thread=thread_of(user=request_user(request), thread_id=thread_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ThreadDevicesView(APIView):
    @extend_schema(
        tags=["messaging"],
        operation_id="threads_devices",
        summary="The thread's current devices and their keys",
        description=(
            "Every current device of both participants, to encrypt a message for. Verify each device's "
            "`key_signature` before use. Participants only: the key directory shows who talks to whom."
        ),
        responses={200: s.ThreadDeviceOutputSerializer(many=True)},
        examples=[ex.THREAD_DEVICE_EXAMPLE],
    )
    def get(self, request: Request, thread_id: uuid.UUID) -> Response:
        return Response(device_entries(thread=thread_of(user=request_user(request), thread_id=thread_id)))


class MessageListView(generics.ListAPIView[Any]):
    serializer_class = s.MessageOutputSerializer
    pagination_class = ChronologicalCursorPagination
    problem_codes = (ErrorCode.DEVICE_LIST_STALE, ErrorCode.NO_RECIPIENT_DEVICE)

    def _thread(self) -> Any:
        if not hasattr(self, "_cached_thread"):
            self._cached_thread = thread_of(
                user=request_user(self.request), thread_id=self.kwargs["thread_id"]
            )
        return self._cached_thread

    def get_queryset(self) -> Any:
        thread = self._thread()
        query = s.MessageListQuerySerializer.of(self.request.query_params)
        return messages_for_device(thread=thread, user=request_user(self.request), device_id=query["device"])

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {"thread": self._thread()}

    @extend_schema(
        tags=["messaging"],
        operation_id="messages_list",
        summary="Messages, as one of your devices can read them",
        description=(
            "Oldest first, cursor-paginated: each message with `device`'s envelope (`nonce`, "
            "`ciphertext`). Messages sent before the device was registered, or past their retention, "
            "are not listed."
        ),
        parameters=[s.MessageListQuerySerializer],
        examples=[ex.MESSAGE_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["messaging"],
        operation_id="messages_send",
        summary="Send a message",
        description=(
            "Envelopes sealed on your device, one for every current device of the thread but the "
            "sending one (`GET /v1/threads/{id}/devices`); else `409 device_list_stale` with the "
            "current `devices`. At most 50 envelopes (400) of at most 64 KiB each (413). A repeated "
            "`client_message_id` stores nothing more and answers 200 with the message stored first. "
            'The other participant is told "you have a new message", with no content.'
        ),
        request=s.MessageSendInputSerializer,
        responses={200: s.MessageSentOutputSerializer, 201: s.MessageSentOutputSerializer},
        examples=[ex.MESSAGE_SEND_EXAMPLE, ex.MESSAGE_SENT_EXAMPLE],
    )
    def post(self, request: Request, thread_id: uuid.UUID) -> Response:
        thread = self._thread()
        data = s.MessageSendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message, created = message_send(thread=thread, sender=request_user(request), **data.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.MessageSentOutputSerializer(message).data, status=code)


class ThreadReadView(APIView):
    @extend_schema(
        tags=["messaging"],
        operation_id="threads_read",
        summary="Mark a thread read",
        description="Everything in it up to now counts as read by you.",
        request=None,
        responses={200: s.ThreadOutputSerializer},
        examples=[ex.THREAD_EXAMPLE],
    )
    def post(self, request: Request, thread_id: uuid.UUID) -> Response:
        thread = thread_of(user=request_user(request), thread_id=thread_id)
        thread_mark_read(thread=thread, user=request_user(request))
        return _thread_output(request, thread_of(user=request_user(request), thread_id=thread_id))
