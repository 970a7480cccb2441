"""End-to-end encrypted messaging, exactly as docs/messaging.md specifies it.

This device's keys (X25519 for boxes, Ed25519 for signing its X25519 key) are made by the SDK on
first use and kept in `device_file` when one is given (mode 0600), else in memory. A message is
sealed with a fresh nonce for every current device of the thread but this one, after checking
each device's signature; the server never sees the text.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import Box, PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey
from nacl.utils import random

from kollega._exceptions import DeviceListStale
from kollega._http import Http
from kollega._models import DecryptedMessage, Device, Message, SentMessage, Thread, ThreadDevice

# A device list can change between our read and our send more than once (a race with a second
# new device); after this many fresh lists, give up and let the caller see the conflict.
_STALE_RETRIES = 3


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _unb64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


@dataclass(frozen=True)
class DeviceKeys:
    """This device's id and secret keys. Keep them as secret as a password."""

    device_id: str
    private_key: PrivateKey
    signing_key: SigningKey

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(str(uuid.uuid4()), PrivateKey.generate(), SigningKey.generate())

    def registration(self) -> dict[str, str]:
        public = bytes(self.private_key.public_key)
        return {
            "encryption_key": _b64(public),
            "signing_key": _b64(bytes(self.signing_key.verify_key)),
            "key_signature": _b64(self.signing_key.sign(public).signature),
        }

    def to_json(self) -> dict[str, str]:
        return {
            "device_id": self.device_id,
            "private_key": _b64(bytes(self.private_key)),
            "signing_key": _b64(bytes(self.signing_key)),
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> DeviceKeys:
        return cls(
            data["device_id"],
            PrivateKey(_unb64(data["private_key"])),
            SigningKey(_unb64(data["signing_key"])),
        )

    def __repr__(self) -> str:
        return f"DeviceKeys(device_id={self.device_id!r})"


def verified(devices: list[ThreadDevice]) -> list[ThreadDevice]:
    """The devices whose encryption key is signed by their own signing key; the others dropped."""
    good = []
    for device in devices:
        try:
            VerifyKey(_unb64(device.signing_key)).verify(
                _unb64(device.encryption_key), _unb64(device.key_signature)
            )
        except (BadSignatureError, ValueError, CryptoError):
            continue
        good.append(device)
    return good


class Messaging:
    """Threads and messages: `client.messaging`."""

    def __init__(self, http: Http, *, device_file: str | os.PathLike[str] | None = None) -> None:
        self._http = http
        self._device_file = Path(device_file) if device_file is not None else None
        self._keys: DeviceKeys | None = None
        self._registered = False

    @property
    def keys(self) -> DeviceKeys:
        """This device's keys: loaded from `device_file`, or made (and saved) on first use."""
        if self._keys is None:
            if self._device_file is not None and self._device_file.exists():
                self._keys = DeviceKeys.from_json(json.loads(self._device_file.read_text()))
            else:
                self._keys = DeviceKeys.generate()
                if self._device_file is not None:
                    _write_private(self._device_file, json.dumps(self._keys.to_json()))
        return self._keys

    def forget_device(self) -> None:
        """Drops this device's keys from memory and disk (on logout): its messages become unreadable."""
        self._keys = None
        self._registered = False
        if self._device_file is not None:
            self._device_file.unlink(missing_ok=True)

    def register_device(self, *, platform: str = "other", push_token: str | None = None) -> Device:
        """Registers this device's public keys (again: only platform and push token change)."""
        body: dict[str, Any] = self.keys.registration() | {"platform": platform}
        if push_token is not None:
            body["push_token"] = push_token
        answer = self._http.send("PUT", f"/v1/devices/{self.keys.device_id}", json_body=body)
        self._registered = True
        return Device.from_json(answer.json())

    def _ensure_registered(self) -> None:
        if not self._registered:
            self.register_device()

    def threads(self) -> Iterator[Thread]:
        """Your threads, most recently active first."""
        return self._http.pages("/v1/threads", Thread)

    def open_thread(self, *, counsellor_id: str) -> Thread:
        """(Doctors) opens, or finds, the thread with a counsellor you have a booking with."""
        answer = self._http.send("POST", "/v1/threads", json_body={"counsellor_id": counsellor_id})
        return Thread.from_json(answer.json())

    def devices(self, thread_id: str) -> list[ThreadDevice]:
        """The thread's current devices whose signatures verify."""
        raw = self._http.get_json(f"/v1/threads/{thread_id}/devices")
        return verified([ThreadDevice.from_json(item) for item in raw])

    def seal(self, devices: list[ThreadDevice], text: str) -> list[dict[str, str]]:
        """One envelope per device but this one, each with a fresh nonce."""
        envelopes = []
        for device in devices:
            if device.id == self.keys.device_id:
                continue
            box = Box(self.keys.private_key, PublicKey(_unb64(device.encryption_key)))
            nonce = random(Box.NONCE_SIZE)
            sealed = box.encrypt(text.encode(), nonce)
            envelopes.append(
                {"device_id": device.id, "nonce": _b64(nonce), "ciphertext": _b64(sealed.ciphertext)}
            )
        return envelopes

    def send(self, thread_id: str, text: str, *, client_message_id: str | None = None) -> SentMessage:
        """Encrypts `text` for every current device and sends it.

        When the devices changed meanwhile (409 `device_list_stale`), seals again for the list the
        server sent and resends with the same `client_message_id`, which never stores twice.
        """
        self._ensure_registered()
        message_id = client_message_id or str(uuid.uuid4())
        devices = self.devices(thread_id)
        for attempt in range(_STALE_RETRIES + 1):
            body = {
                "client_message_id": message_id,
                "sender_device_id": self.keys.device_id,
                "envelopes": self.seal(devices, text),
            }
            try:
                answer = self._http.send("POST", f"/v1/threads/{thread_id}/messages", json_body=body)
            except DeviceListStale as stale:
                if attempt == _STALE_RETRIES:
                    raise
                devices = verified(stale.devices)
                continue
            return SentMessage.from_json(answer.json())
        raise AssertionError("unreachable")  # pragma: no cover

    def messages(self, thread_id: str) -> Iterator[DecryptedMessage]:
        """The thread's messages this device can read, oldest first, opened and authenticated.

        A message whose envelope does not open with its sender device's verified key (altered, or
        from a device no longer listed) is skipped: showing nothing is the safe answer.
        """
        self._ensure_registered()
        keys = {d.id: d.encryption_key for d in self.devices(thread_id)}
        sealed = self._http.pages(
            f"/v1/threads/{thread_id}/messages", Message, {"device": self.keys.device_id, "limit": 100}
        )
        for message in sealed:
            text = self.open(message, keys.get(message.sender_device_id or ""))
            if text is not None:
                yield DecryptedMessage(
                    id=message.id,
                    client_message_id=message.client_message_id,
                    sender=message.sender,
                    created_at=message.created_at,
                    expires_at=message.expires_at,
                    text=text,
                )

    def open(self, message: Message, sender_encryption_key: str | None) -> str | None:
        """The text of one sealed message, or None if it does not open."""
        if sender_encryption_key is None:
            return None
        try:
            box = Box(self.keys.private_key, PublicKey(_unb64(sender_encryption_key)))
            return box.decrypt(_unb64(message.ciphertext), _unb64(message.nonce)).decode()
        except (CryptoError, ValueError):
            return None

    def mark_read(self, thread_id: str) -> None:
        self._http.send("POST", f"/v1/threads/{thread_id}/read", json_body={})


def _write_private(path: Path, text: str) -> None:
    """Writes a file only its owner can read, created so from the start (no window at 0644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
