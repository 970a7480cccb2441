from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.core.fields import QuerySerializer
from api.sync.models import ChangeKind, ChangeOp, MutationStatus
from api.sync.mutations import MUTATIONS
from api.sync.services import PushedMutation

MAX_PULL = 500
DEFAULT_PULL = 200
MAX_PUSH = 100
# Sequences fit a PostgreSQL bigint, and a JavaScript number without loss.
MAX_SEQUENCE = 2**53 - 1
MUTATION_TYPES = sorted(MUTATIONS)


class _StrictUUIDField(serializers.UUIDField):
    """A UUID given as a string only: DRF's would read `false` or `7` as an integer UUID."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class SyncPullQuerySerializer(QuerySerializer):
    cursor = serializers.CharField(
        required=False, allow_blank=True, help_text="The `cursor` of your last pull; none for the start."
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PULL,
        default=DEFAULT_PULL,
        help_text=f"Changes per pull, 1 to {MAX_PULL} (default {DEFAULT_PULL}).",
    )


class SyncChangeOutputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="The change's place in the global order.")
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    id = serializers.UUIDField(help_text="The object's id.")
    op = serializers.ChoiceField(
        choices=ChangeOp.choices, help_text="`delete`: a tombstone, forget the object."
    )
    object = serializers.DictField(
        allow_null=True,
        help_text=(
            "The object as its GET shows it to you (a booking, thread, follow-up or mutation outcome; "
            "a message without its sealed content); null for a tombstone."
        ),
    )


class SyncPullOutputSerializer(serializers.Serializer[Any]):
    cursor = serializers.CharField(help_text="Send it with the next pull.")
    has_more = serializers.BooleanField(help_text="More changes wait: pull again at once.")
    changes = SyncChangeOutputSerializer(many=True)


class SyncMutationInputSerializer(serializers.Serializer[Any]):
    sequence = serializers.IntegerField(
        min_value=1, max_value=MAX_SEQUENCE, help_text="The client's number for it, increasing."
    )
    type = serializers.ChoiceField(choices=MUTATION_TYPES)
    args = serializers.DictField(
        help_text=(
            "As the body of the request it stands for: `book` as POST /v1/bookings; `cancel_booking` "
            "`{booking, reason}`; `send_message` `{thread, client_message_id, sender_device_id, "
            "envelopes}`; `submit_followup` `{followup, answers}`."
        )
    )


class SyncPushInputSerializer(serializers.Serializer[Any]):
    client_id = _StrictUUIDField(help_text="The installation's own random id, kept across runs.")
    mutations = SyncMutationInputSerializer(many=True, min_length=1, max_length=MAX_PUSH)  # type: ignore[call-arg]

    def validate_mutations(self, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        sequences = [m["sequence"] for m in mutations]
        if len(set(sequences)) != len(sequences):
            raise serializers.ValidationError("Each sequence at most once.", code="duplicate_sequence")
        return mutations

    def to_service(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "client_id": data["client_id"],
            "mutations": [PushedMutation(m["sequence"], m["type"], m["args"]) for m in data["mutations"]],
        }


class SyncMutationOutputSerializer(serializers.Serializer[Any]):
    client_id = serializers.UUIDField()
    sequence = serializers.IntegerField()
    type = serializers.CharField()
    status = serializers.ChoiceField(choices=MutationStatus.choices)
    result = serializers.DictField(allow_null=True, help_text="`{id}` of the object made or changed.")
    problem = serializers.DictField(allow_null=True, help_text="The problem document of a refusal.")


class SyncPushOutputSerializer(serializers.Serializer[Any]):
    results = SyncMutationOutputSerializer(many=True)
