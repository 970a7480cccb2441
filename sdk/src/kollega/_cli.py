"""The `kollega` command: sign in once, then find slots, book, and see bookings and follow-ups.

    kollega login --base-url https://api.example.org --email kari@example.org
    kollega availability --region vestland --days 14
    kollega book SLOT_ID --modality video
    kollega bookings
    kollega followups --status due
    KOLLEGA_SECRET_KEY=sk_... kollega metrics export --base-url https://api.example.org \
        --start 2026-01 --end 2026-12 --format csv --output figures/

The session's tokens are kept in a credentials file only its owner can read (mode 0600; by default
$XDG_CONFIG_HOME/kollega/credentials.json), renewed there as they rotate, and removed by `logout`.
The password is never stored. `metrics export` uses an organisation's secret key instead, read from
the KOLLEGA_SECRET_KEY environment variable so that it stays out of the shell's history.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from kollega._client import Client
from kollega._exceptions import KollegaError, SlotUnavailable
from kollega._messaging import _write_private
from kollega._models import Tokens
from kollega._resources import METRICS


def _default_credentials() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kollega" / "credentials.json"


def _tokens_json(tokens: Tokens) -> dict[str, Any]:
    data = dataclasses.asdict(tokens)
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


class _Credentials:
    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, base_url: str, tokens: Tokens) -> None:
        _write_private(self.path, json.dumps({"base_url": base_url, "tokens": _tokens_json(tokens)}))
        # An existing file keeps its mode on open(); make sure it is the owner's alone.
        self.path.chmod(0o600)

    def load(self) -> tuple[str, Tokens]:
        if not self.path.exists():
            raise SystemExit("Not signed in: run `kollega login` first.")
        data = json.loads(self.path.read_text())
        return data["base_url"], Tokens.from_json(data["tokens"])

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def _client(credentials: _Credentials) -> Client:
    base_url, tokens = credentials.load()
    return Client(base_url, tokens=tokens, on_tokens=lambda new: credentials.save(base_url, new))


def _print_rows(out: TextIO, rows: list[list[str]]) -> None:
    if not rows:
        out.write("(none)\n")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n"
        )


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _login(args: argparse.Namespace, credentials: _Credentials, out: TextIO) -> None:
    email = args.email or input("E-mail: ")
    password = os.environ.get("KOLLEGA_PASSWORD") or getpass.getpass("Password: ")
    with Client(args.base_url) as client:
        tokens = client.login(email, password)
    credentials.save(args.base_url, tokens)
    out.write(f"Signed in; credentials kept in {credentials.path}\n")


def _logout(credentials: _Credentials, out: TextIO) -> None:
    with _client(credentials) as client:
        client.logout()
    credentials.remove()
    out.write("Signed out.\n")


def _availability(args: argparse.Namespace, credentials: _Credentials, out: TextIO) -> None:
    start = datetime.now(UTC)
    with _client(credentials) as client:
        slots = client.availability.list(
            start=start, end=start + timedelta(days=args.days), region=args.region, modality=args.modality
        )
        rows = [[s.id, _when(s.start), s.counsellor.display_name, ",".join(s.modalities)] for s in slots]
    if args.json:
        out.write(
            json.dumps([dict(zip(("id", "start", "counsellor", "modalities"), r, strict=True)) for r in rows])
            + "\n"
        )
    else:
        _print_rows(out, rows)


def _book(args: argparse.Namespace, credentials: _Credentials, out: TextIO) -> None:
    with _client(credentials) as client:
        try:
            booking = client.bookings.book(slot=args.slot, modality=args.modality)
        except SlotUnavailable as taken:
            out.write("That slot was just taken. Open instead:\n")
            _print_rows(out, [[s.id, _when(s.start), s.counsellor.display_name] for s in taken.alternatives])
            raise SystemExit(1) from None
    out.write(f"Booked {booking.id}: {_when(booking.start)} with {booking.counsellor.display_name}\n")


def _bookings(args: argparse.Namespace, credentials: _Credentials, out: TextIO) -> None:
    with _client(credentials) as client:
        rows = [
            [b.id, _when(b.start), b.status, b.modality, b.counsellor.display_name]
            for b in client.bookings.list(status=args.status)
        ]
    _print_rows(out, rows)


def _followups(args: argparse.Namespace, credentials: _Credentials, out: TextIO) -> None:
    with _client(credentials) as client:
        rows = [
            [f.id, f.status, f.questionnaire.title, _when(f.due_at)]
            for f in client.followups.list(status=args.status)
        ]
    _print_rows(out, rows)


def _progress(done: int, total: int, label: str, *, err: TextIO) -> None:
    """A progress bar on standard error, redrawn in place, so that it never mixes with the output."""
    width = 24
    filled = width * done // total
    err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<20}")
    if done == total:
        err.write("\n")
    err.flush()


def _metrics_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    key = os.environ.get("KOLLEGA_SECRET_KEY")
    if not key:
        raise SystemExit("Set KOLLEGA_SECRET_KEY to the organisation's secret key (sk_...).")
    metrics = args.metric or list(METRICS)
    output = Path(args.output) if args.output else None
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
    group_by = None if args.group_by is None else [d for d in args.group_by.split(",") if d]
    with Client(args.base_url, api_key=key) as client:
        for done, metric in enumerate(metrics):
            _progress(done, len(metrics), metric, err=err)
            if args.format == "csv":
                text = client.metrics.csv(metric, start=args.start, end=args.end, group_by=group_by)
            else:
                table = client.metrics.table(metric, start=args.start, end=args.end, group_by=group_by)
                text = json.dumps(
                    {**dataclasses.asdict(table), "as_of": table.as_of and table.as_of.isoformat()}
                )
            if output is None:
                out.write(text if text.endswith("\n") else text + "\n")
            else:
                (output / f"{metric}.{args.format}").write_text(text)
        _progress(len(metrics), len(metrics), "done", err=err)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kollega", description="The Kollega peer-support API from the shell."
    )
    parser.add_argument(
        "--credentials", type=Path, default=None, help="the credentials file (default: %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    login = commands.add_parser("login", help="sign in and keep the session's tokens")
    login.add_argument("--base-url", required=True)
    login.add_argument("--email")
    commands.add_parser("logout", help="end the session and forget its tokens")
    availability = commands.add_parser("availability", help="open slots")
    availability.add_argument("--region")
    availability.add_argument("--modality", choices=["phone", "video", "in_person"])
    availability.add_argument("--days", type=int, default=14)
    availability.add_argument("--json", action="store_true")
    book = commands.add_parser("book", help="book a slot")
    book.add_argument("slot")
    book.add_argument("--modality", required=True, choices=["phone", "video", "in_person"])
    bookings = commands.add_parser("bookings", help="your bookings")
    bookings.add_argument("--status")
    followups = commands.add_parser("followups", help="your follow-ups")
    followups.add_argument("--status", choices=["due", "answered", "expired"])
    metrics = commands.add_parser("metrics", help="anonymised figures, with a secret key").add_subparsers(
        dest="action", required=True
    )
    export = metrics.add_parser("export", help="download metrics as CSV or JSON")
    export.add_argument("--base-url", required=True)
    export.add_argument(
        "--metric", action="append", choices=METRICS, help="repeat for several (default: all)"
    )
    export.add_argument("--start", help="the first month, YYYY-MM")
    export.add_argument("--end", help="the last month, YYYY-MM")
    export.add_argument("--group-by", help="comma-separated dimensions; empty for totals only")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", help="a folder for one file per metric (default: standard output)")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    args = _parser().parse_args(argv)
    credentials = _Credentials(args.credentials or _default_credentials())
    try:
        if args.command == "login":
            _login(args, credentials, out)
        elif args.command == "logout":
            _logout(credentials, out)
        elif args.command == "availability":
            _availability(args, credentials, out)
        elif args.command == "book":
            _book(args, credentials, out)
        elif args.command == "bookings":
            _bookings(args, credentials, out)
        elif args.command == "followups":
            _followups(args, credentials, out)
        elif args.command == "metrics":
            _metrics_export(args, out, err)
    except KollegaError as error:
        err.write(f"kollega: {error}\n")
        return 1
    return 0
