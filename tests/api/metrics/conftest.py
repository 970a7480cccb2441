"""Fixtures for metrics: secret keys, and bookings, follow-ups and scores made directly."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.accounts.models import Role, User
from api.bookings.models import Booking, BookingStatus
from api.counsellors.models import CounsellorProfile, Region
from api.followups.instruments import WHO5_SLUG
from api.followups.models import Followup, FollowupStatus, ResearchScore
from api.followups.shipped import shipped_instruments_ensure
from api.metrics.rollups import rollup_refresh
from api.organisations.keys import api_key_create
from api.organisations.models import ApiKeyKind, Organisation


@pytest.fixture
def coordinator(make_user: Callable[..., User], organisation: Organisation) -> User:
    return make_user(Role.COORDINATOR, organisation=organisation)


@pytest.fixture
def make_key(coordinator: User) -> Callable[..., str]:
    def make(*, organisation: Organisation | None = None, scopes: tuple[str, ...] = ("metrics:read",)) -> str:
        made = api_key_create(
            organisation=organisation or coordinator.organisation,  # type: ignore[arg-type]
            kind=ApiKeyKind.SECRET,
            name="Research script",
            created_by=coordinator,
            scopes=list(scopes),
        )
        return made.key

    return make


@pytest.fixture
def key_api(make_key: Callable[..., str]) -> Callable[..., APIClient]:
    def make(key: str | None = None) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key or make_key()}")
        return client

    return make


@pytest.fixture
def regions(organisation: Organisation) -> dict[str, Region]:
    return {
        code: Region.objects.create(organisation=organisation, code=code, name=code.title())
        for code in ("oslo", "vestland")
    }


def at(month: str, day: int = 15, hour: int = 10) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, day, hour, tzinfo=UTC)


@pytest.fixture
def book(make_user: Callable[..., User]) -> Callable[..., Booking]:
    """A booking made directly: `doctor` is reused when given, `waited` days after it was made.

    Each starts an hour after the one before, as a counsellor's bookings may not overlap (an
    exclusion constraint on PostgreSQL).
    """
    hours = count()

    def make(
        counsellor: CounsellorProfile,
        month: str,
        *,
        doctor: User | None = None,
        status: str = BookingStatus.COMPLETED,
        category: str = "",
        modality: str = "phone",
        waited: int = 2,
        late: bool = False,
        day: int = 15,
    ) -> Booking:
        start = at(month, day) + timedelta(hours=next(hours))
        booking = Booking.objects.create(
            counsellor=counsellor,
            doctor=doctor or make_user(Role.DOCTOR),
            start=start,
            end=start + timedelta(hours=1),
            modality=modality,
            category=category,
            status=status,
            cancelled_late=late,
        )
        Booking.objects.filter(pk=booking.pk).update(created_at=start - timedelta(days=waited, hours=1))
        return booking

    return make


@pytest.fixture
def followup(make_user: Callable[..., User], organisation: Organisation) -> Callable[..., Followup]:
    def make(month: str, *, offset_days: int, answered: bool, doctor: User | None = None) -> Followup:
        version = shipped_instruments_ensure()[WHO5_SLUG].versions.get()
        due = at(month)
        return Followup.objects.create(
            doctor=doctor or make_user(Role.DOCTOR),
            organisation=organisation,
            version=version,
            offset_days=offset_days,
            occasion=uuid.uuid4(),
            status=FollowupStatus.ANSWERED if answered else FollowupStatus.EXPIRED,
            due_at=due,
            expires_at=due + timedelta(days=30),
        )

    return make


@pytest.fixture
def score(organisation: Organisation) -> Callable[..., ResearchScore]:
    def make(research_id: uuid.UUID, month: str, *, offset_days: int, value: int) -> ResearchScore:
        who5 = shipped_instruments_ensure()[WHO5_SLUG]
        return ResearchScore.objects.create(
            research_id=research_id,
            organisation=organisation,
            questionnaire=who5,
            version_number=1,
            offset_days=offset_days,
            month=at(month).date().replace(day=1),
            raw_score=value // 4,
            score=value,
        )

    return make


@pytest.fixture
def refresh(organisation: Organisation) -> Callable[[], None]:
    return lambda: rollup_refresh(organisation=organisation)


def entry(body: dict[str, Any], kind: str = "cell", **dims: Any) -> dict[str, Any]:
    """The one entry of `kind` whose dimensions have these values."""
    found = [e for e in body["entries"] if e["kind"] == kind and all(e.get(k) == v for k, v in dims.items())]
    assert len(found) == 1, (kind, dims, body["entries"])
    only: dict[str, Any] = found[0]
    return only
