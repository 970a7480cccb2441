from __future__ import annotations

from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from rest_framework import serializers

from api.core.fields import QuerySerializer, StrictCharField
from api.counsellors.serializers import CounsellorSummaryOutputSerializer, summary_of
from api.messaging.fields import Base64BytesField
from api.messaging.models import Device, Platform, Thread
from api.messaging.services import DeviceKeys

KEY_BYTES = 32
SIGNATURE_BYTES = 64
NONCE_BYTES = 24
MAC_BYTES = 16
MAX_CIPHERTEXT_BYTES = 64 * 1024
MAX_ENVELOPES = 50
PARTICIPANTS = ["doctor", "counsellor"]

_TIMESTAMP = serializers.DateTimeField()


class DeviceRegisterInputSerializer(serializers.Serializer[Any]):
    encryption_key = Base64BytesField(length=KEY_BYTES, help_text="The device's X25519 public key, 32 bytes.")
    signing_key = Base64BytesField(length=KEY_BYTES, help_text="The device's Ed25519 public key, 32 bytes.")
    key_signature = Base64BytesField(
        length=SIGNATURE_BYTES,
        help_text="The detached Ed25519 signature (64 bytes) of the 32 bytes of `encryption_key` by "
        "`signing_key`.",
    )
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    push_token = StrictCharField(
        max_length=4096, required=False, allow_blank=True, help_text="The push provider's token, if any."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            VerifyKey(attrs["signing_key"]).verify(attrs["encryption_key"], attrs["key_signature"])
        except BadSignatureError:
            raise serializers.ValidationError(
                {"key_signature": "Not a signature of encryption_key by signing_key."},
                code="invalid_signature",
            ) from None
        return attrs

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "keys": DeviceKeys(data["encryption_key"], data["signing_key"], data["key_signature"]),
            "platform": data.get("platform", Platform.OTHER),
            "push_token": data.get("push_token", ""),
        }


class DeviceOutputSerializer(serializers.ModelSerializer[Device]):
    encryption_key = Base64BytesField()
    signing_key = Base64BytesField()
    key_signature = Base64BytesField()

    class Meta:
        model = Device
        fields = [
            "id",
            "encryption_key",
            "signing_key",
            "key_signature",
            "platform",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ThreadDeviceOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    participant = serializers.ChoiceField(choices=PARTICIPANTS)
    encryption_key = Base64BytesField()
    signing_key = Base64BytesField()
    key_signature = Base64BytesField()
    created_at = serializers.DateTimeField()

    def to_representation(self, entry: dict[str, Any]) -> dict[str, Any]:
        # Built by api.messaging.selectors.device_entries, as the 409 device_list_stale lists them.
        return entry


class ThreadOpenInputSerializer(serializers.Serializer[Any]):
    counsellor_id = serializers.UUIDField(help_text="A counsellor you have a booking with.")


class ThreadOutputSerializer(serializers.Serializer[Thread]):
    id = serializers.UUIDField()
    counsellor = CounsellorSummaryOutputSerializer()
    doctor_alias = serializers.CharField(required=False, help_text="Shown to the counsellor only.")
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    unread_count = serializers.IntegerField(
        help_text="Messages from the other participant since you last read."
    )
    read_at = serializers.DateTimeField(allow_null=True, help_text="When you last marked the thread read.")

    def to_representation(self, thread: Thread) -> dict[str, Any]:
        viewer = self.context["viewer"]
        as_doctor = thread.doctor_id == viewer.pk
        read_at = thread.doctor_read_at if as_doctor else thread.counsellor_read_at
        body = {
            "id": str(thread.pk),
            "counsellor": summary_of(thread.counsellor),
            "created_at": _TIMESTAMP.to_representation(thread.created_at),
            "last_activity_at": _TIMESTAMP.to_representation(thread.last_activity_at),
            "unread_count": getattr(thread, "unread_count", 0),
            "read_at": read_at and _TIMESTAMP.to_representation(read_at),
        }
        if not as_doctor:
            body["doctor_alias"] = thread.doctor.alias
        return body


class EnvelopeInputSerializer(serializers.Serializer[Any]):
    device_id = serializers.UUIDField()
    nonce = Base64BytesField(
        length=NONCE_BYTES, help_text="24 random bytes, never reused with the same key pair."
    )
    ciphertext = Base64BytesField(
        min_bytes=MAC_BYTES,
        max_bytes=MAX_CIPHERTEXT_BYTES,
        help_text="The box: 16-byte Poly1305 tag then the encrypted text; at most 64 KiB (else 413).",
    )


class MessageSendInputSerializer(serializers.Serializer[Any]):
    client_message_id = serializers.UUIDField(
        help_text="Your id for this message: a repeat stores nothing more."
    )
    sender_device_id = serializers.UUIDField(help_text="The device that sealed the envelopes.")
    # DRF passes min_length and max_length on to the list serializer; its stubs do not know that.
    envelopes = EnvelopeInputSerializer(many=True, min_length=1, max_length=MAX_ENVELOPES)  # type: ignore[call-arg]

    def validate_envelopes(self, envelopes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        devices = [envelope["device_id"] for envelope in envelopes]
        if len(set(devices)) != len(devices):
            raise serializers.ValidationError("One envelope per device.", code="duplicate_device")
        return envelopes


class MessageSentOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    client_message_id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class MessageListQuerySerializer(QuerySerializer):
    device = serializers.UUIDField(help_text="Your device whose envelopes to return.")


class MessageOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    client_message_id = serializers.UUIDField()
    sender = serializers.ChoiceField(choices=PARTICIPANTS)
    sender_device_id = serializers.UUIDField(allow_null=True, help_text="Null once that device is revoked.")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    nonce = Base64BytesField()
    ciphertext = Base64BytesField()

    def to_representation(self, message: Any) -> dict[str, Any]:
        thread = self.context["thread"]
        return {
            "id": str(message.pk),
            "client_message_id": str(message.client_message_id),
            "sender": "doctor" if message.sender_id == thread.doctor_id else "counsellor",
            "sender_device_id": message.sender_device_id and str(message.sender_device_id),
            "created_at": _TIMESTAMP.to_representation(message.created_at),
            "expires_at": _TIMESTAMP.to_representation(message.expires_at),
            "nonce": Base64BytesField().to_representation(message.nonce),
            "ciphertext": Base64BytesField().to_representation(message.ciphertext),
        }
