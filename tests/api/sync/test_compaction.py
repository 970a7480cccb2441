"""Compacting the change log: what no live cursor can need goes, and a pull from the start is unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.messaging.models import Thread
from api.sync.log import changes_compact
from api.sync.models import Change

pytestmark = pytest.mark.django_db


def book(api, slot):
    response = api.post("/v1/bookings", {"slot": str(slot.pk), "modality": "phone"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def age_everything(days: int) -> None:
    Change.objects.update(created_at=timezone.now() - timedelta(days=days))


def objects(body) -> list[tuple[str, str, str]]:
    return sorted((c["kind"], c["id"], c["op"]) for c in body["changes"])


def test_old_superseded_entries_and_tombstones_go_and_a_fresh_pull_sees_the_same(
    doctor_api, make_slot, pull, settings
):
    kept = book(doctor_api, make_slot())
    changed = book(doctor_api, make_slot())
    doctor_api.post(f"/v1/bookings/{changed['id']}/cancel", {}, format="json")
    assert doctor_api.delete(f"/v1/threads/{Thread.objects.get().pk}").status_code == 204
    before = objects(pull(doctor_api))
    assert any(kind == "thread" and op == "delete" for kind, _id, op in before)
    age_everything(settings.SYNC_CURSOR_MAX_AGE.days + 1)
    entries = Change.objects.count()

    deleted = changes_compact()

    assert deleted > 0
    assert Change.objects.count() == entries - deleted
    assert objects(pull(doctor_api)) == [o for o in before if o[2] != "delete"]
    assert ("booking", kept["id"], "upsert") in objects(pull(doctor_api))
    # One entry per object and user is left, none of them a tombstone.
    left = list(Change.objects.values_list("user_id", "kind", "object_id", "op"))
    assert len(left) == len({row[:3] for row in left})
    assert "delete" not in {row[3] for row in left}


def test_entries_younger_than_a_cursors_life_stay(doctor_api, make_slot, pull, settings):
    booking = book(doctor_api, make_slot())
    cursor = pull(doctor_api)["cursor"]
    doctor_api.post(f"/v1/bookings/{booking['id']}/cancel", {}, format="json")
    age_everything(settings.SYNC_CURSOR_MAX_AGE.days - 1)

    assert changes_compact() == 0
    assert [c["object"]["status"] for c in pull(doctor_api, cursor)["changes"]] == ["cancelled"]


def test_compaction_runs_twice_safely(doctor_api, make_slot, settings):
    book(doctor_api, make_slot())
    age_everything(settings.SYNC_CURSOR_MAX_AGE.days + 1)

    changes_compact()

    assert changes_compact() == 0
