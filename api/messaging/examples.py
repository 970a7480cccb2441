"""Examples for the messaging part of the spec."""

from drf_spectacular.utils import OpenApiExample

from api.counsellors.views import COUNSELLOR_EXAMPLE

DEVICE_ID = "7b2a9c4e-1d3f-4a5b-8c6d-0e1f2a3b4c5d"
# A real key pair and signature, so that a client can check its verification code on them.
KEYS = {
    "encryption_key": "fFK+X/g4pC9lWic2PoP+BIVsoneAS23s9rATx7U4Rzo=",
    "signing_key": "c4FOnXHQL6riMg0YnaXb7Hx7VeQQcffaw453BfPwWLk=",
    "key_signature": (
        "EEFc26LOFjwMBVmM2RIqqjOmA+G693O5JGxGwn7JT03R/NvWUkzbySz2I0lhDd7bYEuZxKBRXqxTWdAfYPS5Dw=="
    ),
}
DEVICE_REGISTER_EXAMPLE = OpenApiExample(
    "Register", value=KEYS | {"platform": "ios", "push_token": "a1b2c3d4e5f6"}, request_only=True
)
DEVICE_EXAMPLE = OpenApiExample(
    "Device",
    value={
        "id": DEVICE_ID,
        **KEYS,
        "platform": "ios",
        "created_at": "2026-11-25T09:00:00Z",
        "updated_at": "2026-11-25T09:00:00Z",
    },
    response_only=True,
)
THREAD_DEVICE_EXAMPLE = OpenApiExample(
    "Devices",
    value={"id": DEVICE_ID, "participant": "counsellor", **KEYS, "created_at": "2026-11-25T09:00:00Z"},
    response_only=True,
)
THREAD_EXAMPLE = OpenApiExample(
    "Thread",
    value={
        "id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
        "counsellor": COUNSELLOR_EXAMPLE,
        "created_at": "2026-11-25T09:12:00Z",
        "last_activity_at": "2026-11-25T10:02:00Z",
        "unread_count": 1,
        "read_at": "2026-11-25T09:30:00Z",
    },
    response_only=True,
)
THREAD_OPEN_EXAMPLE = OpenApiExample(
    "Open", value={"counsellor_id": COUNSELLOR_EXAMPLE["id"]}, request_only=True
)
ENVELOPE = {
    "nonce": "eDd7UldXtJRCf4kBT5fXmSjzk40U61Hi",
    "ciphertext": "1NfNetpJY/unci4V7BxeyC4gSYF+1VpeHO8/bkgIgJmQq1hm",
}
MESSAGE_SEND_EXAMPLE = OpenApiExample(
    "Send",
    value={
        "client_message_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
        "sender_device_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        "envelopes": [{"device_id": DEVICE_ID, **ENVELOPE}],
    },
    request_only=True,
)
MESSAGE_SENT_EXAMPLE = OpenApiExample(
    "Sent",
    value={
        "id": "1f2a3b4c-5d6e-4f7a-8b9c-0d1e2f3a4b5c",
        "client_message_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
        "created_at": "2026-11-25T10:02:00Z",
        "expires_at": "2027-02-23T10:02:00Z",
    },
    response_only=True,
)
MESSAGE_EXAMPLE = OpenApiExample(
    "Message",
    value={
        "id": "1f2a3b4c-5d6e-4f7a-8b9c-0d1e2f3a4b5c",
        "client_message_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
        "sender": "doctor",
        "sender_device_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        "created_at": "2026-11-25T10:02:00Z",
        "expires_at": "2027-02-23T10:02:00Z",
        **ENVELOPE,
    },
    response_only=True,
)
