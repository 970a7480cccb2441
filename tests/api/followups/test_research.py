"""Research separation: scores keyed by a random research id, never a user; the link dies with
the account."""

from __future__ import annotations

import pytest
from django.db import connection

from api.accounts.models import User
from api.followups.models import ResearchLink, ResearchScore
from tests.api.followups.conftest import WHO5_ALL

pytestmark = pytest.mark.django_db


def test_the_research_table_holds_no_user_id_and_no_foreign_key_to_users():
    table = ResearchScore._meta.db_table
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        relations = connection.introspection.get_relations(cursor, table)

    assert not [c for c in columns if "user" in c or "doctor" in c or "followup" in c or "booking" in c]
    referenced = {target_table for _, target_table in relations.values()}
    assert User._meta.db_table not in referenced
    assert referenced <= {"organisations_organisation", "followups_questionnaire"}
    assert "month" in columns
    assert not [c for c in columns if c.endswith("_at")]  # no moment that could be matched


def test_a_score_is_keyed_by_the_doctors_research_id_for_the_organisation(
    due_who5, answer, doctor, organisation
):
    answer(due_who5, WHO5_ALL)

    link = ResearchLink.objects.get(user=doctor, organisation=organisation)
    score = ResearchScore.objects.get()
    assert score.research_id == link.research_id != doctor.pk
    assert (score.raw_score, score.score, score.offset_days) == (25, 100, 10)
    assert score.month.day == 1


def test_deleting_the_account_deletes_the_link_and_keeps_the_anonymous_score(due_who5, answer, doctor):
    answer(due_who5, WHO5_ALL)

    doctor.delete()

    assert not ResearchLink.objects.exists()
    assert ResearchScore.objects.count() == 1
