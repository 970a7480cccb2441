from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from api.availability.models import Slot


@pytest.fixture
def counsellor(make_counsellor):
    return make_counsellor(display_name="Ingrid")


@pytest.fixture
def make_slot(counsellor):
    hours = itertools.count(48)

    def make(owner=None) -> Slot:
        start = (timezone.now() + timedelta(hours=next(hours))).replace(second=0, microsecond=0)
        return Slot.objects.create(
            counsellor=owner or counsellor, start=start, end=start + timedelta(minutes=45), phone=True
        )

    return make


@pytest.fixture
def pull():
    """Pulls for a client: returns the body, after checking the status."""

    def run(api, cursor: str | None = None, status: int = 200, **params):
        query = {"cursor": cursor} if cursor else {}
        response = api.get("/v1/sync/pull", query | params)
        assert response.status_code == status, response.content
        return response.json()

    return run
