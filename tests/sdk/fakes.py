"""A scripted server for SDK tests: an injected transport answering from a queue of responses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import kollega


def answer(status: int, body: Any = None, **headers: str) -> kollega.Response:
    raw = b"" if body is None else json.dumps(body).encode()
    media = "application/problem+json" if status >= 400 else "application/json"
    return kollega.Response(
        status=status,
        headers={"content-type": media} | {k.replace("_", "-").lower(): v for k, v in headers.items()},
        body=raw,
    )


def problem(status: int, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"/problems/{code}",
        "title": code,
        "status": status,
        "detail": code,
        "code": code,
        "request_id": "req-1",
    } | extra


def token_pair(name: str, *, expires_in: float = 300) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "access": f"access-{name}",
        "refresh": f"refresh-{name}",
        "token_type": "Bearer",
        "access_expires_at": (now + timedelta(seconds=expires_in)).isoformat(),
        "refresh_expires_at": (now + timedelta(hours=12)).isoformat(),
        "session_id": "0b6a2c1e-7d3f-4e59-9a1b-5c8d2e4f6a70",
    }


class Script:
    """Answers each request with the next scripted response (or raised error), recording requests."""

    def __init__(self, *responses: kollega.Response | Exception | Callable[[kollega.Request], Any]) -> None:
        self.queue = list(responses)
        self.transport = kollega.MockTransport(self._next)
        self.waits: list[float] = []

    def _next(self, request: kollega.Request) -> kollega.Response:
        item = self.queue.pop(0)
        if callable(item) and not isinstance(item, kollega.Response):
            item = item(request)
        if isinstance(item, Exception):
            raise item
        return item

    @property
    def requests(self) -> list[kollega.Request]:
        return self.transport.requests

    def client(self, **options: Any) -> kollega.Client:
        options.setdefault("tokens", kollega.Tokens.from_json(token_pair("one")))
        retry = kollega.Retry(sleep=self.waits.append, uniform=lambda low, high: high)
        return kollega.Client("https://api.test", transport=self.transport, retry=retry, **options)
