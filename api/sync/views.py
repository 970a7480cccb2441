"""Offline sync: pull what changed for you since a cursor; push the actions you queued offline."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.models import User
from api.core.errors import ErrorCode
from api.sync import serializers as s
from api.sync.examples import PULL_EXAMPLE, PUSH_EXAMPLE, PUSHED_EXAMPLE
from api.sync.selectors import changes_since, cursor_for, cursor_version, mutation_representation
from api.sync.services import sync_push


def _user(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


class SyncPullView(APIView):
    problem_codes = (ErrorCode.INVALID_CURSOR, ErrorCode.SYNC_CURSOR_EXPIRED)

    @extend_schema(
        tags=["sync"],
        operation_id="sync_pull",
        summary="What changed for you",
        description=(
            "Your bookings, threads, messages, follow-ups and the outcomes of your pushed mutations "
            "that changed since `cursor`, oldest first, the latest state of each object once: an "
            "`upsert` with the object as its GET shows it, or a `delete` tombstone when it is gone or "
            "no longer yours to see. Pull again with the returned `cursor` while `has_more`. Without a "
            "cursor, from the start of the log. `410 sync_cursor_expired` for a cursor older than 30 "
            "days or issued to someone else: pull without one."
        ),
        parameters=[s.SyncPullQuerySerializer],
        responses={200: s.SyncPullOutputSerializer},
        examples=[PULL_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        query = s.SyncPullQuerySerializer.of(request.query_params)
        user = _user(request)
        version = cursor_version(user=user, cursor=query.get("cursor"))
        page = changes_since(user=user, version=version, limit=query["limit"])
        body = {
            "cursor": cursor_for(user=user, version=page.version),
            "has_more": page.has_more,
            "changes": page.changes,
        }
        return Response(s.SyncPullOutputSerializer(body).data)


class SyncPushView(APIView):
    problem_codes = (ErrorCode.PERMISSION_DENIED,)

    @extend_schema(
        tags=["sync"],
        operation_id="sync_push",
        summary="Apply queued actions",
        description=(
            "Applies a client's numbered mutations (`book`, `cancel_booking`, `send_message`, "
            "`submit_followup`) in sequence order, each once and in its own transaction, with the "
            "same rules as the endpoints they stand for. A mutation already applied is answered from "
            "its record. A refusal (the slot was taken, a field is invalid) is `rejected` with its "
            "problem, and the sequence still advances; it is never retried. Outcomes also come in "
            "`GET /v1/sync/pull`."
        ),
        request=s.SyncPushInputSerializer,
        responses={200: s.SyncPushOutputSerializer},
        examples=[PUSH_EXAMPLE, PUSHED_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = s.SyncPushInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = sync_push(user=_user(request), **data.to_service())
        body: dict[str, Any] = {"results": [mutation_representation(m) for m in outcomes]}
        return Response(s.SyncPushOutputSerializer(body).data)
