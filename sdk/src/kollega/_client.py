"""`kollega.Client`: the one object an application holds. No globals, keyword-only options."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import TracebackType

from kollega._http import Http
from kollega._messaging import Messaging
from kollega._models import Tokens
from kollega._resources import Account, Availability, Bookings, Counsellors, Followups
from kollega._retry import Retry
from kollega._transport import RequestsTransport, Transport


class Client:
    """A client of the Kollega API.

    >>> with kollega.Client("https://api.example.org", email="kari@example.org", password="...") as k:
    ...     slot = next(k.availability.list(region="vestland"))
    ...     booking = k.bookings.book(slot=slot.id, modality="video")

    Sign in with `email` and `password` (on the first call, and again when a session ends), or pass
    `tokens` saved from `on_tokens`, which is called with every new token pair. `timeout` is in
    seconds per attempt; `retry` sets the retries; `transport` replaces the network (tests).
    `device_file` keeps this device's messaging keys between runs (created with mode 0600).
    """

    def __init__(
        self,
        base_url: str,
        *,
        email: str | None = None,
        password: str | None = None,
        tokens: Tokens | None = None,
        on_tokens: Callable[[Tokens], None] | None = None,
        timeout: float = 30.0,
        retry: Retry | None = None,
        transport: Transport | None = None,
        device_file: str | os.PathLike[str] | None = None,
    ) -> None:
        if (email is None) != (password is None):
            raise ValueError("pass both email and password, or neither")
        self._http = Http(
            base_url=base_url,
            transport=transport if transport is not None else RequestsTransport(),
            timeout=timeout,
            retry=retry if retry is not None else Retry(),
            email=email,
            password=password,
            tokens=tokens,
            on_tokens=on_tokens,
        )
        self.counsellors = Counsellors(self._http)
        self.availability = Availability(self._http)
        self.bookings = Bookings(self._http)
        self.followups = Followups(self._http)
        self.me = Account(self._http)
        self.messaging = Messaging(self._http, device_file=device_file)

    @property
    def tokens(self) -> Tokens | None:
        """The current token pair, if signed in."""
        return self._http.tokens

    def login(self, email: str, password: str) -> Tokens:
        """Signs in now (otherwise the first call does); raises `AuthenticationError` if refused."""
        return self._http.login(email, password)

    def logout(self, *, everywhere: bool = False) -> None:
        """Ends the session on the server and forgets the tokens, credentials and device keys."""
        if self._http.tokens is not None:
            self._http.send("POST", "/v1/auth/logout", json_body={"everywhere": everywhere})
        self._http.forget()
        self.messaging.forget_device()

    def close(self) -> None:
        """Closes the connections. The client cannot be used afterwards."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
