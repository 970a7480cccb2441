"""Examples for the sync part of the spec."""

from drf_spectacular.utils import OpenApiExample

PULL_EXAMPLE = OpenApiExample(
    "Changes since the last pull",
    value={
        "cursor": "eyJ1IjoiNWE2YiIsInYiOjQyfQ:1vK2x3:abc",
        "has_more": False,
        "changes": [
            {
                "version": 41,
                "kind": "mutation",
                "id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
                "op": "upsert",
                "object": {
                    "client_id": "3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817",
                    "sequence": 3,
                    "type": "book",
                    "status": "rejected",
                    "result": None,
                    "problem": {"code": "slot_unavailable", "status": 409, "alternatives": []},
                },
            },
            {
                "version": 42,
                "kind": "booking",
                "id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
                "op": "delete",
                "object": None,
            },
        ],
    },
    response_only=True,
)

PUSH_EXAMPLE = OpenApiExample(
    "Two queued actions",
    value={
        "client_id": "3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817",
        "mutations": [
            {
                "sequence": 1,
                "type": "book",
                "args": {"slot": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "modality": "video"},
            },
            {
                "sequence": 2,
                "type": "submit_followup",
                "args": {
                    "followup": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
                    "answers": {"who5-1": 3, "who5-2": 3, "who5-3": 2, "who5-4": 4, "who5-5": 3},
                },
            },
        ],
    },
    request_only=True,
)

PUSHED_EXAMPLE = OpenApiExample(
    "Applied and refused",
    value={
        "results": [
            {
                "client_id": "3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817",
                "sequence": 1,
                "type": "book",
                "status": "applied",
                "result": {"id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"},
                "problem": None,
            },
            {
                "client_id": "3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817",
                "sequence": 2,
                "type": "submit_followup",
                "status": "rejected",
                "result": None,
                "problem": {
                    "type": "/problems/followup_closed",
                    "title": "This follow-up is closed: it expired or was withdrawn.",
                    "status": 409,
                    "detail": "This follow-up is expired.",
                    "code": "followup_closed",
                    "request_id": "4f1c2e0a9b7d4c3e8a6f5b2d1c0e9f8a",
                },
            },
        ]
    },
    response_only=True,
)
