"""`kollega.Client`: the one object an application holds. No globals, keyword-only options."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import TracebackType

from kollega._http import Http
from kollega._messaging import Messaging
from kollega._models import Tokens
from kollega._offline import Offline
from kollega._resources import Account, Availability, Bookings, Counsellors, Followups, Metrics
from kollega._retry import Retry
from kollega._store import Store
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
    `store` is the path of a local SQLite file (mode 0600) that makes `client.offline` available:
    queued actions, the last synced copy, and `client.offline.sync()`. `api_key` is an
    organisation's secret key (`sk_...`) for `client.metrics`, instead of a user's sign-in.
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
        store: str | os.PathLike[str] | None = None,
        api_key: str | None = None,
    ) -> None:
        if (email is None) != (password is None):
            raise ValueError("pass both email and password, or neither")
        if api_key is not None and (email is not None or tokens is not None):
            raise ValueError("an api_key client (metrics) does not also sign in as a user")
        self._http = Http(
            base_url=base_url,
            transport=transport if transport is not None else RequestsTransport(),
            timeout=timeout,
            retry=retry if retry is not None else Retry(),
            email=email,
            password=password,
            tokens=tokens,
            on_tokens=on_tokens,
            api_key=api_key,
        )
        self.counsellors = Counsellors(self._http)
        self.availability = Availability(self._http)
        self.bookings = Bookings(self._http)
        self.followups = Followups(self._http)
        self.me = Account(self._http)
        self.metrics = Metrics(self._http)
        self.messaging = Messaging(self._http, device_file=device_file)
        self._store = Store(store) if store is not None else None
        self._offline = Offline(self._http, self._store, self.messaging) if self._store is not None else None

    @property
    def offline(self) -> Offline:
        """Queued actions and the synced copy; only with `store=`."""
        if self._offline is None:
            raise RuntimeError("offline use needs a local store: Client(..., store='path/to/file')")
        return self._offline

    @property
    def tokens(self) -> Tokens | None:
        """The current token pair, if signed in."""
        return self._http.tokens

    def login(self, email: str, password: str) -> Tokens:
        """Signs in now (otherwise the first call does); raises `AuthenticationError` if refused."""
        return self._http.login(email, password)

    def logout(self, *, everywhere: bool = False) -> None:
        """Ends the session on the server and forgets the tokens, credentials and device keys, and
        wipes the local store, queued actions included: nothing of the user stays on the device."""
        if self._http.tokens is not None:
            self._http.send("POST", "/v1/auth/logout", json_body={"everywhere": everywhere})
        self._http.forget()
        self.messaging.forget_device()
        if self._store is not None:
            self._store.wipe()
            self._store = self._offline = None

    def close(self) -> None:
        """Closes the connections and the store. The client cannot be used afterwards."""
        self._http.close()
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
