"""Applying an offline client's pushed mutations: in order, once each, one transaction each.

A client numbers its mutations; the server keeps, per user and client id, the last sequence it
applied and the outcome of each. A mutation already recorded is answered from the record, never
applied again. A refusal the client cannot fix by retrying (the slot was taken, the follow-up
closed, a field invalid) is recorded with its problem and the sequence still advances; anything
else (a fault, a lost connection to the database) rolls back that one mutation and stops, so it is
tried again on the next push.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from rest_framework.exceptions import ValidationError as DrfValidationError

from api.accounts.models import User
from api.core.errors import ErrorCode, FieldError, Problem
from api.core.handlers import response_for_exception
from api.sync.log import change_record
from api.sync.models import ChangeKind, MutationStatus, SyncClient, SyncMutation
from api.sync.mutations import MUTATIONS

# Refusals that would be the same on a retry. A throttle or a request in flight is not one.
_PERMANENT = (Problem, DrfValidationError, DjangoValidationError, Http404)
_TRANSIENT_CODES = {"rate_limited", "idempotency_in_flight", "internal_error", "service_unavailable"}


@dataclass(frozen=True)
class PushedMutation:
    sequence: int
    type: str
    args: dict[str, Any]


def sync_push(*, user: User, client_id: uuid.UUID, mutations: list[PushedMutation]) -> list[SyncMutation]:
    """Applies the mutations in sequence order; returns the outcome of each, new or recorded before.

    A sequence at or below the client's last applied one that has no record was skipped by the
    client: it is refused (`sequence`, `out_of_order`) without being recorded.
    """
    client, _ = SyncClient.objects.get_or_create(user=user, client_id=client_id)
    outcomes = []
    for mutation in sorted(mutations, key=lambda m: m.sequence):
        outcomes.append(_apply_one(user=user, client=client, mutation=mutation))
    return outcomes


def _apply_one(*, user: User, client: SyncClient, mutation: PushedMutation) -> SyncMutation:
    with transaction.atomic():
        # The client's row is the lock: two pushes of one client apply one mutation at a time.
        locked = SyncClient.objects.select_for_update().get(pk=client.pk)
        recorded = (
            SyncMutation.objects.select_related("client")
            .filter(client=locked, sequence=mutation.sequence)
            .first()
        )
        if recorded is not None:
            return recorded
        if mutation.sequence <= locked.last_sequence:
            return SyncMutation(
                client=locked,
                sequence=mutation.sequence,
                type=mutation.type,
                status=MutationStatus.REJECTED,
                problem=_problem_of(
                    Problem(
                        ErrorCode.VALIDATION_ERROR,
                        errors=[
                            FieldError(
                                field="sequence",
                                code="out_of_order",
                                message=f"Sequence {mutation.sequence} comes after {locked.last_sequence}.",
                            )
                        ],
                    )
                ),
            )
        status, result, problem = _run(user=user, mutation=mutation)
        record = SyncMutation.objects.create(
            client=locked,
            sequence=mutation.sequence,
            type=mutation.type,
            status=status,
            result=result,
            problem=problem,
        )
        locked.last_sequence = mutation.sequence
        locked.save(update_fields=["last_sequence"])
        change_record(kind=ChangeKind.MUTATION, object_id=record.pk, user_ids=[user.pk])
    return record


def _run(*, user: User, mutation: PushedMutation) -> tuple[str, dict[str, Any] | None, dict[str, Any] | None]:
    try:
        # A savepoint: a refusal undoes whatever the mutation had written, and nothing else.
        with transaction.atomic():
            object_id = MUTATIONS[mutation.type](user, mutation.args)
    except _PERMANENT as refusal:
        problem = _problem_of(refusal)
        if problem["code"] in _TRANSIENT_CODES:
            raise
        return MutationStatus.REJECTED, None, problem
    return MutationStatus.APPLIED, {"id": str(object_id)}, None


def _problem_of(exc: Exception) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response_for_exception(exc).content)
    # The request id belongs to the push that applied it; a later pull is another request.
    return body
