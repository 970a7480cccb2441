"""The client side of secure messaging, done with PyNaCl as an app would, and fixtures for it."""

from __future__ import annotations

import base64
import itertools
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from nacl.public import Box, PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey
from nacl.utils import random

from api.accounts.models import Role
from api.availability.models import Slot
from api.messaging.models import Thread


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


class AppDevice:
    """A device as an app keeps it: its own key pairs, and its user's API client."""

    def __init__(self, api) -> None:
        self.api = api
        self.id = str(uuid.uuid4())
        self.private = PrivateKey.generate()
        self.signing = SigningKey.generate()

    def registration(self) -> dict[str, str]:
        public = bytes(self.private.public_key)
        return {
            "encryption_key": b64(public),
            "signing_key": b64(bytes(self.signing.verify_key)),
            "key_signature": b64(self.signing.sign(public).signature),
            "platform": "ios",
        }

    def register(self) -> AppDevice:
        response = self.api.put(f"/v1/devices/{self.id}", self.registration(), format="json")
        assert response.status_code == 201, response.content
        return self

    def devices(self, thread_id: str) -> list[dict[str, str]]:
        response = self.api.get(f"/v1/threads/{thread_id}/devices")
        assert response.status_code == 200, response.content
        entries: list[dict[str, str]] = response.json()
        for entry in entries:
            # Trust a device's encryption key only if its own signing key signed it.
            VerifyKey(base64.b64decode(entry["signing_key"])).verify(
                base64.b64decode(entry["encryption_key"]), base64.b64decode(entry["key_signature"])
            )
        return entries

    def seal(self, devices: list[dict[str, str]], text: str) -> list[dict[str, str]]:
        envelopes = []
        for device in devices:
            if device["id"] == self.id:
                continue
            box = Box(self.private, PublicKey(base64.b64decode(device["encryption_key"])))
            nonce = random(Box.NONCE_SIZE)
            sealed = box.encrypt(text.encode(), nonce)
            envelopes.append(
                {"device_id": device["id"], "nonce": b64(nonce), "ciphertext": b64(sealed.ciphertext)}
            )
        return envelopes

    def send(self, thread_id: str, text: str, *, client_message_id: str | None = None):
        body = {
            "client_message_id": client_message_id or str(uuid.uuid4()),
            "sender_device_id": self.id,
            "envelopes": self.seal(self.devices(thread_id), text),
        }
        return self.api.post(f"/v1/threads/{thread_id}/messages", body, format="json")

    def read(self, thread_id: str) -> list[str]:
        """Every message this device can read in the thread, decrypted and authenticated."""
        keys = {d["id"]: d["encryption_key"] for d in self.devices(thread_id)}
        response = self.api.get(f"/v1/threads/{thread_id}/messages?device={self.id}&limit=100")
        assert response.status_code == 200, response.content
        texts = []
        for message in response.json()["results"]:
            box = Box(self.private, PublicKey(base64.b64decode(keys[message["sender_device_id"]])))
            opened = box.decrypt(base64.b64decode(message["ciphertext"]), base64.b64decode(message["nonce"]))
            texts.append(opened.decode())
        return texts


@pytest.fixture
def counsellor(make_counsellor):
    return make_counsellor(display_name="Ingrid")


@pytest.fixture
def counsellor_api(counsellor, client_for):
    return client_for(counsellor.user)


@pytest.fixture
def book_with(client_for):
    """Books a fresh slot of `counsellor` for `doctor`: that opens their thread; returns its id."""

    hours = itertools.count(48)

    def book(doctor, counsellor) -> str:
        start = (timezone.now() + timedelta(hours=next(hours))).replace(second=0, microsecond=0)
        slot = Slot.objects.create(
            counsellor=counsellor, start=start, end=start + timedelta(minutes=45), phone=True
        )
        response = client_for(doctor).post(
            "/v1/bookings", {"slot": str(slot.pk), "modality": "phone"}, format="json"
        )
        assert response.status_code == 201, response.content
        return str(Thread.objects.get(doctor=doctor, counsellor=counsellor).pk)

    return book


@pytest.fixture
def thread_id(book_with, doctor, counsellor):
    return book_with(doctor, counsellor)


@pytest.fixture
def doctor_device(doctor_api):
    return AppDevice(doctor_api).register()


@pytest.fixture
def counsellor_device(counsellor_api):
    return AppDevice(counsellor_api).register()


@pytest.fixture
def stranger_apis(make_user, make_counsellor, client_for, organisation):
    """Another doctor, another counsellor, and a coordinator and staff, who see no thread either."""
    return [
        client_for(make_user(Role.DOCTOR)),
        client_for(make_counsellor().user),
        client_for(make_user(Role.COORDINATOR, organisation=organisation)),
        client_for(make_user(Role.STAFF)),
    ]
