from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from api.followups.models import ScheduleEntry
from api.followups.plans import plan_of
from api.organisations.models import Organisation


@pytest.mark.django_db
def test_the_demo_organisation_offers_the_shipped_questionnaires(shipped):
    call_command("seed_demo", "--force", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())  # again: kept, not doubled

    demo = Organisation.objects.get(slug="demo")
    plan = plan_of(demo)
    assert sorted(plan) == [0, 10, 365]
    assert plan[10] == [shipped["who-5"].pk, shipped["service-feedback"].pk]
    assert ScheduleEntry.objects.filter(organisation=demo).count() == 4
