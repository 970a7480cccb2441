from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api.accounts.models import Role, User
from api.availability.models import ScheduleRule, Slot
from api.counsellors.models import CounsellorLanguage, CounsellorProfile, Region


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "counsellors": CounsellorProfile.objects.count(),
        "regions": Region.objects.count(),
        "languages": CounsellorLanguage.objects.count(),
        "rules": ScheduleRule.objects.count(),
        "slots": Slot.objects.count(),
    }


@pytest.mark.django_db
def test_the_demo_has_counsellors_across_regions_and_languages_without_passwords():
    output = seed()

    counsellors = CounsellorProfile.objects.filter(organisation__slug="demo", active=True)
    assert counsellors.count() >= 10
    assert Region.objects.filter(organisation__slug="demo", counsellors__isnull=False).distinct().count() >= 3
    assert CounsellorLanguage.objects.values("code").distinct().count() >= 2
    assert {"Europe/Oslo", "America/New_York"} <= set(counsellors.values_list("time_zone", flat=True))
    users = User.objects.filter(counsellor_profile__in=counsellors)
    assert {u.role for u in users} == {Role.COUNSELLOR}
    assert not any(u.has_usable_password() for u in users)
    assert all(u.email.endswith("@demo.kollega.invalid") for u in users)
    assert f"counsellors {counsellors.count()} created and 0 kept" in output


@pytest.mark.django_db
def test_a_doctor_sees_every_demo_counsellor_free_in_the_next_two_weeks(doctor_api):
    seed()

    response = doctor_api.get("/v1/availability?first_per_counsellor=true&limit=100")

    assert response.status_code == 200, response.content[:300]
    slots = response.json()["results"]
    assert {s["counsellor"]["id"] for s in slots} == {
        str(pk) for pk in CounsellorProfile.objects.values_list("pk", flat=True)
    }
    now = timezone.now()
    for slot in slots:
        start = parse_datetime(slot["start"])
        assert start is not None
        assert now < start < now + timedelta(days=14)
    assert doctor_api.get("/v1/availability?language=en&modality=video").json()["results"]


@pytest.mark.django_db
def test_running_it_again_creates_nothing_new():
    seed()
    before = counts()

    output = seed()

    assert counts() == before
    assert f"counsellors 0 created and {before['counsellors']} kept" in output
