"""`GET /v1/sync/pull`: the time and bytes of pulling 1,000 changes, and of an empty pull.

    .venv/bin/python -m bench.sync_pull              # the local PostgreSQL, 127.0.0.1:5432
    .venv/bin/python -m bench.sync_pull --rounds 50

Like the other benches it makes a database of its own on the server of DATABASE_URL
(`kollega_bench_sync`) and drops it after. One doctor has 1,000 changes in the log: 600 bookings
with 20 counsellors and 400 messages in their 20 threads (each message also touches its thread, so
the log holds 1,420 rows for the doctor, 1,020 distinct objects), among 20,000 changes of 200 other
doctors. A full pull is two pages of 500 (the largest page); an empty pull is one with the cursor
the full pull ended on. Timed in process through the whole stack (middleware, DRF, the ORM,
serializers) with production settings; bytes are the uncompressed JSON bodies. It measures and
reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import django

from bench.database import DEFAULT_SERVER, bench_database, database_recreate, database_url

RESULTS = Path(__file__).resolve().parent / "results" / "sync_pull.json"


def _options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database", type=bench_database, default="kollega_bench_sync")
    return parser.parse_args(argv)


def _environment(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "api.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ["JWT_SIGNING_KEY"] = secrets.token_urlsafe(48)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["THROTTLE_USER"] = "1000000/min"


def _populate() -> Any:
    """The doctor whose pulls are timed; the log filled through `change_record`, as services do."""
    from django.core.management import call_command  # noqa: PLC0415 (after django.setup())
    from django.utils import timezone  # noqa: PLC0415

    from api.accounts.models import Role, User  # noqa: PLC0415
    from api.availability.models import Slot  # noqa: PLC0415
    from api.bookings.models import Booking  # noqa: PLC0415
    from api.counsellors.models import CounsellorProfile  # noqa: PLC0415
    from api.messaging.models import Message, Thread  # noqa: PLC0415
    from api.organisations.models import Organisation  # noqa: PLC0415
    from api.sync.log import change_record  # noqa: PLC0415
    from api.sync.models import ChangeKind  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    now = timezone.now()
    org = Organisation.objects.create(name="Bench", slug="bench", country="NO")
    doctor = User.objects.create_user(
        email="doctor@bench.invalid", password=None, role=Role.DOCTOR, alias="D"
    )
    others = User.objects.bulk_create(
        User(email=f"d{n}@bench.invalid", role=Role.DOCTOR, alias=f"D{n}") for n in range(200)
    )
    counsellors = []
    for n in range(20):
        user = User.objects.create_user(
            email=f"c{n}@bench.invalid", password=None, role=Role.COUNSELLOR, alias=f"C{n}", organisation=org
        )
        counsellors.append(
            CounsellorProfile.objects.create(user=user, organisation=org, display_name=f"C{n}", phone=True)
        )
    for n in range(600):
        counsellor = counsellors[n % 20]
        start = now + timedelta(days=2, hours=n)
        slot = Slot.objects.create(
            counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
        )
        booking = Booking.objects.create(
            slot=slot, counsellor=counsellor, doctor=doctor, start=start, end=slot.end, modality="phone"
        )
        change_record(kind=ChangeKind.BOOKING, object_id=booking.pk, user_ids=[doctor.pk, counsellor.user_id])
    threads = [Thread.objects.create(doctor=doctor, counsellor=c, last_activity_at=now) for c in counsellors]
    for n in range(400):
        thread = threads[n % 20]
        message = Message.objects.create(
            thread=thread,
            sender=doctor,
            client_message_id=uuid.uuid4(),
            created_at=now,
            expires_at=now + timedelta(days=90),
        )
        users = [doctor.pk, thread.counsellor.user_id]
        change_record(kind=ChangeKind.MESSAGE, object_id=message.pk, user_ids=users)
        change_record(kind=ChangeKind.THREAD, object_id=thread.pk, user_ids=users)
    for n in range(20_000):
        change_record(kind=ChangeKind.BOOKING, object_id=booking.pk, user_ids=[others[n % 200].pk])
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return doctor


def _pull_all(client: Any, token: str, cursor: str | None) -> tuple[float, int, int, str]:
    started = time.perf_counter()
    size = changes = 0
    while True:
        params = {"limit": "500"} | ({"cursor": cursor} if cursor else {})
        response = client.get("/v1/sync/pull", params, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content[:300]
        size += len(response.content)
        body = json.loads(response.content)
        changes += len(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"]:
            return time.perf_counter() - started, size, changes, cursor


def main(argv: Sequence[str] | None = None) -> int:
    options = _options(argv)
    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    admin_url = database_url(server, "postgres")
    _environment(database_url(server, options.database))
    database_recreate(admin_url, options.database, create=True)
    try:
        django.setup()
        from django.test import Client  # noqa: PLC0415

        from api.accounts.sessions import session_start  # noqa: PLC0415

        doctor = _populate()
        token = session_start(user=doctor).access
        client = Client()
        full, empty = [], []
        for _ in range(options.rounds):
            seconds, size, changes, cursor = _pull_all(client, token, None)
            full.append((seconds, size, changes))
            seconds, size, changes, _ = _pull_all(client, token, cursor)
            empty.append((seconds, size, changes))
    finally:
        from django.db import connections  # noqa: PLC0415

        connections.close_all()
        database_recreate(admin_url, options.database, create=False)
    report = {
        "rounds": options.rounds,
        "full_pull": {
            "changes": full[0][2],
            "bytes": full[0][1],
            "median_ms": round(statistics.median(s for s, _, _ in full) * 1000, 1),
            "p90_ms": round(sorted(s for s, _, _ in full)[int(len(full) * 0.9) - 1] * 1000, 1),
        },
        "empty_pull": {
            "changes": empty[0][2],
            "bytes": empty[0][1],
            "median_ms": round(statistics.median(s for s, _, _ in empty) * 1000, 2),
            "p90_ms": round(sorted(s for s, _, _ in empty)[int(len(empty) * 0.9) - 1] * 1000, 2),
        },
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
