"""The request engine under every resource: authentication, token refresh, retries, errors, pages.

Every call is sent with a bearer token (refreshed before it expires, or once after a 401
`token_invalid`), retried on network errors and on 408/429/5xx with backoff, and every POST
carries an `Idempotency-Key` made for that call and reused by each of its retries, so a retried
POST has one effect. Nothing here logs a token, a password or a body.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from kollega._exceptions import APIError, AuthenticationError, NetworkError, error_class
from kollega._models import Model, Tokens
from kollega._retry import RETRY_STATUSES, Retry, parse_retry_after
from kollega._transport import Request, Response, Transport
from kollega._version import __version__

logger = logging.getLogger("kollega")
M = TypeVar("M", bound=Model)
Params = Mapping[str, str | int | bool | None]

# Refresh a little before the access token expires, so a request does not race its expiry.
_EXPIRY_MARGIN = timedelta(seconds=15)
_REFRESHABLE = frozenset({"token_invalid"})


class Http:
    """Sends requests for one client; thread-safe."""

    def __init__(
        self,
        *,
        base_url: str,
        transport: Transport,
        timeout: float,
        retry: Retry,
        email: str | None,
        password: str | None,
        tokens: Tokens | None,
        on_tokens: Callable[[Tokens], None] | None,
        api_key: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.transport = transport
        self.timeout = timeout
        self.retry = retry
        self._email = email
        self._password = password
        self._tokens = tokens
        self._on_tokens = on_tokens
        self._lock = threading.Lock()

    # -- tokens ------------------------------------------------------------------------------

    @property
    def tokens(self) -> Tokens | None:
        return self._tokens

    def _set_tokens(self, tokens: Tokens | None) -> None:
        self._tokens = tokens
        if tokens is not None and self._on_tokens is not None:
            self._on_tokens(tokens)

    def login(self, email: str, password: str) -> Tokens:
        """Signs in and keeps the tokens (and the credentials, to sign in again when a session ends)."""
        answer = self.send(
            "POST", "/v1/auth/token", json_body={"email": email, "password": password}, auth=False
        )
        tokens = Tokens.from_json(answer.json())
        self._email, self._password = email, password
        self._set_tokens(tokens)
        return tokens

    def forget(self) -> None:
        """Drops the tokens and credentials held in memory."""
        self._tokens = None
        self._email = self._password = None

    def _access_token(self) -> str:
        if self._api_key is not None:
            # An organisation's secret key: sent as it is, never refreshed.
            return self._api_key
        with self._lock:
            tokens = self._tokens
            if tokens is None:
                if self._email is None or self._password is None:
                    raise AuthenticationError(
                        status=401,
                        code="not_authenticated",
                        detail="The client has no credentials: pass email and password, or tokens.",
                        request_id=None,
                        problem={},
                    )
                return self._sign_in_again().access
            if datetime.now(UTC) >= tokens.access_expires_at - _EXPIRY_MARGIN:
                return self._refresh(tokens).access
            return tokens.access

    def _sign_in_again(self) -> Tokens:
        assert self._email is not None  # noqa: S101 (checked by callers)
        assert self._password is not None  # noqa: S101
        answer = self.send(
            "POST", "/v1/auth/token", json_body={"email": self._email, "password": self._password}, auth=False
        )
        tokens = Tokens.from_json(answer.json())
        self._set_tokens(tokens)
        return tokens

    def _refresh(self, spent: Tokens) -> Tokens:
        """Rotates the refresh token (the lock is held). Sends an Idempotency-Key, so a lost answer
        is replayed on retry rather than ending the session as a reused token."""
        try:
            answer = self.send(
                "POST", "/v1/auth/token/refresh", json_body={"refresh": spent.refresh}, auth=False
            )
        except AuthenticationError:
            # 401 token_reused / session_ended / token_invalid: the session is over.
            if self._password is None:
                self._tokens = None
                raise
            return self._sign_in_again()
        except APIError as error:
            # 409 token_already_rotated: another holder of these tokens won the rotation, and its
            # new tokens are not ours to see.
            if error.code != "token_already_rotated" or self._password is None:
                raise
            return self._sign_in_again()
        tokens = Tokens.from_json(answer.json())
        self._set_tokens(tokens)
        return tokens

    def _recover(self, used_access: str) -> None:
        """After a 401 token_invalid: refresh, unless another thread already did."""
        with self._lock:
            tokens = self._tokens
            if tokens is not None and tokens.access != used_access:
                return
            if tokens is None:
                self._sign_in_again()
            else:
                self._refresh(tokens)

    # -- requests ----------------------------------------------------------------------------

    def url(self, path: str, params: Params | None = None) -> str:
        query = urlencode({k: _param(v) for k, v in (params or {}).items() if v is not None})
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        auth: bool = True,
        idempotency_key: str | None = None,
        accept: str = "application/json",
    ) -> Response:
        """Sends one call, with its retries; returns a 2xx response or raises."""
        url = path if path.startswith(("http://", "https://")) else self.url(path, params)
        body = None if json_body is None else json.dumps(json_body, separators=(",", ":")).encode()
        headers = {"Accept": accept, "User-Agent": f"kollega-python/{__version__}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if method == "POST":
            # One key per call, kept for all its retries: the server answers a retry with the
            # first attempt's response instead of acting twice.
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        attempt = 0
        recovered = False
        while True:
            access = self._access_token() if auth else None
            if access is not None:
                headers["Authorization"] = f"Bearer {access}"
            request = Request(method=method, url=url, headers=dict(headers), body=body, timeout=self.timeout)
            try:
                response = self.transport.send(request)
            except NetworkError:
                wait = self.retry.wait(attempt, None)
                if wait is None:
                    raise
                logger.info(
                    "kollega %s %s: no answer; retry %d in %.2fs", method, _path(url), attempt + 1, wait
                )
                self.retry.sleep(wait)
                attempt += 1
                continue
            if response.status < 400:
                return response
            error = _error(response)
            if (
                auth
                and access is not None
                and response.status == 401
                and error.code in _REFRESHABLE
                and not recovered
            ):
                recovered = True
                self._recover(access)
                continue
            if _retryable(response, error):
                wait = self.retry.wait(attempt, error.retry_after)
                if wait is not None:
                    logger.info(
                        "kollega %s %s: %d %s (request %s); retry %d in %.2fs",
                        method,
                        _path(url),
                        error.status,
                        error.code,
                        error.request_id,
                        attempt + 1,
                        wait,
                    )
                    self.retry.sleep(wait)
                    attempt += 1
                    continue
            raise error

    def get_json(self, path: str, params: Params | None = None) -> Any:
        return self.send("GET", path, params=params).json()

    def pages(self, path: str, model: type[M], params: Params | None = None) -> Iterator[M]:
        """Every item of a cursor-paginated list, fetching the next page as the caller iterates."""
        url: str | None = self.url(path, params)
        while url is not None:
            page = self.send("GET", url).json()
            for item in page["results"]:
                yield model.from_json(item)
            url = self._follow(page.get("next"))

    def _follow(self, next_url: str | None) -> str | None:
        # The server builds `next` from the Host it saw; behind a proxy that may not be ours.
        if not next_url:
            return None
        parts = urlsplit(next_url)
        return f"{self.base_url}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def close(self) -> None:
        self.transport.close()


def _param(value: str | int | bool | None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _path(url: str) -> str:
    return urlsplit(url).path


def _retryable(response: Response, error: APIError) -> bool:
    if error.code == "login_locked":
        return False
    return response.status in RETRY_STATUSES or error.code == "idempotency_in_flight"


def _error(response: Response) -> APIError:
    try:
        problem = response.json()
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        problem = {}
    code = str(problem.get("code") or f"http_{response.status}")
    detail = str(problem.get("detail") or problem.get("title") or f"HTTP {response.status}")
    cls = error_class(status=response.status, code=code)
    return cls(
        status=response.status,
        code=code,
        detail=detail,
        request_id=problem.get("request_id") or response.header("x-request-id"),
        problem=problem,
        retry_after=parse_retry_after(response.header("retry-after")),
    )
