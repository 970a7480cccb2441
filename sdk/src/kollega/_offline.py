"""Offline use: queue actions without a network, read what was last synced, and `sync()` later.

The actions are numbered in the local store's outbox when they are queued; `sync()` pushes the
pending ones with those numbers (`POST /v1/sync/push`), and the server applies each exactly once,
answering a repeat from its record, so a sync interrupted at any point, even by SIGKILL, is simply
run again. Then it pulls what changed (`GET /v1/sync/pull`), each page written with its cursor in
one local transaction.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from kollega._exceptions import APIError, SyncCursorExpired, error_class
from kollega._http import Http
from kollega._messaging import Messaging
from kollega._models import Booking, Followup, Thread
from kollega._store import Store

_PUSH_BATCH = 100
State = Literal["pending", "applied", "rejected"]


@dataclass(frozen=True)
class QueuedAction:
    """An action queued offline: `pending` until a sync settles it as `applied` or `rejected`."""

    sequence: int
    type: str
    state: State
    result: dict[str, Any] | None
    problem: dict[str, Any] | None
    queued_at: datetime
    settled_at: datetime | None

    @property
    def object_id(self) -> str | None:
        """The id of what the action made or changed (the booking, message or follow-up), once applied."""
        return None if self.result is None else str(self.result["id"])

    @property
    def error(self) -> APIError | None:
        """Why it was rejected, as the exception the online call would have raised (a
        `SlotUnavailable` has its `alternatives`)."""
        if self.problem is None:
            return None
        status, code = int(self.problem.get("status", 400)), str(self.problem.get("code", ""))
        return error_class(status=status, code=code)(
            status=status,
            code=code,
            detail=str(self.problem.get("detail", "")),
            request_id=self.problem.get("request_id"),
            problem=self.problem,
        )

    @classmethod
    def _from_row(cls, row: dict[str, Any]) -> QueuedAction:
        return cls(
            sequence=row["sequence"],
            type=row["type"],
            state=row["state"],
            result=row["result"],
            problem=row["problem"],
            queued_at=datetime.fromisoformat(row["queued_at"]),
            settled_at=datetime.fromisoformat(row["settled_at"]) if row["settled_at"] else None,
        )


@dataclass(frozen=True)
class SyncEvent:
    """What a subscriber is told: an action queued or settled, or an object changed by a pull."""

    kind: Literal["action", "change"]
    action: QueuedAction | None = None
    change: dict[str, Any] | None = None


@dataclass(frozen=True)
class SyncReport:
    """What one `sync()` did: the actions it settled, and how many changes it pulled."""

    settled: list[QueuedAction]
    changes: int


class Offline:
    """The outbox and the synced copy: `client.offline` (needs `store=`)."""

    def __init__(self, http: Http, store: Store, messaging: Messaging) -> None:
        self._http = http
        self._store = store
        self._messaging = messaging
        self._subscribers: list[Callable[[SyncEvent], None]] = []
        self._sync_lock = threading.Lock()

    # -- queueing ----------------------------------------------------------------------------

    def book(
        self, *, slot: str, modality: str, category: str | None = None, note: str | None = None
    ) -> QueuedAction:
        """Queues a booking; `sync()` applies it, or settles it `rejected` (`SlotUnavailable`)."""
        args: dict[str, Any] = {"slot": slot, "modality": modality}
        args |= {k: v for k, v in (("category", category), ("note", note)) if v is not None}
        return self._queue("book", args)

    def cancel_booking(self, booking_id: str, *, reason: str = "") -> QueuedAction:
        return self._queue("cancel_booking", {"booking": booking_id, "reason": reason})

    def send_message(self, thread_id: str, text: str) -> QueuedAction:
        """Queues a message. It is sealed at sync time for the thread's devices then; until then its
        text stays only in the local store (a private file), and is dropped from it once sent."""
        return self._queue(
            "send_message", {"thread": thread_id, "client_message_id": str(uuid.uuid4()), "text": text}
        )

    def submit_followup(self, followup_id: str, answers: dict[str, Any]) -> QueuedAction:
        return self._queue("submit_followup", {"followup": followup_id, "answers": answers})

    def _queue(self, type_: str, args: dict[str, Any]) -> QueuedAction:
        sequence = self._store.enqueue(type_, args)
        (action,) = [a for a in self.actions() if a.sequence == sequence]
        self._notify(SyncEvent("action", action=action))
        return action

    # -- reading -----------------------------------------------------------------------------

    def actions(self, *, state: State | None = None) -> list[QueuedAction]:
        """The queued actions in order, with their states."""
        return [QueuedAction._from_row(row) for row in self._store.outbox(state=state)]

    @property
    def synced_at(self) -> datetime | None:
        """When the local copy was last brought up to date: how fresh the reads below are."""
        value = self._store.meta("synced_at")
        return None if value is None else datetime.fromisoformat(value)

    def bookings(self) -> list[Booking]:
        return [Booking.from_json(data) for data in self._store.objects("booking")]

    def threads(self) -> list[Thread]:
        return [Thread.from_json(data) for data in self._store.objects("thread")]

    def followups(self) -> list[Followup]:
        return [Followup.from_json(data) for data in self._store.objects("followup")]

    def subscribe(self, callback: Callable[[SyncEvent], None]) -> Callable[[], None]:
        """Calls `callback` for every action queued or settled and every change pulled; returns a
        function that unsubscribes."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def _notify(self, event: SyncEvent) -> None:
        for callback in list(self._subscribers):
            callback(event)

    # -- syncing -----------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Pushes the pending actions, then pulls every change. Raises `NetworkError` when offline
        (nothing is lost: run it again later)."""
        with self._sync_lock:
            settled = self._push()
            changes = self._pull()
        return SyncReport(settled=settled, changes=changes)

    def _push(self) -> list[QueuedAction]:
        settled: list[QueuedAction] = []
        client_id = self._store.client_id()
        while pending := self._store.outbox(state="pending")[:_PUSH_BATCH]:
            mutations = [
                {"sequence": row["sequence"], "type": row["type"], "args": self._wire_args(row)}
                for row in pending
            ]
            answer = self._http.send(
                "POST", "/v1/sync/push", json_body={"client_id": client_id, "mutations": mutations}
            )
            outcomes = answer.json()["results"]
            self._store.settle(outcomes)
            done = {o["sequence"] for o in outcomes}
            for action in self.actions():
                if action.sequence in done:
                    settled.append(action)
                    self._notify(SyncEvent("action", action=action))
            if not done & {row["sequence"] for row in pending}:
                break  # pragma: no cover (the server answers every mutation it is sent)
        return settled

    def _wire_args(self, row: dict[str, Any]) -> dict[str, Any]:
        args: dict[str, Any] = row["args"]
        if row["type"] != "send_message":
            return args
        messaging = self._messaging
        messaging._ensure_registered()
        devices = messaging.devices(args["thread"])
        return {
            "thread": args["thread"],
            "client_message_id": args["client_message_id"],
            "sender_device_id": messaging.keys.device_id,
            "envelopes": messaging.seal(devices, args.get("text", "")),
        }

    def _pull(self) -> int:
        count = 0
        client_id = self._store.meta("client_id")
        while True:
            cursor = self._store.meta("cursor")
            try:
                page = self._http.get_json("/v1/sync/pull", {"cursor": cursor, "limit": 500})
            except SyncCursorExpired:
                self._store.reset_objects()
                continue
            self._store.apply_changes(page["changes"], cursor=page["cursor"])
            # Outcomes of our own mutations settle the outbox too, should a push's answer be lost.
            mine = [
                c["object"]
                for c in page["changes"]
                if c["kind"] == "mutation" and c["object"] and c["object"]["client_id"] == client_id
            ]
            pending = {a.sequence for a in self.actions(state="pending")}
            self._store.settle([m for m in mine if m["sequence"] in pending])
            for change in page["changes"]:
                self._notify(SyncEvent("change", change=change))
            count += len(page["changes"])
            if not page["has_more"]:
                return count
