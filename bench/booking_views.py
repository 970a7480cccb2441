"""The booking baseline: a plain Django function view that books with one INSERT.

No DRF, no ORM, no middleware of the API's own beyond what every view passes through, no
idempotency record, no session lookup, no booking rules, no reminders, no alternatives on a
409. It checks the bearer token's signature and expiry (no query), then runs one statement:
an INSERT into `bench_booking`, a copy of `bookings_booking` with the same columns, indexes,
constraints (the one-active-booking-per-slot index and the no-overlap exclusion constraint)
and foreign keys, that takes the slot's counsellor and times from the slot row in the same
statement. So it is the least a booking endpoint can do and still never double-book: the
database refuses a second booking of a slot, which the view answers with a 409.
"""

from __future__ import annotations

import json
import uuid

from django.db import IntegrityError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

BASELINE_TABLE = "bench_booking"
BOOKING_BASELINE_PATH = "/bench/booking-insert"

# LIKE ... INCLUDING ALL copies columns, defaults, checks, indexes and the exclusion constraint,
# but never foreign keys: those are added by hand, since their checks are part of an insert's cost.
_CREATE = """
CREATE TABLE bench_booking (LIKE bookings_booking INCLUDING ALL);
ALTER TABLE bench_booking
    ADD FOREIGN KEY (slot_id) REFERENCES availability_slot (id) DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (counsellor_id) REFERENCES counsellors_counsellorprofile (id)
        DEFERRABLE INITIALLY DEFERRED,
    ADD FOREIGN KEY (doctor_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;
"""

_INSERT = """
INSERT INTO bench_booking (
    id, slot_id, counsellor_id, doctor_id, start, "end", modality, category, note, contact_phone,
    status, cancelled_by, cancel_reason, cancelled_late, sequence, created_at, updated_at
)
SELECT %s, s.id, s.counsellor_id, %s, s.start, s."end", %s, '', '', '',
    'confirmed', '', '', false, 0, now(), now()
FROM availability_slot s
WHERE s.id = %s AND s.status = 'open'
RETURNING id, slot_id, counsellor_id, start, "end", modality, status
"""


def baseline_table_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(_CREATE)


def _doctor_id(request: HttpRequest) -> str | None:
    """The access token's subject, if its signature and expiry hold; the session is not looked up."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not raw:
        return None
    try:
        token = AccessToken(raw)  # type: ignore[arg-type]
    except TokenError:
        return None
    subject = token.get(jwt_settings.USER_ID_CLAIM)
    return str(subject) if subject else None


def _problem(status: int, code: str) -> JsonResponse:
    return JsonResponse({"status": status, "code": code}, status=status)


@csrf_exempt
@require_POST
def booking_insert(request: HttpRequest) -> JsonResponse:
    doctor_id = _doctor_id(request)
    if doctor_id is None:
        return _problem(401, "not_authenticated")
    try:
        body = json.loads(request.body)
        slot_id, modality = uuid.UUID(body["slot"]), str(body["modality"])
    except (ValueError, KeyError, TypeError):
        return _problem(400, "invalid")
    try:
        # Autocommit: the statement is its own transaction, as one write needs no more.
        with connection.cursor() as cursor:
            cursor.execute(_INSERT, [uuid.uuid4(), doctor_id, modality, slot_id])
            row = cursor.fetchone()
            columns = [column.name for column in cursor.description or ()]
    except IntegrityError:
        return _problem(409, "slot_unavailable")
    if row is None:
        return _problem(404, "not_found")
    return JsonResponse(dict(zip(columns, row, strict=True)), status=201)
