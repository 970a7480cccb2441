"""Whether the process can serve: the database answers and the broker is reachable."""

from __future__ import annotations

from pathlib import Path

import redis
from django.conf import settings
from django.db import connection


def database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        return False


def broker_ready() -> bool:
    if settings.REDIS_URL:
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
            return bool(client.ping())
        except redis.RedisError:
            return False
    folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
    return folder.is_dir()


def readiness_checks() -> dict[str, bool]:
    return {"database": database_ready(), "broker": broker_ready()}
