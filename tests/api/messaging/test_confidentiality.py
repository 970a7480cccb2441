"""The promise: a message's words are nowhere on the server, not in the database, Redis or the logs."""

from __future__ import annotations

import base64
import logging
import secrets
import shutil
import subprocess

import pytest
import redis
from django.conf import settings
from django.db import connection

from api.messaging.models import Envelope
from tests.api.messaging.conftest import AppDevice

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def forms_of(text: str) -> list[bytes]:
    """The canary as it could be stored: its bytes, in hex (bytea dumps), in base64."""
    raw = text.encode()
    return [raw, raw.hex().encode(), base64.b64encode(raw), text[8:40].encode()]


def database_dump() -> bytes:
    options = connection.settings_dict
    command = [
        shutil.which("pg_dump") or "pg_dump",
        "--data-only",
        "--host",
        options["HOST"] or "127.0.0.1",
        "--port",
        str(options["PORT"] or 5432),
        "--username",
        options["USER"] or "postgres",
        options["NAME"],
    ]
    env = {"PGPASSWORD": options["PASSWORD"] or ""}
    return subprocess.run(command, check=True, capture_output=True, env=env, timeout=60).stdout  # noqa: S603


def redis_dump() -> bytes:
    """Every key and value in the configured Redis database (broker queues and cache)."""
    client = redis.Redis.from_url(str(settings.REDIS_URL))
    chunks: list[object] = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        if kind == b"string":
            chunks.append(client.get(key))
        elif kind == b"list":
            chunks.extend(client.lrange(key, 0, -1))
        elif kind == b"hash":
            chunks.extend(client.hgetall(key).items())
        elif kind in (b"set", b"zset"):
            chunks.extend(client.smembers(key) if kind == b"set" else client.zrange(key, 0, -1))
        chunks.append(key)
    return b"\n".join(repr(chunk).encode() for chunk in chunks)


def test_a_canary_sentence_is_readable_by_the_participants_and_found_nowhere_on_the_server(
    thread_id, doctor_api, counsellor_api, caplog, capfd
):
    canary = f"Canary {secrets.token_hex(16)}: I have not slept for a week."
    reply = f"Reply {secrets.token_hex(16)}: let us talk on Friday."
    caplog.set_level(logging.DEBUG)
    doctor_phone = AppDevice(doctor_api).register()
    doctor_laptop = AppDevice(doctor_api).register()
    counsellor_phone = AppDevice(counsellor_api).register()

    sent = doctor_phone.api.post(
        f"/v1/threads/{thread_id}/messages",
        {
            "client_message_id": "5d3b7f0e-2a44-4c1c-9a6b-0b0c8e1f2a3d",
            "sender_device_id": doctor_phone.id,
            "envelopes": doctor_phone.seal(doctor_phone.devices(thread_id), canary),
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="canary-send",
    )
    assert sent.status_code == 201
    assert counsellor_phone.send(thread_id, reply).status_code == 201

    assert counsellor_phone.read(thread_id) == [canary]
    assert doctor_laptop.read(thread_id) == [canary, reply]
    assert doctor_phone.read(thread_id) == [reply]

    places = {
        "the database": database_dump(),
        "redis": redis_dump(),
        "the logs": "\n".join(r.getMessage() for r in caplog.records).encode(),
        "stdout and stderr": "".join(capfd.readouterr()).encode(),
    }
    # A real dump, holding every envelope's ciphertext (bytea in hex), so a plaintext would show.
    for envelope in Envelope.objects.all():
        assert bytes(envelope.ciphertext).hex().encode() in places["the database"]
    for place, content in places.items():
        for secret in (canary, reply):
            for form in forms_of(secret):
                assert form not in content, f"a message's words were found in {place}"
