"""The local SQLite store of an offline-capable client: synced objects, the cursor, the outbox.

Every change to the file is one SQLite transaction, so a process killed at any instant leaves it
as it was before or after that step, never between: a queued action is there with its sequence or
not at all; a pulled page and the cursor that follows it are written together.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS outbox (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    args TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    result TEXT,
    problem TEXT,
    queued_at TEXT NOT NULL,
    settled_at TEXT
);
"""


# How many times a queued message is sealed again after `device_list_stale`.
_RESEALS = 3


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Store:
    """One SQLite file (created with mode 0600); safe to share between the threads of one client."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # Created private from the start: it holds queued messages before they are sealed.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- meta --------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
            (key, value, value),
        )

    def client_id(self) -> str:
        """This installation's id for the server's record of its mutations, made once."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'client_id'").fetchone()
            if row is not None:
                return str(row[0])
            made = str(uuid.uuid4())
            self.set_meta(db, "client_id", made)
            return made

    # -- objects -----------------------------------------------------------------------------

    def apply_changes(self, changes: list[dict[str, Any]], *, cursor: str) -> None:
        """Writes a pulled page and its cursor in one transaction (upserts and tombstones)."""
        with self.transaction() as db:
            for change in changes:
                if change["op"] == "delete":
                    db.execute(
                        "DELETE FROM objects WHERE kind = ? AND id = ?", (change["kind"], change["id"])
                    )
                    if change["kind"] == "thread":
                        # A deleted thread takes its messages with it.
                        db.execute(
                            "DELETE FROM objects WHERE kind = 'message' "
                            "AND json_extract(data, '$.thread_id') = ?",
                            (change["id"],),
                        )
                else:
                    data = json.dumps(change["object"])
                    db.execute(
                        "INSERT INTO objects(kind, id, version, data) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(kind, id) DO UPDATE "
                        "SET version = excluded.version, data = excluded.data",
                        (change["kind"], change["id"], change["version"], data),
                    )
            self.set_meta(db, "cursor", cursor)
            self.set_meta(db, "synced_at", _now())

    def reset_objects(self) -> None:
        """Forgets every synced object and the cursor (after a 410): the next pull starts afresh."""
        with self.transaction() as db:
            db.execute("DELETE FROM objects")
            db.execute("DELETE FROM meta WHERE key IN ('cursor', 'synced_at')")

    def objects(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM objects WHERE kind = ? ORDER BY version", (kind,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    # -- outbox ------------------------------------------------------------------------------

    def enqueue(self, type_: str, args: dict[str, Any]) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO outbox(type, args, queued_at) VALUES (?, ?, ?)",
                (type_, json.dumps(args), _now()),
            )
            sequence = cursor.lastrowid
        assert sequence is not None  # noqa: S101 (an INSERT into a rowid table)
        return sequence

    def outbox(self, *, state: str | None = None) -> list[dict[str, Any]]:
        query = "SELECT sequence, type, args, state, result, problem, queued_at, settled_at FROM outbox"
        params: tuple[str, ...] = ()
        if state is not None:
            query += " WHERE state = ?"
            params = (state,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY sequence", params).fetchall()
        return [
            {
                "sequence": row[0],
                "type": row[1],
                "args": json.loads(row[2]),
                "state": row[3],
                "result": json.loads(row[4]) if row[4] else None,
                "problem": json.loads(row[5]) if row[5] else None,
                "queued_at": row[6],
                "settled_at": row[7],
            }
            for row in rows
        ]

    def settle(self, outcomes: list[dict[str, Any]]) -> None:
        """Records the server's outcomes; a settled message's plaintext is dropped from the outbox.

        A message refused because the thread's devices changed between sealing and sending is
        queued again (with the same `client_message_id`, which the server never stores twice), in
        the same transaction, a few times at most.
        """
        with self.transaction() as db:
            for outcome in outcomes:
                row = db.execute(
                    "SELECT type, args FROM outbox WHERE sequence = ?", (outcome["sequence"],)
                ).fetchone()
                if row is None:
                    continue
                args = json.loads(row[1])
                if row[0] == "send_message":
                    stale = (outcome.get("problem") or {}).get("code") == "device_list_stale"
                    if stale and args.get("resealed", 0) < _RESEALS:
                        again = args | {"resealed": args.get("resealed", 0) + 1}
                        db.execute(
                            "INSERT INTO outbox(type, args, queued_at) VALUES (?, ?, ?)",
                            (row[0], json.dumps(again), _now()),
                        )
                    args.pop("text", None)
                db.execute(
                    "UPDATE outbox SET state = ?, result = ?, problem = ?, args = ?, settled_at = ? "
                    "WHERE sequence = ?",
                    (
                        outcome["status"],
                        json.dumps(outcome["result"]) if outcome.get("result") is not None else None,
                        json.dumps(outcome["problem"]) if outcome.get("problem") is not None else None,
                        json.dumps(args),
                        _now(),
                        outcome["sequence"],
                    ),
                )

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def wipe(self) -> None:
        """Deletes the file and its journal: on logout nothing of the user stays on the device."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
