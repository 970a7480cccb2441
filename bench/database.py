"""The bench's own PostgreSQL database: named safely, created on the server of DATABASE_URL, dropped after."""

from __future__ import annotations

import argparse
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def bench_database(name: str) -> str:
    """An argparse type: the database name, if it is plainly a bench database."""
    # The bench drops this database first and last: never let it be one that holds real data.
    if "bench" not in name:
        raise argparse.ArgumentTypeError(f"{name!r} is not a bench database (its name must contain bench)")
    return name


def database_url(server: str, database: str) -> str:
    """DATABASE_URL with its database replaced: the URL names the server only."""
    parts = urlsplit(server)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"bench: DATABASE_URL must be a postgres:// URL, not {parts.scheme or server!r}")
    return urlunsplit(parts._replace(path=f"/{database}"))


def database_recreate(admin_url: str, name: str, *, create: bool) -> None:
    """Drops the database (closing its connections) and, with `create`, makes it again empty."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def production_environment(url: str, *, settings_module: str, allowed_hosts: str, **extra: str) -> None:
    """Production settings on the bench database, with throwaway keys; `extra` adds variables.

    DEBUG stays off: with it Django records every query, which is not what a server pays. The
    user throttle still runs on every request; only its limit is out of reach of the rounds.
    """
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "JWT_SIGNING_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": allowed_hosts,
            "THROTTLE_USER": "1000000/min",
        }
        | extra
    )
