"""The API's resources as the client exposes them: `client.counsellors`, `client.bookings`, ..."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from kollega._http import Http
from kollega._models import Booking, Counsellor, Followup, FollowupDetail, Me, MetricTable, Slot


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class Counsellors:
    """Peer counsellors: `client.counsellors`."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def list(
        self, *, region: str | None = None, language: str | None = None, modality: str | None = None
    ) -> Iterator[Counsellor]:
        """Every counsellor you can book, by name; fetches further pages as you iterate."""
        params = {"region": region, "language": language, "modality": modality}
        return self._http.pages("/v1/counsellors", Counsellor, params)

    def get(self, counsellor_id: str) -> Counsellor:
        return Counsellor.from_json(self._http.get_json(f"/v1/counsellors/{counsellor_id}"))


class Availability:
    """Open slots across counsellors: `client.availability`."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def list(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        region: str | None = None,
        language: str | None = None,
        modality: str | None = None,
        counsellor: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[Slot]:
        """Open slots in time order; fetches further pages as you iterate."""
        params = {
            "start": _iso(start),
            "end": _iso(end),
            "region": region,
            "language": language,
            "modality": modality,
            "counsellor": counsellor,
            "limit": page_size,
        }
        return self._http.pages("/v1/availability", Slot, params)


class Bookings:
    """Your conversations: `client.bookings`."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def book(
        self,
        *,
        slot: str,
        modality: str,
        category: str | None = None,
        note: str | None = None,
        contact_phone: str | None = None,
        idempotency_key: str | None = None,
    ) -> Booking:
        """Books a slot. Raises `SlotUnavailable` (with `alternatives`) when it was taken first."""
        body: dict[str, Any] = {"slot": slot, "modality": modality}
        for name, value in (("category", category), ("note", note), ("contact_phone", contact_phone)):
            if value is not None:
                body[name] = value
        answer = self._http.send("POST", "/v1/bookings", json_body=body, idempotency_key=idempotency_key)
        return Booking.from_json(answer.json())

    def list(self, *, status: str | None = None) -> Iterator[Booking]:
        return self._http.pages("/v1/bookings", Booking, {"status": status})

    def get(self, booking_id: str) -> Booking:
        return Booking.from_json(self._http.get_json(f"/v1/bookings/{booking_id}"))

    def cancel(self, booking_id: str, *, reason: str = "", idempotency_key: str | None = None) -> Booking:
        body = {"reason": reason} if reason else {}
        answer = self._http.send(
            "POST", f"/v1/bookings/{booking_id}/cancel", json_body=body, idempotency_key=idempotency_key
        )
        return Booking.from_json(answer.json())

    def reschedule(self, booking_id: str, *, slot: str, modality: str | None = None) -> Booking:
        """Moves the booking to another open slot; `SlotUnavailable` leaves it as it was."""
        body = {"slot": slot} | ({"modality": modality} if modality else {})
        answer = self._http.send("POST", f"/v1/bookings/{booking_id}/reschedule", json_body=body)
        return Booking.from_json(answer.json())

    def complete(self, booking_id: str) -> Booking:
        """(Counsellors) records that the conversation took place; schedules its follow-ups."""
        answer = self._http.send("POST", f"/v1/bookings/{booking_id}/complete", json_body={})
        return Booking.from_json(answer.json())

    def no_show(self, booking_id: str) -> Booking:
        """(Counsellors) records that the doctor did not come."""
        answer = self._http.send("POST", f"/v1/bookings/{booking_id}/no-show", json_body={})
        return Booking.from_json(answer.json())

    def calendar(self, booking_id: str) -> str:
        """The booking as an iCalendar file (neutral text), for a calendar app."""
        answer = self._http.send("GET", f"/v1/bookings/{booking_id}/calendar.ics", accept="text/calendar")
        return answer.body.decode()


class Followups:
    """Follow-up questionnaires: `client.followups`."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def list(self, *, status: str | None = None) -> Iterator[Followup]:
        """Your follow-ups, newest first; `status` is `due`, `answered` or `expired`."""
        return self._http.pages("/v1/followups", Followup, {"status": status})

    def get(self, followup_id: str) -> FollowupDetail:
        """One follow-up with its questionnaire's items, in your language."""
        return FollowupDetail.from_json(self._http.get_json(f"/v1/followups/{followup_id}"))

    def answer(
        self, followup_id: str, answers: dict[str, Any], *, idempotency_key: str | None = None
    ) -> FollowupDetail:
        """Answers a follow-up once; the server scores it. `ValidationError` names each item's problem."""
        answer = self._http.send(
            "POST",
            f"/v1/followups/{followup_id}/response",
            json_body={"answers": answers},
            idempotency_key=idempotency_key,
        )
        return FollowupDetail.from_json(answer.json())


class Account:
    """The signed-in account: `client.me`."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def get(self) -> Me:
        return Me.from_json(self._http.get_json("/v1/me"))

    def update(self, *, alias: str | None = None, language: str | None = None) -> Me:
        body = {k: v for k, v in (("alias", alias), ("language", language)) if v is not None}
        return Me.from_json(self._http.send("PATCH", "/v1/me", json_body=body).json())


METRICS = ("bookings", "help-seeking", "cancellations", "waiting-time", "wellbeing", "followup-response")


class Metrics:
    """Anonymised figures of the organisation of the client's secret key: `client.metrics`.

    Needs `Client(..., api_key="sk_...")` with the `metrics:read` scope. Months are `YYYY-MM`;
    `group_by` takes dimensions from the metric's list (docs/metrics.md); `[]` gives totals only.
    """

    def __init__(self, http: Http) -> None:
        self._http = http

    def _params(
        self, start: str | None, end: str | None, group_by: list[str] | None
    ) -> dict[str, str | None]:
        return {"start": start, "end": end, "group_by": None if group_by is None else ",".join(group_by)}

    def table(
        self,
        metric: str,
        *,
        start: str | None = None,
        end: str | None = None,
        group_by: list[str] | None = None,
    ) -> MetricTable:
        """The figures as a table of entries."""
        return MetricTable.from_json(
            self._http.get_json(f"/v1/metrics/{metric}", self._params(start, end, group_by))
        )

    def csv(
        self,
        metric: str,
        *,
        start: str | None = None,
        end: str | None = None,
        group_by: list[str] | None = None,
    ) -> str:
        """The same figures as CSV text, a header line first."""
        response = self._http.send(
            "GET", f"/v1/metrics/{metric}", params=self._params(start, end, group_by), accept="text/csv"
        )
        return response.text()
