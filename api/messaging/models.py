"""Secure messaging: devices and their public keys, threads, and messages the server cannot read.

The server holds public keys only. A message is stored as one envelope per recipient device, each
a ciphertext sealed on the sender's device for that device alone; nothing here can open one.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from api.accounts.models import User
from api.counsellors.models import CounsellorProfile
from api.notifications.outbox import OutboxItem


class Platform(models.TextChoices):
    IOS = "ios"
    ANDROID = "android"
    WEB = "web"
    OTHER = "other"


class Device(models.Model):
    """One of a user's devices: its X25519 key for boxes, its Ed25519 key, and the binding signature.

    The id is chosen by the client. Keys never change: a new key pair is a new device.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    encryption_key = models.BinaryField(max_length=32)
    signing_key = models.BinaryField(max_length=32)
    key_signature = models.BinaryField(max_length=64)
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.OTHER)
    push_token = models.CharField(max_length=4096, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user"], name="device_user_current", condition=Q(revoked_at=None))]

    def __str__(self) -> str:
        return f"device {self.id}"


class Thread(models.Model):
    """The secure conversation between one doctor and one counsellor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    doctor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="threads")
    counsellor = models.ForeignKey(CounsellorProfile, on_delete=models.CASCADE, related_name="threads")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField()
    doctor_read_at = models.DateTimeField(null=True, blank=True)
    counsellor_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["doctor", "counsellor"], name="thread_pair_unique")]
        indexes = [
            models.Index(fields=["doctor", "last_activity_at", "id"], name="thread_doctor_activity"),
            models.Index(fields=["counsellor", "last_activity_at", "id"], name="thread_counsellor_activity"),
        ]

    def __str__(self) -> str:
        return f"thread {self.id}"


class Message(models.Model):
    """A message: who sent it from which device, and when it expires. Its content is in envelopes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sender_device = models.ForeignKey(Device, null=True, on_delete=models.SET_NULL, related_name="+")
    client_message_id = models.UUIDField()
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            # A client's retry of a send stores one message.
            models.UniqueConstraint(
                fields=["thread", "sender", "client_message_id"], name="message_client_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="message_thread_order"),
            models.Index(fields=["expires_at"], name="message_expiry"),
        ]

    def __str__(self) -> str:
        return f"message {self.id}"


class Envelope(models.Model):
    """A message sealed for one device: a 24-byte nonce and the box's ciphertext."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="envelopes")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="envelopes")
    nonce = models.BinaryField(max_length=24)
    ciphertext = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "message"], name="envelope_device_unique")]

    def __str__(self) -> str:
        return f"envelope {self.pk}"


class MessageNotice(OutboxItem):
    """ "You have a new message" for the other participant: content-free, sent once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"], name="message_notice_due", condition=Q(status__in=["pending", "sending"])
            )
        ]

    def __str__(self) -> str:
        return f"message notice {self.id}"
