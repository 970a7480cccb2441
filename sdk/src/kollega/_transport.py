"""The transport: the one place that puts bytes on the wire, and can be replaced in tests.

A transport takes a `Request` and returns a `Response`, or raises `NetworkError` when no answer
came. It does not retry, authenticate or interpret: the client does that above it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from kollega._exceptions import NetworkError


@dataclass(frozen=True)
class Request:
    """An HTTP request as the client built it."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None = None
    timeout: float = 30.0

    def json(self) -> Any:
        """The body decoded as JSON (for tests and transports that want it)."""
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Response:
    """An HTTP response: status, headers (names in lower case) and the raw body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def text(self) -> str:
        return self.body.decode("utf-8") if self.body else ""


class Transport(Protocol):
    """Anything that can send a `Request` and return a `Response`."""

    def send(self, request: Request) -> Response: ...

    def close(self) -> None: ...


class RequestsTransport:
    """The default transport: a pooled `requests.Session`."""

    def __init__(self, *, verify: bool | str = True) -> None:
        self._session = requests.Session()
        self._session.verify = verify

    def send(self, request: Request) -> Response:
        try:
            answer = self._session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body,
                timeout=request.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            # The class name only: a message could carry the URL's query, never a body or token.
            raise NetworkError(
                f"{request.method} {request.url.split('?')[0]}: {type(error).__name__}"
            ) from error
        return Response(
            status=answer.status_code,
            headers={k.lower(): v for k, v in answer.headers.items()},
            body=answer.content,
        )

    def close(self) -> None:
        self._session.close()


class MockTransport:
    """A transport that answers with a function of the request: for tests of code using the SDK.

    The handler may return a `Response` or raise `NetworkError`. `requests` records what was sent.
    """

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self._handler = handler
        self.requests: list[Request] = []

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        return self._handler(request)

    def close(self) -> None:
        pass
