"""Answering: per-item validation in one problem, enableWhen, server-side WHO-5 scoring, help."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.followups.dispatch import followups_dispatch
from api.followups.models import FollowupSettings, ResearchScore
from tests.api.followups.conftest import WHO5_ALL
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def who5(*values):
    return {f"who5-{n}": value for n, value in enumerate(values, start=1)}


@pytest.mark.parametrize(
    ("values", "raw", "score", "poor"),
    [
        ((5, 5, 5, 5, 5), 25, 100, False),
        ((0, 0, 0, 0, 0), 0, 0, True),
        ((3, 3, 3, 2, 1), 12, 48, True),  # just under the cut-off
        ((3, 3, 3, 2, 2), 13, 52, False),  # at the cut-off: not poor
        ((4, 2, 3, 1, 5), 15, 60, False),
    ],
)
def test_who5_is_scored_on_the_server(due_who5, answer, values, raw, score, poor):
    response = answer(due_who5, who5(*values))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "answered"
    assert body["score"] == {"raw": raw, "score": score}
    assert body["poor_wellbeing"] is poor
    assert (body["help"] is not None) is poor


def test_poor_wellbeing_points_to_the_organisations_help(due_who5, answer, organisation, doctor):
    FollowupSettings.objects.create(
        organisation=organisation,
        help_resources=[
            {"title": {"nb": "Støttelinjen", "en": "The support line"}, "url": "https://example.org/h"}
        ],
    )
    doctor.language = "en"
    doctor.save()

    body = answer(due_who5, who5(1, 1, 1, 1, 1)).json()

    assert body["help"]["resources"] == [{"title": "The support line", "url": "https://example.org/h"}]
    assert "No one else sees this" in body["help"]["message"]


def test_every_wrong_item_is_a_field_error_in_one_problem(due_who5, answer):
    response = answer(due_who5, {"who5-1": 6, "who5-2": "3", "who5-3": True, "who5-period": 1, "nope": 1})

    body = assert_problem(response, 400, "validation_error")
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("answers.who5-1", "invalid_choice"),
        ("answers.who5-2", "invalid_choice"),
        ("answers.who5-3", "invalid_choice"),
        ("answers.who5-4", "required"),
        ("answers.who5-5", "required"),
        ("answers.who5-period", "not_answerable"),
        ("answers.nope", "unknown_item"),
    }


def test_enable_when_refuses_an_answer_to_a_disabled_item(due, answer):
    feedback = due["service-feedback"]
    response = answer(feedback, {"helpful": 3, "easy": 4, "recommend": True, "what-would-help": 1})

    body = assert_problem(response, 400, "validation_error")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("answers.what-would-help", "disabled")]


def test_enable_when_takes_an_answer_to_an_enabled_item(due, answer):
    feedback = due["service-feedback"]
    response = answer(feedback, {"helpful": 1, "easy": 0, "recommend": False, "what-would-help": 1})

    assert response.status_code == 201, response.content
    assert response.json()["answers"] == {"helpful": 1, "easy": 0, "recommend": False, "what-would-help": 1}
    assert response.json()["score"] is None  # the feedback is not scored


def test_a_follow_up_takes_one_response(due_who5, answer):
    assert answer(due_who5, WHO5_ALL).status_code == 201

    assert_problem(answer(due_who5, WHO5_ALL), 409, "followup_answered")
    assert ResearchScore.objects.count() == 1


def test_an_expired_follow_up_is_closed(due_who5, answer, completed):
    followups_dispatch(now=completed.end + timedelta(days=41))

    assert_problem(answer(due_who5, WHO5_ALL), 409, "followup_closed")


def test_a_past_expiry_closes_it_before_the_task_runs(due_who5, answer):
    type(due_who5).objects.filter(pk=due_who5.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert_problem(answer(due_who5, WHO5_ALL), 409, "followup_closed")


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": "x"}, []])
def test_a_malformed_body_is_a_400(due_who5, doctor_api, body):
    response = doctor_api.post(f"/v1/followups/{due_who5.pk}/response", body, format="json")

    assert_problem(response, 400, "validation_error")
