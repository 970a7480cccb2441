"""The session behind an access token, with its user and organisation, read by one plain statement.

Every authenticated request reads this. Building and compiling the ORM's three-table
`select_related` query cost about 0.5 ms a request, more than PostgreSQL took to run it
(bench/README.md). The statement here is made once per database from the models' metadata, so
a new field is read without a change here, and values pass through each field's converters as
the ORM passes them; a test holds the result equal to the ORM's.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model
from django.db.models.expressions import Col

from api.accounts.models import AuthSession, User
from api.organisations.models import Organisation


@dataclass(frozen=True)
class _Part:
    """One model's columns in the row: where they are, and which need converting."""

    model: type[Model]
    columns: slice
    names: tuple[str, ...]
    # The columns (as expressions) whose values a converter changes on this database. The
    # converters themselves are asked for on each call: they belong to the thread's connection.
    converted: tuple[tuple[int, Col], ...]

    def instance(self, alias: str, row: Sequence[Any], connection: Any) -> Any:
        values = list(row[self.columns])
        for index, column in self.converted:
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
                values[index] = convert(values[index], column, connection)
        return self.model.from_db(alias, self.names, values)


@dataclass(frozen=True)
class _Reader:
    sql: str
    session: _Part
    user: _Part
    organisation: _Part


def _part(model: type[Model], table: str, start: int, connection: Any) -> tuple[_Part, list[str]]:
    fields = model._meta.concrete_fields
    converted = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        if connection.ops.get_db_converters(column) or column.get_db_converters(connection):
            converted.append((index, column))
    names = [f"{table}.{connection.ops.quote_name(field.column)}" for field in fields]
    part = _Part(
        model=model,
        columns=slice(start, start + len(fields)),
        names=tuple(field.attname for field in fields),
        converted=tuple(converted),
    )
    return part, names


@functools.cache
def _reader(alias: str) -> _Reader:
    connection = connections[alias]
    quote = connection.ops.quote_name
    session, session_columns = _part(AuthSession, "s", 0, connection)
    user, user_columns = _part(User, "u", session.columns.stop, connection)
    organisation, organisation_columns = _part(Organisation, "o", user.columns.stop, connection)
    sql = (
        f"SELECT {', '.join(session_columns + user_columns + organisation_columns)}"  # noqa: S608 (names from the models)
        f" FROM {quote(AuthSession._meta.db_table)} s"
        f" JOIN {quote(User._meta.db_table)} u ON u.id = s.user_id"
        f" LEFT JOIN {quote(Organisation._meta.db_table)} o ON o.id = u.organisation_id"
        " WHERE s.id = %s"
    )
    return _Reader(sql=sql, session=session, user=user, organisation=organisation)


def session_with_user(session_id: uuid.UUID) -> AuthSession | None:
    """The session, its user and the user's organisation (None for staff); None if there is none."""
    alias = AuthSession.objects.db
    connection = connections[alias]
    reader = _reader(alias)
    with connection.cursor() as cursor:
        # As the ORM would send it: SQLite keeps UUIDs as hex text.
        cursor.execute(reader.sql, [AuthSession._meta.pk.get_db_prep_value(session_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    session: AuthSession = reader.session.instance(alias, row, connection)
    user: User = reader.user.instance(alias, row, connection)
    has_organisation = row[reader.organisation.columns][0] is not None
    user.organisation = reader.organisation.instance(alias, row, connection) if has_organisation else None
    session.user = user
    return session
